"""Zonal statistics of a raster per admin unit of any boundary version, exact at cell edges.

exactextract weighs each cell by the fraction of it a unit covers, so a boundary through a cell
takes its share, not the whole cell or none. Units are reprojected to the raster's CRS (the COG
keeps its own, VN-2000 zones included); areas are on the WGS 84 ellipsoid for a raster in
degrees and planar in the CRS's metres otherwise. Nodata (and NaN) cells count for nothing:
not in sums, means, maxima nor covered area. A unit the raster does not reach gets None and
0 km² covered.

`sum` is the quantity's total in the unit: the covered cells' values added (people per cell),
or, for a raster of a quantity per km² (its unit says "/km²"), the value integrated over the
area. `mean` is the area-weighted mean of the cells, `max` the largest cell at least 0.1 %
inside (a neighbour's sliver along a shared edge does not count), and `share_above` the part
of the unit's own area (0–1) where the value exceeds the threshold.

Storing them as indicator values (choropleths, rankings, profiles) is `zonal_store`
(gisioc/rasters/zonal_store.py, re-exported here)."""

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from django.db import connection
from exactextract import exact_extract
from exactextract.operation import Operation
from exactextract.raster import RasterioRasterSource
from pyproj import Geod

from gisioc.errors import InvalidInput, NotFound
from gisioc.geo.models import BoundaryVersion
from gisioc.geo.selectors import versions_in_force, vietnam_today
from gisioc.rasters.files import raster_path
from gisioc.rasters.models import Raster

STATS = ("sum", "mean", "max")
MAX_MIN_COVERAGE = 0.001  # the maximum reads cells at least 0.1 % inside the unit
SPHERE_M = 6_378_137.0  # exactextract's spherical cell areas: a sphere of WGS 84's semi-major axis
Progress = Callable[[str], None]


@dataclass(frozen=True)
class UnitStat:
    """One unit's statistics; None where the raster has no valid cell in it."""

    unit_id: int
    code: str
    name: str
    level: str
    area_km2: float
    covered_area_km2: float
    sum: float | None = None
    mean: float | None = None
    max: float | None = None
    share_above: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


class _Values(RasterioRasterSource):
    """Band 1 with NaN masked as nodata is (rasterio masks only the declared nodata)."""

    def read_window(self, x0: int, y0: int, nx: int, ny: int) -> np.ndarray:
        """The window as a masked array."""
        cells = np.ma.masked_invalid(super().read_window(x0, y0, nx, ny), copy=False)
        return cells


class _Above(_Values):
    """1 where a valid cell exceeds the threshold, else 0 (nodata included): a 0/1 grid whose
    area-weighted sum is the area above the threshold."""

    def __init__(self, ds: rasterio.DatasetReader, threshold: float) -> None:
        super().__init__(ds, name="above")  # exactextract tells sources apart by name
        self.threshold = threshold

    def nodata_value(self) -> None:
        """No nodata: every cell is 0 or 1."""
        return None

    def read_window(self, x0: int, y0: int, nx: int, ny: int) -> np.ndarray:
        """The window's 0/1 cells."""
        cells = super().read_window(x0, y0, nx, ny)
        above = np.ma.getdata(cells) > self.threshold
        return np.where(np.ma.getmaskarray(cells), False, above).astype("float32")


def raster_file(raster: Raster) -> Path:
    """The raster's COG on disk; NotFound when the file is gone."""
    path = raster_path(raster)
    if not path.is_file():
        raise NotFound(
            f"Không thấy tệp của lớp raster {raster.name}; hãy thêm lại lớp.",
            f"The file of raster layer {raster.name} is missing; add the layer again.",
        )
    return path


def per_km2(raster: Raster) -> bool:
    """True when the raster holds a quantity per km² (its unit says so), not per cell."""
    unit = f"{raster.unit_vi} {raster.unit_en}".lower().replace(" ", "")
    return "/km" in unit


def version_of(version: BoundaryVersion | str) -> BoundaryVersion:
    """A boundary version given as a row or a slug (any version, past or current)."""
    if isinstance(version, BoundaryVersion):
        return version
    found = BoundaryVersion.objects.filter(slug=version).first()
    if found is None:
        known = ", ".join(BoundaryVersion.objects.values_list("slug", flat=True)) or "—"
        raise NotFound(
            f"Không có phiên bản ranh giới {version} (có: {known}).",
            f"No boundary version {version} (known: {known}).",
        )
    return found


def version_in_force() -> BoundaryVersion:
    """The boundary version in force today (the one published last when several are)."""
    found = versions_in_force(on=vietnam_today()).first()
    if found is None:
        raise InvalidInput(
            "Chưa có phiên bản ranh giới nào đang hiệu lực; hãy chỉ rõ phiên bản.",
            "No boundary version is in force today; name one.",
            field="version",
        )
    return found


def _units(version: BoundaryVersion, level: str | None) -> gpd.GeoDataFrame:
    """The version's units (lon/lat) with their geodesic areas in km², by code."""
    sql = (
        "SELECT id, code, name, level, ST_AsBinary(geom), ST_Area(geom::geography) / 1e6 "
        "FROM geo_adminunit WHERE version_id = %s"
    )
    params: list[Any] = [version.pk]
    if level:
        sql += " AND level = %s"
        params.append(level)
    with connection.cursor() as cursor:
        cursor.execute(sql + " ORDER BY code", params)
        rows = cursor.fetchall()
    return gpd.GeoDataFrame(
        {
            "uid": [r[0] for r in rows],
            "code": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "level": [r[3] for r in rows],
            "area_km2": [float(r[5] or 0.0) for r in rows],
        },
        geometry=shapely.from_wkb([bytes(r[4]) for r in rows]),
        crs="EPSG:4326",
    )


