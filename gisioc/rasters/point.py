"""GET /tiles/{name}/point?lon=&lat=: a raster's value at a place (the map's readout)."""

from typing import Any

import numpy as np
import rasterio
from django.contrib.gis.geos import Point
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from rio_tiler.errors import PointOutsideBounds
from rio_tiler.io import Reader

from gisioc.errors import InvalidInput
from gisioc.params import float_parse
from gisioc.rasters import selectors
from gisioc.rasters.files import raster_path
from gisioc.rasters.models import Raster
from gisioc.rasters.tiles import GDAL_ENV, raster_for

PARAMS = frozenset({"lon", "lat"})


def point_value(raster: Raster, lon: float, lat: float) -> float | int | None:
    """The first band's value at lon/lat (reprojected into the raster's CRS); None for nodata
    or outside. A place outside the footprint is answered without opening the file."""
    if not raster.footprint.intersects(Point(lon, lat, srid=4326)):
        return None
    with rasterio.Env(**GDAL_ENV), Reader(str(raster_path(raster))) as src:
        try:
            found = src.point(lon, lat, indexes=1)
        except PointOutsideBounds:
            return None
    if not np.asarray(found.mask).all():
        return None
    value = np.asarray(found.data)[0]
    if not np.isfinite(value) or (raster.nodata is not None and value == raster.nodata):
        return None
    if np.issubdtype(value.dtype, np.integer):
        return int(value)
    return float(f"{float(value):.6g}")  # a float32's noise digits dropped


def point_label(raster: Raster, value: float | None) -> dict[str, str] | None:
    """The class a value falls in (classes colour maps: the last stop at or below it)."""
    cmap = raster.colormap or {}
    if value is None or cmap.get("type") != "classes":
        return None
    below = [float(v) for v, _ in cmap.get("stops") or [] if float(v) <= value]
    if not below:
        return None
    stop = max(below)
    for key, label in (cmap.get("labels") or {}).items():
        if float(key) == stop:
            return label
    return None


def point_body(
    raster: Raster, lon: float, lat: float, scope: selectors.Scope | None = None
) -> dict[str, Any]:
    """The readout's JSON: name, value (null: nodata, outside, or outside the reader's
    communes for a staff raster), unit, class label, lon, lat."""
    here = Point(lon, lat, srid=4326)
    hidden = scope is not None and (scope.area is None or not scope.area.intersects(here))
    value = None if hidden else point_value(raster, lon, lat)
    return {
        "name": raster.name,
        "value": value,
        "unit": {"vi": raster.unit_vi, "en": raster.unit_en},
        "label": point_label(raster, value),
        "lon": lon,
        "lat": lat,
    }


def _params(request: HttpRequest) -> tuple[float, float]:
    unknown = set(request.GET) - PARAMS
    missing = [name for name in ("lon", "lat") if not request.GET.get(name)]
    if unknown or missing:
        raise InvalidInput(
            "Cần đúng hai tham số lon và lat (độ, WGS 84).",
            "Exactly two parameters are needed: lon and lat (degrees, WGS 84).",
            field=(missing or sorted(unknown))[0],
        )
    return (
        float_parse(request.GET["lon"], "lon", bounds=(-180.0, 180.0)),
        float_parse(request.GET["lat"], "lat", bounds=(-85.06, 85.06)),
    )


@require_GET
def point_view(request: HttpRequest, raster: str) -> JsonResponse:
    """A raster's value at ?lon=&lat=."""
    lon, lat = _params(request)
    row = raster_for(request, raster)
    scope = selectors.raster_scope(user=request.user, raster=row)
    return JsonResponse(point_body(row, lon, lat, scope), json_dumps_params={"ensure_ascii": False})
