"""Reading raster layers as a user may: the one check every raster endpoint makes first."""

import functools
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models.aggregates import Union
from django.contrib.gis.geos import GEOSGeometry

from gisioc.errors import Forbidden, NotFound
from gisioc.geo import access
from gisioc.geo.models import AdminUnit
from gisioc.rasters.models import Raster


def raster_for(*, user: Any, name: str) -> Raster:
    """The raster layer `name` if the user may see it: NotFound when there is none, Forbidden
    when it is for staff and the user is not (a layer's name is no secret; its data is)."""
    raster = Raster.objects.filter(name=name).first()
    if raster is None:
        raise NotFound(f"Không có lớp raster {name}.", f"No raster layer {name}.")
    if not access.may_see(user, raster.roles):
        raise Forbidden(
            f"Lớp {name} chỉ dành cho cán bộ; hãy đăng nhập.",
            f"Layer {name} is for staff only; sign in.",
        )
    return raster


def rasters_for(*, user: Any) -> list[Raster]:
    """Every raster layer the user may see, in the layer panel's order."""
    rows = list(Raster.objects.all())
    if all(r.public for r in rows):
        return rows
    staff = access.may_see(user, access.STAFF)  # one role query for every row
    return [r for r in rows if r.public or staff]


@dataclass(frozen=True)
class Scope:
    """The communes a scoped user reads a staff-only raster within, and their outline."""

    units: tuple[int, ...]
    area: GEOSGeometry | None  # None: no unit at all (nothing to read)


@functools.lru_cache(maxsize=64)
def _outline(units: tuple[int, ...]) -> GEOSGeometry | None:
    # A unit's geometry never changes (a redrawn boundary is a new version's new unit).
    return AdminUnit.objects.filter(pk__in=units).aggregate(area=Union("geom"))["area"]


def raster_scope(*, user: Any, raster: Raster) -> Scope | None:
    """Where a user reads a raster: None everywhere; for a commune officer and a staff-only
    raster, their communes only (the access rule every staff layer follows)."""
    units = access.readable_unit_ids(user, raster.roles)
    if units is None:
        return None
    ids = tuple(sorted(units))
    return Scope(ids, _outline(ids) if ids else None)