def _area_weight(ds: rasterio.DatasetReader) -> tuple[str, float]:
    """exactextract's coverage weight for cell areas, and its factor to km²."""
    if ds.crs.is_geographic:
        return "area_spherical_km2", 1.0
    metres = ds.crs.linear_units_factor[1]
    return "area_cartesian", metres * metres / 1e6


def _to_km2(units: gpd.GeoDataFrame, ds: rasterio.DatasetReader) -> list[float]:
    """Each unit's factor from exactextract's cell areas to km² on the WGS 84 ellipsoid.

    Its spherical areas take a sphere of the semi-major axis, 0.6 % too large at 16° N; the
    ratio of the unit's own ellipsoidal and spherical areas corrects its cells (they lie at
    its latitudes)."""
    _, factor = _area_weight(ds)
    if not ds.crs.is_geographic:
        return [factor] * len(units)
    sphere = Geod(a=SPHERE_M, b=SPHERE_M)
    ratios = []
    for geom, km2 in zip(units.geometry, units.area_km2, strict=True):
        on_sphere = abs(sphere.geometry_area_perimeter(geom)[0]) / 1e6
        ratios.append(km2 / on_sphere if on_sphere > 0 else 1.0)
    return ratios


def _operations(
    ds: rasterio.DatasetReader,
    values: _Values,
    above: _Above | None,
    stats: Sequence[str],
    per_area: bool,
) -> list[Operation]:
    """The operations; the sources must outlive them (exactextract holds bare pointers)."""
    weight, _ = _area_weight(ds)
    by_area = {"coverage_weight": weight}
    ops = [Operation("count", "covered", values, None, by_area)]
    if "sum" in stats:
        ops.append(Operation("sum", "sum", values, None, by_area if per_area else None))
    if "mean" in stats:
        ops.append(Operation("mean", "mean", values, None, by_area))
    if "max" in stats:
        # A sliver of a neighbour (a shared edge off by rounding) must not set the maximum.
        ops.append(Operation("max", "max", values, None, {"min_coverage_frac": MAX_MIN_COVERAGE}))
    if above is not None:
        ops.append(Operation("sum", "above", above, None, by_area))
    return ops


def _number(value: Any) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def zonal_compute(
    *,
    raster: Raster,
    version: BoundaryVersion | str,
    stats: Sequence[str] = STATS,
    threshold: float | None = None,
    level: str | None = None,
    progress: Progress | None = None,
) -> list[UnitStat]:
    """Sum, mean, max and the share of area above `threshold` for every unit of the version
    (of one `level` if given), ordered by code."""
    unknown = [s for s in stats if s not in STATS]
    if unknown:
        raise InvalidInput(
            f"Không có phép thống kê {', '.join(unknown)} (có: {', '.join(STATS)}).",
            f"No statistic {', '.join(unknown)} (known: {', '.join(STATS)}).",
            field="stats",
        )
    if threshold is not None and not np.isfinite(threshold):
        raise InvalidInput("Ngưỡng phải là một số.", "The threshold must be a number.")
    version = version_of(version)
    units = _units(version, level)
    with rasterio.open(raster_file(raster)) as ds:
        units["to_km2"] = _to_km2(units, ds)
        projected = units.to_crs(ds.crs) if len(units) else units
        inside = projected.intersects(shapely.box(*ds.bounds)) & ~projected.geometry.is_empty
        found: dict[int, dict[str, Any]] = {}
        if inside.any():
            done = _progress_every(progress, int(inside.sum()))
            values = _Values(ds, name="values")
            above = _Above(ds, threshold) if threshold is not None else None
            table = exact_extract(
                values,
                projected[inside],
                _operations(ds, values, above, stats, per_km2(raster)),
                include_cols=["uid"],
                output="pandas",
                progress=done,
            )
            found = {int(row["uid"]): row for row in table.to_dict("records")}
    area_sum = per_km2(raster)
    return [_stat(u, found.get(int(u.uid)), area_sum) for u in units.itertuples()]


def _progress_every(progress: Progress | None, count: int) -> Callable[[float, str], None] | bool:
    """exactextract's progress callback, saying each tenth once; False when nobody listens."""
    if progress is None or count < 200:  # a district is quick; a province or the country is not
        return False
    said: set[int] = set()

    def report(fraction: float, _message: str) -> None:
        tenth = int(fraction * 10)
        if tenth not in said and 0 < tenth < 10:
            said.add(tenth)
            progress(f"  {tenth * 10} % ({int(fraction * count):,}/{count:,})")

    return report


def _stat(unit: Any, row: dict[str, Any] | None, area_sum: bool) -> UnitStat:
    to_km2 = unit.to_km2
    base = {
        "unit_id": int(unit.uid),
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "area_km2": round(unit.area_km2, 6),
    }
    covered = (_number(row["covered"]) or 0.0) * to_km2 if row else 0.0
    if row is None or covered <= 0:
        return UnitStat(**base, covered_area_km2=0.0)
    total = _number(row.get("sum"))
    if total is not None and area_sum:
        total *= to_km2  # an integral over the area, in the CRS's units² until now
    above = _number(row.get("above"))
    share = None
    if above is not None and unit.area_km2 > 0:
        share = min(1.0, above * to_km2 / unit.area_km2)
    return UnitStat(
        **base,
        covered_area_km2=covered,
        sum=total,
        mean=_number(row.get("mean")),
        max=_number(row.get("max")),
        share_above=share,
    )


from gisioc.rasters.zonal_store import zonal_run, zonal_store  # noqa: E402, F401  (re-exported)
