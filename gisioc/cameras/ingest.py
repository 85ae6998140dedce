"""The cameras adapter: AI events and heartbeats pushed to `/api/ingest/cameras/batches/`
(per-source keys, one idempotency key per batch), and whatever else feeds `ingest_rows`
(the Frigate connector, the demo's fake source).

A record is a JSON object; keys are matched as file headers are (case, diacritics, camelCase
and `_` do not matter; Vietnamese names work too). Two types:

    {"type": "event",                  # default when absent ("su kien" too)
     "id": "1733390000.12-abc",        # the sender's event id: a replay is the same event
     "camera": "CAM-001",              # its facility code, or its NVR name (Camera.nvr_name)
     "kind": "flooding",               # traffic_violation, wrong_way, crowd, flooding, fire_smoke,
                                       # illegal_dumping, encroachment, or words for them:
                                       # "ngập nước", "cháy", "fire", "smoke", "garbage", …
     "confidence": 0.87,               # 0–1
     "time": "2026-12-05T08:30:00+07:00",  # ISO 8601 (naive = Vietnam time) or Unix seconds
     "end_time": null,                 # optional, same forms; a later push may add it
     "bbox": [0.1, 0.2, 0.3, 0.25],    # optional: x, y, width, height as shares of the frame
     "label": "car",                   # optional: the detector's own label
     "snapshot": "<base64 JPEG/PNG/WebP>"}  # optional; a data: URL prefix is allowed

    {"type": "heartbeat", "camera": "CAM-001", "time": "2026-12-05T08:30:00Z"}  # time: default now

Without `kind`, an event's kind comes from its label when that names one ("fire", "smoke").
Each row stands alone: a bad image, an unknown camera, a time more than `SKEW` in the future
or a confidence out of range is that row's error (its number and field named), the others
are stored. An event id seen before (from the same source) is not stored again: a later push
may add its end time, bbox, label or snapshot and raise its confidence (Frigate's top score
grows), nothing else changes. New events are published on the live bus (`camera.event`,
staff only); events and heartbeats both count as the camera being seen (an offline camera
comes back online). Snapshots never reach the raw audit rows.
"""

import datetime as dt
import json
from typing import Any

from django.utils import timezone

from gisioc.cameras import services
from gisioc.cameras.models import Camera, CameraEvent, CameraSeen
from gisioc.cameras.snapshots import Snapshot, snapshot_check, snapshot_write
from gisioc.errors import GisiocError
from gisioc.geo.models import Located
from gisioc.geo.text import fold
from gisioc.ingest import values as v
from gisioc.ingest.fields import EARLIEST, error, field, words
from gisioc.ingest.locate import Locator
from gisioc.ingest.systems import FieldError, System, register_system
from gisioc.ingest.upsert import Outcome
from gisioc.periods import vietnam_date

SKEW = dt.timedelta(minutes=5)  # clocks of cameras and NVRs drift; more is a wrong clock
EVENT, HEARTBEAT = "event", "heartbeat"
TYPES = words(
    event=("su kien", "phat hien", "detection", "alert", "new", "update", "end"),
    heartbeat=("nhip tim", "tin hieu song", "ping", "alive", "keepalive", "keep alive", "status"),
)
KINDS = words(
    traffic_violation=(
        "vi pham giao thong", "vi pham", "vuot den do", "vuot den", "qua toc do",
        "khong doi mu bao hiem", "do xe sai quy dinh", "do sai quy dinh", "traffic violation",
        "violation", "red light", "red light violation", "speeding", "no helmet",
        "illegal parking",
    ),
    wrong_way=(
        "di nguoc chieu", "nguoc chieu", "chay nguoc chieu", "wrong way", "wrongway",
        "wrong direction", "wrong way driving",
    ),
    crowd=(
        "tu tap dong nguoi", "tu tap", "dong nguoi", "tap trung dong nguoi", "un tac",
        "crowd", "crowding", "gathering", "loitering",
    ),
    flooding=(
        "ngap", "ngap nuoc", "ngap ung", "ngap lut", "lu", "nuoc dang", "flood", "flooding",
        "water", "water level", "high water",
    ),
    fire_smoke=(
        "chay", "khoi", "chay no", "hoa hoan", "chay khoi", "fire", "smoke", "flame", "flames",
        "fire smoke", "fire or smoke", "fire and smoke",
    ),
    illegal_dumping=(
        "do rac", "do rac trai phep", "xa rac", "vut rac", "rac", "rac thai", "dumping",
        "illegal dumping", "garbage", "trash", "litter", "waste",
    ),
    encroachment=(
        "lan chiem", "lan chiem via he", "lan chiem long duong", "lan chiem long le duong",
        "via he", "ban hang rong", "encroachment", "pavement encroachment",
        "sidewalk encroachment", "sidewalk", "street vendor",
    ),
)  # fmt: skip

