"""`python -m bench.rasters [--quick]`: zonal statistics of Vietnam's 3,321 communes over a
national 100 m grid, and the raster tile endpoint's throughput, against peers in the same run.

Set up (made when missing, kept): the benchmark database of bench/db.py with the national
communes published as vn-2025, and a synthetic national population grid (bench/rasters_data.py)
added through our own `raster_add` into var/bench/rasters/ (a tiled COG with overviews).

Zonal (bench/rasters_zonal.py), each once, the same communes (vn-2025 from the DB):
  ours          gisioc.rasters.zonal.zonal_compute (units read from the DB, reprojected,
                exactextract with coverage-weighted sum/mean/max and covered area)
  exactextract  exact_extract called bare on the COG file (count, sum, mean, max)
  rasterstats   zonal_stats (count, sum, mean, max; a cell counts whole when its centre is in)
and how far rasterstats' sums are from the exact ones.

Tiles (bench/rasters_tiles.py), at concurrency 1 and 4: /tiles/<grid>/{z}/{x}/{y}.png through
real HTTP against `gisioc serve`, cold (tile cache off: every tile read and drawn) and warm
(tile cache on, filled by one pass), and rio-tiler called bare in this process as the peer.
"""

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import db, report, servers
from bench import rasters_data as data
from bench import rasters_tiles as tiles
from bench import rasters_zonal as zonal
from bench.__main__ import commit, drive, load_average, log, machine

OUT_DIR = db.ROOT / "var" / "bench"
VAR_DIR = OUT_DIR / "rasters"  # the grid's COG (var/bench/rasters/rasters/) and its row's home
START, END = "<!-- rasters-figures:start -->", "<!-- rasters-figures:end -->"
FULL, QUICK, SMOKE = 0.0009, 0.0045, 0.045  # degrees: ~100 m, ~500 m, ~5 km


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m bench.rasters", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="500 m grid, fewer tiles, no README")
    p.add_argument("--smoke", action="store_true", help="5 km grid, 5 tiles: does it run?")
    p.add_argument("--levels", default="1,4", help="tile concurrency levels (default 1,4)")
    p.add_argument("--passes", type=int, default=3, help="passes over the tiles when warm")
    p.add_argument("--rounds", type=int, help="zonal rounds, the best kept (3; --quick 1)")
    p.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    p.add_argument("--out", type=Path, help="results file (var/bench/rasters-<date>.json)")
    args = p.parse_args(argv)
    if args.smoke:
        args.quick, args.levels, args.passes = True, "1", 1
    args.levels = [int(c) for c in args.levels.split(",")]
    args.res = SMOKE if args.smoke else QUICK if args.quick else FULL
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.zooms = range(6, 7) if args.smoke else range(6, 10) if args.quick else range(6, 12)
    args.sample = 5 if args.smoke else 40 if args.quick else 120
    return args


