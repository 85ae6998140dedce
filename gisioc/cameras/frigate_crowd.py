"""Crowds from Frigate's counts: `<prefix>/<name>/person` says how many people a camera (or a
zone: they share the names) sees now, published on each change. From GISIOC_FRIGATE_CROWD
people on, a camera has one crowd event open, its label the most counted; it ends when the
count drops below. Names that are no camera of ours (zones, cameras we do not watch) are
skipped and counted in the run's notes."""

import logging
from dataclasses import dataclass
from typing import Any

from gisioc.cameras.models import Camera, CameraEvent

COUNT_OBJECT = "person"
log = logging.getLogger(__name__)


@dataclass
class Crowd:
    """A crowd in progress on one camera."""

    id: str
    start: float
    most: int


class Crowds:
    """The crowds open on each camera, from the counts received in order."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.open: dict[str, Crowd] = {}

    def _record(self, camera: str, crowd: Crowd, end: float | None) -> dict[str, Any]:
        return {
            "type": "event",
            "id": crowd.id,
            "camera": camera,
            "kind": CameraEvent.Kind.CROWD,
            "time": f"{crowd.start:.3f}",
            "end_time": None if end is None else f"{end:.3f}",
            "label": f"{COUNT_OBJECT} × {crowd.most}",
        }

    def count(self, camera: str, payload: bytes, at: float) -> dict[str, Any] | str | None:
        """The record a count gives (a crowd begun, grown or ended), None when it changes
        nothing, or "malformed" when it is no count."""
        try:
            count = int(payload.decode("ascii").strip())
        except (UnicodeDecodeError, ValueError):
            return "malformed"
        crowd = self.open.get(camera)
        if count >= self.threshold:
            if crowd is None:
                crowd = self.open[camera] = Crowd(f"crowd:{camera}:{at:.0f}"[:120], at, count)
                return self._record(camera, crowd, None)
            if count > crowd.most:
                crowd.most = count
                return self._record(camera, crowd, None)
            return None
        if crowd is not None:
            del self.open[camera]
            return self._record(camera, crowd, max(at, crowd.start))
        return None


def crowd_records(
    crowds: Crowds, counts: list[tuple[str, bytes, float]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Records from counts (name, payload, when received) in order, and why others gave none
    ("malformed", "count:<name>" for a name that is no camera of ours)."""
    names = {name for name, _, _ in counts}
    ours = set(Camera.objects.filter(nvr_name__in=names).values_list("nvr_name", flat=True))
    records: list[dict[str, Any]] = []
    skipped: list[str] = []
    for name, payload, at in counts:
        if name not in ours:
            skipped.append(f"count:{name[:40]}")
            continue
        found = crowds.count(name, payload, at)
        if isinstance(found, str):
            log.warning(
                "frigate: a count of %s (%d bytes) skipped: not a number", name, len(payload)
            )
            skipped.append(found)
        elif found is not None:
            records.append(found)
    return records, skipped
