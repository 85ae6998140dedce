"""Reads of Open311's requests: the public reports, filtered as GeoReport v2 asks, and each as
the spec's service request. Nothing personal is read: not the reporter, the description or
the address as given, only the public text, the commune and the public steps."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.models import Report, ReportEvent, ReportMedia
from gisioc.feedback.open311.definitions import notice, say
from gisioc.feedback.open311.render import Open311Error, number_param
from gisioc.feedback.selectors import reports_public
from gisioc.periods import VIETNAM
from gisioc.texts import Text

Status, Action = Report.Status, ReportEvent.Action
CLOSED = frozenset({Status.RESOLVED, Status.PUBLISHED, Status.CLOSED, Status.MERGED})
WINDOW = dt.timedelta(days=90)  # the spec's default span when no dates are given
PAGE_SIZE, MAX_PAGE_SIZE = 200, 1000
MAX_RADIUS_M = 50_000
MAX_IDS = 100
STEPS = {
    Action.RECEIVE: Text("Đã tiếp nhận phản ánh", "Report received"),
    Action.VERIFY: Text("Đã xác minh, đang chuyển cơ quan xử lý", "Verified, being forwarded"),
    Action.START: Text("Cơ quan chức năng đang xử lý", "The agency is working on it"),
    Action.RESOLVE: Text("Đã xử lý, chờ công khai kết quả", "Resolved, result to be published"),
    Action.EXTEND: Text("Đã gia hạn thời gian xử lý", "The deadline was extended"),
    Action.CLOSE: Text("Đã đóng", "Closed"),
}


def public_reports() -> QuerySet[Report]:
    """Reports the public may see, with what a service request shows of them."""
    steps = ReportEvent.objects.filter(public=True).select_related("agency").order_by("at", "id")
    photos = ReportMedia.objects.filter(kind=ReportMedia.Kind.PHOTO, hidden=False)
    return (
        reports_public()
        .select_related("agency", "unit")
        .prefetch_related(
            Prefetch("events", queryset=steps, to_attr="steps"),
            Prefetch("media", queryset=photos.order_by("stage", "id"), to_attr="photos"),
        )
    )


def _csv(value: str | None, name: str) -> list[str]:
    items = [v.strip() for v in (value or "").split(",") if v.strip()]
    if len(items) > MAX_IDS:
        raise Open311Error(400, f"{name}: tối đa {MAX_IDS} giá trị.", f"{name}: at most {MAX_IDS}.")
    return items


def _moment(value: str | None, name: str, end: bool = False) -> dt.datetime | None:
    """An ISO 8601 time (a bare date is its whole Vietnam day); 400 when unreadable."""
    if not value:
        return None
    text = value.strip().replace(" ", "+")  # a '+' of an offset unescaped in a query string
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time(), VIETNAM)
    if moment is None:
        raise Open311Error(
            400,
            f"{name} phải là thời điểm ISO 8601, ví dụ 2026-11-05T08:15:30+07:00.",
            f"{name} must be an ISO 8601 time, e.g. 2026-11-05T08:15:30+07:00.",
        )
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=VIETNAM)


def _place(reports: QuerySet[Report], params: QueryDict) -> QuerySet[Report]:
    """Near lat/long within `radius` metres (1 km when not given), or inside a bbox."""
    lat = number_param(params, "lat", -90, 90)
    lon = number_param(params, "long", -180, 180)
    if (lat is None) != (lon is None):
        raise Open311Error(400, "Cần cả lat và long.", "Give both lat and long.")
    if lat is not None and lon is not None:
        radius = number_param(params, "radius", 1, MAX_RADIUS_M) or 1000
        reports = reports.filter(geom__distance_lte=(Point(lon, lat, srid=4326), D(m=radius)))
    if params.get("bbox"):
        try:
            box = [float(v) for v in params["bbox"].split(",")]
        except ValueError:
            box = []
        if len(box) != 4 or not (box[0] < box[2] and box[1] < box[3]):
            raise Open311Error(
                400,
                "bbox phải là minlon,minlat,maxlon,maxlat.",
                "bbox must be minlon,minlat,maxlon,maxlat.",
            )
        reports = reports.filter(geom__within=Polygon.from_bbox(box))
    return reports


def _status(reports: QuerySet[Report], params: QueryDict) -> QuerySet[Report]:
    wanted = {s.lower() for s in _csv(params.get("status"), "status")}
    if wanted - {"open", "closed"}:
        raise Open311Error(
            400, "status phải là open hoặc closed.", "status must be open or closed."
        )
    if wanted == {"open"}:
        return reports.exclude(status__in=CLOSED)
    if wanted == {"closed"}:
        return reports.filter(status__in=CLOSED)
    return reports


def requests_filter(params: QueryDict) -> tuple[QuerySet[Report], int, int]:
    """The public reports the query asks for, newest first; with the page and its size.

    `service_request_id` (a list of tickets) overrides every other filter, as in the spec."""
    reports = public_reports().order_by("-received_at", "-id")
    page = int(number_param(params, "page", 1, 10**6) or 1)
    size = int(number_param(params, "page_size", 1, MAX_PAGE_SIZE) or PAGE_SIZE)
    ids = _csv(params.get("service_request_id"), "service_request_id")
    if ids:
        return reports.filter(ticket__in=[i.upper() for i in ids]), page, size
    codes = _csv(params.get("service_code"), "service_code")
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown:
        raise Open311Error(
            400,
            f"Không có service_code: {', '.join(unknown)[:80]}.",
            f"No service_code: {', '.join(unknown)[:80]}.",
        )
    if codes:
        reports = reports.filter(category__in=codes)
    start = _moment(params.get("start_date"), "start_date")
    end = _moment(params.get("end_date"), "end_date", end=True)
    if start and end and start > end:
        raise Open311Error(
            400, "start_date phải trước end_date.", "start_date must be before end_date."
        )
    end = end or (start + WINDOW if start else timezone.now())
    start = start or end - WINDOW
    reports = reports.filter(received_at__gte=start, received_at__lt=end)
    return _place(_status(reports, params), params), page, size


def request_get(ticket: str) -> Report:
    """One public report by its ticket; 404 when unknown or not public."""
    report = public_reports().filter(ticket=ticket.strip().upper()).first()
    if report is None:
        raise Open311Error(
            404,
            f"Không có yêu cầu (service_request_id) «{ticket[:40]}» công khai.",
            f"No public service request '{ticket[:40]}'.",
        )
    return report


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds") if moment else None


def status_notes(report: Report, en: bool) -> str:
    """The public side of where the report stands: the result once published, else its last
    public step (the agency named when it was forwarded)."""
    if report.status in (Status.PUBLISHED, Status.CLOSED) and report.result:
        return report.result
    steps = getattr(report, "steps", None) or list(report.events.filter(public=True))
    for step in reversed(steps):
        if step.action in (Action.ASSIGN, Action.REASSIGN):
            name = step.agency.name if step.agency else ""
            return f"Forwarded to {name}" if en else f"Đã chuyển {name} xử lý"
        if step.action in STEPS:
            return say(STEPS[step.action], en)
    return ""


def media_url(report: Report, base: str) -> str:
    """The absolute URL of the report's first public photo (the blurred copy if blurred)."""
    photos = getattr(report, "photos", None)
    if photos is None:
        photos = list(report.media.filter(kind=ReportMedia.Kind.PHOTO, hidden=False))
    published = report.status in (Status.PUBLISHED, Status.CLOSED)
    for photo in photos:
        if photo.stage == ReportMedia.Stage.REPORT or published:
            name = (photo.public_file or photo.file).rsplit("/", 1)[-1]
            return base + reverse("feedback-media", args=[name])
    return ""


