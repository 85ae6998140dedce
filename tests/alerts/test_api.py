"""/api/alerts/: rules for leaders and administrators (checked per kind, changes naming the
version read), each user's notifications, the history as each role may read it."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.alerts.models import Alert, AlertState, Notification, Rule
from gisioc.cameras.models import Camera, Outage
from gisioc.geo.models import Role, UserAccess
from tests.alerts.conftest import rule_make

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 4, 5, 0, tzinfo=dt.UTC)
RULES = "/api/alerts/rules/"
BODY = {
    "name_vi": "Hồ sơ quá hạn > 10",
    "name_en": "Overdue dossiers > 10",
    "kind": "kpi",
    "params": {"record": "dossier", "figure": "in_progress_past_due"},
    "comparison": "gt",
    "threshold": 10,
    "roles": ["leader", "commune_officer"],
    "emails": ["trucban@duyxuyen.vn"],
    "webhook_url": "https://hooks.duyxuyen.vn/ioc",
    "webhook_secret": "s3cret",
    "level": "warning",
}


def client_of(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def test_leaders_create_read_change_and_delete_rules(staff: dict[str, User]) -> None:
    leader = client_of(staff["leader"])
    made = leader.post(RULES, BODY, format="json")
    assert made.status_code == 201, made.content
    rule = made.json()
    assert rule["params"] == {**BODY["params"], "period": "year"}  # defaults filled in
    assert rule["version"] == 1 and rule["webhook_signed"] is True
    assert "webhook_secret" not in rule and rule["active"] == 0
    url = f"{RULES}{rule['id']}/"
    assert leader.get(url).json()["name_vi"] == BODY["name_vi"]
    assert [r["id"] for r in client_of(staff["admin"]).get(RULES).json()] == [rule["id"]]

    changed = leader.patch(url, {"threshold": 20, "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = leader.patch(url, {"threshold": 30, "version": 1}, format="json")
    assert stale.status_code == 409 and "version 2" in stale.json()["en"]
    assert leader.patch(url, {"threshold": 30}, format="json").status_code == 400

    def fired(key: str) -> Alert:
        alert = Alert.objects.create(
            rule_id=rule["id"], kind="kpi", key=key, level="info", fired_at=NOW, value=11,
            threshold=10, title_vi="t", title_en="t", link="/",
        )  # fmt: skip
        AlertState.objects.create(
            rule_id=rule["id"], key=key, since=NOW, checked_at=NOW, value=11, alert=alert
        )
        return alert

    first = fired("unit:1")
    replaced = leader.put(url, {**BODY, "enabled": False, "version": 2}, format="json")
    assert replaced.status_code == 200 and replaced.json()["enabled"] is False
    assert Rule.objects.get().threshold == 10
    first.refresh_from_db()  # no longer watched: ended, and may fire afresh once enabled
    assert first.resolved_at is not None and not AlertState.objects.exists()

    second = fired("unit:2")
    assert leader.delete(url).status_code == 400  # the version read is required
    assert leader.delete(f"{url}?version=2").status_code == 409
    assert leader.delete(f"{url}?version=3").status_code == 204
    second.refresh_from_db()
    assert second.rule is None and second.resolved_at is not None  # the history stays
    assert not Rule.objects.exists() and Alert.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"params": {"record": "dossier", "figure": "nothing"}}, "params", "figure"),
        ({"params": {"record": "dossier", "figure": "received", "x": 1}}, "params", "Unknown"),
        ({"kind": "event_cluster", "params": {"radius_m": 5}}, "params", "radius_m"),
        ({"kind": "event_cluster", "params": {}, "comparison": "lt"}, "comparison", "> or ≥"),
        ({"kind": "indicator_trend", "params": {"disease": "plague"}}, "params", "disease"),
        ({"kind": "sometimes"}, "kind", ""),
        ({"roles": []}, "roles", ""),
        ({"roles": ["king"]}, "roles.0", "valid choice"),
        ({"emails": ["not-an-address"]}, "emails.0", ""),
        ({"webhook_url": "ftp://hooks.duyxuyen.vn/a"}, "webhook_url", "http or https"),
        ({"threshold": "many"}, "threshold", ""),
    ],
)
def test_a_bad_rule_is_refused_naming_what_is_wrong(
    change: dict[str, Any], field: str, words: str
) -> None:
    admin = User.objects.create_user("quantri-x", password="x")
    UserAccess.objects.create(user=admin, role=Role.ADMIN)
    answer = client_of(admin).post(RULES, {**BODY, **change}, format="json")
    assert answer.status_code == 400, answer.content
    body = answer.json()
    assert field in body["fields"], body
    assert words in " ".join(body["fields"][field])
    assert body["vi"].startswith("Dữ liệu gửi lên không hợp lệ")
    assert not Rule.objects.exists()


def test_only_leaders_and_administrators_manage_rules(staff: dict[str, User]) -> None:
    rule = rule_make()
    for who in (None, "planner", "field_staff", "gis_officer", "commune_officer"):
        client = client_of(staff[who] if who else None)
        assert client.get(RULES).status_code == 403, who
        assert client.post(RULES, BODY, format="json").status_code == 403, who
        assert client.delete(f"{RULES}{rule.id}/?version=1").status_code == 403, who
    assert Rule.objects.count() == 1


def _down(camera: Camera) -> None:
    since = NOW - dt.timedelta(minutes=45)
    Camera.objects.filter(pk=camera.pk).update(status="offline", status_since=since)
    Outage.objects.create(camera=camera, started_at=since)


def test_my_notifications_unread_count_and_marking_read(
    cameras: list[Camera], staff: dict[str, User]
) -> None:
    for camera in cameras[:2]:
        _down(camera)
    rule_make()
    alerts_evaluate(NOW, wait=True)
    leader = client_of(staff["leader"])
    page = leader.get("/api/alerts/notifications/").json()
    assert (page["unread"], page["count"]) == (2, 2)
    first = page["results"][0]
    assert set(first) == {
        "id",
        "alert",
        "title",
        "level",
        "link",
        "fired_at",
        "resolved_at",
        "read_at",
    }
    assert first["link"].startswith("/?map=16/") and first["title"]["vi"].startswith("Camera")
    others = list(Notification.objects.exclude(user=staff["leader"]).values_list("id", flat=True))
    answer = leader.post(
        "/api/alerts/notifications/read/", {"ids": [first["id"], *others]}, format="json"
    )
    assert answer.json() == {"marked": 1, "unread": 1}  # another's notification is not mine
    assert Notification.objects.filter(read_at=None).exclude(user=staff["leader"]).count() == 2
    unread = leader.get("/api/alerts/notifications/?unread=true").json()
    assert unread["count"] == 1 and unread["results"][0]["id"] != first["id"]
    read = leader.post("/api/alerts/notifications/read/", {}, format="json")
    assert read.status_code == 400 and "ids" in read.json()["fields"]
    everything = leader.post("/api/alerts/notifications/read/", {"all": True}, format="json")
    assert everything.json() == {"marked": 1, "unread": 0}
    assert client_of(None).get("/api/alerts/notifications/").status_code == 403
    assert client_of(staff["planner"]).get("/api/alerts/notifications/").json()["count"] == 0


def test_the_history_as_each_role_reads_it(cameras: list[Camera], staff: dict[str, User]) -> None:
    _down(cameras[0])
    rule = rule_make()
    other = rule_make(name_vi="Khác", name_en="Other", roles=["planner"], threshold=40)
    alerts_evaluate(NOW, wait=True)
    history = "/api/alerts/history/"
    every = client_of(staff["leader"]).get(history).json()
    assert every["count"] == 2
    assert set(every["results"][0]) >= {
        "title",
        "lon",
        "lat",
        "link",
        "email_status",
        "webhook_status",
    }
    assert client_of(staff["leader"]).get(f"{history}?rule={rule.id}").json()["count"] == 1
    assert client_of(staff["planner"]).get(history).json()["results"][0]["rule"] == other.id
    officer = client_of(staff["commune_officer"]).get(history).json()
    assert [a["rule"] for a in officer["results"]] == [rule.id]  # its role's, in its commune
    staff["commune_officer"].access.units.clear()
    assert client_of(staff["commune_officer"]).get(history).json()["count"] == 0
    assert client_of(staff["gis_officer"]).get(history).json()["count"] == 0
    since = client_of(staff["leader"]).get(history, {"since": "2026-11-04T12:01+07:00"})
    assert since.json()["count"] == 0
    assert client_of(staff["leader"]).get(history, {"active": "true"}).json()["count"] == 2
    bad = client_of(staff["leader"]).get(history, {"since": "yesterday"})
    assert bad.status_code == 400 and "since" in bad.json()["fields"]
    assert client_of(None).get(history).status_code == 403
