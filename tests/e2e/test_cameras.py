"""Cameras in a real Chromium: a leader opens a camera and sees its HLS stream play (hls.js,
segments fetched from the fake cameras' server), its latest events with thumbnails, and an
event's snapshot with the detection's box, then brings it into an incident and opens a
ticket for another. A camera without a stream shows its snapshot and time (to staff; the
public sees its status only), an MJPEG camera its moving image, also from the cameras
layer. A pushed event joins the open panel's list within 2 s, and a camera whose heartbeats
stop turns offline in the open panel by itself (the live server's silence job, the live
stream), its outage listed."""

import base64
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from gisioc.cameras.demo_images import event_image, jpeg, pictures_write
from gisioc.cameras.fake import CameraServer, cameras_serving, push
from gisioc.cameras.models import Camera, CameraEvent, CameraSeen
from gisioc.cameras.streams import stream_make
from gisioc.geo.models import Facility, Role, UserAccess
from gisioc.ingest.keys import source_key_create
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_dossiers import PASSWORD, sign_in
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e
LEADER = "e2e-cam-leader"


@pytest.fixture
def leader(seeded: Seeded) -> str:
    """A district leader's login."""
    user = get_user_model().objects.create_user(LEADER, password=PASSWORD)
    UserAccess.objects.create(user=user, role=Role.LEADER)
    return LEADER


@pytest.fixture
def media(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stored snapshots under the test's folder (streams go under its var/, the e2e default)."""
    monkeypatch.setattr(settings, "GISIOC_MEDIA_DIR", tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def cameras_server(media: Path) -> Iterator[CameraServer]:
    """The fake cameras' server with E2E-CAM-3's HLS loop and MJPEG frames."""
    stream_make("E2E-CAM-3", 3, mjpeg=True)
    with cameras_serving() as server:
        yield server


def _allow(mp: MapPage, port: int) -> None:
    """Let the page reach one more local origin (the guard blocks every other)."""
    for host in ("127.0.0.1", "localhost"):
        mp.page.route(f"http://{host}:{port}/**", lambda route: route.continue_())


def _camera(seeded: Seeded, code: str, **values: Any) -> Camera:
    facility = Facility.objects.get(pk=seeded.facility_ids[code])
    camera = Camera.objects.create(facility=facility, **values)
    CameraSeen.objects.create(camera=camera, at=timezone.now())
    return camera


def _events(camera: Camera, kinds: list[str]) -> list[CameraEvent]:
    pictures = pictures_write()
    facility = camera.facility
    now = timezone.now()
    return [
        CameraEvent.objects.create(
            source="e2e-cams", external_id=f"e2e-{n}", camera=camera, kind=kind,
            confidence=0.91 - n / 10, occurred_at=now - dt.timedelta(minutes=10 * (n + 1)),
            bbox=list(pictures[kind][0].bbox), label="car",
            snapshot_file=pictures[kind][0].snapshot, thumb_file=pictures[kind][0].thumb,
            geom=facility.geom, unit=facility.unit, locate_method="facility",
        )
        for n, kind in enumerate(kinds)
    ]  # fmt: skip


def _open_record(mp: MapPage, facility_id: int) -> None:
    mp.page.evaluate(f"history.replaceState(null, '', '?sel=facility:{facility_id}')")
    mp.page.reload()
    mp.page.wait_for_function("document.body.dataset.mapReady", timeout=45_000)
    ready = mp.page.evaluate("document.body.dataset.mapReady")
    assert ready == "1", (ready, mp.console_errors)
    mp.sheet(f"record:{facility_id}")


def test_a_camera_plays_its_stream_and_its_event_goes_into_an_incident(
    map_page: MapPage, seeded: Seeded, leader: str, cameras_server: CameraServer
) -> None:
    port = cameras_server.server_address[1]
    url = f"http://127.0.0.1:{port}/cameras/E2E-CAM-3/index.m3u8"
    camera = _camera(
        seeded, "E2E-CAM-3", kind="traffic", road="Quốc lộ 1A", stream="hls", stream_url=url
    )
    flood, wrong_way = _events(camera, ["flooding", "wrong_way"])
    _allow(map_page, port)
    map_page.open()
    page = map_page.page
    sign_in(map_page, leader)
    _open_record(map_page, seeded.facility_ids["E2E-CAM-3"])

    panel = page.locator(f'[data-testid="cam-panel"][data-camera="{camera.pk}"]')
    panel.wait_for()
    assert panel.locator('[data-testid="cam-status"]').get_attribute("data-status") == "online"
    picture = panel.locator('[data-testid="cam-picture"][data-hls="attached"]')
    picture.wait_for()
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=cam-picture]').dataset.fragments) >= 1",
        timeout=20_000,
    )
    assert any(path.endswith(".ts") for path in cameras_server.served)
    # The video plays: its clock moves on (SwiftShader is enough to decode 640×360 H.264).
    page.wait_for_function(
        "document.querySelector('[data-testid=cam-video]').currentTime > 1.0", timeout=20_000
    )

    # The latest events, newest first, with their thumbnails loaded.
    items = panel.locator('[data-testid="cam-event"]')
    items.nth(1).wait_for()
    assert [items.nth(i).get_attribute("data-id") for i in range(2)] == [
        str(flood.pk),
        str(wrong_way.pk),
    ]
    page.wait_for_function(
        "[...document.querySelectorAll('[data-testid=cam-event] img')]"
        ".filter((img) => img.complete && img.naturalWidth === 320).length === 2"
    )
    map_page.screenshot("cameras-panel")

    # An event: its snapshot with the box, then into a new incident.
    items.nth(0).click()
    map_page.sheet(f"record:{flood.pk}")
    shot = page.locator('[data-testid="cam-event-panel"] [data-testid="cam-shot"]')
    page.wait_for_function(
        "document.querySelector('[data-testid=cam-shot] img')?.naturalWidth === 640"
    )
    box = shot.locator('[data-testid="cam-bbox"]')
    assert box.get_attribute("style").startswith("left: 0%") and "width: 100%" in box.get_attribute(
        "style"
    )
    map_page.screenshot("cameras-event")
    page.locator('[data-testid="cam-incident"]').click()
    result = page.locator('[data-testid="cam-result"]')
    page.wait_for_function("document.querySelector('[data-testid=cam-result]').dataset.state")
    assert result.get_attribute("data-state") == "ok", result.inner_text()
    flood.refresh_from_db()
    assert flood.status == "incident"
    assert result.inner_text().startswith("Đã đưa vào sự việc #")

    # The other one opens a citizen-feedback ticket.
    _open_record(map_page, seeded.facility_ids["E2E-CAM-3"])
    panel.locator(f'[data-testid="cam-event"][data-id="{wrong_way.pk}"]').click()
    map_page.sheet(f"record:{wrong_way.pk}")
    page.locator('[data-testid="cam-report"]').click()
    page.wait_for_function("document.querySelector('[data-testid=cam-result]').dataset.state")
    assert result.get_attribute("data-state") == "ok", result.inner_text()
    wrong_way.refresh_from_db()
    assert wrong_way.status == "reported" and wrong_way.report is not None
    assert wrong_way.report.ticket in result.inner_text()
    assert map_page.console_errors == []


