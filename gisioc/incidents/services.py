"""Incidents' writes: open, link, note, assign, change severity, close.

Each step checks who acts (`rules`), locks the incident, writes one timeline row and
publishes `incident` on the live bus in the caller's transaction. `actor=None` is the system
itself (a job or a command), which may do every step.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.errors import Conflict, InvalidInput, NotFound
from gisioc.feedback.models import Report
from gisioc.feedback.staff import reports_readable
from gisioc.geo.access import STAFF, User, readable
from gisioc.geo.geocoder import geocode_point
from gisioc.geo.models import Facility
from gisioc.incidents import rules
from gisioc.incidents.models import Incident, IncidentAction
from gisioc.live.bus import event_publish
from gisioc.periods import vietnam_date

Action = IncidentAction.Action
RADIUS_MIN, RADIUS_MAX = 50, 20000
TEXT_MAX = 4000


def _actor(actor: User | None) -> tuple[Any, str]:
    if actor is None or not actor.is_authenticated:
        return None, "Hệ thống / System"
    name = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return actor, (name or actor.get_username())[:150]


def _text(value: str, *, field: str, required: bool = False, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput("Cần nhập nội dung.", "This cannot be empty.", field=field)
    if len(text) > limit:
        raise InvalidInput(
            f"Quá dài (tối đa {limit} ký tự).",
            f"Too long (at most {limit} characters).",
            field=field,
        )
    return text


def _point(point: Point | tuple[float, float] | Any) -> Point:
    try:
        p = (
            point
            if isinstance(point, Point)
            else Point(float(point[0]), float(point[1]), srid=4326)
        )
    except (TypeError, ValueError, IndexError) as exc:
        raise InvalidInput(
            "Vị trí không hợp lệ.", "The place is not valid.", field="point"
        ) from exc
    if p.srid not in (None, 4326):
        p = p.transform(4326, clone=True)
    if not (-180 <= p.x <= 180 and -90 <= p.y <= 90):
        raise InvalidInput("Tọa độ ngoài phạm vi.", "Coordinates out of range.", field="point")
    return Point(p.x, p.y, srid=4326)


def _choice(value: Any, choices: Any, field: str) -> Any:
    try:
        return choices(int(value) if choices is Incident.Severity else value)
    except (TypeError, ValueError) as exc:
        allowed = ", ".join(str(v) for v in choices.values)
        raise InvalidInput(
            f"Giá trị không hợp lệ (chọn một trong: {allowed}).",
            f"Not a valid value (one of: {allowed}).",
            field=field,
        ) from exc


def _publish(incident: Incident) -> None:
    event_publish(
        kind="incident",
        data={
            "id": incident.pk,
            "status": incident.status,
            "kind": incident.kind,
            "severity": incident.severity,
            "title": incident.title,
        },
        unit_id=incident.unit_id,
        point=incident.geom,
        roles=rules.LIVE_ROLES,
    )


def _log(incident: Incident, actor: User | None, action: str, **values: Any) -> IncidentAction:
    user, label = _actor(actor)
    return IncidentAction.objects.create(
        incident=incident, at=timezone.now(), actor=user, actor_label=label, action=action, **values
    )


def _take(incident: Incident | int, actor: User | None, *, note: bool = False) -> Incident:
    """The incident locked for a step, checked open and the actor allowed."""
    pk = incident.pk if isinstance(incident, Incident) else incident
    found = Incident.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound("Không có sự việc này.", "No such incident.")
    if actor is not None:
        rules.act_check(actor, found.unit_id, note=note)
    if found.status != Incident.Status.OPEN:
        raise Conflict("Sự việc đã kết thúc.", "The incident is already closed.")
    return found


def _get(model: type, value: Any, field: str, actor: User | None = None) -> Any:
    """A row by instance or id; with an actor, only one the actor reads."""
    if isinstance(value, model) and actor is None:
        return value
    rows = model.objects.all()
    if actor is not None and model is Report:
        rows = reports_readable(actor)
    elif actor is not None:
        rows = readable(rows, actor, STAFF)
    pk = value.pk if isinstance(value, model) else value
    found = rows.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise InvalidInput(
            f"Không tìm thấy mục {value}.", f"Nothing found for {value}.", field=field
        )
    return found


def _link(incident: Incident, actor: User | None, event: Any = None, report: Any = None) -> bool:
    """Link an event (and its camera) or a report; one `linked` row when something was new."""
    texts = []
    if event is not None:
        ev: CameraEvent = _get(CameraEvent, event, "events", actor)
        if not incident.events.filter(pk=ev.pk).exists():
            incident.events.add(ev)
            incident.cameras.add(ev.camera_id)
            if ev.status in (CameraEvent.Status.NEW, CameraEvent.Status.ACKNOWLEDGED):
                CameraEvent.objects.filter(pk=ev.pk).update(status=CameraEvent.Status.INCIDENT)
            texts.append(f"Sự kiện camera #{ev.pk} ({ev.get_kind_display()})")
    if report is not None:
        rp: Report = _get(Report, report, "reports", actor)
        if not incident.reports.filter(pk=rp.pk).exists():
            incident.reports.add(rp)
            texts.append(f"Phản ánh {rp.ticket}")
    if texts:
        _log(incident, actor, Action.LINKED, text="; ".join(texts))
    return bool(texts)


@transaction.atomic
def incident_open(
    *,
    actor: User | None,
    kind: str,
    severity: int,
    point: Point | tuple[float, float],
    title: str,
    note: str = "",
    events: Iterable[CameraEvent | int] = (),
    reports: Iterable[Report | int] = (),
    radius_m: int = 1000,
    at: dt.datetime | None = None,
) -> Incident:
    """Open an incident at `point` (located in its commune), linking the events and reports."""
    kind = _choice(kind, Incident.Kind, "kind")
    severity = _choice(severity, Incident.Severity, "severity")
    title = _text(title, field="title", required=True, limit=200)
    note = _text(note, field="note")
    place = _point(point)
    try:
        radius = int(radius_m)
    except (TypeError, ValueError):
        radius = -1
    if not RADIUS_MIN <= radius <= RADIUS_MAX:
        raise InvalidInput(
            f"Bán kính từ {RADIUS_MIN} đến {RADIUS_MAX} m.",
            f"The radius is {RADIUS_MIN} to {RADIUS_MAX} m.",
            field="radius_m",
        )
    at = at or timezone.now()
    day = vietnam_date(at)
    found = geocode_point(lon=place.x, lat=place.y, on=day)
    if actor is not None:
        rules.act_check(actor, found.unit_id)
    user, _ = _actor(actor)
    incident = Incident.objects.create(
        kind=kind,
        severity=severity,
        title=title,
        radius_m=radius,
        opened_by=user,
        opened_at=at,
        geom=place,
        unit_id=found.unit_id,
        locate_on=day,
        locate_method=found.method,
        locate_confidence=found.confidence if found.located else None,
        locate_reason=found.reason,
    )
    _log(incident, actor, Action.OPENED, severity=severity, text=note)
    for event in events:
        _link(incident, actor, event=event)
    for report in reports:
        _link(incident, actor, report=report)
    _publish(incident)
    return incident


@transaction.atomic
def incident_attach(
    *, actor: User | None, incident: Incident | int, event: Any = None, report: Any = None
) -> Incident:
    """Link a camera event (with its camera) and/or a citizen report to an open incident."""
    if event is None and report is None:
        raise InvalidInput("Chọn sự kiện hoặc phản ánh.", "Give an event or a report.")
    found = _take(incident, actor)
    if _link(found, actor, event=event, report=report):
        _publish(found)
    return found


@transaction.atomic
def incident_camera_attach(
    *, actor: User | None, incident: Incident | int, camera: Any
) -> Incident:
    """Link a camera (to watch) to an open incident."""
    found = _take(incident, actor)
    cam: Camera = _get(Camera, camera, "camera")
    if not found.cameras.filter(pk=cam.pk).exists():
        found.cameras.add(cam)
        _log(found, actor, Action.LINKED, text=f"Camera {cam.facility.name}")
        _publish(found)
    return found


@transaction.atomic
def incident_note(*, actor: User | None, incident: Incident | int, text: str) -> IncidentAction:
    """Add a note to the timeline (field staff may too)."""
    found = _take(incident, actor, note=True)
    row = _log(found, actor, Action.NOTE, text=_text(text, field="text", required=True))
    _publish(found)
    return row


@transaction.atomic
def incident_assign(
    *,
    actor: User | None,
    incident: Incident | int,
    agency: Facility | int | None = None,
    person: str = "",
    text: str = "",
) -> IncidentAction:
    """Assign the incident to an agency (a facility of kind agency) and/or a named person."""
    found = _take(incident, actor)
    person = _text(person, field="person", limit=150)
    org = None
    if agency not in (None, ""):
        org = _get(Facility, agency, "agency")
        if org.kind != Facility.Kind.AGENCY:
            raise InvalidInput("Đây không phải một cơ quan.", "Not an agency.", field="agency")
    if org is None and not person:
        raise InvalidInput(
            "Chọn cơ quan hoặc ghi người nhận.", "Give an agency or a person.", field="agency"
        )
    row = _log(
        found, actor, Action.ASSIGNED, agency=org, assignee=person, text=_text(text, field="text")
    )
    _publish(found)
    return row


@transaction.atomic
def incident_severity(
    *, actor: User | None, incident: Incident | int, severity: int, text: str = ""
) -> Incident:
    """Change the severity (1–4), with an optional reason."""
    found = _take(incident, actor)
    level = _choice(severity, Incident.Severity, "severity")
    if level != found.severity:
        found.severity = level
        found.save(update_fields=["severity"])
        _log(found, actor, Action.SEVERITY, severity=level, text=_text(text, field="text"))
        _publish(found)
    return found


@transaction.atomic
def incident_close(*, actor: User | None, incident: Incident | int, summary: str) -> Incident:
    """Close the incident with a summary (required); it leaves the map."""
    found = _take(incident, actor)
    found.summary = _text(summary, field="summary", required=True)
    found.status = Incident.Status.CLOSED
    found.closed_at = timezone.now()
    found.save(update_fields=["summary", "status", "closed_at"])
    _log(found, actor, Action.CLOSED, text=found.summary)
    _publish(found)
    return found
