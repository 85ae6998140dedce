"""Reading raster layers as a user may: the one check every raster endpoint makes first."""

from typing import Any

from gisioc.errors import Forbidden, NotFound
from gisioc.geo import access
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
