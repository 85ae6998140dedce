"""The camera demo: deterministic, at the rates it claims (rush hours, evenings, nights, the
flood season), loaded in bulk once; its pictures and ffmpeg streams are real files (JPEGs
without metadata, an HLS playlist with its segments); the fake cameras serve them."""

import datetime as dt
import io
import json
import subprocess
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from PIL import Image

from gisioc.cameras import demo
from gisioc.cameras import demo_catalog as c
from gisioc.cameras.demo_events import Drawn, demo_history, events_after_snapshot, in_flood
from gisioc.cameras.demo_images import event_image, jpeg, pictures_write
from gisioc.cameras.fake import cameras_serving, event_draw, flaky_silent, heartbeats
from gisioc.cameras.models import Camera, CameraEvent, Outage
from gisioc.cameras.streams import PLAYLIST, SNAPSHOT, stream_make
from gisioc.geo.models import Facility
from gisioc.ingest.models import IngestRun
from gisioc.periods import VIETNAM


@pytest.fixture(scope="module")
def history() -> tuple[list[Drawn], list[Any]]:
    """The whole demo's events and outages (generated only: under a second)."""
    return demo_history()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Pictures stored under the test's folder; streams under its var/."""
    settings.GISIOC_MEDIA_DIR = tmp_path / "media"
    settings.CONFIG = django_settings.CONFIG.model_copy(update={"var_dir": tmp_path / "var"})
    return tmp_path


def _local(e: Drawn) -> dt.datetime:
    return e.occurred_at.astimezone(VIETNAM)


def test_the_history_is_the_same_twice(history):
    events, stretches = history
    assert (events, stretches) == demo_history()
    assert 20_000 <= len(events) <= 40_000
    assert len({e.external_id for e in events}) == len(events)
    assert {e.camera for e in events} == {s.code for s in c.CAMERAS}
    assert all(e.occurred_at <= c.SNAPSHOT and e.ended_at >= e.occurred_at for e in events)


def test_rush_hours_hold_more_traffic_than_the_small_hours(history):
    events, _ = history
    traffic = [_local(e) for e in events if e.kind in ("traffic_violation", "wrong_way")]
    minute = Counter(t.hour * 60 + t.minute for t in traffic)

    def per_hour(first: int, last: int) -> float:
        return sum(minute[m] for m in range(first, last)) / ((last - first) / 60)

    rush = (per_hour(6 * 60 + 30, 8 * 60 + 30) + per_hour(16 * 60 + 30, 18 * 60 + 30)) / 2
    assert rush > 15 * per_hour(2 * 60, 4 * 60)
    assert rush > 2 * per_hour(10 * 60, 15 * 60)  # and well above the middle of the day


def test_flooding_clusters_in_october_and_november(history):
    events, _ = history
    floods = [e for e in events if e.kind == "flooding"]
    assert len(floods) > 500
    autumn = [e for e in floods if _local(e).month in (10, 11)]
    assert len(autumn) / len(floods) > 0.9
    assert sum(in_flood(_local(e).date()) for e in floods) / len(floods) > 0.8
    low = {s.code for s in c.CAMERAS if s.low_road or s.kind == c.FLOOD_GAUGE}
    assert {e.camera for e in floods} <= low


def test_crowds_dumping_and_encroachment_keep_their_hours(history):
    events, _ = history
    crowd = [_local(e) for e in events if e.kind == "crowd"]
    evening = sum(18 <= t.hour < 22 for t in crowd)
    assert evening > 2 * sum(6 <= t.hour < 10 for t in crowd)
    weekend_days = Counter(t.date() for t in crowd if t.weekday() >= 5)
    week_days = Counter(t.date() for t in crowd if t.weekday() < 5)
    per_weekend_day = sum(weekend_days.values()) / max(1, len(weekend_days))
    assert per_weekend_day > 1.3 * sum(week_days.values()) / max(1, len(week_days))
    dumping = [_local(e) for e in events if e.kind == "illegal_dumping"]
    assert sum(t.hour >= 20 or t.hour < 5 for t in dumping) / len(dumping) > 0.8
    stalls = [e for e in events if e.kind == "encroachment"]
    market = next(s.code for s in c.CAMERAS if s.market)
    assert Counter(e.camera for e in stalls).most_common(1)[0][0] == market
    assert (
        sum(5 <= _local(e).hour < 19 for e in stalls) / len(stalls) > 0.9
    )  # from the early market
    fires = [e for e in events if e.kind == "fire_smoke"]
    assert 10 <= len(fires) < len(events) / 200  # rare


