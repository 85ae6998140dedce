"""Reads of the geography core."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from gisioc.errors import NotFound
from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility, UnitCrosswalk


def vietnam_today() -> dt.date:
    """Today's date in Vietnam (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


def units_linked(unit_ids: set[int]) -> set[int]:
    """The units and those a crosswalk links them to: predecessors and successors."""
    links = UnitCrosswalk.objects.filter(Q(old_unit__in=unit_ids) | Q(new_unit__in=unit_ids))
    return unit_ids | {u for pair in links.values_list("old_unit_id", "new_unit_id") for u in pair}


def versions_in_force(*, on: dt.date) -> QuerySet[BoundaryVersion]:
    """Published versions valid on `on`, the most recently published first."""
    return BoundaryVersion.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        status=BoundaryVersion.Status.PUBLISHED,
        valid_from__lte=on,
    ).order_by("-published_at")


def version_get(*, slug: str) -> BoundaryVersion:
    """A version by slug, or NotFound."""
    try:
        return BoundaryVersion.objects.get(slug=slug)
    except BoundaryVersion.DoesNotExist as exc:
        raise NotFound(
            f"Không có phiên bản ranh giới {slug}.", f"No boundary version {slug}."
        ) from exc


def units_list(
    *, version: str | None = None, on: dt.date | None = None, level: str | None = None
) -> QuerySet[AdminUnit]:
    """Units of a named version, or of the versions in force on a date (today by default)."""
    units = AdminUnit.objects.select_related("version", "parent")
    if version:
        units = units.filter(version=version_get(slug=version))
    else:
        units = units.filter(version__in=versions_in_force(on=on or vietnam_today()))
    return units.filter(level=level) if level else units


def facilities_list(
    *, kind: str | None = None, unit: int | None = None, closed: bool = False
) -> QuerySet[Facility]:
    """Facilities in service today (or closed ones too), optionally of one kind or in one unit."""
    facilities = (
        Facility.objects.filter(active=True)
        if closed
        else Facility.objects.in_service(vietnam_today())
    )
    facilities = facilities.select_related("unit")
    if kind:
        facilities = facilities.filter(kind=kind)
    return facilities.filter(unit=unit) if unit else facilities
