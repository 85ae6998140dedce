"""The cameras' part of a profile beyond the event KPIs (added to the events' section by
`kpis.py`): a table of the cameras in the area with their status now and uptime over the
period, and a note with how many are online and the area's mean uptime. The same for every
reader: positions and status are public."""

from typing import Any

from gisioc.cameras.models import Camera
from gisioc.cameras.selectors import uptimes
from gisioc.periods import ALL_TIME
from gisioc.texts import Text

COLUMNS = [
    ("code", Text("Mã", "Code")),
    ("name", Text("Camera", "Camera")),
    ("status", Text("Trạng thái", "Status")),
    ("uptime", Text("Thời gian hoạt động", "Uptime")),
    ("outages", Text("Số lần mất kết nối", "Outages")),
]


def cameras_profile_add(section: Any, scope: Any, public: bool) -> None:
    """Add the cameras' table: status now, uptime and outages over the period."""
    cameras = Camera.objects.select_related("facility").order_by("facility__code")
    if scope.unit is not None:
        cameras = cameras.filter(facility__unit_id__in=scope.record_unit_ids)
    found = uptimes(cameras=cameras, period=scope.period or ALL_TIME)
    if not found:
        return
    rows = [
        {
            "code": u.camera.facility.code,
            "name": u.camera.facility.name,
            "status": Text.of(u.camera.get_status_display()).as_dict(),
            "uptime": u.uptime,
            "outages": u.outages,
        }
        for u in found
    ]
    online = sum(1 for u in found if u.camera.status == Camera.Status.ONLINE)
    total = sum(u.seconds for u in found)
    mean = 1 - sum(u.offline_s for u in found) / total if total else None
    shown = f"{mean:.1%}" if mean is not None else "—"
    note = Text(
        f"{online}/{len(found)} camera đang hoạt động; thời gian hoạt động bình quân {shown}.",
        f"{online} of {len(found)} cameras online; mean uptime {shown}.",
    )
    section.table("cameras", Text("Camera", "Cameras"), columns=COLUMNS, rows=rows, note=note)
