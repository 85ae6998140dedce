"""The raster benchmark's data: the national communes in the benchmark DB and a national-extent
synthetic population grid, registered once through our own `raster_add` and kept.

The grid: EPSG:4326 over Vietnam's bounding box at 0.0009° (~100 m; 8,222 × 16,667 cells) or
0.0045° (~500 m, --quick), people per cell, nodata outside the communes (rasterised from the
same national file). Values: a log-normal density drawn on a coarse lattice (every 64 cells,
seeded) and interpolated, times per-cell noise seeded per block row: deterministic, cheap to
make, and varied enough that the COG compresses like real data, not like a constant.
"""

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bench import db

SEED = 2025
VIETNAM = (102.1, 8.4, 109.5, 23.4)  # lon/lat min, max
NODATA = -9999.0
LATTICE = 64  # cells between the coarse density lattice's points
ROWS = 512  # rows generated and written at a time
RECIPE = "bench national grid v1: seed 2025, log-normal lattice/64 × uniform 0.5–1.5, land only"


def ensure_units(log) -> None:
    """The benchmark DB with the national communes published as vn-2025 (not the points the
    tile benchmark also needs: this one reads only units)."""
    subprocess.run(
        ["bash", "scripts/pg.sh", "start"],
        cwd=db.ROOT,
        env=db.db_env(),
        check=True,
        capture_output=True,
    )
    conn = db.connect()
    try:
        db.migrate(conn)
        db.ensure_boundaries(conn, log)
    finally:
        conn.close()


def shape_of(res: float) -> tuple[int, int]:
    """Width, height of the national grid at `res` degrees."""
    west, south, east, north = VIETNAM
    return round((east - west) / res), round((north - south) / res)


def _land(res: float, width: int, height: int) -> np.ndarray:
    """1 inside a commune, 0 elsewhere (rasterised at cell centres)."""
    import geopandas as gpd
    from rasterio.features import rasterize
    from rasterio.transform import from_origin

    communes = gpd.read_file(db.BOUNDARIES, columns=[])
    transform = from_origin(VIETNAM[0], VIETNAM[3], res, res)
    return rasterize(
        ((g, 1) for g in communes.geometry), out_shape=(height, width), transform=transform
    )


def grid_write(path: Path, res: float, log) -> None:
    """The national grid as a tiled GeoTIFF (raster_add makes the COG from it)."""
    import rasterio
    from rasterio.transform import from_origin
    from rasterio.windows import Window

    width, height = shape_of(res)
    log(f"generating the national grid: {width:,} × {height:,} cells at {res}°")
    land = _land(res, width, height)
    rng = np.random.default_rng(SEED)
    lattice = np.exp(rng.normal(2.0, 1.3, (height // LATTICE + 2, width // LATTICE + 2)))
    cols = np.arange(width) / LATTICE
    c0 = cols.astype(int)
    fc = (cols - c0).astype(np.float32)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": from_origin(VIETNAM[0], VIETNAM[3], res, res),
        "nodata": NODATA,
        "tiled": True,
        "blockxsize": 512,
        "blockysize": 512,
        "compress": "deflate",
        "predictor": 3,
        "BIGTIFF": "IF_SAFER",
    }
    with rasterio.open(path, "w", **profile) as dst:
        for top in range(0, height, ROWS):
            n = min(ROWS, height - top)
            rows = (top + np.arange(n)) / LATTICE
            r0 = rows.astype(int)
            fr = (rows - r0).astype(np.float32)[:, None]
            a, b = lattice[r0][:, c0], lattice[r0][:, c0 + 1]
            c, d = lattice[r0 + 1][:, c0], lattice[r0 + 1][:, c0 + 1]
            top_edge, bottom = a + (b - a) * fc, c + (d - c) * fc
            density = top_edge + (bottom - top_edge) * fr
            noise = np.random.default_rng([SEED, top]).uniform(0.5, 1.5, (n, width))
            cells = (density * noise).astype(np.float32)
            cells[land[top : top + n] == 0] = NODATA
            dst.write(cells, 1, window=Window(0, top, width, n))


def raster_ensure(res: float, log) -> tuple[Any, float | None]:
    """The national grid's Raster row (made through raster_add when missing or from another
    recipe) and how long adding it took (None when it was already there)."""
    import time

    from gisioc.rasters.files import raster_path
    from gisioc.rasters.models import Raster
    from gisioc.rasters.services import raster_add

    name = f"bench-national-{round(res * 111_000 / 100) * 100}m"
    source = f"{RECIPE}; res {res}"
    row = Raster.objects.filter(name=name).first()
    if row and row.source_name == source and raster_path(row).is_file():
        return row, None
    with tempfile.TemporaryDirectory(prefix="gisioc-bench-grid-", dir=db.ROOT / "var") as tmp:
        path = Path(tmp) / f"{name}.tif"
        t0 = time.perf_counter()
        grid_write(path, res, log)
        made = time.perf_counter() - t0
        log(f"  written in {made:.0f} s; adding it through raster_add (COG, overviews, stats)")
        t0 = time.perf_counter()
        row = raster_add(
            path=path,
            kind="population",
            name=name,
            title_vi=f"Lưới dân số toàn quốc ({res}°, mô phỏng)",
            title_en=f"National population grid ({res}°, synthetic)",
            synthetic=True,
            source_name=source,
        )
    added = time.perf_counter() - t0
    log(f"  added in {added:.0f} s: {raster_path(row).stat().st_size / 2**20:.0f} MiB")
    return row, added
