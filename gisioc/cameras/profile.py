"""The cameras' part of a profile beyond the event KPIs: cameras in the area, online now,
and their mean uptime over the period (added to the events' section by `kpis.py`)."""

from typing import Any

from gisioc.cameras.models import Camera
from gisioc.cameras.selectors import uptimes
from gisioc.periods import ALL_TIME
from gisioc.texts import Text


def cameras_profile_add(section: Any, scope: Any, public: bool) -> None:
    """Add the cameras' figures (the same for every reader: positions and status are public)."""
    cameras = Camera.objects.select_related("facility")
    if scope.unit is not None:
        cameras = cameras.filter(facility__unit_id__in=scope.record_unit_ids)
    listed = list(cameras)
    online = sum(1 for c in listed if c.status == Camera.Status.ONLINE)
    found = [u for u in uptimes(cameras=cameras, period=scope.period or ALL_TIME) if u.seconds]
    total = sum(u.seconds for u in found)
    mean = round(1 - sum(u.offline_s for u in found) / total, 4) if total else None
    section.kpi("cameras", Text("Camera", "Cameras"), len(listed))
    section.kpi("cameras_online", Text("Camera đang hoạt động", "Cameras online"), online)
    section.kpi("uptime", Text("Thời gian hoạt động", "Uptime"), mean, format="percent")
