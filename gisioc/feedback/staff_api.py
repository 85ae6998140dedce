"""The staff's report API under /api/feedback/: a report's detail and workflow actions, the 1022
operator's intake, an agency's queue, the leaders' overdue lists, reports near a field officer
and the agencies to assign to. Signed-in staff only (sessions with CSRF, as the map app);
who may read and do what is `gisioc.feedback.staff` (its docstring states the rule)."""

import datetime as dt
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import params
from gisioc.errors import InvalidInput, NotFound
from gisioc.feedback import services, staff
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.models import Report, ReportMedia
from gisioc.geo.geocoder import geocode_address
from gisioc.geo.models import AdminUnit, Facility
from gisioc.pagination import LimitOffset
from gisioc.params import body_fields

Status = Report.Status
INTAKE_CHANNELS = ("hotline", "zalo", "facebook", "email", "chatbot")
MEDIA_OPS = ("hide", "blur", "show")
RADIUS = (10.0, 50_000.0)
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
DETAIL = OpenApiResponse(OpenApiTypes.OBJECT, description="The report as staff read it")
CONFLICT = OpenApiResponse(description="The report's status does not allow this step")
PAGE = [
    OpenApiParameter("limit", int, description="Rows per page (at most 2000)"),
    OpenApiParameter("offset", int, description="Rows to skip"),
]


def _text(data: Any, key: str, *, required: bool = False, limit: int = 2000) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{key} phải là văn bản.", f"{key} must be text.", field=key)
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"Thiếu {key}.", f"{key} is required.", field=key)
    if len(value) > limit:
        raise InvalidInput(
            f"{key} dài quá {limit} ký tự.", f"{key} is longer than {limit} characters.", field=key
        )
    return value


def _detail(request: Request, report: Report, status: int = 200) -> Response:
    return Response(staff.report_detail(report, request.user), status=status)


@extend_schema(operation_id="feedback_staff_report", responses={200: DETAIL})
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def report_view(request: Request, ticket: str) -> Response:
    """A report as staff read it: reporter, description, history, media, allowed actions."""
    staff.staff_require(request.user)
    return _detail(request, staff.report_for(request.user, ticket))


def _agency_of(data: Any) -> Facility | None:
    code = _text(data, "agency", limit=40)
    if not code:
        return None
    agency = Facility.objects.filter(kind=Facility.Kind.AGENCY, code=code).first()
    if agency is None:
        raise InvalidInput(f"Không có cơ quan {code}.", f"No agency {code}.", field="agency")
    return agency


def _days(data: Any) -> int:
    raw = data.get("days", "")
    return params.int_parse(str(raw).strip(), "days", bounds=(1, 30))


def _merge_target(request: Request, data: Any) -> Report:
    ticket = _text(data, "into", required=True, limit=20).upper()
    into = staff.reports_readable(request.user).filter(ticket=ticket).first()
    if into is None:
        raise NotFound(f"Không có phản ánh {ticket}.", f"No report {ticket}.", field="into")
    return into


def _resolve(request: Request, report: Report, data: Any) -> Report:
    photos = request.FILES.getlist("photos") if hasattr(request, "FILES") else []
    with transaction.atomic():
        report = services.report_resolve(
            report=report,
            result=_text(data, "result"),
            note=_text(data, "note"),
            actor=request.user,
        )
        if photos:
            from gisioc.feedback.media import media_store  # the media helper's module

            for photo in photos[:5]:
                media_store(report=report, data=photo, stage="result", actor=request.user)
    return report


def _act(request: Request, report: Report, action: str) -> Report:
    data, user = body_fields(request), request.user
    note = _text(data, "note")
    match action:
        case "verify":
            return services.report_verify(report=report, actor=user, note=note)
        case "reject":
            reason = _text(data, "reason", required=True, limit=20)
            return services.report_reject(report=report, reason=reason, note=note, actor=user)
        case "assign":
            return services.report_assign(report=report, agency=_agency_of(data), note=note,
                                          actor=user)  # fmt: skip
        case "start":
            return services.report_start(report=report, actor=user, note=note)
        case "resolve":
            return _resolve(request, report, data)
        case "publish":
            return services.report_publish(report=report, actor=user, note=note)
        case "close":
            return services.report_close(report=report, actor=user, note=note)
        case "extend":
            return services.report_extend(report=report, days=_days(data), actor=user,
                                          reason=_text(data, "reason", required=True))  # fmt: skip
        case "merge":
            into = _merge_target(request, data)
            return services.report_merge(report=report, into=into, note=note, actor=user)
        case _:  # moderate
            text = _text(data, "public_text", required=True, limit=5000)
            return services.report_moderate_text(report=report, public_text=text, note=note,
                                                 actor=user)  # fmt: skip