FIELDS = (
    field("type", "choice", "Loại bản ghi", "Record type", "record type", "loai ban ghi",
          "kieu ban ghi", "message type", choices=TYPES),
    field("external_id", "text", "Mã sự kiện", "Event id", "id", "event id", "ma su kien",
          "ma", max_length=120),
    field("camera", "text", "Camera", "Camera", "camera code", "camera id", "ma camera",
          "ten camera", "camera name", "nvr camera", "cam", "device", "thiet bi", required=True,
          max_length=80),
    field("kind", "text", "Loại sự kiện", "Event kind", "event kind", "event type",
          "loai su kien", "loai", "su kien", "category", max_length=80),
    field("confidence", "text", "Độ tin cậy", "Confidence", "do tin cay", "score",
          "top score", "diem", max_length=40),
    field("occurred_at", "text", "Thời điểm", "Time", "time", "thoi gian", "thoi diem",
          "occurred at", "start time", "timestamp", "at", "luc", max_length=60),
    field("ended_at", "text", "Thời điểm kết thúc", "End time", "end time", "ended at",
          "thoi gian ket thuc", "ket thuc", max_length=60),
    field("bbox", "text", "Khung phát hiện", "Bounding box", "box", "bounding box",
          "khung", "khung hinh", "region", max_length=200),
    field("label", "text", "Nhãn", "Label", "nhan", "detector label", "sub label",
          max_length=60),
    field("snapshot", "text", "Ảnh chụp", "Snapshot", "image", "anh", "anh chup", "hinh anh",
          "snapshot base64", "image base64", "jpeg", "thumbnail"),
)  # fmt: skip

_cameras: dict[str, int | None] = {}  # a run's lookups: text as sent → camera id
_points: dict[int, Any] = {}  # and camera id → its facility's point


def cameras_forget() -> None:
    """Empty the run's camera lookups (called as each run starts)."""
    _cameras.clear()
    _points.clear()


def camera_find(text: str) -> int | None:
    """The camera a row names: its facility code, else its NVR name (case ignored)."""
    key = text.strip().casefold()
    found = _cameras.get(key, -1)  # the lookups are shared by a process's threads: no KeyError
    if found == -1:
        found = (
            Camera.objects.filter(facility__code__iexact=key).values_list("pk", flat=True).first()
        )
        if found is None:
            found = Camera.objects.filter(nvr_name__iexact=key).values_list("pk", flat=True).first()
        _cameras[key] = found
    return found


def kind_of(text: str) -> str | None:
    """The event kind a sender's words name ('Ngập nước', 'smoke' → ...), or None."""
    folded = fold(text)
    return KINDS.get(folded) or KINDS.get(folded.replace(" ", "_"))


def moment(text: str) -> dt.datetime:
    """An aware instant from ISO/Vietnamese text or Unix seconds (as Frigate sends)."""
    try:
        number = float(text)
    except ValueError:
        return v.datetime_value(text)
    if not 946_684_800 <= number <= 4_102_444_800:  # 2000 … 2100
        raise v.BadValue(f"không phải thời điểm: {text}", f"not a moment in time: {text}")
    return dt.datetime.fromtimestamp(number, tz=dt.UTC)


def _time(values: dict[str, Any], name: str, now: dt.datetime) -> list[FieldError]:
    text = values[name]
    if not text:
        values[name] = None
        return []
    try:
        values[name] = at = moment(text)
    except v.BadValue as exc:
        return error(name, exc.vi, exc.en)
    if at > now + SKEW:
        return error(
            name,
            f"thời điểm {text} ở tương lai (đồng hồ camera sai?)",
            f"the time {text} is in the future (is the camera's clock wrong?)",
        )
    if at < EARLIEST:
        return error(name, f"thời điểm {text} quá xa", f"the time {text} is too long ago")
    return []


