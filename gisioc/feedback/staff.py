"""Who on the staff may read and act on which report, and the staff's view of a report.

Reading: every signed-in role reads reports as `gisioc.geo.access.readable` says (unscoped
roles all, a commune officer those in their communes) and an agency member its agency's
reports too; a signed-in user with neither a role nor an agency reads nothing (403).

Acting (the workflow's steps, moderation, 1022 intake):
- leaders and administrators: every action on every report;
- a commune officer: every action on the reports in their scope (an out-of-scope ticket is
  not found: 404, as for reading);
- an agency member (`AgencyMember`): start, resolve, extend and moderate its agency's reports
  (a field officer or a GIS officer who is an agency member acts as one);
- planners, GIS officers and field staff otherwise read only (403 on every action).
1022 intake: leaders, administrators, commune officers and agency members (the 1022 centre is
an agency). Lists (queue, overdue, near, agencies) answer every staff reader within what they
read: a commune officer's overdue counts are their communes'. The reporter's name, phone and
e-mail appear in the detail only, never in lists; nothing here logs a request's body.
"""

import datetime as dt
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from gisioc import workdays
from gisioc.errors import Forbidden, NotFound
from gisioc.feedback import services
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.models import AgencyMember, Report, ReportEvent, ReportMedia
from gisioc.feedback.selectors import reports_within
from gisioc.geo import access
from gisioc.geo.models import AdminUnit, Facility, Role
from gisioc.geo.selectors import vietnam_today

Status = Report.Status
ACTIONS = ("verify", "reject", "assign", "start", "resolve", "publish", "close", "extend",
           "merge", "moderate")  # fmt: skip
AGENCY_ACTIONS = frozenset({"start", "resolve", "extend", "moderate"})
EVERYTHING = frozenset({Role.LEADER, Role.ADMIN})
ACTING_ROLES = EVERYTHING | {Role.COMMUNE_OFFICER}
# The statuses each action starts from (services.py decides; this only offers buttons).
FROM: dict[str, frozenset[str]] = {
    "verify": frozenset({Status.RECEIVED}),
    "reject": frozenset({Status.RECEIVED, Status.VERIFIED}),
    "assign": frozenset({Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS}),
    "start": frozenset({Status.ASSIGNED}),
    "resolve": frozenset({Status.ASSIGNED, Status.IN_PROGRESS}),
    "publish": frozenset({Status.RESOLVED}),
    "close": frozenset({Status.PUBLISHED}),
    "extend": services.OPEN,
    "merge": services.OPEN,
    "moderate": frozenset(Status),
}
MEDIA_URL = "/api/feedback/media/{}"


def _both(label: str) -> dict[str, str]:
    vi, _, en = label.partition(" / ")
    return {"vi": vi, "en": en or vi}


def member_agency(user: Any) -> Facility | None:
    """The agency the user works for, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    member = AgencyMember.objects.filter(user=user).select_related("agency").first()
    return member.agency if member else None


def staff_require(user: Any) -> Role | None:
    """The user's role; Forbidden for a signed-in user with neither a role nor an agency."""
    role = access.user_role(user)
    if role is None and member_agency(user) is None:
        raise Forbidden(
            "Chỉ cán bộ được xem phản ánh của công dân.", "Only staff read citizens' reports."
        )
    return role


def reports_readable(user: Any) -> QuerySet[Report]:
    """The reports the user reads: by the access rule, plus their agency's."""
    reports = Report.objects.all()
    role = access.user_role(user)
    agency = member_agency(user)
    scoped = access.readable(reports, user, access.STAFF) if role else reports.none()
    if agency is None:
        return scoped
    return reports.filter(Q(pk__in=scoped.values("pk")) | Q(agency=agency))


def report_for(user: Any, ticket: str) -> Report:
    """The report of a ticket as the user may read it; NotFound outside their reach."""
    report = reports_readable(user).filter(ticket=ticket).select_related("agency", "unit").first()
    if report is None:
        raise NotFound(f"Không có phản ánh {ticket}.", f"No report {ticket}.")
    return report


def _in_scope(user: Any, report: Report) -> bool:
    return access.scope_filter(Report.objects.filter(pk=report.pk), user).exists()


def actions_of(user: Any, report: Report) -> list[str]:
    """The actions the user may take on the report now (its status allowing)."""
    role = access.user_role(user)
    if role in EVERYTHING or (role == Role.COMMUNE_OFFICER and _in_scope(user, report)):
        mine = set(ACTIONS)
    elif (
        report.agency_id is not None
        and getattr(member_agency(user), "pk", None) == report.agency_id
    ):
        mine = set(AGENCY_ACTIONS)
    else:
        mine = set()
    return [a for a in ACTIONS if a in mine and report.status in FROM[a]]


def action_require(user: Any, report: Report, action: str) -> None:
    """Forbidden unless the user may take `action` on the report (whatever its status)."""
    role = access.user_role(user)
    if role in EVERYTHING or (role == Role.COMMUNE_OFFICER and _in_scope(user, report)):
        return
    agency = member_agency(user)
    if action in AGENCY_ACTIONS and agency is not None and agency.pk == report.agency_id:
        return
    raise Forbidden(
        "Bạn chỉ được xem phản ánh này, không được xử lý.",
        "You may read this report but not act on it.",
    )


def intake_require(user: Any) -> None:
    """Forbidden unless the user may take 1022 calls."""
    if access.user_role(user) in ACTING_ROLES or member_agency(user) is not None:
        return
    raise Forbidden(
        "Chỉ lãnh đạo, cán bộ xã và cán bộ cơ quan xử lý được tiếp nhận phản ánh.",
        "Only leaders, commune officers and agency staff take reports in.",
    )


