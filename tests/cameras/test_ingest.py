"""AI events and heartbeats pushed to /api/ingest/cameras/batches/: keys, images, replays,
unknown cameras and clocks, each bad row refused alone and named."""

import base64
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from gisioc.cameras.ingest import kind_of
from gisioc.cameras.models import Camera, CameraEvent
from gisioc.cameras.snapshots import snapshot_path
from gisioc.ingest.keys import source_key_create, source_key_revoke
from gisioc.ingest.models import RawRecord
from gisioc.live.models import LiveEvent
from tests.cameras.helpers import event, image_b64, push

pytestmark = pytest.mark.usefixtures("cameras", "media")


def _errors(body: dict[str, Any]) -> dict[tuple[int, str], str]:
    return {(e["row"], e["field"]): e["en"] for e in body["errors"]}


def test_an_event_is_stored_at_its_camera_and_published_to_staff(key: str, media: Path) -> None:
    answer = push(key, "b1", [event(1, snapshot=image_b64(exif=True))])
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["created"], body["rejected"], body["not_located"]) == (1, 0, 0), body
    stored = CameraEvent.objects.get(source="nvr-test", external_id="ev-1")
    camera = Camera.objects.get(facility__code="CAM-DX-001")
    assert (stored.kind, stored.confidence, stored.bbox, stored.label) == (
        "flooding",
        0.8,
        [0.1, 0.2, 0.3, 0.4],
        "water",
    )
    assert stored.camera == camera and stored.geom == camera.facility.geom
    assert stored.unit is not None and stored.unit.version.slug == "danang-2025"
    # The snapshot is a fresh JPEG without EXIF/GPS, with a thumb, under the media folder.
    path = snapshot_path(stored.snapshot_file)
    assert path.is_relative_to(media / "cameras") and path.read_bytes()[:2] == b"\xff\xd8"
    with Image.open(path) as img:
        assert not img.getexif() and img.size == (64, 48)
    assert snapshot_path(stored.thumb_file).is_file()
    # Never the image in the raw audit row.
    raw = RawRecord.objects.get(run_id=body["run"], row=1).raw
    assert "snapshot" not in raw and raw["camera"] == "CAM-DX-001"
    live = LiveEvent.objects.get(kind="camera.event")
    assert live.data["id"] == stored.pk and live.data["kind"] == "flooding"
    assert live.data["label"] == {"vi": "Ngập nước", "en": "Flooding"}
    assert live.data["thumb"].endswith(stored.thumb_file.split("/")[-1])
    assert live.unit_id == stored.unit_id and live.roles and "commune_officer" in live.roles
    camera.refresh_from_db()
    assert camera.last_seen_at == stored.occurred_at


def test_aliases_vietnamese_words_frigate_labels_and_unix_times(key: str) -> None:
    records = [
        event(1, kind="Ngập nước"),
        event(2, kind="", label="smoke", time=1763602200.5),
        event(3, camera="cong_chinh", kind="đi ngược chiều", confidence="0,75"),
    ]
    assert push(key, "b1", records).json()["created"] == 3
    # Vietnamese keys (a batch's keys are read once: the first naming a field claims it).
    vietnamese = {
        "Loai ban ghi": "su kien",
        "MaSuKien": "ev-4",
        "MaCamera": "cam-dx-006",
        "LoaiSuKien": "lấn chiếm vỉa hè",
        "DoTinCay": 0.5,
        "ThoiGian": "20/11/2026 09:00",
    }
    body = push(key, "b2", [vietnamese]).json()
    assert body["created"] == 1, body["errors"]
    kinds = dict(CameraEvent.objects.values_list("external_id", "kind"))
    assert kinds == {
        "ev-1": "flooding",
        "ev-2": "fire_smoke",
        "ev-3": "wrong_way",
        "ev-4": "encroachment",
    }
    assert CameraEvent.objects.get(external_id="ev-3").camera.nvr_name == "cong_chinh"
    assert kind_of("fire") == kind_of("khói") == "fire_smoke"
    assert kind_of("garbage") == "illegal_dumping" and kind_of("car") is None


def test_bad_keys_are_refused(key: str) -> None:
    assert push("nonsense", "b1", [event(1)]).status_code == 401
    other = source_key_create(system="feedback", source="zalo-oa")[1]
    assert push(other, "b1", [event(1)]).status_code == 403
    assert push(key.replace(".", ".x", 1), "b1", [event(1)]).status_code == 401
    source_key_revoke(prefix=key.split(".")[0])
    assert push(key, "b1", [event(1)]).status_code == 401
    assert not CameraEvent.objects.exists()


def _bomb() -> str:
    """A PNG whose header claims 30000×30000 pixels over a few kilobytes of zeros."""
    w = h = 30_000

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = w.to_bytes(4, "big") + h.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    rows = zlib.compress(b"\x00" * (w + 1) * 64)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