def _confidence(text: str) -> float | FieldError:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:  # NaN too
        return FieldError(
            "confidence",
            f"độ tin cậy phải là số từ 0 đến 1, không phải «{text[:20]}»",
            f"confidence must be a number from 0 to 1, not '{text[:20]}'",
        )
    return number


def _bbox(text: str) -> list[float] | FieldError:
    try:
        parsed = json.loads(text) if text.lstrip().startswith("[") else text.split(",")
        box = [float(x) for x in parsed]
    except (ValueError, TypeError):
        box = []
    ok = len(box) == 4 and all(0.0 <= x <= 1.0 for x in box)
    if not ok or box[0] + box[2] > 1.001 or box[1] + box[3] > 1.001:
        return FieldError(
            "bbox",
            "khung phát hiện phải là [x, y, rộng, cao], tỷ lệ 0–1 của khung hình",
            "bbox must be [x, y, width, height] as shares (0–1) of the frame",
        )
    return [round(x, 5) for x in box]


def _event_rules(values: dict[str, Any]) -> list[FieldError]:
    problems: list[FieldError] = []
    if not values["external_id"]:
        problems += error("external_id", "thiếu mã sự kiện", "the event id is missing")
    if not values["occurred_at"]:
        problems += error("occurred_at", "thiếu thời điểm", "the time is missing")
    kind = kind_of(values["kind"]) if values["kind"] else kind_of(values["label"])
    if kind is None:
        known = ", ".join(CameraEvent.Kind.values)
        shown = (values["kind"] or values["label"])[:40]
        problems += error(
            "kind",
            f"không rõ loại sự kiện «{shown}»; dùng {known} hoặc từ như «ngập nước», «cháy»",
            f"unknown event kind '{shown}'; use {known} or words such as 'flood', 'smoke'",
        )
    values["kind"] = kind
    confidence = _confidence(values["confidence"]) if values["confidence"] else 1.0
    if isinstance(confidence, FieldError):
        problems.append(confidence)
    values["confidence"] = confidence
    box = _bbox(values["bbox"]) if values["bbox"] else None
    if isinstance(box, FieldError):
        problems.append(box)
    values["bbox"] = box
    if not problems and values["ended_at"] and values["ended_at"] < values["occurred_at"]:
        problems += error("ended_at", "kết thúc trước khi bắt đầu", "ends before it starts")
    if not problems and values["snapshot"]:
        try:
            values["snapshot"] = snapshot_check(values["snapshot"])
        except GisiocError as exc:
            problems += error("snapshot", f"ảnh chụp {exc.vi}", f"snapshot: {exc.en}")
    return problems


def camera_rules(values: dict[str, Any]) -> list[FieldError]:
    """The camera known, times sane (not in the future), an event's kind, confidence, bbox
    and snapshot checked; a heartbeat's time defaults to now and it gets a key."""
    values["type"] = values["type"] or EVENT
    now = timezone.now()
    problems = _time(values, "occurred_at", now) + _time(values, "ended_at", now)
    camera_id = camera_find(values["camera"])
    if camera_id is None:
        problems += error(
            "camera",
            f"không có camera «{values['camera'][:40]}» (mã camera hoặc tên trong NVR)",
            f"no camera '{values['camera'][:40]}' (a camera code or its NVR name)",
        )
    values["camera_id"] = camera_id
    if values["type"] == HEARTBEAT:
        values["occurred_at"] = values["occurred_at"] or now
        values["external_id"] = values["external_id"] or f"heartbeat {values['camera']}"[:120]
        values["snapshot"] = None
        return problems
    if problems:
        return problems
    return _event_rules(values)


