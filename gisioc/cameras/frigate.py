"""Frigate (the open-source AI NVR) events as camera records: what its `<prefix>/events` MQTT
messages mean to us, and a batch of them run through the cameras ingest (one run a batch).

Frigate publishes, for each tracked object, `{"type": "new"|"update"|"end", "before": {…},
"after": {…}}`; `after` is the object's whole state: `id`, `camera` (its name in Frigate,
our `Camera.nvr_name` or facility code), `label`, `top_score`/`score`, `start_time`/`end_time`
(Unix seconds), `box` [x1, y1, x2, y2] in pixels of the detect stream (and `snapshot.box`,
the box in its best snapshot), `current_zones`/`entered_zones`, `false_positive`,
`has_snapshot`. Its label and zones name our event kind (`KIND_RULES`); objects of other
labels are skipped and counted in the run's notes, false positives are ignored, a message that
is not Frigate's JSON is logged by its size only and skipped. The messages of one batch that
speak of one object become one record (its latest state), so `new` → `update` → `end` is one
event whichever batches they arrive in: the ingest stores an event once and adds its end time,
box and snapshot later.
"""

import base64
import json
import logging
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gisioc.cameras.frigate_crowd import Crowds, crowd_records
from gisioc.cameras.models import CameraEvent
from gisioc.geo.text import fold
from gisioc.ingest.models import IngestRun
from gisioc.ingest.records import records_rows
from gisioc.ingest.report import RunReport
from gisioc.ingest.services import ingest_rows

log = logging.getLogger(__name__)
Kind = CameraEvent.Kind

VEHICLES = frozenset({"car", "motorcycle", "motorbike", "bicycle", "bus", "truck", "scooter"})
PEOPLE = frozenset({"person"})
STALLS = frozenset({"umbrella", "chair", "bench", "dining table", "suitcase", "potted plant"})
# Ordered: the first rule whose label set holds the object's label (None: any label) and, when
# it names zone words, one of whose words is in a zone the object is or was in, gives the kind.
# Zone names are folded (case, accents, '_'/'-' as spaces) and matched word by word, so
# "Ngược chiều QL1A", "nguoc_chieu_1" and "wrong-way" all hold their words.
KIND_RULES: tuple[tuple[frozenset[str] | None, tuple[str, ...], str], ...] = (
    (frozenset({"fire", "smoke", "flame", "flames"}), (), Kind.FIRE_SMOKE),
    (frozenset({"flood", "flooding", "water", "flood water"}), (), Kind.FLOODING),
    (frozenset({"garbage", "trash", "waste", "litter", "rubbish"}), (), Kind.ILLEGAL_DUMPING),
    (
        PEOPLE | VEHICLES,
        ("do rac", "bai rac", "xa rac", "cam do rac", "dumping", "no dumping"),
        Kind.ILLEGAL_DUMPING,
    ),
    (VEHICLES, ("nguoc chieu", "wrong way", "wrongway", "contraflow"), Kind.WRONG_WAY),
    (
        VEHICLES,
        (
            "vuot den",
            "den do",
            "red light",
            "cam di",
            "no entry",
            "cam do",
            "no parking",
            "vi pham",
            "violation",
        ),
        Kind.TRAFFIC_VIOLATION,
    ),
    (
        PEOPLE | VEHICLES | STALLS,
        ("via he", "le duong", "sidewalk", "pavement", "footpath", "lan chiem"),
        Kind.ENCROACHMENT,
    ),
    (PEOPLE, ("tu tap", "dong nguoi", "crowd", "gathering", "assembly"), Kind.CROWD),
)
SNAPSHOT_TIMEOUT = 2.0  # seconds per snapshot asked of Frigate's HTTP API
SNAPSHOT_BUDGET = 4.0  # seconds a batch may spend on snapshots; the rest wait for a later message
SNAPSHOT_MAX = 8 * 1024 * 1024  # bytes read of one answer (the ingest's own limit is lower)


def _words(text: str) -> str:
    return f" {fold(text.replace('_', ' ').replace('-', ' '))} "


def extra_labels() -> dict[tuple[str, str], str]:
    """GISIOC_FRIGATE_LABELS as (label, zone words or '') → kind; a kind we lack is an error."""
    table: dict[tuple[str, str], str] = {}
    for key, kind in settings.CONFIG.frigate_labels.items():
        if kind not in Kind.values:
            raise ImproperlyConfigured(
                f"GISIOC_FRIGATE_LABELS: «{kind}» không phải loại sự kiện — '{kind}' is not an "
                f"event kind ({', '.join(Kind.values)})"
            )
        label, _, zone = key.partition("@")
        table[(label.strip().lower(), _words(zone).strip())] = kind
    return table