def test_no_event_while_a_camera_was_offline(history):
    events, stretches = history
    assert len(stretches) >= 20
    assert [s.camera for s in stretches if s.ended_at is None] == [c.BROKEN]
    flaky = [s for s in stretches if s.camera == c.FLAKY]
    assert len(flaky) >= 5
    for s in stretches:
        end = s.ended_at or c.SNAPSHOT
        inside = [e for e in events if e.camera == s.camera and s.started_at <= e.occurred_at < end]
        assert not inside, s


def test_pictures_are_jpegs_without_metadata(media):
    pictures = pictures_write()
    assert set(pictures) == set(CameraEvent.Kind.values)
    for found in pictures.values():
        for picture in found:
            for name in (picture.snapshot, picture.thumb):
                data = (media / "media" / name).read_bytes()
                image = Image.open(io.BytesIO(data))
                assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
            x, y, w, h = picture.bbox
            assert 0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 - x + 1e-4 and 0 < h <= 1 - y + 1e-4
    image, box = event_image("flooding", 0)
    assert jpeg(image) == jpeg(event_image("flooding", 0)[0]) and box[2] == 1.0


def test_a_stream_is_a_playable_hls_loop_and_a_clean_snapshot(media):
    folder = stream_make("CAM-DX-008", 8, mjpeg=True)
    playlist = (folder / PLAYLIST).read_text()
    segments = [line for line in playlist.splitlines() if line.endswith(".ts")]
    assert "#EXT-X-ENDLIST" in playlist and len(segments) >= 2
    assert all((folder / s).stat().st_size > 10_000 for s in segments)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_name,width",
         "-of", "json", str(folder / PLAYLIST)],
        capture_output=True, check=True, text=True,
    )  # fmt: skip
    info = json.loads(probe.stdout)
    assert info["streams"][0]["codec_name"] == "h264" and info["streams"][0]["width"] == 640
    assert 3.5 <= float(info["format"]["duration"]) <= 4.5
    snapshot = Image.open(folder / SNAPSHOT)
    assert snapshot.format == "JPEG" and snapshot.size == (640, 360) and not snapshot.getexif()
    assert len(list(folder.glob("frame*.jpg"))) >= 15
    again = stream_make("CAM-DX-008", 8, mjpeg=True)  # made once: kept as it is
    assert (again / PLAYLIST).stat().st_mtime == (folder / PLAYLIST).stat().st_mtime


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read(4096)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), b""


def test_the_fake_cameras_serve_hls_snapshots_and_mjpeg(media):
    stream_make("CAM-DX-008", 8, mjpeg=True)
    with cameras_serving() as server:
        base = f"http://127.0.0.1:{server.server_address[1]}/cameras"
        status, headers, body = _get(f"{base}/CAM-DX-008/{PLAYLIST}")
        assert status == 200 and body.startswith(b"#EXTM3U")
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert headers["Content-Type"] == "application/vnd.apple.mpegurl"
        status, headers, body = _get(f"{base}/CAM-DX-008/seg0.ts")
        assert status == 200 and body[0] == 0x47  # an MPEG-TS sync byte
        status, headers, body = _get(f"{base}/CAM-DX-008/{SNAPSHOT}")
        assert status == 200 and body[:2] == b"\xff\xd8"
        with urllib.request.urlopen(f"{base}/CAM-DX-008/mjpeg", timeout=5) as answer:
            assert answer.headers["Content-Type"].startswith("multipart/x-mixed-replace")
            first = answer.read(3000)
            assert first.startswith(b"--frame\r\nContent-Type: image/jpeg") and b"\xff\xd8" in first
        for wrong in ("CAM-DX-008/../../secret", "CAM-DX-099/index.m3u8", "CAM-DX-008/x.ts"):
            assert _get(f"{base}/{wrong}")[0] == 404
        assert _get(f"{base}/CAM-DX-001/mjpeg")[0] == 404  # made without frames


def test_the_sender_keeps_the_flaky_and_broken_cameras_quiet():
    quiet = dt.datetime(2026, 12, 5, 8, 14, 0, tzinfo=VIETNAM)  # 11–15 of each quarter hour
    loud = dt.datetime(2026, 12, 5, 8, 5, 0, tzinfo=VIETNAM)
    assert flaky_silent(quiet) and not flaky_silent(loud)
    sent = {r["camera"] for r in heartbeats(loud)}
    assert c.FLAKY in sent and c.BROKEN not in sent and len(sent) == 19
    assert c.FLAKY not in {r["camera"] for r in heartbeats(quiet)}
    minutes = [loud + dt.timedelta(minutes=m) for m in range(60)]
    assert sum(flaky_silent(m) for m in minutes) == 16  # 4 of every 15 minutes
    import random

    rng = random.Random(1)
    rush = dt.datetime(2026, 12, 7, 7, 30, tzinfo=VIETNAM)
    kinds = Counter(event_draw(rng, rush, snapshot=False)["kind"] for _ in range(300))
    assert kinds.most_common(1)[0][0] == "traffic_violation"
    record = event_draw(rng, rush)
    assert record["snapshot"] and 0 < record["confidence"] < 1 and len(record["bbox"]) == 4


