"""Incidents' reads: those a user reads, and what lies within an incident's radius."""

import datetime as dt
import math

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from gisioc.cameras.models import CameraEvent
from gisioc.feedback.models import Report
from gisioc.feedback.services import OPEN as REPORTS_OPEN
from gisioc.feedback.staff import reports_readable
from gisioc.geo.access import STAFF, User, readable
from gisioc.geo.models import Facility
from gisioc.incidents import rules
from gisioc.incidents.models import Incident
from gisioc.periods import vietnam_date

# Facilities an incident's panel lists within its radius (people to protect or treat).
FACILITY_KINDS = (Facility.Kind.SCHOOL, Facility.Kind.HEALTH)
EVENT_HOURS = 24  # camera events from this long before the incident was opened
NEAR_LIMIT = 200


def incidents_readable(user: User | None) -> QuerySet[Incident]:
    """The incidents the user reads (staff; a commune officer within scope)."""
    return readable(Incident.objects.all(), user, rules.READERS).select_related("unit")


def incidents_open(user: User | None) -> QuerySet[Incident]:
    """The user's open incidents, newest first."""
    return incidents_readable(user).filter(status=Incident.Status.OPEN)


def _within(rows: QuerySet, incident: Incident) -> QuerySet:
    """Those of `rows` (a located table with `geom`) within the incident's radius, nearest
    first, with `distance` in metres on the spheroid."""
    point, radius = incident.geom, float(incident.radius_m)
    table = rows.model._meta.db_table
    origin = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)"
    # A box in degrees first, so the geometry's GiST index narrows the rows.
    degrees = radius / 111_000 / max(math.cos(math.radians(point.y)), 0.2) + 0.001
    return (
        rows.filter(geom__isnull=False)
        .extra(
            where=[
                f"{table}.geom && ST_Expand({origin}, %s)",
                f"ST_DWithin({table}.geom::geography, {origin}::geography, %s)",
            ],
            params=[point.x, point.y, degrees, point.x, point.y, radius],
        )
        .annotate(
            distance=RawSQL(
                f"ST_Distance({table}.geom::geography, {origin}::geography)", (point.x, point.y)
            )
        )
        .order_by("distance", "pk")
    )


def events_near(
    incident: Incident, user: User | None, *, hours: int = EVENT_HOURS
) -> QuerySet[CameraEvent]:
    """Camera events within the radius since `hours` before the incident opened."""
    since = incident.opened_at - dt.timedelta(hours=hours)
    rows = readable(CameraEvent.objects.all(), user, STAFF).filter(occurred_at__gte=since)
    if incident.closed_at:
        rows = rows.filter(occurred_at__lte=incident.closed_at)
    return _within(rows.select_related("camera__facility"), incident)[:NEAR_LIMIT]


def reports_near(incident: Incident, user: User | None) -> QuerySet[Report]:
    """Open citizen reports within the radius that the user reads."""
    rows = reports_readable(user).filter(status__in=REPORTS_OPEN)
    return _within(rows, incident)[:NEAR_LIMIT]


def cameras_near(incident: Incident) -> QuerySet[Facility]:
    """Cameras (their facilities, with `camera`) within the radius."""
    rows = Facility.objects.filter(kind=Facility.Kind.CAMERA, camera__isnull=False)
    return _within(rows.select_related("camera"), incident)[:NEAR_LIMIT]


def facilities_near(incident: Incident) -> QuerySet[Facility]:
    """Schools and health facilities in service (today, or the day it closed) in the radius."""
    day = vietnam_date(incident.closed_at or timezone.now())
    rows = Facility.objects.filter(kind__in=FACILITY_KINDS).in_service(day)
    return _within(rows, incident)[:NEAR_LIMIT]
