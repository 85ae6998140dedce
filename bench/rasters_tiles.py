"""Raster tile throughput: ours through real HTTP (`gisioc serve`), tile cache off (every tile
drawn) and warm (every tile from the disk cache), against rio-tiler called bare in this
process (Reader.tile + render, a reader per tile as ours opens one, the same resampling and the
same classes painted as a palette PNG)."""

import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bench import report, servers
from bench.rasters_data import VIETNAM


def tiles_over_land(zooms: range, sample: int, seed: int = 7) -> list[tuple[int, int, int]]:
    """Every tile of the low zooms and a seeded sample of `sample` per deeper zoom, each
    holding part of a commune of the national file."""
    import geopandas as gpd
    import shapely

    from bench import db
    from gisioc.rasters.tiles import tile_lonlat_bounds
    from tiles.sql import tile_for

    land = shapely.union_all(gpd.read_file(db.BOUNDARIES, columns=[]).geometry.simplify(0.01))
    shapely.prepare(land)
    rnd, out = random.Random(seed), []
    for z in zooms:
        x0, y0 = tile_for(VIETNAM[0], VIETNAM[3], z)
        x1, y1 = tile_for(VIETNAM[2], VIETNAM[1], z)
        found = [
            (z, x, y)
            for x in range(x0, x1 + 1)
            for y in range(y0, y1 + 1)
            if land.intersects(shapely.box(*tile_lonlat_bounds(z, x, y)))
        ]
        out += found if len(found) <= sample else sorted(rnd.sample(found, sample))
    return out


def start(srv: servers.Servers, var_dir: Path, tmp: Path, logs: Path) -> dict[str, servers.Server]:
    """Ours twice on the benchmark DB: tile cache off (cold) and on (warm); the warm one's
    var dir is its own, its rasters/ the shared COGs."""
    warm_var = tmp / "warm"
    warm_var.mkdir(parents=True, exist_ok=True)
    (warm_var / "rasters").symlink_to(var_dir / "rasters")
    out = {}
    for name, cache, var in (("cold", False, var_dir), ("warm", True, warm_var)):
        out[name] = srv.add(
            servers.gisioc(f"rasters-{name}", cache=cache, var_dir=var, logs=logs, extra_apps="[]")
        )
    for s in out.values():
        s.wait_ready("/tiles/style.json")
    return out


def paths(name: str, tiles: list[tuple[int, int, int]]) -> list[str]:
    """The tile URLs of the raster `name`."""
    return [f"/tiles/{name}/{z}/{x}/{y}.png" for z, x, y in tiles]


def _palette(colormap: dict[str, Any]) -> tuple[np.ndarray, dict[int, tuple[int, ...]]]:
    """The raster's classes as breaks and a rio-tiler colour map (index 0 transparent)."""
    stops = colormap["stops"]
    breaks = np.array([float(v) for v, _ in stops])
    colors = {0: (0, 0, 0, 0)}
    for i, (_, c) in enumerate(stops, start=1):
        colors[i] = (int(c[1:3], 16), int(c[3:5], 16), int(c[5:7], 16), 255)
    return breaks, colors


def bare_tile(path: str, t: tuple[int, int, int], breaks: np.ndarray, colors: dict) -> int:
    """One tile drawn by rio-tiler alone: read (nearest, as ours for counts), classes, PNG."""
    from rio_tiler.errors import TileOutsideBounds
    from rio_tiler.io import Reader

    z, x, y = t
    with Reader(path) as src:
        try:
            img = src.tile(x, y, z, tilesize=256, resampling_method="nearest")
        except TileOutsideBounds:
            return 0
    classes = np.digitize(img.data[0], breaks).astype("uint8")
    classes[np.asarray(img.mask) == 0] = 0
    if not classes.any():
        return 0
    return len(img.__class__(classes[None], crs=img.crs, bounds=img.bounds).render(
        img_format="PNG", colormap=colors, add_mask=False
    ))  # fmt: skip


def bare(path: Path, colormap: dict, tiles: list, c: int, passes: int) -> dict[str, Any]:
    """rio-tiler bare over the tiles at concurrency `c` (threads), in drive.py's record shape."""
    import rasterio

    breaks, colors = _palette(colormap)
    order = tiles * passes
    results: list[list[Any]] = []

    def one(i: int) -> list[Any]:
        t0 = time.perf_counter()
        try:
            with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR", GDAL_CACHEMAX=128):
                size = bare_tile(str(path), order[i], breaks, colors)
            return [i, 200 if size else 204, (time.perf_counter() - t0) * 1000, size, None]
        except Exception as exc:  # a failed tile is a recorded error
            return [i, 0, (time.perf_counter() - t0) * 1000, 0, repr(exc)[:200]]

    t0 = time.perf_counter()
    with ThreadPoolExecutor(c) as pool:
        results = list(pool.map(one, range(len(order))))
    wall = time.perf_counter() - t0
    return {"results": results, "wall_s": wall, "truncated": False, "load_1min": None}


def measure(
    raster: Any, path: Path, tiles: list, run: dict, levels: list[int], passes: int, drive, log
) -> dict[str, dict[str, list[dict]]]:
    """Warm the cached server, then per level: cold, warm, bare (interleaved)."""
    urls = paths(raster.name, tiles)
    spec = {"kind": "http", "paths": urls, "seconds": 300.0}
    t0 = time.perf_counter()
    drive({**spec, "port": run["warm"].port, "concurrency": 2, "requests": len(urls)})
    log(f"tiles: warm server filled in {time.perf_counter() - t0:.1f} s ({len(urls)} tiles)")
    drive({**spec, "port": run["cold"].port, "concurrency": 2, "requests": min(20, len(urls))})
    raw: dict[str, dict[str, list[dict]]] = {"cold": {}, "warm": {}, "bare": {}}
    for c in levels:
        jobs = {
            "cold": lambda c=c: drive(
                {**spec, "port": run["cold"].port, "concurrency": c, "requests": len(urls)}
            ),
            "warm": lambda c=c: drive(
                {**spec, "port": run["warm"].port, "concurrency": c, "requests": len(urls) * passes}
            ),
            "bare": lambda c=c: bare(path, raster.colormap, tiles, c, 1),
        }
        for key, job in jobs.items():
            res = job()
            raw[key].setdefault(str(c), []).append(res)
            s = report.summarise([res])
            log(
                f"  c={c} {key}: {s['requests']} tiles, {s['rps']:.1f} tiles/s, p50 "
                f"{s['p50']:.1f} ms, p95 {s['p95']:.1f} ms, errors {s['errors']}"
            )
    return raw


def ratios(summaries: dict[str, dict[str, dict]]) -> list[dict[str, Any]]:
    """Per level: ours cold against bare, warm against cold (throughput, p50)."""
    out = []
    for level in summaries["cold"]:
        cold, warm, bare_ = (summaries[k][level] for k in ("cold", "warm", "bare"))
        out.append(
            {
                "level": int(level),
                "cold_over_bare_rps": round(cold["rps"] / bare_["rps"], 2),
                "cold_over_bare_p50": round(cold["p50"] / bare_["p50"], 2),
                "warm_over_cold_rps": round(warm["rps"] / cold["rps"], 1),
                "warm_p50_ms": warm["p50"],
            }
        )
    return out


def sizes(raw: dict) -> dict[str, float]:
    """Mean bytes of a drawn tile per target (200s only)."""
    out = {}
    for key, levels in raw.items():
        rows = [r for runs in levels.values() for run in runs for r in run["results"]]
        drawn = [r[3] for r in rows if r[1] == 200]
        out[key] = round(statistics.fmean(drawn)) if drawn else 0
    return out