def test_bad_images_are_row_errors_naming_row_and_field_and_lose_nothing(key: str) -> None:
    html = base64.b64encode(b"<!DOCTYPE html><html><script>alert(1)</script></html>").decode()
    oversized = base64.b64encode(b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024)).decode()
    records = [
        event(1, snapshot=base64.b64encode(b"just some text, not an image").decode()),
        event(2, snapshot=html, name="photo.jpg"),
        event(3, snapshot=_bomb()),
        event(4, snapshot=oversized),
        event(5, snapshot="%%% not base64 %%%"),
        event(6, snapshot=image_b64("PNG")),
        event(7, snapshot=image_b64("WEBP")),
        event(8),
    ]
    body = push(key, "b1", records).json()
    assert (body["created"], body["rejected"]) == (3, 5), body
    errors = _errors(body)
    assert set(errors) == {(n, "snapshot") for n in (1, 2, 3, 4, 5)}, errors
    assert "HTML" in errors[(2, "snapshot")]
    assert "decompression bomb" in errors[(3, "snapshot")]
    assert "MB limit" in errors[(4, "snapshot")]
    assert "base64" in errors[(5, "snapshot")]
    assert all(e["vi"].startswith("ảnh chụp") for e in body["errors"])
    stored = CameraEvent.objects.order_by("external_id")
    assert [e.external_id for e in stored] == ["ev-6", "ev-7", "ev-8"]
    assert all(e.snapshot_file for e in stored[:2]) and not stored[2].snapshot_file


def test_replays_are_idempotent(key: str) -> None:
    first = push(key, "b1", [event(1), event(2)]).json()
    again = push(key, "b1", [event(1), event(2)])
    assert again.status_code == 200 and again.json()["run"] == first["run"]
    # The same event id in a new batch is the same event; an end time it brings is added.
    later = push(key, "b2", [event(1), event(2, end_time="2026-11-20T08:45:00+07:00")]).json()
    assert (later["created"], later["unchanged"], later["updated"]) == (0, 1, 1), later
    assert CameraEvent.objects.count() == 2
    ended = CameraEvent.objects.get(external_id="ev-2").ended_at
    assert ended is not None and ended.isoformat() == "2026-11-20T01:45:00+00:00"
    assert LiveEvent.objects.filter(kind="camera.event").count() == 2
    # A later message with a higher score raises it (Frigate's top score grows); lower: kept.
    push(key, "b3", [event(1, confidence=0.95), event(2, confidence=0.1)])
    scores = dict(CameraEvent.objects.values_list("external_id", "confidence"))
    assert scores == {"ev-1": 0.95, "ev-2": 0.8}


def test_unknown_cameras_future_times_and_bad_values_are_row_errors(key: str) -> None:
    records = [
        event(1, camera="CAM-NOPE"),
        event(2, time="2099-01-01T00:00:00Z"),
        event(3, confidence=1.7),
        event(4, kind="dancing"),
        event(5, bbox=[0.5, 0.5, 0.8, 0.1]),
        event(6, id=""),
        event(7, end_time="2026-11-20T08:00:00+07:00"),
        {"type": "heartbeat", "camera": "CAM-NOPE"},
        event(9),
    ]
    body = push(key, "b1", records).json()
    assert (body["created"], body["rejected"]) == (1, 8), body
    assert set(_errors(body)) == {
        (1, "camera"),
        (2, "occurred_at"),
        (3, "confidence"),
        (4, "kind"),
        (5, "bbox"),
        (6, "external_id"),
        (7, "ended_at"),
        (8, "camera"),
    }
    assert "future" in _errors(body)[(2, "occurred_at")]


def test_the_newest_snapshot_is_the_cameras_and_orphans_are_swept(key: str, media: Path) -> None:
    import datetime as dt
    import os

    from gisioc.cameras.snapshots import snapshot_write, snapshots_orphans_delete

    records = [
        event(1, time="2026-11-20T08:30:00+07:00", snapshot=image_b64()),
        event(2, time="2026-11-20T09:30:00+07:00", snapshot=image_b64("PNG")),
        event(3, time="2026-11-20T07:30:00+07:00", snapshot=image_b64()),
    ]
    assert push(key, "b1", records).json()["created"] == 3
    camera = Camera.objects.get(facility__code="CAM-DX-001")
    newest = CameraEvent.objects.get(external_id="ev-2")
    assert (camera.snapshot_file, camera.snapshot_at) == (newest.snapshot_file, newest.occurred_at)
    orphan = snapshot_path(snapshot_write(b"\xff\xd8 left by a rolled-back chunk"))
    old = orphan.stat().st_mtime - 7200
    os.utime(orphan, (old, old))
    for stored in CameraEvent.objects.all():  # named by rows: kept however old
        for rel in (stored.snapshot_file, stored.thumb_file):
            os.utime(snapshot_path(rel), (old, old))
    assert snapshots_orphans_delete(older_than=dt.timedelta(hours=1)) == 1
    assert not orphan.exists() and snapshot_path(newest.snapshot_file).exists()
    assert len(list((media / "cameras").glob("*.jpg"))) == 6