def frigate_kind(
    label: str, zones: Iterable[str], extra: Mapping[tuple[str, str], str] | None = None
) -> str | None:
    """Our event kind for a Frigate label seen in these zones (GISIOC_FRIGATE_LABELS first),
    or None when it is none of ours."""
    label = label.strip().lower()
    folded = [_words(zone) for zone in zones]
    for (name, zone), kind in (extra or {}).items():
        if name == label and (not zone or any(f" {zone} " in z for z in folded)):
            return kind
    for labels, words, kind in KIND_RULES:
        if labels is not None and label not in labels:
            continue
        if not words or any(f" {word} " in z for word in words for z in folded):
            return kind
    return None


def frigate_frame(camera: str) -> tuple[int, int] | None:
    """The camera's detect-stream size (GISIOC_FRIGATE_FRAMES by name, else "*"), or None."""
    frames = settings.CONFIG.frigate_frames
    return frames.get(camera) or frames.get("*")


def frigate_box(box: object, frame: tuple[int, int] | None) -> list[float] | None:
    """Frigate's [x1, y1, x2, y2] pixels as our [x, y, width, height] shares of the frame;
    None when either is unknown or unreadable."""
    if frame is None or not isinstance(box, list | tuple) or len(box) != 4:
        return None
    width, height = frame
    try:
        x1, y1, x2, y2 = (float(v) for v in box)
    except (TypeError, ValueError):
        return None
    if not (width > 0 and height > 0 and x2 > x1 and y2 > y1):
        return None
    x1, x2 = max(0.0, x1 / width), min(1.0, x2 / width)
    y1, y2 = max(0.0, y1 / height), min(1.0, y2 / height)
    if x2 <= x1 or y2 <= y1:
        return None
    return [round(x1, 5), round(y1, 5), round(x2 - x1, 5), round(y2 - y1, 5)]


@dataclass
class Parsed:
    """One message understood: the record it gives (None when skipped) and why it was skipped."""

    record: dict[str, Any] | None = None
    skipped: str = ""  # "malformed", "false_positive" or "label:<label>"
    snapshot: bool = False  # Frigate has a snapshot of the object