def service_request(report: Report, *, base: str, en: bool) -> dict[str, Any]:
    """A report as the spec's service request (nothing personal)."""
    category = BY_CODE[report.category]
    steps = getattr(report, "steps", None) or []
    due = report.due_on and dt.datetime.combine(report.due_on, dt.time(23, 59, 59), VIETNAM)
    point = report.geom
    return {
        "service_request_id": report.ticket,
        "status": "closed" if report.status in CLOSED else "open",
        "status_notes": status_notes(report, en),
        "service_name": say(category.title, en),
        "service_code": category.code,
        "description": report.public_text,
        "agency_responsible": report.agency.name if report.agency else "",
        "service_notice": notice(category, en),
        "requested_datetime": _iso(report.received_at),
        "updated_datetime": _iso(max((s.at for s in steps), default=report.received_at)),
        "expected_datetime": _iso(due),
        "address": report.unit.name if report.unit else "",
        "address_id": "",
        "zipcode": "",
        "lat": round(point.y, 6) if point else None,
        "long": round(point.x, 6) if point else None,
        "media_url": media_url(report, base),
    }


def service_requests(reports: Iterable[Report], *, base: str, en: bool) -> list[dict[str, Any]]:
    """Each report as a service request."""
    return [service_request(r, base=base, en=en) for r in reports]
