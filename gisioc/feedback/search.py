"""Search provider: reports by ticket code (PA-2612-7K3QX9, any case, dashes optional), and
for signed-in staff in scope by words of their title or public text.

The public finds only reports it may see (verified or further along, not rejected or
merged) and only by a ticket's first ten characters or more ('PA-2612-7K'), so a search
does not list the month's tickets; its hit leads to the public tracking page. A hit names
the category, the status and the day received, never the reporter."""

from django.db.models import Q

from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.models import Report
from gisioc.feedback.selectors import reports_public, ticket_prefix
from gisioc.geo import access
from gisioc.periods import vietnam_date
from gisioc.search.registry import Hit, User, record_hit, register_provider

PUBLIC_PREFIX = len("PA-2612-7K")  # what the public must write of a ticket at least
WORDS = 4  # staff: a text search needs this many characters


def _about(report: Report) -> tuple[str, str]:
    return BY_CODE[report.category].title.vi, Report.Status(report.status).label.split(" / ")[0]


def _public_hit(report: Report, prefix: str) -> Hit:
    """A hit the public may open: its tracking page."""
    day = vietnam_date(report.received_at).strftime("%d/%m/%Y")
    point = report.geom
    return Hit(
        "report",
        report.pk,
        report.ticket,
        report.ticket,
        " · ".join((*_about(report), day)),
        0 if report.ticket == prefix else 1,
        f"/api/feedback/track/{report.ticket}/",
        point=(point.x, point.y) if point else None,
    )


@register_provider
def reports(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Reports by ticket prefix; for staff, also by words of the title or public text."""
    prefix = ticket_prefix(query)
    staff = access.may_see(user, access.STAFF)
    if not staff:
        if prefix is None or len(prefix) < PUBLIC_PREFIX:
            return []
        found = reports_public().filter(ticket__startswith=prefix)
        return [_public_hit(r, prefix) for r in found.order_by("ticket")[:limit]]
    if prefix is not None:
        where = Q(ticket__startswith=prefix)
    elif len(query.strip()) >= WORDS:
        words = query.strip()
        where = Q(title__icontains=words) | Q(public_text__icontains=words)
    else:
        return []
    found = access.readable(Report.objects.filter(where), user, access.STAFF).order_by(
        "-received_at", "-id"
    )[:limit]
    return [
        record_hit(
            "report",
            report,
            code=report.ticket,
            about=_about(report),
            on=report.received_at,
            exact=report.ticket == prefix,
        )
        for report in found
    ]