def setup_django() -> None:
    """Django in this process on the benchmark DB, var/ the benchmark's own."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        db.db_env(GISIOC_EXTRA_APPS="[]", GISIOC_VAR_DIR=str(VAR_DIR), GISIOC_TILE_CACHE="false")
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
    import django

    django.setup()


def markdown(res: dict[str, Any]) -> str:
    """The figures as the README shows them."""
    z, s = res["zonal"], res["zonal"]["seconds"]
    rs, ok = z["rasterstats_vs_exact"], z["ours_vs_exactextract"]
    g = res["grid"]
    lines = [
        f"{res['date']}, commit {res['commit']}{' (--quick)' if res['quick'] else ''}; "
        f"{res['machine']['cores']} cores, load {res['machine']['load_before']} → "
        f"{res['machine']['load_after']}.",
        "",
        f"Grid: {g['width']:,} × {g['height']:,} cells ({g['res']}°, {g['cells'] / 1e6:.0f} M), "
        f"COG {g['mib']:.0f} MiB"
        + (f"; made and added through raster_add in {g['added_s']:.0f} s" if g["added_s"] else "")
        + ".",
        "",
        f"Zonal statistics, {z['communes']:,} communes (best of {z['rounds']}):",
        "",
        "| | seconds | × exactextract bare |",
        "|---|---:|---:|",
    ]
    for key in ("ours", "exactextract", "rasterstats"):
        lines.append(f"| {key} | {s[key]:.1f} | {s[key] / s['exactextract']:.2f} |")
    lines += [
        "",
        f"Ours against exactextract bare: median {ok['median_pct']} %, max {ok['max_pct']} % "
        "apart (the same rule). rasterstats (cell centres) against the exact sums: median "
        f"{rs['median_pct']} %, 95th percentile {rs['p95_pct']} %, worst {rs['max_pct']} %; "
        f"{rs['over_1pct']} communes off by more than 1 %, {rs['over_5pct']} by more than 5 %, "
        f"{rs['no_value']} with no value; the national total {rs['total_pct']:+} %.",
        "",
        f"Tiles: {len(res['tiles'])} PNG tiles at z{res['zooms']} over Vietnam's communes "
        f"(mean drawn tile {res['tile_bytes']['cold']:,} B ours, {res['tile_bytes']['bare']:,} B "
        "bare).",
        "",
        "| c | target | tiles/s | p50 ms | p95 ms | errors |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for level in map(str, res["levels"]):
        for key, label in (
            ("cold", "ours, cache off"),
            ("warm", "ours, cache warm"),
            ("bare", "rio-tiler bare"),
        ):
            m = res["tile_summaries"][key][level]
            lines.append(
                f"| {level} | {label} | {m['rps']:.1f} | {m['p50']:.1f} | {m['p95']:.1f} | "
                f"{m['errors']} |"
            )
    lines.append("")
    for r in res["tile_ratios"]:
        lines.append(
            f"c={r['level']}: ours cold / bare {r['cold_over_bare_rps']}× the tiles/s "
            f"(p50 {r['cold_over_bare_p50']}×); warm / cold {r['warm_over_cold_rps']}× the tiles/s."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Set up, measure zonal statistics, serve and measure tiles, report."""
    args = parse(argv)
    mach = machine()
    tmp = Path(tempfile.mkdtemp(prefix="gisioc-bench-rasters-"))
    try:
        log(f"database: checking {db.DB_NAME} (made from scratch when missing)")
        data.ensure_units(log)
        setup_django()
        from gisioc.rasters.files import raster_path

        raster, added = data.raster_ensure(args.res, log)
        path = raster_path(raster)
        z = zonal.measure(raster, path, args.rounds, log)
        tile_list = tiles.tiles_over_land(args.zooms, args.sample)
        log(f"{len(tile_list)} tiles at z{args.zooms.start}–{args.zooms.stop - 1}")
        with servers.Servers() as srv:
            run = tiles.start(srv, VAR_DIR, tmp, OUT_DIR / "logs")
            raw = tiles.measure(raster, path, tile_list, run, args.levels, args.passes, drive, log)
        summaries = {k: {c: report.summarise(r) for c, r in v.items()} for k, v in raw.items()}
        conn = db.connect()
        versions = db.server_versions(conn)
        conn.close()
        mach["load_after"] = load_average()
        width, height = data.shape_of(args.res)
        res = {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": args.quick,
            "commit": commit(),
            "machine": mach,
            "versions": versions,
            "server": servers.described(None, None),
            "grid": {
                "name": raster.name,
                "res": args.res,
                "width": width,
                "height": height,
                "cells": width * height,
                "mib": round(path.stat().st_size / 2**20, 1),
                "added_s": round(added, 1) if added else None,
            },
            "zonal": z,
            "zooms": f"{args.zooms.start}–{args.zooms.stop - 1}",
            "levels": args.levels,
            "tiles": ["{}/{}/{}".format(*t) for t in tile_list],
            "tile_summaries": summaries,
            "tile_ratios": tiles.ratios(summaries),
            "tile_bytes": tiles.sizes(raw),
            "raw": {
                k: {c: [r["results"] for r in runs] for c, runs in v.items()}
                for k, v in raw.items()
            },
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.results_publish(
        res, block=markdown(res), name="rasters", args=args, start=START, end=END
    )
    errors = sum(s["errors"] for v in summaries.values() for s in v.values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