@pytest.mark.usefixtures("geo")
def test_the_demo_loads_once_in_bulk(media):
    demo.load(progress=lambda _: None, streams=False, now=c.SNAPSHOT)
    events, stretches = demo_history()
    assert CameraEvent.objects.filter(source=demo.SOURCE).count() == len(events)
    assert Outage.objects.count() == len(stretches)
    cameras = Camera.objects.select_related("facility", "agency")
    assert cameras.count() == 20
    broken = cameras.get(facility__code=c.BROKEN)
    assert broken.status == Camera.Status.OFFLINE and broken.outages.filter(ended_at=None).exists()
    assert cameras.filter(status=Camera.Status.ONLINE).count() == 19
    assert all(cam.agency is not None for cam in cameras)
    hls = cameras.get(facility__code="CAM-DX-001")
    assert hls.stream == "hls" and hls.stream_url.endswith("/cameras/CAM-DX-001/index.m3u8")
    mjpeg = cameras.get(facility__code="CAM-DX-008")
    assert mjpeg.stream == "mjpeg" and mjpeg.stream_url.endswith("/CAM-DX-008/mjpeg")
    still = cameras.get(facility__code="CAM-DX-016")
    assert still.stream == "" and still.snapshot_file and still.snapshot_at == c.SNAPSHOT
    assert (media / "media" / still.snapshot_file).is_file()
    assert cameras.exclude(nvr_name="").count() == 3
    one = CameraEvent.objects.filter(source=demo.SOURCE).order_by("occurred_at").first()
    assert one.unit_id == Facility.objects.get(pk=one.camera.facility_id).unit_id
    assert (media / "media" / one.thumb_file).is_file()
    first = list(CameraEvent.objects.order_by("external_id").values_list("external_id", "kind"))
    demo.load(progress=lambda _: None, streams=False, now=c.SNAPSHOT)  # again: nothing new
    assert (
        list(CameraEvent.objects.order_by("external_id").values_list("external_id", "kind"))
        == first
    )
    assert IngestRun.objects.filter(source=demo.SOURCE, status="done").count() == 1


@pytest.mark.usefixtures("geo")
def test_a_later_load_catches_up_from_the_snapshot_once_a_day(media):
    cameras = demo.cameras_load(now=c.SNAPSHOT)
    later = c.SNAPSHOT + dt.timedelta(days=4)
    added = demo.catch_up(cameras, now=later)
    since = CameraEvent.objects.filter(occurred_at__gt=c.SNAPSHOT)
    midnight = dt.datetime(2026, 11, 4, tzinfo=VIETNAM)
    assert 150 < added == since.count() and since.filter(occurred_at__gte=midnight).count() == 0
    assert not since.filter(camera__facility__code=c.BROKEN).exists()  # still broken
    assert demo.catch_up(cameras, now=later + dt.timedelta(hours=5)) == 0  # that day: done
    more = demo.catch_up(cameras, now=later + dt.timedelta(days=2))
    ids = set(since.values_list("external_id", flat=True))
    assert more > 50 and len(ids) == added + more
    until = dt.datetime(2026, 11, 6, tzinfo=VIETNAM)
    assert ids == {e.external_id for e in events_after_snapshot(until)}  # the same whenever


def test_the_sender_pushes_events_and_heartbeats_through_the_api(
    live_server: Any, transactional_db: None, media: Path
):
    from gisioc.cameras.fake import Sender, push_key
    from gisioc.geo.demo import boundaries_demo_load
    from gisioc.geo.demo_facilities import facilities_demo_load

    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()
    long_ago = dt.datetime(2026, 1, 1, tzinfo=VIETNAM)
    demo.cameras_load(now=long_ago)
    key = push_key()
    assert push_key() == key  # kept under var/ while it is active
    sender = Sender(url=f"{live_server.url}/api/ingest/cameras/batches/", key=key, seed="t")
    now = dt.datetime.now(VIETNAM).replace(minute=5)
    sender._send(heartbeats(now))
    sender._send([event_draw(sender.rng, now)])
    assert sender.sent == {"event": 1, "heartbeat": 19, "failed": 0}
    seen = Camera.objects.exclude(facility__code=c.BROKEN)
    assert all(cam.last_seen_at > long_ago for cam in seen)
    event = CameraEvent.objects.get(external_id__startswith="fake-")
    assert event.snapshot_file and (media / "media" / event.thumb_file).is_file()
    assert event.source == demo.SOURCE