def working_days_left(due_on: dt.date | None, today: dt.date) -> int | None:
    """Working days from today to the deadline (0 on it); negative: working days late."""
    if due_on is None:
        return None
    sign, first, last = (1, today, due_on) if due_on >= today else (-1, due_on, today)
    days, day = 0, first
    while day < last:
        day += workdays.DAY
        days += workdays.is_working(day)
    return sign * days


def agency_brief(facility: Facility | None) -> dict[str, Any] | None:
    if facility is None:
        return None
    return {"id": facility.pk, "code": facility.code, "name": facility.name}


def report_brief(report: Report, today: dt.date) -> dict[str, Any]:
    """A report in a staff list: no reporter, no raw description or address."""
    category = BY_CODE.get(report.category)
    point = report.geom
    return {
        "ticket": report.ticket,
        "id": report.pk,
        "category": report.category,
        "category_label": category.title.as_dict() if category else None,
        "title": report.title,
        "public_text": report.public_text[:280],
        "status": report.status,
        "status_label": _both(report.get_status_display()),
        "channel": report.channel,
        "agency": agency_brief(report.agency),
        "unit": {"id": report.unit_id, "name": report.unit.name} if report.unit_id else None,
        "received_at": report.received_at,
        "due_on": report.due_on,
        "overdue": services.overdue_on(report, today),
        "days_left": working_days_left(report.due_on, today)
        if report.status in services.OPEN
        else None,
        "lon": point.x if point else None,
        "lat": point.y if point else None,
    }


def _status_label(status: str) -> dict[str, str] | None:
    return _both(Status(status).label) if status in Status.values else None


def _event(event: ReportEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "actor": event.actor_label,
        "action": event.action,
        "action_label": _both(event.get_action_display()),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "from_label": _status_label(event.from_status),
        "to_label": _status_label(event.to_status),
        "agency": agency_brief(event.agency),
        "due_on": event.due_on,
        "note": event.note,
        "public": event.public,
    }


def _url(rel: str) -> str | None:
    return MEDIA_URL.format(rel.rsplit("/", 1)[-1]) if rel else None


def _media(item: ReportMedia) -> dict[str, Any]:
    return {
        "id": item.pk,
        "kind": item.kind,
        "stage": item.stage,
        "url": _url(item.file),
        "thumb_url": _url(item.thumb),
        "public_url": _url(item.public_file),
        "content_type": item.content_type,
        "width": item.width,
        "height": item.height,
        "hidden": item.hidden,
        "blurred": bool(item.public_file),
    }


def report_detail(report: Report, user: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything staff read of a report: the reporter, history, media, allowed actions."""
    today = today or vietnam_today()
    report = Report.objects.select_related("agency", "unit", "merged_into").get(pk=report.pk)
    events = report.events.select_related("agency").order_by("at", "id")
    return {
        **report_brief(report, today),
        "public_text": report.public_text,
        "description": report.description,
        "address": report.address_text,
        "rejection": report.rejection,
        "merged_into": report.merged_into.ticket if report.merged_into_id else None,
        "merged": sorted(report.merged.values_list("ticket", flat=True)),
        "call_at": report.call_at,
        "verified_at": report.verified_at,
        "assigned_at": report.assigned_at,
        "resolved_at": report.resolved_at,
        "published_at": report.published_at,
        "closed_at": report.closed_at,
        "extensions": report.extensions,
        "result": report.result,
        "anonymous": report.anonymous,
        "reporter": {
            "name": report.reporter_name,
            "phone": report.reporter_phone,
            "email": report.reporter_email,
        },
        "followers": report.followers,
        "satisfied": report.satisfied,
        "rated_at": report.rated_at,
        "history": [_event(e) for e in events],
        "media": [_media(m) for m in report.media.all()],
        "actions": actions_of(user, report),
    }


def overdue_first(rows: QuerySet[Report], today: dt.date) -> QuerySet[Report]:
    """Overdue reports first, then by deadline (none last), then oldest first."""
    late = Case(
        When(due_on__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return rows.annotate(late=late).order_by(
        F("late").desc(), F("due_on").asc(nulls_last=True), "received_at"
    )


def overdue_counts(rows: QuerySet[Report], key: str, name: str) -> list[dict[str, Any]]:
    """Counts of `rows` grouped by a key and its name, most first."""
    grouped = rows.values(key, name).annotate(overdue=Count("pk")).order_by("-overdue", name)
    return [{"id": g[key], "name": g[name], "overdue": g["overdue"]} for g in grouped]


def overdue_by_commune(rows: QuerySet[Report], today: dt.date) -> list[dict[str, Any]]:
    """Counts of `rows` by the commune in force `today`: a report placed by its point counts
    where the point lies now (a 2025 report of Duy Sơn under Thu Bồn), else where it was put."""
    table = Report._meta.db_table
    here = RawSQL(f"coalesce(gisioc_locate_point({table}.geom, %s), {table}.unit_id)", (today,))
    grouped = rows.annotate(here=here).values("here").annotate(overdue=Count("pk"))
    names = dict(
        AdminUnit.objects.filter(pk__in=[g["here"] for g in grouped]).values_list("pk", "name")
    )
    found = [
        {"id": g["here"], "name": names.get(g["here"]), "overdue": g["overdue"]} for g in grouped
    ]
    return sorted(found, key=lambda g: (-g["overdue"], g["name"] or ""))


def reports_near(
    user: Any, *, lon: float, lat: float, radius: float, limit: int
) -> QuerySet[Report]:
    """Open reports the user reads within `radius` metres of a point, nearest first, with
    `distance` (metres, on the spheroid: geography) and `bearing` (degrees from north)."""
    rows = reports_readable(user).filter(status__in=services.OPEN).select_related("agency", "unit")
    return reports_within(rows, lon=lon, lat=lat, radius=radius)[:limit]
