"""The cameras API: public positions and status without streams, staff-only events and
snapshots, who may act on an event, and an event opening a feedback ticket or an incident."""

from typing import Any

import pytest
from django.contrib.auth.models import User

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.feedback.models import Report, ReportEvent
from gisioc.live.models import LiveEvent
from tests.bodies import json_body
from tests.cameras.helpers import client_of, event, image_b64, push

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def events(cameras: list[Camera], key: str) -> list[CameraEvent]:
    """Two events: one at the commune officer's camera with a snapshot, one at another."""
    body = push(key, "b1", [event(1, snapshot=image_b64()), event(2, camera="CAM-DX-006")]).json()
    assert body["created"] == 2, body
    found = list(CameraEvent.objects.order_by("external_id"))
    assert found[0].unit_id != found[1].unit_id  # else the scope tests prove nothing
    return found


def _features(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 200, answer.content
    return json_body(answer)["features"]


def test_everyone_sees_cameras_and_status_only_staff_their_streams(
    cameras: list[Camera], staff: dict[str, User]
) -> None:
    public = _features(client_of(None).get("/api/cameras/"))
    assert [f["properties"]["code"] for f in public] == ["CAM-DX-001", "CAM-DX-002", "CAM-DX-006"]
    first = public[0]["properties"]
    assert first["status"] == "online" and first["labels"]["status"]["en"] == "Online"
    assert first["stream_url"] is None and first["snapshot_url"] is None
    assert public[0]["geometry"]["type"] == "Point"
    mine = _features(client_of(staff["field_staff"]).get("/api/cameras/"))[0]["properties"]
    assert mine["stream_url"].endswith("index.m3u8") and mine["snapshot_url"]
    one = client_of(None).get(f"/api/cameras/{cameras[1].pk}/").json()
    assert one["properties"]["code"] == "CAM-DX-002" and one["properties"]["stream_url"] is None
    found = _features(client_of(None).get("/api/cameras/?q=dx-006"))
    assert [f["id"] for f in found] == [cameras[2].pk]
    assert client_of(None).get("/api/cameras/?status=broken").status_code == 400


def test_events_and_snapshots_are_for_staff_within_scope(
    events: list[CameraEvent], staff: dict[str, User]
) -> None:
    assert client_of(None).get("/api/cameras/events/").status_code in (401, 403)
    leader = _features(client_of(staff["leader"]).get("/api/cameras/events/"))
    assert {f["id"] for f in leader} == {e.pk for e in events}
    props = next(f for f in leader if f["id"] == events[0].pk)["properties"]
    assert props["camera_code"] == "CAM-DX-001" and props["kind"] == "flooding"
    assert props["name"] == "Ngập nước / Flooding"
    assert props["thumb"].startswith("/api/cameras/snapshots/") and props["snapshot"]
    officer = _features(client_of(staff["commune_officer"]).get("/api/cameras/events/"))
    assert [f["id"] for f in officer] == [events[0].pk]
    thumb = LiveEvent.objects.filter(kind="camera.event").order_by("id")[0].data["thumb"]
    assert client_of(None).get(thumb).status_code == 404
    shot = client_of(staff["planner"]).get(thumb)
    assert shot.status_code == 200 and shot["Content-Type"] == "image/jpeg"
    assert b"".join(shot.streaming_content)[:2] == b"\xff\xd8"
    # The officer's scope: the snapshot of an event elsewhere is not found.
    CameraEvent.objects.filter(pk=events[0].pk).update(unit_id=events[1].unit_id)
    assert client_of(staff["commune_officer"]).get(thumb).status_code == 404


def _act(user: User | None, ev: CameraEvent, action: str, **body: Any) -> Any:
    return client_of(user).post(f"/api/cameras/events/{ev.pk}/{action}/", data=body, format="json")


def test_who_may_act_on_an_event(events: list[CameraEvent], staff: dict[str, User]) -> None:
    first, other = events
    assert _act(None, first, "acknowledge").status_code in (401, 403)
    assert _act(staff["planner"], first, "acknowledge").status_code == 403
    assert _act(staff["gis_officer"], first, "dismiss").status_code == 403
    assert _act(staff["field_staff"], first, "dismiss").status_code == 403
    assert _act(staff["commune_officer"], other, "acknowledge").status_code == 403
    answer = _act(staff["field_staff"], first, "acknowledge")
    assert answer.status_code == 200 and answer.json()["status"] == "acknowledged"
    assert _act(staff["field_staff"], first, "acknowledge").status_code == 409
    assert _act(staff["commune_officer"], first, "dismiss").json()["status"] == "dismissed"
    assert _act(staff["leader"], first, "report").status_code == 409
    assert _act(staff["leader"], other, "explode").status_code == 400
    assert _act(staff["admin"], other, "dismiss").status_code == 200


def test_an_event_opens_a_feedback_ticket_on_the_camera_channel(
    events: list[CameraEvent], staff: dict[str, User]
) -> None:
    first = events[0]
    answer = _act(staff["commune_officer"], first, "report")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    report = Report.objects.get(pk=body["report_id"])
    assert body["ticket"] == report.ticket and body["status"] == "reported"
    assert (report.channel, report.category, report.source) == ("camera", "thoat_nuoc", "camera")
    assert report.unit_id == first.unit_id and report.geom == first.geom
    assert "CAM-DX-001" in report.description and f"#{first.pk}" in report.description
    assert not (report.reporter_name or report.reporter_phone or report.reporter_email)
    assert ReportEvent.objects.filter(report=report, action="receive").exists()
    first.refresh_from_db()
    assert first.report_id == report.pk
    assert _act(staff["leader"], first, "report").status_code == 409


def test_an_event_opens_an_incident_or_joins_one(
    events: list[CameraEvent], staff: dict[str, User]
) -> None:
    first, other = events
    answer = _act(staff["leader"], first, "incident", severity=3)
    assert answer.status_code == 200, answer.content
    from gisioc.incidents.models import Incident

    incident = Incident.objects.get(pk=answer.json()["incident_id"])
    assert (incident.kind, incident.severity) == ("flood", 3)
    assert list(incident.events.all()) == [first]
    assert answer.json()["status"] == "incident"
    joined = _act(staff["leader"], other, "incident", incident=incident.pk)
    assert joined.status_code == 200 and joined.json()["incident_id"] == incident.pk
    assert set(incident.events.all()) == {first, other}


def test_outages_and_uptime_are_public(cameras: list[Camera], staff: dict[str, User]) -> None:
    import datetime as dt

    from django.utils import timezone

    from gisioc.cameras.models import Outage

    now = timezone.now()
    Outage.objects.create(camera=cameras[0], started_at=now - dt.timedelta(hours=3),
                          ended_at=now - dt.timedelta(hours=2))  # fmt: skip
    Outage.objects.create(camera=cameras[1], started_at=now - dt.timedelta(minutes=30))
    rows = client_of(None).get("/api/cameras/outages/").json()["results"]
    assert [r["code"] for r in rows] == ["CAM-DX-002", "CAM-DX-001"]  # the open one first
    assert rows[0]["open"] and rows[0]["duration_s"] == pytest.approx(1800, abs=5)
    assert rows[1]["duration_s"] == 3600 and not rows[1]["open"]
    only = client_of(None).get("/api/cameras/outages/?open=1&camera=CAM-DX-001").json()
    assert only["results"] == []
    for c in cameras:
        c.registered_at = now - dt.timedelta(hours=4)
        c.save()
    month = timezone.localdate().strftime("%Y-%m")
    answer = client_of(None).get(f"/api/cameras/uptime/?period={month}").json()
    by_code = {r["code"]: r for r in answer["cameras"]}
    # Counted to the minute: within a minute of the exact shares.
    assert by_code["CAM-DX-001"]["uptime"] == pytest.approx(0.75, abs=5e-3)
    assert by_code["CAM-DX-002"]["uptime"] == pytest.approx(1 - 0.5 / 4, abs=5e-3)
    assert by_code["CAM-DX-006"]["uptime"] == 1.0
    assert answer["uptime"] == pytest.approx(1 - 1.5 / 12, abs=5e-3)


def test_search_finds_cameras_by_their_road(cameras: list[Camera]) -> None:
    Camera.objects.filter(pk=cameras[2].pk).update(road="Đường Hùng Vương")
    found = client_of(None).get("/api/search/?q=hung vuong").json()["results"]
    mine = [r for r in found if r["code"] == "CAM-DX-006"]
    assert len(mine) == 1 and "Hùng Vương" in mine[0]["sublabel"]
    assert mine[0]["detail"] == f"/api/facilities/{cameras[2].facility_id}/"
    # By a word of its name it is a facility hit, once.
    by_name = client_of(None).get("/api/search/?q=CAM-DX-006").json()["results"]
    assert [r["code"] for r in by_name].count("CAM-DX-006") == 1
