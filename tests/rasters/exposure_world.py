"""A tiny flood world for the exposure tests: two communes side by side, a 0.001° flood grid
over both (blocks of known depth, a nodata block), hand-placed facilities, reports and an
incident at cell centres, and a 0.005° population grid of 100 people a cell."""

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import rasterio
from django.conf import settings
from django.contrib.gis.geos import Point, Polygon
from django.utils import timezone
from rasterio.transform import from_origin
from rasterio.warp import transform as warp_transform
from rasterio.warp import transform_bounds
from rio_cogeo.cogeo import cog_translate
from rio_cogeo.profiles import cog_profiles

from gisioc.feedback import services as feedback
from gisioc.feedback.models import Report
from gisioc.geo.models import AdminUnit, Facility
from gisioc.incidents.models import Incident
from gisioc.rasters.models import Raster
from tests.geo.factories import make_version, square
from tests.rasters.helpers import write_tif

WEST, NORTH, CELL = 108.20, 15.90, 0.001
ROWS, COLS = 50, 100
NODATA = -9999.0
VN2000 = "EPSG:5899"  # VN-2000 / TM-3 107°45' (Quảng Nam, Đà Nẵng)


def centre(row: int, col: int) -> Point:
    """The lon/lat centre of a flood-grid cell."""
    return Point(WEST + (col + 0.5) * CELL, NORTH - (row + 0.5) * CELL, srid=4326)


def depth_grid() -> np.ndarray:
    """Dry, but 1.2 m (rows 10–19, cols 10–29: Xã An), 0.8 m (rows 30–39, cols 60–69: Xã
    Bình), exactly 0.5 m (rows 0–4, cols 40–44: Xã An) and nodata (rows 40–49, cols 80–99)."""
    grid = np.zeros((ROWS, COLS), dtype="float32")
    grid[10:20, 10:30] = 1.2
    grid[30:40, 60:70] = 0.8
    grid[0:5, 40:45] = 0.5
    grid[40:50, 80:100] = NODATA
    return grid


def raster_make(
    name: str,
    kind: str,
    data: np.ndarray,
    *,
    crs: str = "EPSG:4326",
    transform: object = None,
    nodata: float | None = NODATA,
) -> Raster:
    """A COG under the test's var/rasters and its row (as `rasters add` leaves them)."""
    folder = settings.CONFIG.var_dir / "rasters"
    folder.mkdir(parents=True, exist_ok=True)
    plain = folder / f".{name}-plain.tif"
    write_tif(
        plain, data, crs=crs, origin=(WEST, NORTH), cell=CELL, nodata=nodata, transform=transform
    )
    final = folder / f"{name}.tif"
    cog_translate(plain, final, cog_profiles.get("deflate"), quiet=True)
    plain.unlink()
    with rasterio.open(final) as ds:
        bounds = transform_bounds(ds.crs, "EPSG:4326", *ds.bounds, densify_pts=21)
        row = Raster.objects.create(
            name=name,
            title_vi=f"Thử {name}",
            title_en=f"Test {name}",
            kind=kind,
            unit_vi="m",
            unit_en="m",
            file=final.name,
            source_name=final.name,
            crs=ds.crs.to_wkt(),
            crs_name=crs,
            width=ds.width,
            height=ds.height,
            dtype=ds.dtypes[0],
            nodata=ds.nodata,
            res_x=ds.res[0],
            res_y=ds.res[1],
            footprint=Polygon.from_bbox(bounds),
            version=hashlib.sha256(final.read_bytes()).hexdigest()[:12],
        )
    return row


