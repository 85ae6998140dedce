"""Zonal statistics checked by hand on tiny rasters: totals kept when units tile the raster,
a boundary through a cell takes its share, nodata ignored, the share of area above a
threshold, and a VN-2000 raster agreeing with the same field in lon/lat."""

import datetime as dt
import functools
from pathlib import Path

import numpy as np
import pytest
import rasterio
from django.contrib.gis.geos import MultiPolygon, Polygon
from pyproj import Geod
from rasterio.transform import from_origin
from rasterio.warp import Resampling, reproject

from gisioc.errors import InvalidInput, NotFound
from gisioc.rasters.models import Raster
from gisioc.rasters.services import raster_add
from gisioc.rasters.zonal import zonal_compute
from tests.geo.factories import make_version, square
from tests.rasters.helpers import write_tif

pytestmark = pytest.mark.django_db
CELL = 0.01  # degrees
WEST, NORTH = 108.0, 16.0  # the lon/lat grids' north-west corner
GEOD = Geod(ellps="WGS84")


tif = functools.partial(write_tif, origin=(WEST, NORTH), cell=CELL)


def added(tmp: Path, name: str, data: np.ndarray, kind: str = "population", **kw) -> Raster:
    """A raster layer of `data` through the real raster_add (a COG under the test's var/)."""
    units = {k: kw.pop(k) for k in ("unit_vi", "unit_en") if k in kw}
    path = tif(tmp / f"{name}-src.tif", data, **kw)
    return raster_add(path=path, kind=kind, name=name, **units)


def rect(west: float, south: float, east: float, north: float) -> MultiPolygon:
    """A lon/lat rectangle as a unit's geometry."""
    return MultiPolygon(Polygon.from_bbox((west, south, east, north)), srid=4326)