def _seconds(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return f"{float(value):.3f}"


def frigate_parse(payload: bytes, extra: Mapping[tuple[str, str], str] | None = None) -> Parsed:
    """One `<prefix>/events` message as a cameras record, or why it is skipped."""
    try:
        message = json.loads(payload)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Parsed(skipped="malformed")
    after = message.get("after") if isinstance(message, dict) else None
    if not isinstance(after, dict):
        return Parsed(skipped="malformed")
    if after.get("false_positive") is True:
        return Parsed(skipped="false_positive")
    label = after.get("label")
    label = label if isinstance(label, str) else ""
    zones = [
        z
        for name in ("current_zones", "entered_zones")
        if isinstance(after.get(name), list)
        for z in after[name]
        if isinstance(z, str)
    ]
    kind = frigate_kind(label, zones, extra)
    if kind is None:
        return Parsed(skipped=f"label:{label[:40] or '—'}")
    camera = after.get("camera")
    camera = camera if isinstance(camera, str) else ""
    shot = after.get("snapshot")
    box = shot.get("box") if isinstance(shot, dict) and shot.get("box") else after.get("box")
    score = after.get("top_score") or after.get("score")
    sub = after.get("sub_label")
    sub = sub[0] if isinstance(sub, list) and sub else sub  # [name, score] since 0.14
    bbox = frigate_box(box, frigate_frame(camera))
    record = {
        "type": "event",
        "id": str(after.get("id") or ""),
        "camera": camera,
        "kind": kind,
        "confidence": score if isinstance(score, int | float) else None,
        "time": _seconds(after.get("start_time")),
        "end_time": _seconds(after.get("end_time")),
        "bbox": json.dumps(bbox) if bbox else None,
        "label": label if not isinstance(sub, str) or not sub else f"{label}: {sub}"[:60],
    }
    return Parsed(record=record, snapshot=after.get("has_snapshot") is True)


@dataclass
class Snapshots:
    """Snapshots asked of Frigate's HTTP API (GISIOC_FRIGATE_URL), one per event, each once."""

    base: str
    fetched: set[str] = field(default_factory=set)  # event ids whose snapshot we have
    keep: int = 5_000  # ids remembered

    def fetch(self, event_id: str, *, timeout: float = SNAPSHOT_TIMEOUT) -> str | None:
        """The event's snapshot as base64, or None (not ready, Frigate away: logged)."""
        url = f"{self.base.rstrip('/')}/api/events/{urllib.request.quote(event_id)}/snapshot.jpg"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as answer:
                data = answer.read(SNAPSHOT_MAX + 1)
        except (OSError, ValueError) as exc:
            log.warning("frigate: no snapshot of event %s: %s", event_id, type(exc).__name__)
            return None
        if not data or len(data) > SNAPSHOT_MAX:
            log.warning("frigate: snapshot of event %s is %d bytes; skipped", event_id, len(data))
            return None
        return base64.b64encode(data).decode("ascii")

    def done(self, event_ids: Iterable[str]) -> None:
        """These events' snapshots are stored: not asked again."""
        if len(self.fetched) >= self.keep:
            self.fetched.clear()
        self.fetched.update(event_ids)


NOTES = {
    "malformed": ("tin không đọc được của Frigate", "messages of Frigate not understood"),
    "false_positive": ("phát hiện nhầm (false_positive) bỏ qua", "false positives ignored"),
}


def notes_of(skipped: Counter[str]) -> list[str]:
    """The run's notes: what was skipped and how many, Vietnamese then English."""
    notes = [
        f"{count} {NOTES[reason][0]} — {count} {NOTES[reason][1]}"
        for reason, count in sorted(skipped.items())
        if reason in NOTES
    ]
    labels = {r[6:]: n for r, n in skipped.items() if r.startswith("label:")}
    if labels:
        listed = ", ".join(f"{label} × {n}" for label, n in sorted(labels.items()))
        notes.append(
            f"Nhãn không thuộc loại sự kiện nào, bỏ qua: {listed} — labels of no event kind, "
            f"skipped: {listed}"
        )
    names = {r[6:]: n for r, n in skipped.items() if r.startswith("count:")}
    if names:
        listed = ", ".join(f"{name} × {n}" for name, n in sorted(names.items()))
        notes.append(
            f"Số người đếm của vùng hoặc camera không theo dõi, bỏ qua: {listed} — counts of "
            f"zones or cameras not watched, skipped: {listed}"
        )
    return notes


@dataclass
class BatchResult:
    """What became of a batch: the run's report (None when no message gave a record)."""

    report: RunReport | None
    skipped: Counter[str]


def frigate_ingest(
    payloads: list[bytes],
    *,
    where: str = "",
    snapshots: Snapshots | None = None,
    extra: Mapping[tuple[str, str], str] | None = None,
    counts: Sequence[tuple[str, bytes, float]] = (),
    crowds: Crowds | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> BatchResult:
    """Run a batch of Frigate messages through the cameras ingest as one run of source
    GISIOC_FRIGATE_SOURCE; `where` (the broker and topic, no password) names the run.
    `counts` (camera name, payload, when received) of people make crowds with `crowds`."""
    skipped: Counter[str] = Counter()
    latest: dict[str, dict[str, Any]] = {}  # one record an object: its newest state
    if crowds is not None and counts:
        found, passed = crowd_records(crowds, list(counts))
        skipped.update(passed)
        for record in found:
            latest.pop(record["id"], None)
            latest[record["id"]] = record
    wants_shot: set[str] = set()
    for number, payload in enumerate(payloads, start=1):
        parsed = frigate_parse(payload, extra)
        if parsed.record is None:
            skipped[parsed.skipped] += 1
            if parsed.skipped == "malformed":
                log.warning("frigate: message %d of the batch (%d bytes) skipped: not Frigate "
                            "event JSON", number, len(payload))  # fmt: skip
            continue
        key = parsed.record["id"] or f"#{number}"  # no id: its own row, refused by the ingest
        latest.pop(key, None)  # re-inserted: rows keep the order of their last message
        latest[key] = parsed.record
        if parsed.snapshot:
            wants_shot.add(key)
    shots: list[str] = []
    if snapshots is not None:
        deadline = clock() + SNAPSHOT_BUDGET
        for key in sorted(wants_shot - snapshots.fetched):
            if key.startswith("#") or clock() >= deadline:
                continue
            shot = snapshots.fetch(key)
            if shot is not None:
                latest[key]["snapshot"] = shot
                shots.append(key)
    if not latest:
        return BatchResult(None, skipped)
    report = ingest_rows(
        system="cameras",
        rows=list(records_rows(latest.values())),
        source=settings.CONFIG.frigate_source,
        kind=IngestRun.Kind.PUSH,
        progress=lambda _: None,
    )
    if snapshots is not None and report.status == IngestRun.Status.DONE:
        snapshots.done(shots)  # else asked again with the object's next message
    report.notes = notes_of(skipped)
    if report.run_id:
        run = IngestRun.objects.get(pk=report.run_id)
        run.file_name = where[:255]
        messages = len(payloads) + len(counts)
        run.details = {**run.details, "notes": report.notes, "messages": messages}
        run.save(update_fields=["file_name", "details"])
    return BatchResult(report, skipped)