def vn2000_flood(name: str) -> Raster:
    """The same flood on a 30 m VN-2000 grid: each cell takes the 0.001° cell holding its centre."""
    (x0, x1), (y0, y1) = warp_transform(
        "EPSG:4326",
        VN2000,
        [WEST - 0.002, WEST + 0.102],
        [
            NORTH + 0.002,
            NORTH - 0.052,
        ],
    )
    cell = 30.0
    cols, rows = int((x1 - x0) / cell) + 1, int((y0 - y1) / cell) + 1
    xs = x0 + (np.arange(cols) + 0.5) * cell
    ys = y0 - (np.arange(rows) + 0.5) * cell
    gx, gy = np.meshgrid(xs, ys)
    lons, lats = warp_transform(VN2000, "EPSG:4326", gx.ravel(), gy.ravel())
    c = np.floor((np.array(lons) - WEST) / CELL).astype(int)
    r = np.floor((NORTH - np.array(lats)) / CELL).astype(int)
    inside = (c >= 0) & (c < COLS) & (r >= 0) & (r < ROWS)
    source = depth_grid()
    out = np.full(rows * cols, NODATA, dtype="float32")
    out[inside] = source[r[inside], c[inside]]
    return raster_make(
        name,
        Raster.Kind.FLOOD_DEPTH,
        out.reshape(rows, cols),
        crs=VN2000,
        transform=from_origin(x0, y0, cell, cell),
    )


def population(name: str = "dan-so") -> Raster:
    """100 people in every 0.005° cell over the flood grid's extent (5 × 5 flood cells)."""
    data = np.full((ROWS // 5, COLS // 5), 100.0, dtype="float32")
    return raster_make(
        name, Raster.Kind.POPULATION, data, transform=from_origin(WEST, NORTH, CELL * 5, CELL * 5)
    )


@dataclass
class FloodWorld:
    an: AdminUnit
    binh: AdminUnit
    flood: Raster
    places: dict[str, object]


def flood_world() -> FloodWorld:
    """The communes, the flood raster and the places (see the module's docstring)."""
    version = make_version(
        "thu-2025",
        {"90001": ("Xã An", square(108.20, 15.85)), "90002": ("Xã Bình", square(108.25, 15.85))},
        valid_from=dt.date(2025, 7, 1),
    )
    an = AdminUnit.objects.get(version=version, code="90001")
    binh = AdminUnit.objects.get(version=version, code="90002")

    def facility(code: str, kind: str, point: Point, **extra: object) -> Facility:
        return Facility.objects.create(
            kind=kind, code=code, name=f"Cơ sở {code}", geom=point, **extra
        )

    places: dict[str, object] = {
        "school_wet": facility("TH-WET", Facility.Kind.SCHOOL, centre(15, 20)),
        "health_wet": facility("TYT-WET", Facility.Kind.HEALTH, centre(35, 65)),
        "school_dry": facility("TH-DRY", Facility.Kind.SCHOOL, centre(25, 25)),
        "agency_nodata": facility("CQ-ND", Facility.Kind.AGENCY, centre(45, 90)),
        "school_edge": facility("TH-EDGE", Facility.Kind.SCHOOL, centre(2, 42)),
        "office_wet": facility("MC-WET", Facility.Kind.ONE_STOP, centre(18, 28)),
        "school_closed": facility("TH-OLD", Facility.Kind.SCHOOL, centre(17, 25), active=False),
        "school_off": facility("TH-OFF", Facility.Kind.SCHOOL, Point(108.35, 15.87, srid=4326)),
    }
    now = timezone.now()
    report = feedback.report_receive(
        category="thoat_nuoc",
        description="Nước ngập tới gối trước nhà bà Lan.",
        channel="web",
        point=centre(12, 12),
        received_at=now,
        reporter_name="Nguyễn Thị Bí Mật",
        reporter_phone="0905123456",
        anonymous=False,
    )
    done = feedback.report_receive(
        category="thoat_nuoc",
        description="Đã xử lý.",
        channel="web",
        point=centre(13, 13),
        received_at=now,
    )
    Report.objects.filter(pk=done.pk).update(status=Report.Status.RESOLVED)
    places["report_open"], places["report_done"] = report, done
    places["incident"] = Incident.objects.create(
        kind=Incident.Kind.FLOOD,
        severity=3,
        title="Ngập sâu khu chợ",
        geom=centre(16, 22),
        opened_at=now,
    )
    flood = raster_make("lu-thu", Raster.Kind.FLOOD_DEPTH, depth_grid())
    return FloodWorld(an, binh, flood, places)
