"""What the public may read of reports: nearby open ones, one report's tracking, the public
list and counts. Never a reporter's name, phone or e-mail, the raw description or address."""

import datetime as dt
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db.models import Count, QuerySet

from gisioc.errors import InvalidInput, NotFound
from gisioc.feedback import services
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.media import media_url
from gisioc.feedback.models import Report, ReportEvent, ReportMedia
from gisioc.feedback.selectors import reports_public, reports_within
from gisioc.geo.selectors import vietnam_today
from gisioc.periods import Period, period_bounds, vietnam_date
from gisioc.texts import Text

Status = Report.Status
NEARBY_M = 300
NEARBY_MAX = 5
SHORT = 160  # characters of public text in lists
WAITING = Text("Nội dung đang chờ xác minh.", "The text is waiting to be verified.")


def label(choice: Any) -> dict[str, str]:
    """A choice's label as {vi, en}."""
    return Text.of(choice.label).as_dict()


def shorten(text: str, size: int = SHORT) -> str:
    """The text cut at a word near `size` characters, with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def ticket_get(ticket: str) -> Report:
    """The report of a ticket (any case); NotFound otherwise."""
    report = (
        Report.objects.select_related("agency", "merged_into", "unit")
        .filter(ticket=(ticket or "").strip().upper())
        .first()
    )
    if report is None:
        raise NotFound(
            f"Không có phản ánh mã {ticket}.", f"No report with ticket {ticket}.", field="ticket"
        )
    return report


def category_check(code: str | None, *, required: bool = False) -> str | None:
    """A category code, checked; None when absent and not required."""
    if not code and not required:
        return None
    if code not in BY_CODE:
        raise InvalidInput(
            f"Không có lĩnh vực «{code or ''}».", f"No category '{code or ''}'.", field="category"
        )
    return code


def _public_media(report: Report, stage: str) -> list[dict[str, Any]]:
    """Media of a stage the public may see: not hidden; blurred ones by their public copy only."""
    items = []
    for item in report.media.filter(stage=stage, hidden=False).order_by("id"):
        photo = item.kind == ReportMedia.Kind.PHOTO
        thumb = item.public_file or item.thumb or item.file
        items.append(
            {
                "kind": item.kind,
                "url": media_url(item.public_file or item.file),
                "thumb": media_url(thumb) if photo else None,
                "content_type": item.content_type,
            }
        )
    return items


def first_thumb(report: Report) -> str | None:
    """The first public photo's thumbnail URL of a verified report, if any."""
    photos = [m for m in _public_media(report, ReportMedia.Stage.REPORT) if m["thumb"]]
    return photos[0]["thumb"] if photos else None


def nearby(*, category: str, lon: float, lat: float) -> list[dict[str, Any]]:
    """Open public reports of the category within NEARBY_M metres, closest first."""
    rows = reports_public().filter(status__in=services.OPEN, category=category)
    found = reports_within(rows, lon=lon, lat=lat, radius=NEARBY_M)[:NEARBY_MAX]
    answer = []
    for report in found:
        answer.append(
            {
                "ticket": report.ticket,
                "public_text": shorten(report.public_text),
                "status": report.status,
                "status_label": label(Status(report.status)),
                "distance_m": round(report.distance),
                "received_on": vietnam_date(report.received_at),
                "followers": report.followers,
                "thumb": first_thumb(report),
            }
        )
    return answer


def _step(event: ReportEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "action": event.action,
        "label": label(ReportEvent.Action(event.action)),
        "status": event.to_status,
        "agency": event.agency.name if event.agency else None,
        "due_on": event.due_on,
        "note": event.note,
    }