def box_area_km2(west: float, south: float, east: float, north: float) -> float:
    lons, lats = [west, east, east, west], [south, south, north, north]
    return abs(GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6


def people(rows: int = 4, cols: int = 4) -> np.ndarray:
    """People per cell: 1, 2, 3, … row by row."""
    return np.arange(1, rows * cols + 1, dtype="float32").reshape(rows, cols)


def test_units_tiling_the_raster_share_its_total_exactly(private_var: Path) -> None:
    grid = people()
    raster = added(private_var, "pop-tiles", grid)
    half = 2 * CELL
    make_version(
        "z-tiles",
        {  # four quadrants of the 4 × 4 grid
            "1": ("Xã Tây Bắc", square(WEST, NORTH - half, half)),
            "2": ("Xã Đông Bắc", square(WEST + half, NORTH - half, half)),
            "3": ("Xã Tây Nam", square(WEST, NORTH - 2 * half, half)),
            "4": ("Xã Đông Nam", square(WEST + half, NORTH - 2 * half, half)),
        },
    )
    stats = {s.code: s for s in zonal_compute(raster=raster, version="z-tiles")}
    assert sum(s.sum for s in stats.values()) == pytest.approx(grid.sum())  # 136
    assert stats["1"].sum == pytest.approx(1 + 2 + 5 + 6)
    assert stats["4"].sum == pytest.approx(11 + 12 + 15 + 16)
    assert stats["4"].max == 16 and stats["1"].max == 6
    assert stats["2"].mean == pytest.approx((3 + 4 + 7 + 8) / 4, rel=1e-3)
    area = box_area_km2(WEST, NORTH - half, WEST + half, NORTH)
    assert stats["1"].covered_area_km2 == pytest.approx(area, rel=1e-4)
    assert stats["1"].area_km2 == pytest.approx(area, rel=1e-4)


def test_a_boundary_through_cells_takes_half_of_each(private_var: Path) -> None:
    raster = added(private_var, "pop-halves", people())
    # The east half of cell (0, 0) and the west half of cell (0, 1): 0.5 × 1 + 0.5 × 2.
    make_version("z-halves", {"9": ("Xã Nửa", square(WEST + CELL / 2, NORTH - CELL, CELL))})
    (stat,) = zonal_compute(raster=raster, version="z-halves")
    assert stat.sum == pytest.approx(1.5)
    assert stat.max == 2
    assert stat.mean == pytest.approx(1.5, rel=1e-3)
    assert stat.covered_area_km2 == pytest.approx(stat.area_km2, rel=1e-4)


def test_nodata_counts_for_nothing_and_units_off_the_raster_get_none(private_var: Path) -> None:
    grid = people(2, 2)
    grid[1, 1] = -9999.0  # the 4
    raster = added(private_var, "pop-holes", grid)
    make_version(
        "z-holes",
        {
            "1": ("Xã Có", square(WEST, NORTH - 2 * CELL, 2 * CELL)),
            "2": ("Xã Xa", square(109.0, 15.0, CELL)),
        },
    )
    stats = {s.code: s for s in zonal_compute(raster=raster, version="z-holes", threshold=2)}
    assert stats["1"].sum == pytest.approx(1 + 2 + 3)
    assert stats["1"].mean == pytest.approx(2, rel=1e-3)
    assert stats["1"].max == 3
    assert stats["1"].covered_area_km2 == pytest.approx(0.75 * stats["1"].area_km2, rel=1e-3)
    assert stats["1"].share_above == pytest.approx(0.25, rel=1e-3)  # only the 3; nodata is not
    far = stats["2"]
    assert (far.sum, far.mean, far.max, far.share_above) == (None, None, None, None)
    assert far.covered_area_km2 == 0 and far.area_km2 > 0


def test_share_of_area_above_a_threshold_on_a_hand_made_grid(private_var: Path) -> None:
    depth = np.array(
        [[0.0, 0.2, 0.6, 1.5], [0.0, 0.4, 0.5, 2.0], [0.1, 0.7, 0.9, 3.0], [0.0, 0.0, 0.3, 0.51]],
        dtype="float32",
    )  # 7 of 16 cells deeper than 0.5 m (0.5 itself is not)
    raster = added(private_var, "flood-hand", depth, kind="flood_depth")
    side = 4 * CELL
    make_version(
        "z-flood",
        {
            "1": ("Xã Trùm", square(WEST, NORTH - side, side)),
            # Twice as wide as the grid: the half off the raster is dry land of the unit.
            "2": ("Xã Rộng", rect(WEST - side, NORTH - side, WEST + side, NORTH)),
            "3": ("Xã Cột", rect(WEST + 3 * CELL, NORTH - side, WEST + side, NORTH)),  # east column
        },
    )
    stats = {s.code: s for s in zonal_compute(raster=raster, version="z-flood", threshold=0.5)}
    assert stats["1"].share_above == pytest.approx(7 / 16, rel=2e-3)
    assert stats["2"].share_above == pytest.approx(7 / 32, rel=2e-3)
    assert stats["2"].covered_area_km2 == pytest.approx(stats["2"].area_km2 / 2, rel=2e-3)
    assert stats["3"].share_above == pytest.approx(1.0, rel=2e-3)
    assert stats["1"].max == 3.0 and stats["3"].max == 3.0
    nothing = zonal_compute(raster=raster, version="z-flood", stats=("max",))
    assert nothing[0].sum is None and nothing[0].share_above is None and nothing[0].max == 3.0


def _density_field(rows: int, cols: int) -> np.ndarray:
    """People per km², rising west to east and north to south (so a shift shows)."""
    y, x = np.mgrid[0:rows, 0:cols]
    return (500 + 40 * x + 15 * y).astype("float32")


def test_a_vn2000_raster_gives_the_sums_of_the_same_field_in_lon_lat(private_var: Path) -> None:
    # 100 m cells of VN-2000 / TM-3 107°45' (EPSG:5899) around Hội An, 6 km × 5 km.
    origin, rows, cols = (585_000.0, 1_755_000.0), 50, 60
    field = _density_field(rows, cols)
    unit = {"unit_vi": "người/km²", "unit_en": "people/km²"}
    vn = added(
        private_var, "dens-vn2000", field, crs="EPSG:5899", origin=origin, cell=100.0, **unit
    )
    # The same field resampled onto a finer lon/lat grid (~30 m) covering it.
    with rasterio.open(private_var / "dens-vn2000-src.tif") as src:
        west, south, east, north = rasterio.warp.transform_bounds(src.crs, "EPSG:4326", *src.bounds)
        step = 0.0003
        shape = (int((north - south) / step) + 1, int((east - west) / step) + 1)
        lonlat = np.full(shape, -9999.0, dtype="float32")
        reproject(
            field,
            lonlat,
            src_transform=src.transform,
            src_crs=src.crs,
            dst_transform=from_origin(west, north, step, step),
            dst_crs="EPSG:4326",
            dst_nodata=-9999.0,
            resampling=Resampling.bilinear,
        )
    ll = added(private_var, "dens-lonlat", lonlat, origin=(west, north), cell=step, **unit)
    # Units well inside the VN-2000 grid: ~1.6 km squares in the west, east and south.
    make_version(
        "z-vn",
        {
            "1": ("Xã Tây", square(west + 0.005, north - 0.02, 0.015)),
            "2": ("Xã Đông", square(east - 0.02, north - 0.02, 0.015)),
            "3": ("Xã Nam", square(west + 0.02, south + 0.005, 0.015)),
        },
    )
    by_vn = {s.code: s for s in zonal_compute(raster=vn, version="z-vn")}
    by_ll = {s.code: s for s in zonal_compute(raster=ll, version="z-vn")}
    for code in "123":
        assert by_vn[code].covered_area_km2 == pytest.approx(by_vn[code].area_km2, rel=2e-3)
        assert by_vn[code].sum == pytest.approx(by_ll[code].sum, rel=5e-3)
        assert by_vn[code].mean == pytest.approx(by_ll[code].mean, rel=5e-3)
        # People = density × area: the mean density over the unit's area.
        assert by_vn[code].sum == pytest.approx(by_vn[code].mean * by_vn[code].area_km2, rel=5e-3)
    assert by_vn["2"].mean > by_vn["1"].mean + 1000  # east is denser by ~40 per 100 m
    assert by_vn["3"].mean > by_vn["1"].mean  # and south a little


def test_any_version_past_or_current_and_clear_errors(private_var: Path) -> None:
    raster = added(private_var, "pop-old", people())
    make_version(
        "z-past",
        {"1": ("Xã Cũ", square(WEST, NORTH - 4 * CELL, 4 * CELL))},
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    (old,) = zonal_compute(raster=raster, version="z-past")
    assert old.sum == pytest.approx(136)
    with pytest.raises(NotFound) as missing:
        zonal_compute(raster=raster, version="z-none")
    assert "z-past" in missing.value.en and "phiên bản" in missing.value.vi
    with pytest.raises(InvalidInput):
        zonal_compute(raster=raster, version="z-past", stats=("median",))
