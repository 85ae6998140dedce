"""One alert while a condition stays true; a second only after it was false; notifications
for the rule's roles (a commune officer's within scope) and one live event per alert."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.core.management import call_command

from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.alerts.models import Alert, AlertState, Notification
from gisioc.cameras.models import Camera, CameraEvent, Outage
from gisioc.geo.models import AdminUnit
from gisioc.live.models import LiveEvent
from tests.alerts.conftest import rule_make

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 4, 5, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


def _down(camera: Camera, at: dt.datetime) -> None:
    Camera.objects.filter(pk=camera.pk).update(status="offline", status_since=at)
    Outage.objects.create(camera=camera, started_at=at)


def _up(camera: Camera, at: dt.datetime) -> None:
    Camera.objects.filter(pk=camera.pk).update(status="online", status_since=at)
    Outage.objects.filter(camera=camera, ended_at=None).update(ended_at=at)


def test_a_condition_that_stays_true_fires_once_and_again_after_it_was_false(
    cameras: list[Camera], staff: dict[str, User]
) -> None:
    camera = cameras[0]
    _down(camera, NOW - 40 * MINUTE)
    rule = rule_make()
    fired = [alerts_evaluate(NOW + i * MINUTE, wait=True).fired for i in range(4)]
    first = Alert.objects.get()
    assert fired == [[first.id], [], [], []]
    state = AlertState.objects.get()
    assert (state.alert, state.since, state.value) == (first, NOW, 43)  # the last value seen

    _up(camera, NOW + 5 * MINUTE)
    assert alerts_evaluate(NOW + 6 * MINUTE, wait=True).resolved == 1
    first.refresh_from_db()
    assert first.resolved_at == NOW + 6 * MINUTE and not AlertState.objects.exists()
    assert alerts_evaluate(NOW + 7 * MINUTE, wait=True).fired == []

    _down(camera, NOW + 8 * MINUTE)
    assert alerts_evaluate(NOW + 20 * MINUTE, wait=True).fired == []  # 12 minutes: not yet
    second = alerts_evaluate(NOW + 40 * MINUTE, wait=True).fired
    assert len(second) == 1 and Alert.objects.count() == 2
    assert Alert.objects.get(pk=second[0]).resolved_at is None

    # The leader and the officer of the camera's commune, once per alert; no planner.
    notified = Notification.objects.values_list("user__username", "alert_id")
    assert sorted(notified) == sorted(
        (user, alert) for user in ("a-commune_officer", "a-leader") for alert in (first.id, *second)
    )
    live = LiveEvent.objects.filter(kind="alert").order_by("id")
    assert [e.data["id"] for e in live] == [first.id, *second]
    event = live[0]
    assert event.roles == ["commune_officer", "leader"] and event.unit_id == first.unit_id
    assert set(event.data) == {"id", "rule", "title", "level", "link"}
    assert event.data["rule"] == rule.id and event.data["link"] == first.link
    assert event.geom.equals(first.geom)


def test_a_commune_officer_is_not_notified_outside_the_scope(
    cameras: list[Camera], staff: dict[str, User]
) -> None:
    camera_unit = cameras[0].facility.unit
    other = AdminUnit.objects.filter(version=camera_unit.version, level="commune").exclude(
        pk=camera_unit.pk
    )
    staff["commune_officer"].access.units.set([other.first()])
    _down(cameras[0], NOW - 40 * MINUTE)
    rule_make()
    alerts_evaluate(NOW, wait=True)
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["a-leader"]


def test_a_cluster_that_grows_and_drifts_stays_one_alert(cameras: list[Camera]) -> None:
    rule_make(
        kind="event_cluster",
        params={"event_kind": "flooding", "radius_m": 1000, "minutes": 60},
        comparison="ge",
        threshold=3,
    )

    def event(n: int, lon: float, at: dt.datetime) -> None:
        CameraEvent.objects.create(
            source="t",
            external_id=f"e{n}",
            camera=cameras[0],
            kind="flooding",
            confidence=0.8,
            occurred_at=at,
            geom=Point(lon, 15.82, srid=4326),
        )

    for n in range(3):
        event(n, 108.250 + n * 0.002, NOW - 10 * MINUTE)
    assert len(alerts_evaluate(NOW, wait=True).fired) == 1
    event(3, 108.257, NOW - MINUTE)  # the cluster grows east: its centre moves
    event(4, 108.259, NOW - MINUTE)
    outcome = alerts_evaluate(NOW + MINUTE, wait=True)
    assert outcome.fired == [] and outcome.active == 1
    assert AlertState.objects.get().value == 5
    # An hour on, the first events are out of the window, the two late ones no cluster.
    assert alerts_evaluate(NOW + 55 * MINUTE, wait=True).resolved == 1


def test_the_command_evaluates_once(cameras: list[Camera], capsys: pytest.CaptureFixture) -> None:
    _down(cameras[0], dt.datetime.now(dt.UTC) - 45 * MINUTE)
    rule_make()
    call_command("alerts", "evaluate")
    assert Alert.objects.count() == 1
    assert "new alerts 1, active 1" in capsys.readouterr().out
