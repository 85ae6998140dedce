"""Reads of reports the read side shares: what the public may see of them, those near a
point, ticket prefixes."""

import math
import re

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from gisioc.feedback.models import Report
from gisioc.feedback.services import PUBLIC

TICKET_PARTS = re.compile(r"[^0-9A-Z]")


def reports_public(reports: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """Reports the public sees: verified or further along, not rejected or merged."""
    reports = Report.objects.all() if reports is None else reports
    return reports.filter(status__in=PUBLIC, merged_into__isnull=True)


def reports_within(
    reports: QuerySet[Report], *, lon: float, lat: float, radius: float
) -> QuerySet[Report]:
    """Those of `reports` within `radius` metres of a point, nearest first, with `distance`
    (metres, on the spheroid) and `bearing` (degrees from north, from the point)."""
    origin = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)"
    table = Report._meta.db_table
    # A box in degrees first, so the geometry's GiST index narrows the rows.
    degrees = radius / 111_000 / max(math.cos(math.radians(lat)), 0.2) + 0.001
    return (
        reports.filter(geom__isnull=False)
        .extra(
            where=[
                f"{table}.geom && ST_Expand({origin}, %s)",
                f"ST_DWithin({table}.geom::geography, {origin}::geography, %s)",
            ],
            params=[lon, lat, degrees, lon, lat, radius],
        )
        .annotate(
            distance=RawSQL(
                f"ST_Distance({table}.geom::geography, {origin}::geography)", (lon, lat)
            ),
            bearing=RawSQL(
                f"degrees(ST_Azimuth({origin}::geography, {table}.geom::geography))", (lon, lat)
            ),
        )
        .order_by("distance", "pk")
    )


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