@extend_schema(
    operation_id="feedback_staff_action",
    request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
    responses={200: DETAIL, 409: CONFLICT},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def action_view(request: Request, ticket: str, action: str) -> Response:
    """One workflow step (verify, reject, assign, start, resolve, publish, close, extend,
    merge, moderate); answers the updated detail."""
    staff.staff_require(request.user)
    if action not in staff.ACTIONS:
        raise NotFound(f"Không có thao tác «{action}».", f"No action '{action}'.")
    report = staff.report_for(request.user, ticket)
    staff.action_require(request.user, report, action)
    return _detail(request, _act(request, report, action))


@extend_schema(operation_id="feedback_staff_media", request=None, responses={200: DETAIL})
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def media_view(request: Request, ticket: str, media_id: int, op: str) -> Response:
    """Hide, blur or show again a photo for the public; the original stays for staff."""
    staff.staff_require(request.user)
    if op not in MEDIA_OPS:
        raise NotFound(f"Không có thao tác «{op}».", f"No media action '{op}'.")
    report = staff.report_for(request.user, ticket)
    staff.action_require(request.user, report, "moderate")
    item = ReportMedia.objects.filter(report=report, pk=media_id).first()
    if item is None:
        raise NotFound(f"Phản ánh {ticket} không có tệp {media_id}.", f"No media {media_id}.")
    from gisioc.feedback.media import media_moderate  # the media helper's module

    media_moderate(
        media=item, action=op, actor=request.user, note=_text(body_fields(request), "note")
    )
    return _detail(request, report)


def _call_at(data: Any) -> dt.datetime:
    raw = _text(data, "call_at", limit=40)
    if not raw:
        return timezone.now()
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(
            "Thời điểm cuộc gọi không hợp lệ (ví dụ 2026-12-05T09:30).",
            "The call time is not valid (e.g. 2026-12-05T09:30).",
            field="call_at",
        ) from exc
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)  # the site's time zone: Vietnam
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput(
            "Thời điểm cuộc gọi ở tương lai.", "The call time is in the future.", field="call_at"
        )
    return moment


def _place(data: Any) -> dict[str, Any]:
    lon, lat = data.get("lon"), data.get("lat")
    if lon not in (None, "") or lat not in (None, ""):
        x = params.float_parse(str(lon or "").strip(), "lon", bounds=(-180, 180))
        y = params.float_parse(str(lat or "").strip(), "lat", bounds=(-90, 90))
        return {"point": Point(x, y, srid=4326)}
    unit_raw = str(data.get("unit") or "").strip()
    if unit_raw:
        unit_id = params.int_parse(unit_raw, "unit", bounds=params.ID)
        if not AdminUnit.objects.filter(pk=unit_id).exists():
            raise InvalidInput(f"Không có đơn vị {unit_id}.", f"No unit {unit_id}.", field="unit")
        return {"unit_id": unit_id}
    address = _text(data, "address", limit=300)
    if address:
        found = geocode_address(text=address, on=timezone.localdate())
        return {"unit_id": found.unit_id}
    return {}


def _flag(data: Any, key: str, default: bool) -> bool:
    raw = data.get(key)
    if raw in (None, ""):
        return default
    return raw is True or str(raw).strip().lower() in ("1", "true", "on", "yes")


