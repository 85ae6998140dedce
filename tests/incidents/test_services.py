"""Incidents' lifecycle through the services: open → link → note → assign → severity → close,
each a timeline row and an `incident` on the live bus; bad input and closed incidents refused;
who may act."""

import pytest

from gisioc.cameras.models import CameraEvent
from gisioc.errors import Conflict, Forbidden, InvalidInput
from gisioc.incidents import services
from gisioc.incidents.models import Incident, IncidentAction
from gisioc.live.models import LiveEvent
from tests.incidents.conftest import World, camera_at, event_at, offset, report_at

pytestmark = pytest.mark.django_db
PERSONAL = ("Nguyễn", "0905", "@")


def _open(world: World, who: str = "leader", **kwargs: object) -> Incident:
    values = {
        "kind": "flood",
        "severity": 3,
        "point": world.inside,
        "title": "Ngập sâu đường Hùng Vương",
    }
    return services.incident_open(actor=world.users[who], **{**values, **kwargs})


def test_the_whole_lifecycle_writes_a_timeline_and_publishes_each_step(world: World) -> None:
    camera = camera_at(offset(world.inside, east_m=200), "CAM-INC-1")
    event = event_at(camera)
    report = report_at(offset(world.inside, north_m=300), reporter_name="Nguyễn Văn A")
    before = LiveEvent.objects.filter(kind="incident").count()
    incident = _open(world, note="Nước lên nhanh", events=[event.pk])
    assert incident.unit_id == world.thu_bon.pk, "located in its commune by gisioc_locate_point"
    assert incident.status == "open" and incident.radius_m == 1000
    assert list(incident.events.all()) == [event]
    assert list(incident.cameras.all()) == [camera], "an event brings its camera"
    event.refresh_from_db()
    assert event.status == CameraEvent.Status.INCIDENT

    services.incident_attach(actor=world.users["leader"], incident=incident, report=report)
    services.incident_note(actor=world.users["field"], incident=incident, text="Đã đến hiện trường")
    services.incident_assign(
        actor=world.users["leader"], incident=incident, agency=world.agency, person="Tổ cứu hộ 1"
    )
    services.incident_severity(actor=world.users["leader"], incident=incident, severity=4)
    closed = services.incident_close(
        actor=world.users["leader"], incident=incident, summary="Nước rút lúc 17h, không thiệt hại."
    )
    assert closed.status == "closed" and closed.closed_at and closed.severity == 4
    assert list(incident.reports.all()) == [report]
    actions = list(
        IncidentAction.objects.filter(incident=incident).values_list("action", flat=True)
    )
    assert actions == ["opened", "linked", "linked", "note", "assigned", "severity", "closed"]
    assigned = IncidentAction.objects.get(incident=incident, action="assigned")
    assert assigned.agency == world.agency and assigned.assignee == "Tổ cứu hộ 1"
    assert IncidentAction.objects.get(incident=incident, action="note").actor_label == "Field"

    live = list(LiveEvent.objects.filter(kind="incident").order_by("id"))[before:]
    assert len(live) == 6  # open, attach, note, assign, severity, close
    assert all(e.unit_id == world.thu_bon.pk and e.roles for e in live)
    assert "admin" not in live[0].roles and "leader" in live[0].roles  # admins always hear
    assert live[0].geom.equals_exact(world.inside, 1e-9)
    assert set(live[-1].data) == {"id", "status", "kind", "severity", "title"}
    assert live[-1].data["status"] == "closed" and live[-1].data["severity"] == 4
    for e in live:  # nothing personal: no names, notes or summaries
        text = str(e.data)
        assert not any(p in text for p in PERSONAL) and "Nước rút" not in text


def test_close_needs_a_summary_and_a_closed_incident_takes_no_more_steps(world: World) -> None:
    incident = _open(world)
    for empty in ("", "   "):
        with pytest.raises(InvalidInput) as caught:
            services.incident_close(actor=world.users["leader"], incident=incident, summary=empty)
        assert caught.value.fields == {"summary": [("Cần nhập nội dung.", "This cannot be empty.")]}
    incident.refresh_from_db()
    assert incident.status == "open" and not incident.summary
    services.incident_close(actor=world.users["leader"], incident=incident, summary="Xong.")
    with pytest.raises(Conflict):
        services.incident_note(actor=world.users["leader"], incident=incident, text="muộn")
    with pytest.raises(Conflict):
        services.incident_close(actor=world.users["leader"], incident=incident, summary="lại")
    assert IncidentAction.objects.filter(incident=incident).count() == 2


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "meteor"}, "kind"),
        ({"severity": 5}, "severity"),
        ({"severity": "cao"}, "severity"),
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"radius_m": 10}, "radius_m"),
        ({"radius_m": 50_000}, "radius_m"),
        ({"point": (200.0, 15.8)}, "point"),
        ({"point": ("a", "b")}, "point"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_kept(
    world: World, values: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        _open(world, **values)
    assert field in caught.value.fields and caught.value.vi and caught.value.en
    assert not Incident.objects.exists() and not LiveEvent.objects.filter(kind="incident").exists()


def test_who_may_open_and_act(world: World) -> None:
    for who in ("field", "planner", "gis", "nobody"):
        with pytest.raises(Forbidden):
            _open(world, who)
    with pytest.raises(Forbidden):
        _open(world, "officer", point=world.outside)  # out of the officer's commune
    mine = _open(world, "officer")
    assert mine.unit_id == world.thu_bon.pk
    theirs = _open(world, "leader", point=world.outside)
    with pytest.raises(Forbidden):
        services.incident_note(actor=world.users["officer"], incident=theirs, text="x")
    with pytest.raises(Forbidden):
        services.incident_close(actor=world.users["field"], incident=mine, summary="x")
    with pytest.raises(Forbidden):
        services.incident_assign(actor=world.users["planner"], incident=mine, person="A")
    services.incident_note(actor=world.users["field"], incident=theirs, text="Đang theo dõi")
    services.incident_close(actor=world.users["admin"], incident=theirs, summary="Xong.")
    services.incident_close(actor=world.users["officer"], incident=mine, summary="Xong.")


def test_the_system_opens_without_an_actor_and_links_by_id(world: World) -> None:
    camera = camera_at(offset(world.inside, east_m=50), "CAM-INC-2")
    events = [event_at(camera, n=i) for i in range(2)]
    report = report_at(world.inside)
    incident = services.incident_open(
        actor=None,
        kind="fire",
        severity=2,
        point=(world.inside.x, world.inside.y),
        title="Khói tại chợ",
        events=[e.pk for e in events],
        reports=[report],
        radius_m=500,
    )
    assert incident.events.count() == 2 and incident.cameras.count() == 1
    assert incident.reports.get() == report
    first = incident.actions.first()
    assert first.action == "opened" and first.actor is None and first.actor_label.startswith("Hệ")
    services.incident_attach(actor=None, incident=incident.pk, event=events[0])  # already there
    assert incident.actions.filter(action="linked").count() == 3
    with pytest.raises(InvalidInput):
        services.incident_attach(actor=None, incident=incident, event=999_999)
    with pytest.raises(InvalidInput):
        services.incident_assign(actor=None, incident=incident)
    with pytest.raises(InvalidInput):
        services.incident_assign(actor=None, incident=incident, agency=camera.facility)


def test_an_officer_links_only_what_they_read(world: World) -> None:
    incident = _open(world, "officer")
    elsewhere = report_at(world.outside)
    with pytest.raises(InvalidInput):
        services.incident_attach(actor=world.users["officer"], incident=incident, report=elsewhere)
    assert not incident.reports.exists()
