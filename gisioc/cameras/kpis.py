"""Camera event KPIs per kind, commune, camera and period; the profile adds cameras online
now and their uptime over the period.

An event counts in the period it occurred in (Vietnam days). Events are counts of what the
cameras' AI saw; no figure reads a snapshot or names anyone. The record API (staff only,
within their scope) lists events with their camera, never their images' bytes.
"""

from typing import Any

from django.db.models import Q

from gisioc import kpis as kpi
from gisioc.cameras.models import CameraEvent
from gisioc.texts import Text

Kind, Status = CameraEvent.Kind, CameraEvent.Status
KIND_LABELS = {k.value: Text(*str(k.label).split(" / ")) for k in Kind}


def _occurred(b: kpi.Bounds) -> Q:
    return b.within("occurred_at")


def _kind(kind: str, profile: bool = True) -> kpi.Counted:
    return kpi.Counted(
        id=kind,
        title=KIND_LABELS[kind],
        when=lambda b: _occurred(b) & Q(kind=kind),
        profile=profile,
    )


def _profile_cameras(section: Any, scope: Any, public: bool) -> None:
    """Cameras online now and their mean uptime over the section's period (the profile)."""
    from gisioc.cameras.profile import cameras_profile_add

    cameras_profile_add(section, scope, public)


KPIS = kpi.register_kpis(
    kpi.KpiSet(
        record="camera_event",
        model=CameraEvent,
        received="occurred_at",
        figures=(
            kpi.Counted(
                id="events", title=Text("Sự kiện camera AI", "AI camera events"), when=_occurred
            ),
            _kind(Kind.FLOODING),
            _kind(Kind.FIRE_SMOKE),
            _kind(Kind.TRAFFIC_VIOLATION),
            _kind(Kind.WRONG_WAY, profile=False),
            _kind(Kind.CROWD, profile=False),
            _kind(Kind.ILLEGAL_DUMPING, profile=False),
            _kind(Kind.ENCROACHMENT, profile=False),
            kpi.Counted(
                id="reported",
                title=Text("Đã tạo phiếu phản ánh", "Tickets opened"),
                when=lambda b: _occurred(b) & Q(status=Status.REPORTED),
                profile=False,
            ),
            kpi.Counted(
                id="dismissed",
                title=Text("Bỏ qua (báo nhầm)", "Dismissed (false alarms)"),
                when=lambda b: _occurred(b) & Q(status=Status.DISMISSED),
                profile=False,
            ),
            kpi.Rate(
                id="false_alarm_rate",
                title=Text("Tỷ lệ báo nhầm", "False alarm rate"),
                part=("dismissed",),
                whole="events",
                profile=False,
            ),
        ),
        groups={
            "unit": kpi.Group("unit_id", "unit__name"),
            "camera": kpi.Group("camera_id", "camera__facility__name"),
            "kind": kpi.Group("kind", "kind", dict(Kind.choices)),
        },
        keep=("events",),
        filters=(
            kpi.RecordFilter("kind", "kind", "Loại sự kiện / event kind", tuple(Kind.values)),
            kpi.RecordFilter("camera", "camera__facility__code", "Camera code, e.g. CAM-DX-001"),
            kpi.RecordFilter("status", "status", "Trạng thái", tuple(Status.values), kpis=False),
        ),
        monthly=(
            kpi.Monthly(
                "occurred_at",
                {"n": None, "flood": Q(kind=Kind.FLOODING)},
                lambda r: {"events": r["n"], Kind.FLOODING.value: r["flood"]},
            ),
        ),
        series=(
            ("events", Text("Sự kiện camera AI theo tháng", "AI camera events by month")),
            (Kind.FLOODING.value, Text("Sự kiện ngập nước theo tháng", "Flooding by month")),
        ),
        breakdown=kpi.Breakdown(
            "events_by_kind",
            Text("Sự kiện theo loại", "Events by kind"),
            "kind",
            labels=KIND_LABELS,
        ),
        fields=(
            "id",
            "name",
            "source",
            "kind",
            "label",
            "confidence",
            "occurred_at",
            "ended_at",
            "bbox",
            "status",
            "camera_id",
            "camera_code",
            "camera_name",
            "report_id",
            "snapshot",
            "thumb",
        ),
        name_field="get_kind_display",
        related={"camera_code": "camera.facility.code", "camera_name": "camera.facility.name"},
        profile_more=_profile_cameras,
    )
)