@extend_schema(
    operation_id="feedback_staff_hotline",
    request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
    responses={201: DETAIL},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def hotline_view(request: Request) -> Response:
    """The 1022 operator's form: a call (or a message typed in from Zalo, Facebook, e-mail,
    the chatbot) becomes a report; the caller's phone and name stay private."""
    staff.intake_require(request.user)
    data = body_fields(request)
    channel = _text(data, "channel", limit=10) or "hotline"
    if channel not in INTAKE_CHANNELS:
        raise InvalidInput(
            f"Kênh phải là một trong: {', '.join(INTAKE_CHANNELS)}.",
            f"The channel must be one of: {', '.join(INTAKE_CHANNELS)}.",
            field="channel",
        )
    category = _text(data, "category", required=True, limit=24)
    if category not in BY_CODE:
        raise InvalidInput(
            f"Không có lĩnh vực «{category}».", f"No category '{category}'.", field="category"
        )
    report = services.report_receive(
        category=category,
        description=_text(data, "description", required=True, limit=5000),
        title=_text(data, "title", limit=200),
        channel=channel,
        address=_text(data, "address", limit=300),
        call_at=_call_at(data) if channel == "hotline" else None,
        reporter_name=_text(data, "name", limit=120),
        reporter_phone=_text(data, "phone", limit=20),
        reporter_email=_text(data, "email", limit=200),
        anonymous=_flag(data, "anonymous", True),
        source=f"staff-{channel}",
        actor=request.user,
        **_place(data),
    )
    return _detail(request, report, status=201)


def _paged(
    request: Request, rows: QuerySet[Report], today: dt.date, extra: dict[str, Any]
) -> Response:
    paginator = LimitOffset()
    page = paginator.paginate_queryset(rows.select_related("agency", "unit"), request)
    response = paginator.get_paginated_response([staff.report_brief(r, today) for r in page])
    response.data.update(extra)
    return response


@extend_schema(
    operation_id="feedback_staff_queue",
    parameters=[
        OpenApiParameter(
            "agency", str, description="Agency code (default: yours; none: every open report)"
        ),
        *PAGE,
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def queue_view(request: Request) -> Response:
    """An agency's open reports (the user's agency by default; without one, every open report
    the user reads): overdue first, then by deadline, with working days left."""
    staff.staff_require(request.user)
    code = request.query_params.get("agency", "").strip()
    agency = staff.member_agency(request.user)
    if code:
        agency = Facility.objects.filter(kind=Facility.Kind.AGENCY, code=code).first()
        if agency is None:
            raise InvalidInput(f"Không có cơ quan {code}.", f"No agency {code}.", field="agency")
    today = staff.vietnam_today()
    rows = staff.reports_readable(request.user).filter(status__in=services.OPEN)
    if agency is not None:
        rows = rows.filter(agency=agency)
    extra = {"agency": staff.agency_brief(agency)}
    return _paged(request, staff.overdue_first(rows, today), today, extra)


@extend_schema(
    operation_id="feedback_staff_overdue", parameters=PAGE, responses={200: OpenApiTypes.OBJECT}
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def overdue_view(request: Request) -> Response:
    """Overdue reports today (Vietnam): counts by agency and by commune, and the list."""
    staff.staff_require(request.user)
    today = staff.vietnam_today()
    rows = staff.reports_readable(request.user).filter(status__in=services.OPEN, due_on__lt=today)
    return _paged(
        request,
        rows.order_by("due_on", "received_at"),
        today,
        {
            "today": today,
            "by_agency": staff.overdue_counts(rows, "agency_id", "agency__name"),
            "by_commune": staff.overdue_by_commune(rows, today),
        },
    )


def _compass(bearing: float) -> str:
    return COMPASS[int((bearing % 360 + 22.5) // 45) % 8]


@extend_schema(
    operation_id="feedback_staff_near",
    parameters=[
        OpenApiParameter("lon", float, required=True),
        OpenApiParameter("lat", float, required=True),
        OpenApiParameter("radius", float, description="Metres (default 3000, at most 50000)"),
        OpenApiParameter("limit", int, description="At most this many (default 50, up to 200)"),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def near_view(request: Request) -> Response:
    """Open reports near a point by distance (metres), each with its compass bearing and a
    straight line from the point (no road network offline: not a road route)."""
    staff.staff_require(request.user)
    query = request.query_params
    lon = params.float_param(query, "lon", bounds=(-180, 180))
    lat = params.float_param(query, "lat", bounds=(-90, 90))
    if lon is None or lat is None:
        raise InvalidInput("Cần lon và lat.", "lon and lat are required.", field="lon")
    radius = params.float_param(query, "radius", bounds=RADIUS) or 3000.0
    limit = params.int_param(query, "limit", bounds=(1, 200), default=50) or 50
    rows = staff.reports_near(request.user, lon=lon, lat=lat, radius=radius, limit=limit)
    today = staff.vietnam_today()
    results = []
    for report in rows:
        bearing = float(report.bearing or 0.0)
        results.append(
            {
                **staff.report_brief(report, today),
                "distance_m": round(float(report.distance), 1),
                "bearing_deg": round(bearing, 1),
                "compass": _compass(bearing),
                "route": {
                    "type": "LineString",
                    "coordinates": [[lon, lat], [report.geom.x, report.geom.y]],
                },
            }
        )
    return Response(
        {
            "origin": {"lon": lon, "lat": lat},
            "radius_m": radius,
            "count": len(results),
            "results": results,
            "route_note": {
                "vi": "Đường thẳng từ vị trí của bạn, không phải đường đi theo đường bộ.",
                "en": "A straight line from your position, not a road route.",
            },
        }
    )


@extend_schema(operation_id="feedback_staff_agencies", responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def agencies_view(request: Request) -> Response:
    """Agencies in service, to assign reports to."""
    staff.staff_require(request.user)
    agencies = Facility.objects.filter(kind=Facility.Kind.AGENCY).in_service(staff.vietnam_today())
    mine = staff.member_agency(request.user)
    return Response(
        {
            "mine": mine.code if mine else None,
            "results": [staff.agency_brief(a) for a in agencies.order_by("name", "code")],
        }
    )


urlpatterns = [
    path("reports/<ticket:ticket>/", report_view, name="feedback-staff-report"),
    path(
        "reports/<ticket:ticket>/media/<int:media_id>/<str:op>/",
        media_view,
        name="feedback-staff-media",
    ),
    path("reports/<ticket:ticket>/<str:action>/", action_view, name="feedback-staff-action"),
    path("hotline/", hotline_view, name="feedback-staff-hotline"),
    path("queue/", queue_view, name="feedback-staff-queue"),
    path("overdue/", overdue_view, name="feedback-staff-overdue"),
    path("near/", near_view, name="feedback-staff-near"),
    path("agencies/", agencies_view, name="feedback-staff-agencies"),
]