def test_a_camera_without_stream_shows_its_snapshot_and_mjpeg_moves(
    map_page: MapPage, seeded: Seeded, leader: str, cameras_server: CameraServer
) -> None:
    pictures = pictures_write()
    still = _camera(seeded, "E2E-AGY-7", kind="flood_gauge")  # a facility standing in for one
    Facility.objects.filter(pk=still.facility_id).update(kind="camera")
    still.snapshot_file = pictures["flooding"][1].snapshot
    still.snapshot_at = timezone.now() - dt.timedelta(minutes=3)
    still.save()
    port = cameras_server.server_address[1]
    mjpeg = _camera(
        seeded, "E2E-CAM-3", stream="mjpeg",
        stream_url=f"http://127.0.0.1:{port}/cameras/E2E-CAM-3/mjpeg",
    )  # fmt: skip
    _allow(map_page, port)
    map_page.open()
    page = map_page.page
    # The public sees where a camera is and whether it works, not what it sees.
    _open_record(map_page, seeded.facility_ids["E2E-AGY-7"])
    page.locator('[data-testid="cam-picture"][data-kind="none"]').wait_for()
    assert page.locator('[data-testid="cam-status"]').get_attribute("data-status") == "online"
    assert page.locator('[data-testid="cam-events"]').count() == 0
    sign_in(map_page, leader)

    _open_record(map_page, seeded.facility_ids["E2E-AGY-7"])
    snapshot = page.locator('[data-testid="cam-snapshot"]')
    snapshot.wait_for()
    page.wait_for_function(
        "document.querySelector('[data-testid=cam-snapshot]').naturalWidth === 640"
    )
    assert "Ảnh chụp lúc" in page.locator('[data-testid="cam-picture"]').inner_text()

    _open_record(map_page, seeded.facility_ids["E2E-CAM-3"])
    page.locator('[data-testid="cam-mjpeg"]').wait_for()
    page.wait_for_function("document.querySelector('[data-testid=cam-mjpeg]').naturalWidth === 640")
    assert cameras_server.watching == 1
    # Leaving the camera (no reload: back to the district) closes its stream.
    page.locator("#sheet .crumbs button, #sheet .crumbs a").first.click()
    map_page.sheet("district")
    for _ in range(50):
        if cameras_server.watching == 0:
            break
        page.wait_for_timeout(100)
    assert cameras_server.watching == 0

    # On the cameras layer (facilities hidden), a click on the camera opens its panel too.
    page.locator("#toggle-facilities").uncheck()
    page.locator("#toggle-cameras-status").check()
    map_page.settled()
    click_at(map_page, 108.225, 15.815)
    map_page.sheet(f"record:{mjpeg.pk}")
    page.locator(
        f'[data-testid="cam-panel"][data-camera="{mjpeg.pk}"] [data-testid="cam-mjpeg"]'
    ).wait_for()
    assert map_page.console_errors == []


