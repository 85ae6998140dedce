"""The demo's incident: a flood at the demo's flood gauge, its flooding events linked, once."""

from gisioc.cameras.models import Camera
from gisioc.geo.models import Facility
from gisioc.incidents.demo import GAUGE, incidents_demo_load
from gisioc.incidents.models import Incident
from tests.incidents.conftest import World, event_at


def test_the_demo_opens_one_flood_incident_at_its_gauge(world: World) -> None:
    assert incidents_demo_load() is None  # the gauge's facility is there, its camera not yet
    gauge = Camera.objects.create(facility=Facility.objects.get(code=GAUGE))
    flooding = [event_at(gauge, ago_h=h, n=h) for h in (1, 2, 3, 4)]
    event_at(gauge, kind="crowd")

    incident = incidents_demo_load()
    assert incident is not None and incident.status == Incident.Status.OPEN
    assert incident.kind == Incident.Kind.FLOOD and incident.geom == gauge.facility.geom
    assert incident.unit is not None
    assert set(incident.events.all()) == set(flooding[:3])  # the newest three flooding events
    assigned = incident.actions.get(action="assigned")
    committee = assigned.agency  # the people's committee of the commune the water is in
    assert committee.name.startswith("UBND") and committee.unit_id == incident.unit_id
    assert incidents_demo_load() == incident and Incident.objects.count() == 1
