"""The incidents API under /api/incidents/: the list (GeoJSON), open one, its detail, what is
near it and its actions (note, assign, link, severity, close). Staff only; who may do what is
`gisioc.incidents.rules`. Thin: writes go through `services`, reads through `selectors`."""

from typing import Any

from django.contrib.gis.geos import Point
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gisioc import params
from gisioc.errors import Forbidden, InvalidInput, NotFound
from gisioc.geo.access import user_role
from gisioc.incidents import present, rules, selectors, services
from gisioc.incidents.models import Incident
from gisioc.params import body_fields

DETAIL = OpenApiResponse(OpenApiTypes.OBJECT, description="The incident (a GeoJSON feature)")
CONFLICT = OpenApiResponse(description="The incident is closed")
ACTIONS = ("note", "assign", "severity", "attach", "close")
STATUSES = ("open", "closed", "all")
BODY = {"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT}


def _reader(request: Request) -> None:
    if user_role(request.user) not in rules.READERS:
        raise Forbidden("Chỉ cán bộ được xem sự việc.", "Only staff read incidents.")


def _incident(request: Request, pk: int) -> Incident:
    _reader(request)
    found = selectors.incidents_readable(request.user).filter(pk=pk).first()
    if found is None:
        raise NotFound("Không có sự việc này.", "No such incident.")
    return found


def _str(data: Any, key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise InvalidInput(f"{key} phải là văn bản.", f"{key} must be text.", field=key)
    return str(value).strip()


def _number(data: Any, key: str, kind: type, *, required: bool = True) -> Any:
    raw = _str(data, key)
    if not raw:
        if required:
            raise InvalidInput(f"Thiếu {key}.", f"{key} is required.", field=key)
        return None
    try:
        return kind(raw)
    except ValueError as exc:
        raise InvalidInput(f"{key} phải là số.", f"{key} must be a number.", field=key) from exc


def _detail(request: Request, incident: Incident, status: int = 200) -> Response:
    return Response(present.incident_detail(incident, request.user), status=status)


class IncidentListView(APIView):
    """Incidents: the list (GET) and opening one (POST)."""

    queryset = Incident.objects.all()

    @extend_schema(
        operation_id="incidents_list",
        parameters=[
            OpenApiParameter("status", str, enum=STATUSES, description="Default: open"),
            OpenApiParameter("limit", int, description="At most this many (default 200, ≤ 500)"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="FeatureCollection")},
    )
    def get(self, request: Request) -> Response:
        """The incidents the user reads, newest first, as a GeoJSON FeatureCollection."""
        _reader(request)
        query = request.query_params
        status = query.get("status") or "open"
        if status not in STATUSES:
            raise InvalidInput("status: open, closed hoặc all.", "status: open, closed or all.")
        limit = params.int_param(query, "limit", bounds=(1, 500), default=200) or 200
        rows = selectors.incidents_readable(request.user)
        if status != "all":
            rows = rows.filter(status=status)
        features = [present.incident_brief(i) for i in rows[:limit]]
        return Response({"type": "FeatureCollection", "count": len(features), "features": features})

    @extend_schema(
        operation_id="incidents_open",
        request=BODY,
        responses={201: DETAIL},
    )
    def post(self, request: Request) -> Response:
        """Open an incident: kind, severity (1–4), title, lon, lat, radius_m, note, events
        and reports (ids) to link."""
        _reader(request)
        data = body_fields(request)
        lon = _number(data, "lon", float)
        lat = _number(data, "lat", float)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise InvalidInput("Tọa độ ngoài phạm vi.", "Coordinates out of range.", field="lon")
        ids = {}
        for key in ("events", "reports"):
            value = data.get(key) or []
            if not isinstance(value, list) or not all(
                isinstance(x, int) and not isinstance(x, bool) for x in value
            ):
                raise InvalidInput(
                    f"{key} là danh sách mã số.", f"{key} is a list of ids.", field=key
                )
            ids[key] = value[:50]
        incident = services.incident_open(
            actor=request.user,
            kind=_str(data, "kind"),
            severity=_number(data, "severity", int),
            point=Point(lon, lat, srid=4326),
            title=_str(data, "title"),
            note=_str(data, "note"),
            radius_m=_number(data, "radius_m", int, required=False) or 1000,
            **ids,
        )
        return _detail(request, incident, status=201)


class IncidentDetailView(APIView):
    """One incident."""

    queryset = Incident.objects.all()

    @extend_schema(operation_id="incidents_detail", responses={200: DETAIL})
    def get(self, request: Request, pk: int) -> Response:
        """The incident with its links, timeline, summary and the user's allowed actions."""
        return _detail(request, _incident(request, pk))


class IncidentNearView(APIView):
    """What lies within an incident's radius."""

    queryset = Incident.objects.all()

    @extend_schema(
        operation_id="incidents_near",
        parameters=[
            OpenApiParameter(
                "hours",
                int,
                description="Camera events since this long before "
                "the incident opened (default 24, ≤ 168)",
            ),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="Within the radius")},
    )
    def get(self, request: Request, pk: int) -> Response:
        """Camera events, open reports, cameras, schools and health facilities within the
        incident's radius, each nearest first with its distance in metres."""
        incident = _incident(request, pk)
        hours = params.int_param(request.query_params, "hours", bounds=(1, 168), default=24)
        return Response(present.incident_near(incident, request.user, hours=hours or 24))


class IncidentActionView(APIView):
    """One step on an incident."""

    queryset = Incident.objects.all()

    @extend_schema(
        operation_id="incidents_action",
        request=BODY,
        responses={200: DETAIL, 409: CONFLICT},
    )
    def post(self, request: Request, pk: int) -> Response:
        """`action`: note (text), assign (agency id and/or person, text), severity
        (severity, text), attach (event or report id), close (summary); answers the detail."""
        incident = _incident(request, pk)
        data = body_fields(request)
        action = _str(data, "action")
        if action not in ACTIONS:
            raise InvalidInput(
                f"action là một trong: {', '.join(ACTIONS)}.",
                f"action is one of: {', '.join(ACTIONS)}.",
                field="action",
            )
        user, text = request.user, _str(data, "text")
        match action:
            case "note":
                services.incident_note(actor=user, incident=incident, text=text)
            case "assign":
                agency = _number(data, "agency", int, required=False)
                person = _str(data, "person")
                services.incident_assign(
                    actor=user, incident=incident, agency=agency, person=person, text=text
                )
            case "severity":
                level = _number(data, "severity", int)
                services.incident_severity(actor=user, incident=incident, severity=level, text=text)
            case "attach":
                event = _number(data, "event", int, required=False)
                report = _number(data, "report", int, required=False)
                services.incident_attach(actor=user, incident=incident, event=event, report=report)
            case "close":
                services.incident_close(
                    actor=user, incident=incident, summary=_str(data, "summary")
                )
        incident.refresh_from_db()
        return _detail(request, incident)