def track(report: Report, *, secret_ok: bool = False) -> dict[str, Any]:
    """One report as the public reads it by its ticket."""
    verified = report.verified_at is not None and report.status != Status.REJECTED
    published = report.status in (Status.PUBLISHED, Status.CLOSED)
    category = BY_CODE[report.category]
    steps = report.events.filter(public=True).select_related("agency").order_by("at", "id")
    can_rate = published and report.rated_at is None
    return {
        "ticket": report.ticket,
        "category": report.category,
        "category_title": category.title.as_dict(),
        "status": report.status,
        "status_label": label(Status(report.status)),
        "received_at": report.received_at,
        "due_on": report.due_on,
        "overdue": services.overdue_on(report, vietnam_today()),
        "agency": report.agency.name if report.agency and verified else None,
        "unit_name": report.unit.name if report.unit else None,
        "verified": verified,
        "public_text": report.public_text if verified else "",
        "waiting": None if verified else WAITING.as_dict(),
        "steps": [_step(e) for e in steps],
        "media": _public_media(report, ReportMedia.Stage.REPORT) if verified else [],
        "result": report.result if published else "",
        "result_media": _public_media(report, ReportMedia.Stage.RESULT) if published else [],
        "followers": report.followers,
        "can_rate": can_rate,
        "may_rate": can_rate and secret_ok,
        "satisfied": report.satisfied if report.rated_at else None,
        "merged_into": report.merged_into.ticket if report.merged_into else None,
        "rejection": (
            label(Report.Rejection(report.rejection))
            if report.status == Status.REJECTED and report.rejection
            else None
        ),
        "location": (
            [round(report.geom.x, 5), round(report.geom.y, 5)]
            if verified and report.geom is not None
            else None
        ),
    }


def public_reports(
    *,
    category: str | None = None,
    status: str | None = None,
    commune: int | None = None,
    period: Period | None = None,
    bbox: tuple[float, float, float, float] | None = None,
) -> QuerySet[Report]:
    """Reports the public sees on the map and the list, newest first, with the filters."""
    if status and status not in services.PUBLIC:
        names = ", ".join(sorted(services.PUBLIC))
        raise InvalidInput(
            f"Trạng thái phải là một trong: {names}.",
            f"The status must be one of: {names}.",
            field="status",
        )
    rows = reports_public().filter(geom__isnull=False)
    if category:
        rows = rows.filter(category=category)
    if status:
        rows = rows.filter(status=status)
    if commune is not None:
        rows = rows.filter(unit_id=commune)
    if period is not None:
        start, end, _ = period_bounds(period)
        rows = rows.filter(received_at__gte=start, received_at__lt=end)
    if bbox is not None:
        rows = rows.filter(geom__intersects=Polygon.from_bbox(bbox))
    return rows.select_related("agency").order_by("-received_at", "-id")


def feature(report: Report, today: dt.date) -> dict[str, Any]:
    """A public report as a GeoJSON feature."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [report.geom.x, report.geom.y]},
        "properties": {
            "ticket": report.ticket,
            "category": report.category,
            "status": report.status,
            "received_on": vietnam_date(report.received_at).isoformat(),
            "public_text": shorten(report.public_text),
            "agency": report.agency.name if report.agency else None,
            "due_on": report.due_on.isoformat() if report.due_on else None,
            "overdue": services.overdue_on(report, today),
            "unit_id": report.unit_id,
        },
    }


def counts(rows: QuerySet[Report]) -> dict[str, Any]:
    """Public reports per commune and status; whether any commune's boundary is approximate."""
    grouped = (
        rows.order_by()
        .values("unit_id", "unit__code", "unit__name", "unit__version__approximate", "status")
        .annotate(n=Count("id"))
    )
    units: dict[int | None, dict[str, Any]] = {}
    approximate = False
    for row in grouped:
        unit = units.setdefault(
            row["unit_id"],
            {
                "unit_id": row["unit_id"],
                "code": row["unit__code"],
                "name": row["unit__name"],
                "total": 0,
                "by_status": {},
            },
        )
        unit["by_status"][row["status"]] = row["n"]
        unit["total"] += row["n"]
        approximate = approximate or bool(row["unit__version__approximate"])
    ordered = sorted(units.values(), key=lambda u: (-u["total"], u["name"] or ""))
    return {"units": ordered, "total": sum(u["total"] for u in ordered), "approximate": approximate}
