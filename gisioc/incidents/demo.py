"""The demo's incident: a flood on a low road watched by a flood gauge, open, with its flooding
events linked and a first assignment, so the incidents layer and tool show one (idempotent)."""

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.geo.models import Facility
from gisioc.incidents.models import Incident
from gisioc.incidents.services import incident_assign, incident_open

TITLE = "Ngập sâu trên đường thấp tại trạm đo CAM-DX-016"
GAUGE = "CAM-DX-016"


def incidents_demo_load() -> Incident | None:
    """Open the demo's flood incident once; None when the demo's flood gauge is missing."""
    found = Incident.objects.filter(title=TITLE).first()
    if found is not None:
        return found
    gauge = Camera.objects.select_related("facility").filter(facility__code=GAUGE).first()
    if gauge is None:
        return None
    flooding = CameraEvent.objects.filter(camera=gauge, kind=CameraEvent.Kind.FLOODING)
    events = list(flooding.order_by("-occurred_at").values_list("id", flat=True)[:3])
    incident = incident_open(
        actor=None,
        kind=Incident.Kind.FLOOD,
        severity=Incident.Severity.HIGH,
        point=gauge.facility.geom,
        title=TITLE,
        note="Trạm đo báo ngập sâu; phân luồng, không cho xe qua đoạn ngập.",
        events=events,
        radius_m=1500,
    )
    # The commune's people's committee (UBND xã) where the water is, if the demo has it.
    agencies = Facility.objects.in_service(incident.locate_on).filter(kind=Facility.Kind.AGENCY)
    agency = agencies.filter(unit=incident.unit_id, name__startswith="UBND").first()
    incident_assign(
        actor=None,
        incident=incident,
        agency=agency,
        person="" if agency else "Tổ ứng cứu xã",
        text="Cử tổ trực ứng cứu đến hiện trường, cắm biển cảnh báo.",
    )
    return incident