def camera_locate(values: dict[str, Any], locator: Locator) -> None:
    """An event is at its camera: its point, in its commune on the event's Vietnam day."""
    if values["type"] == HEARTBEAT:
        return
    on = vietnam_date(values["occurred_at"])
    pk = values["camera_id"]
    geom = _points.get(pk, False)
    if geom is False:
        geom = Camera.objects.filter(pk=pk).values_list("facility__geom", flat=True).first()
        _points[pk] = geom
    found = locator.geocode(on=on, lon=geom.x, lat=geom.y) if geom is not None else None
    located = found is not None and found.located
    values.update(
        geom=geom,
        unit_id=found.unit_id if located else None,
        locate_on=on,
        locate_method=found.method if located else Located.Method.NONE,
        locate_confidence=found.confidence if located else 0.0,
        locate_reason=(found.reason if found else "Camera chưa có vị trí / Camera not placed")[
            :300
        ],
    )


def _event_store(values: dict[str, Any], run: Any) -> tuple[Outcome, CameraEvent | None]:
    """Create the event (its snapshot written, published), or add what a replay brings; the
    outcome, and the event when it got a snapshot."""
    existing = CameraEvent.objects.filter(
        source=run.source, external_id=values["external_id"]
    ).first()
    shot: Snapshot | None = values["snapshot"] or None
    if existing is not None:
        changed: list[str] = []
        for name in ("ended_at", "bbox", "label"):
            if values[name] and getattr(existing, name) != values[name]:
                setattr(existing, name, values[name])
                changed.append(name)
        if values["confidence"] > existing.confidence:  # Frigate's top score grows
            existing.confidence = values["confidence"]
            changed.append("confidence")
        if shot is not None and not existing.snapshot_file:
            existing.snapshot_file = snapshot_write(shot.jpeg)
            existing.thumb_file = snapshot_write(shot.thumb)
            changed += ["snapshot_file", "thumb_file"]
        if changed:
            existing.run = run
            existing.save(update_fields=[*changed, "run"])
        shot_added = "snapshot_file" in changed
        return ("updated" if changed else "unchanged"), existing if shot_added else None
    event = CameraEvent(
        source=run.source,
        external_id=values["external_id"],
        run=run,
        camera_id=values["camera_id"],
        kind=values["kind"],
        confidence=values["confidence"],
        occurred_at=values["occurred_at"],
        ended_at=values["ended_at"],
        bbox=values["bbox"],
        label=values["label"],
        **{k: values[k] for k in ("geom", "unit_id", "locate_on", "locate_method")},
        locate_confidence=values["locate_confidence"],
        locate_reason=values["locate_reason"],
    )
    if shot is not None:
        event.snapshot_file = snapshot_write(shot.jpeg)
        event.thumb_file = snapshot_write(shot.thumb)
    event.save()
    services.event_publish_new(event)
    return "created", event if shot is not None else None


def cameras_upsert(rows: list[dict[str, Any]], run: Any) -> list[Outcome]:
    """Store the rows in order: events created or completed, heartbeats as the camera seen
    ('updated' when newer than the camera's last-seen time, else 'unchanged'). Each camera
    is then marked seen once, at its newest time in the rows, and given its newest snapshot,
    in camera order (so two batches never wait on each other's cameras crosswise)."""
    ids = {values["camera_id"] for values in rows}
    before = dict(CameraSeen.objects.filter(camera__in=ids).values_list("camera_id", "at"))
    newest: dict[int, dt.datetime] = {}
    shots: dict[int, CameraEvent] = {}
    outcomes: list[Outcome] = []
    for values in rows:
        pk, at = values["camera_id"], values["occurred_at"]
        newest[pk] = max(at, newest.get(pk, at))
        if values["type"] == HEARTBEAT:
            moved = before.get(pk) is None or min(at, timezone.now()) > before[pk]
            outcomes.append("updated" if moved else "unchanged")
            continue
        outcome, shot = _event_store(values, run)
        outcomes.append(outcome)
        if shot is not None and (pk not in shots or shot.occurred_at > shots[pk].occurred_at):
            shots[pk] = shot
    for pk in sorted(newest):
        services.camera_seen(camera=pk, at=newest[pk])
        if pk in shots:
            services.camera_snapshot(camera=pk, event=shots[pk])
    return outcomes


SYSTEM = register_system(
    System(
        "cameras",
        FIELDS,
        camera_rules,
        camera_locate,
        CameraEvent,
        upsert_many=cameras_upsert,
        private=("snapshot",),
        placed=lambda values: values["type"] == HEARTBEAT or values.get("unit_id") is not None,
        start=cameras_forget,
    )
)
