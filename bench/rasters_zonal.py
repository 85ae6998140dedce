"""Zonal statistics of the national communes over the national grid: ours against exactextract
called bare and rasterstats, in one process, one after the other, the same geometries."""

import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import db

STATS = ("count", "sum", "mean", "max")


def communes(limit: int | None) -> Any:
    """vn-2025's communes (lon/lat) as a GeoDataFrame ordered by code, first `limit` only."""
    import geopandas as gpd
    import shapely

    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT u.code, ST_AsBinary(u.geom) FROM geo_adminunit u JOIN geo_boundaryversion v "
            "ON v.id = u.version_id WHERE v.slug = %s AND u.level = 'commune' ORDER BY u.code",
            (db.SLUG,),
        )
        rows = cur.fetchall()
    conn.close()
    rows = rows[:limit] if limit else rows
    return gpd.GeoDataFrame(
        {"code": [r[0] for r in rows]},
        geometry=shapely.from_wkb([bytes(r[1]) for r in rows]),
        crs="EPSG:4326",
    )


def ours(raster: Any, codes: set[str]) -> tuple[float, dict[str, float | None]]:
    """gisioc.rasters.zonal.zonal_compute over vn-2025 (units read from the DB): seconds, sums."""
    from gisioc.rasters.zonal import zonal_compute

    t0 = time.perf_counter()
    found = zonal_compute(raster=raster, version=db.SLUG, level="commune")
    seconds = time.perf_counter() - t0
    return seconds, {s.code: s.sum for s in found if s.code in codes}


def exact_bare(path: Path, units: Any) -> tuple[float, dict[str, float | None]]:
    """exactextract called bare on the COG (GDAL reads it), the same operations."""
    from exactextract import exact_extract

    t0 = time.perf_counter()
    table = exact_extract(str(path), units, list(STATS), include_cols=["code"], output="pandas")
    seconds = time.perf_counter() - t0
    return seconds, {r.code: _num(r.sum) for r in table.itertuples()}


def rasterstats(path: Path, units: Any) -> tuple[float, dict[str, float | None]]:
    """rasterstats' zonal_stats (a cell counts whole when its centre is inside)."""
    from rasterstats import zonal_stats

    t0 = time.perf_counter()
    found = zonal_stats(list(units.geometry), str(path), stats=list(STATS), nodata=-9999.0)
    seconds = time.perf_counter() - t0
    return seconds, {c: _num(f.get("sum")) for c, f in zip(units.code, found, strict=True)}


def _num(v: Any) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def compare(exact: dict[str, float | None], other: dict[str, float | None]) -> dict[str, Any]:
    """How far other's sums are from the exact ones (communes whose exact sum > 0)."""
    errors, missing = [], 0
    for code, want in exact.items():
        if not want:
            continue
        got = other.get(code)
        if got is None:
            missing += 1
            got = 0.0
        errors.append(abs(got - want) / want * 100)
    total_exact = sum(v or 0 for v in exact.values())
    total_other = sum(v or 0 for v in other.values())
    return {
        "communes": len(errors),
        "median_pct": round(statistics.median(errors), 3) if errors else None,
        "p95_pct": round(float(np.percentile(errors, 95)), 3) if errors else None,
        "max_pct": round(max(errors), 2) if errors else None,
        "over_1pct": sum(e > 1 for e in errors),
        "over_5pct": sum(e > 5 for e in errors),
        "no_value": missing,
        "total_pct": round((total_other - total_exact) / total_exact * 100, 4),
    }


def measure(raster: Any, path: Path, rounds: int, log) -> dict[str, Any]:
    """Each of the three once per round (interleaved; the best time of the rounds kept, the
    machine being shared), then their sums compared with ours."""
    units = communes(None)
    codes = set(units.code)
    log(f"zonal: {len(units):,} communes over {path.name}, {rounds} round(s)")
    times: dict[str, list[float]] = {"ours": [], "exactextract": [], "rasterstats": []}
    for _ in range(rounds):
        t, s_ours = ours(raster, codes)
        times["ours"].append(t)
        t, s_bare = exact_bare(path, units)
        times["exactextract"].append(t)
        t, s_rs = rasterstats(path, units)
        times["rasterstats"].append(t)
        log("  " + ", ".join(f"{k} {v[-1]:.1f} s" for k, v in times.items()))
    return {
        "communes": len(units),
        "rounds": rounds,
        "seconds": {k: round(min(v), 2) for k, v in times.items()},
        "seconds_rounds": {k: [round(x, 2) for x in v] for k, v in times.items()},
        "ours_vs_exactextract": compare(s_bare, s_ours),
        "rasterstats_vs_exact": compare(s_ours, s_rs),
    }
