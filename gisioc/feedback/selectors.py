"""Reads of reports the read side shares: what the public may see of them, ticket prefixes."""

import re

from django.db.models import QuerySet

from gisioc.feedback.models import Report
from gisioc.feedback.services import PUBLIC

TICKET_PARTS = re.compile(r"[^0-9A-Z]")


def reports_public(reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the public sees: verified or further along, not rejected or merged."""
    reports = Report.objects.all() if reports is None else reports
    return reports.filter(status__in=PUBLIC, merged_into__isnull=True)


def ticket_prefix(query: str) -> str | None:
    """The ticket prefix a query writes, any case, dashes or spaces ('pa 2612 7k' →
    'PA-2612-7K'); None when it does not start like a ticket (PA and two digits)."""
    raw = TICKET_PARTS.sub("", query.upper())
    if not raw.startswith("PA") or not raw[2:4].isdigit() or len(raw) < 4:
        return None
    rest = raw[2:]
    prefix = "PA-" + rest[:4]
    if len(rest) > 4:
        prefix += "-" + rest[4:10]
    return prefix