@pytest.fixture
def live_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transactional_db: None
) -> Iterator[int]:
    """`gisioc live serve` with its jobs on the test database; the app sends pages to it."""
    from tests.live.serving import live_serving

    with live_serving(tmp_path, jobs=True) as live:
        config = settings.CONFIG.model_copy(
            update={"live": True, "live_port": live.port, "live_url": ""}
        )
        monkeypatch.setattr(settings, "CONFIG", config)
        yield live.port


def test_a_camera_whose_heartbeats_stop_turns_offline_in_the_open_panel(
    map_page: MapPage, seeded: Seeded, leader: str, live_stream: int, live_server: Any, media: Path
) -> None:
    camera = _camera(seeded, "E2E-CAM-3", silence_s=12)
    _, key = source_key_create(system="cameras", source="e2e-cams")
    url = f"{live_server.url}/api/ingest/cameras/batches/"
    beat = [{"type": "heartbeat", "camera": "E2E-CAM-3"}]
    push(url, key, beat, batch=uuid.uuid4().hex)
    _allow(map_page, live_stream)
    map_page.open()
    sign_in(map_page, leader)
    page = map_page.page
    page.wait_for_function("document.body.dataset.live === 'open'", timeout=15_000)
    _open_record(map_page, seeded.facility_ids["E2E-CAM-3"])
    page.wait_for_function("document.body.dataset.live === 'open'", timeout=15_000)
    status = page.locator(
        f'[data-testid="cam-panel"][data-camera="{camera.pk}"] [data-testid="cam-status"]'
    )
    status.wait_for()
    push(url, key, beat, batch=uuid.uuid4().hex)  # alive while the page opened
    assert status.get_attribute("data-status") == "online"
    # An event pushed now joins the open panel's list, thumbnail and all, within 2 s.
    image, box = event_image("crowd", 1)
    event = {
        "type": "event", "id": "e2e-live-1", "camera": "E2E-CAM-3", "kind": "crowd",
        "confidence": 0.83, "time": timezone.now().isoformat(), "bbox": list(box),
        "snapshot": base64.b64encode(jpeg(image)).decode(),
    }  # fmt: skip
    push(url, key, [event], batch=uuid.uuid4().hex)
    stored = CameraEvent.objects.get(external_id="e2e-live-1")
    page.locator(f'[data-testid="cam-event"][data-id="{stored.pk}"] img').wait_for(timeout=2_000)
    # Silence: after 12 s the live server's job turns it offline and the panel hears of it.
    page.wait_for_function(
        f"document.querySelector('[data-camera=\"{camera.pk}\"] [data-testid=cam-status]')"
        ".dataset.status === 'offline'",
        timeout=40_000,
    )
    camera.refresh_from_db()
    assert camera.status == "offline" and camera.outages.filter(ended_at=None).count() == 1
    ongoing = page.locator('[data-testid="cam-outages"] li.cam-open')
    ongoing.wait_for(timeout=5_000)  # the outages list is read again on the change
    assert "đang mất kết nối" in ongoing.inner_text()
    # A heartbeat brings it back, live too.
    push(url, key, beat, batch=uuid.uuid4().hex)
    page.wait_for_function(
        f"document.querySelector('[data-camera=\"{camera.pk}\"] [data-testid=cam-status]')"
        ".dataset.status === 'online'",
        timeout=15_000,
    )
    assert map_page.console_errors == []
