"""Heartbeat timing: a camera silent past its silence turns offline with one outage (and
`camera.status` on the live bus), a heartbeat brings it back and closes the outage, and
uptime counts the offline time within the period, from the camera's registration."""

import datetime as dt

import pytest
from django.utils import timezone

from gisioc.cameras import services
from gisioc.cameras.models import Camera, Outage
from gisioc.cameras.selectors import outages_list, uptimes
from gisioc.live.models import LiveEvent
from gisioc.periods import period_parse
from layers.registry import registry
from tests.cameras.helpers import push
from tiles.versions import layer_versions

pytestmark = pytest.mark.usefixtures("media")


def _camera(cameras: list[Camera], silence: int | None = None) -> Camera:
    cam = cameras[0]
    cam.silence_s = silence
    cam.registered_at = timezone.now() - dt.timedelta(hours=2)
    cam.save()
    return cam


def test_silence_plus_one_second_turns_offline_once_and_a_heartbeat_brings_it_back(
    cameras: list[Camera], key: str
) -> None:
    cam = _camera(cameras, silence=60)
    seen = timezone.now() - dt.timedelta(minutes=30)
    assert services.camera_seen(camera=cam, at=seen)
    others_seen = timezone.now()
    for other in cameras[1:]:
        services.camera_seen(camera=other, at=others_seen)
    # Silent exactly its silence: still online; one second more: offline.
    assert services.cameras_silence_check(now=seen + dt.timedelta(seconds=60)) == []
    later = seen + dt.timedelta(seconds=61)
    assert services.cameras_silence_check(now=later) == [cam.pk]
    assert services.cameras_silence_check(now=later + dt.timedelta(minutes=5)) == []
    cam.refresh_from_db()
    assert (cam.status, cam.status_since) == ("offline", seen)
    outage = Outage.objects.get(camera=cam)
    assert (outage.started_at, outage.ended_at) == (seen, None)
    status = LiveEvent.objects.get(kind="camera.status")
    assert status.data == {
        "camera_id": cam.pk,
        "code": cam.facility.code,
        "name": cam.facility.name,
        "status": "offline",
        "since": seen.isoformat(),
    }
    assert status.roles is None and status.unit_id == cam.facility.unit_id
    # A pushed heartbeat brings it back and closes the outage at the heartbeat's time.
    back = timezone.now() - dt.timedelta(minutes=10)
    body = push(key, "hb1", [{"type": "heartbeat", "camera": cam.facility.code,
                              "time": back.isoformat()}]).json()  # fmt: skip
    assert (body["updated"], body["rejected"]) == (1, 0), body
    cam.refresh_from_db()
    assert (cam.status, cam.last_seen_at, cam.status_since) == ("online", back, back)
    outage.refresh_from_db()
    assert outage.ended_at == back
    assert [e.data["status"] for e in LiveEvent.objects.order_by("id")] == ["offline", "online"]
    # An older heartbeat changes nothing.
    again = push(key, "hb2", [{"type": "heartbeat", "camera": cam.facility.code,
                               "time": seen.isoformat()}]).json()  # fmt: skip
    assert again["unchanged"] == 1
    # Uptime over today: 1 − 20 min offline / time since registration (2 h ago), clipped.
    now = timezone.now()
    today = period_parse(timezone.localdate().strftime("%Y-%m"))
    found = {u.camera.pk: u for u in uptimes(cameras=Camera.objects.all(), period=today, now=now)}
    mine = found[cam.pk]
    assert mine.outages == 1 and mine.offline_s == pytest.approx(20 * 60, abs=1)
    assert mine.seconds == pytest.approx(2 * 3600, abs=5)
    assert mine.uptime == pytest.approx(1 - 1200 / mine.seconds, abs=1e-4)
    assert found[cameras[1].pk].offline_s == 0


def test_the_default_silence_is_the_setting_and_an_event_counts_as_seen(
    cameras: list[Camera], key: str, settings: object
) -> None:
    cam = _camera(cameras)
    settings.CONFIG = settings.CONFIG.model_copy(update={"camera_silence_s": 300})
    now = timezone.now()
    for c in cameras:
        services.camera_seen(camera=c, at=now - dt.timedelta(seconds=299))
    assert services.cameras_silence_check(now=now) == []
    gone = services.cameras_silence_check(now=now + dt.timedelta(seconds=2))
    assert sorted(gone) == sorted(c.pk for c in cameras)
    event = {"type": "event", "id": "e1", "camera": cam.facility.code, "kind": "crowd",
             "confidence": 0.6, "time": now.isoformat()}  # fmt: skip
    assert push(key, "ev1", [event]).json()["created"] == 1
    cam.refresh_from_db()
    assert cam.status == "online"
    outages = list(outages_list(cameras=Camera.objects.all()))
    assert len(outages) == 3 and outages[-1].ended_at is not None  # open ones first
    assert all(o.ended_at is None for o in outages[:2])


def test_a_never_seen_camera_goes_offline_a_silence_after_it_was_first_checked(
    cameras: list[Camera],
) -> None:
    cam = _camera(cameras, silence=30)
    now = timezone.now()
    assert cam.pk not in services.cameras_silence_check(now=now)
    assert cam.pk in services.cameras_silence_check(now=now + dt.timedelta(seconds=31))
    assert Outage.objects.get(camera=cam).started_at == now


def test_a_heartbeat_of_an_online_camera_leaves_the_layers_data_version_alone(
    cameras: list[Camera], key: str
) -> None:
    # Twenty cameras beating every 30 s would otherwise empty every cached tile, KPI and
    # profile answer that reads the cameras' table, each time.
    cam = _camera(cameras)
    services.camera_seen(camera=cam, at=timezone.now() - dt.timedelta(seconds=30))
    layer = registry.get("cameras-status")
    before = layer_versions([layer])
    body = push(key, "hb-quiet", [{"type": "heartbeat", "camera": cam.facility.code}]).json()
    assert body["updated"] == 1, body
    assert layer_versions([layer]) == before
    assert cam.last_seen_at > timezone.now() - dt.timedelta(seconds=5)
    # Going offline is a change the layer shows: its version moves.
    services.cameras_silence_check(now=timezone.now() + dt.timedelta(hours=1))
    assert layer_versions([layer]) != before
