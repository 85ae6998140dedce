"""What the incidents API answers: an incident as GeoJSON, its links, timeline and surroundings."""

from typing import Any

from gisioc.cameras.models import CameraEvent
from gisioc.feedback.models import Report
from gisioc.geo.access import User
from gisioc.geo.models import Facility
from gisioc.incidents import rules, selectors
from gisioc.incidents.models import Incident, IncidentAction
from gisioc.texts import Text


def _label(choices: Any, value: Any) -> dict[str, str]:
    return Text.of(str(choices(value).label)).as_dict()


def _lonlat(geom: Any) -> dict[str, float | None]:
    return {"lon": geom.x if geom else None, "lat": geom.y if geom else None}


def _event(ev: CameraEvent) -> dict[str, Any]:
    return {
        "id": ev.pk,
        "kind": ev.kind,
        "label": _label(CameraEvent.Kind, ev.kind),
        "confidence": ev.confidence,
        "occurred_at": ev.occurred_at.isoformat(),
        "camera_id": ev.camera_id,
        "camera": ev.camera.facility.name,
        "status": ev.status,
        **_lonlat(ev.geom),
    }


def _report(rp: Report) -> dict[str, Any]:
    return {
        "id": rp.pk,
        "ticket": rp.ticket,
        "category": rp.category,
        "status": rp.status,
        "status_label": _label(Report.Status, rp.status),
        "received_at": rp.received_at.isoformat(),
        **_lonlat(rp.geom),
    }


def _facility(f: Facility) -> dict[str, Any]:
    return {
        "id": f.pk,
        "code": f.code,
        "name": f.name,
        "kind": f.kind,
        "kind_label": _label(Facility.Kind, f.kind),
        "subtype": f.subtype,
        **_lonlat(f.geom),
    }


def _distance(row: Any) -> dict[str, float]:
    return {"distance_m": round(float(row.distance), 1)}


def _action(a: IncidentAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "at": a.at.isoformat(),
        "action": a.action,
        "action_label": _label(IncidentAction.Action, a.action),
        "actor": a.actor_label,
        "agency": {"id": a.agency_id, "code": a.agency.code, "name": a.agency.name}
        if a.agency_id
        else None,
        "assignee": a.assignee,
        "severity": a.severity,
        "text": a.text,
    }


def incident_brief(incident: Incident) -> dict[str, Any]:
    """An incident as a GeoJSON feature with what a list and the map app's record view show
    (`name` its title, `labels` its choices' vi/en names)."""
    unit = incident.unit
    return {
        "type": "Feature",
        "id": incident.pk,
        "geometry": {"type": "Point", "coordinates": [incident.geom.x, incident.geom.y]},
        "properties": {
            "id": incident.pk,
            "name": incident.title,
            "kind": incident.kind,
            "severity": incident.severity,
            "status": incident.status,
            "radius_m": incident.radius_m,
            "unit_id": unit.pk if unit else None,
            "unit_name": unit.name if unit else None,
            "opened_at": incident.opened_at.isoformat(),
            "closed_at": incident.closed_at.isoformat() if incident.closed_at else None,
            "labels": {
                "kind": _label(Incident.Kind, incident.kind),
                "severity": _label(Incident.Severity, incident.severity),
                "status": _label(Incident.Status, incident.status),
            },
        },
    }


def incident_detail(incident: Incident, user: User | None) -> dict[str, Any]:
    """An incident with its summary and, as the feature's member `incident`, its links,
    timeline and what the user may do (the map app's incident panel reads them)."""
    feature = incident_brief(incident)
    actions = list(incident.actions.select_related("agency").order_by("at", "id"))
    events = incident.events.select_related("camera__facility").order_by("-occurred_at")
    cameras = incident.cameras.select_related("facility").order_by("facility__name")
    can = []
    if incident.status == Incident.Status.OPEN:
        if rules.may_act(user, incident.unit_id, note=True):
            can.append("note")
        if rules.may_act(user, incident.unit_id):
            can += ["attach", "assign", "severity", "close"]
    opened_by = next((a.actor_label for a in actions if a.action == "opened"), "")
    props = feature["properties"]
    # The record view lists the properties; the incident's panel shows the rest, labelled.
    facts = {k: props.pop(k) for k in ("kind", "severity", "radius_m", "opened_at", "closed_at")}
    props["labels"] = {"status": props["labels"]["status"]}
    feature["incident"] = {
        **facts,
        "kind_label": _label(Incident.Kind, incident.kind),
        "severity_label": _label(Incident.Severity, incident.severity),
        "opened_by": opened_by,
        "summary": incident.summary,
        "events": [_event(e) for e in events],
        "reports": [_report(r) for r in incident.reports.order_by("-received_at")],
        "cameras": [
            {"id": c.pk, "name": c.facility.name, "status": c.status, **_lonlat(c.facility.geom)}
            for c in cameras
        ],
        "actions": [_action(a) for a in actions],
        "can": can,
    }
    return feature


def incident_near(incident: Incident, user: User | None, *, hours: int) -> dict[str, Any]:
    """What lies within the incident's radius: camera events, open reports, cameras,
    schools and health facilities, each nearest first with its distance."""
    cameras = selectors.cameras_near(incident)
    return {
        "id": incident.pk,
        "center": _lonlat(incident.geom),
        "radius_m": incident.radius_m,
        "hours": hours,
        "events": [
            {**_event(e), **_distance(e)}
            for e in selectors.events_near(incident, user, hours=hours)
        ],
        "reports": [{**_report(r), **_distance(r)} for r in selectors.reports_near(incident, user)],
        "cameras": [
            {**_facility(f), "camera_id": f.camera.pk, "status": f.camera.status, **_distance(f)}
            for f in cameras
        ],
        "facilities": [
            {**_facility(f), **_distance(f)} for f in selectors.facilities_near(incident)
        ],
    }
