"""`python -m bench.indicators [--quick]`: one indicator over Vietnam's 3,321 communes × 10 years,
drawn as a choropleth and ranked, against peers measured in the same run.

Set up (made when missing, left alone when present): the benchmark database of bench/db.py
(`gisioc_bench`, migrated, the national communes file imported through `gisioc boundaries
import` and published as vn-2025), then `population` for every commune of vn-2025 in 2016–2025
(33,210 values, COPY: set-up, not measured), generated per commune from a seed: a density
drawn log-uniformly from 60–3,000 people/km² times the file's area, clamped to 3,000–180,000,
growing 0.2–2 % a year.

Targets (at concurrency 1 and 4; interleaved in each round, each round asks another year):
  map-cold    /tiles/indicator-map/{z}/{x}/{y}.mvt?indicator_code=population&indicator_period=P
              &version=vn-2025 at z5–z8 over Vietnam, tile cache off: every tile rendered
  map-latest  the same tiles without period and version (the latest year, the version in force)
  map-change  the same tiles with base=P-5 (the change map), cache off
  map-warm    the same tiles with the tile cache on, warmed by one pass
  units-cold  the same tiles of `admin-units` (the commune polygons alone), cache off: the peer
  floor       the statement map-cold runs for each tile (captured), through psycopg2 alone
  rank-cold   /api/indicators/population/ranking/?period=P&version=vn-2025, answers not cached
  rank-cached the same, from the answer cache (warmed)
  rank-floor  every SQL statement the ranking runs (captured), through psycopg2 alone
  legend      /tiles/legend/indicator-map.json with the same filters (classes of 3,321 values)
Then EXPLAIN ANALYZE of the slowest tile's statement: does the tile's bounding box reach the
view before the per-commune work? See bench/README.md ("Indicators at national scale").
"""

import argparse
import datetime as dt
import io
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import db, report, servers
from bench.__main__ import commit, drive, load_average, log, machine
from bench.indicators_report import markdown, per_zoom, ratios, slow_tiles

OUT_DIR = db.ROOT / "var" / "bench"
START, END = "<!-- indicators-figures:start -->", "<!-- indicators-figures:end -->"
INDICATOR = "population"
YEARS = tuple(str(y) for y in range(2016, 2026))
SOURCE = "bench-national"
RECIPE = "bench national population v1: seed pop-<code>, density 60-3000 log-uniform, 2016-2025"
ZOOMS = range(5, 9)
VIETNAM = (102.1, 8.4, 109.5, 23.4)  # lon/lat min, max
TARGETS = {
    "map-cold": "indicator-map tiles, cache off",
    "map-latest": "the same tiles, no period or version: the latest, in force",
    "map-change": "the same tiles, change from 5 years before (base=)",
    "map-warm": "indicator-map tiles, cache warm",
    "units-cold": "admin-units tiles (polygons alone), cache off",
    "floor": "the map tile's SQL via psycopg2",
    "rank-cold": "ranking API, answer not cached",
    "rank-cached": "ranking API, answer cached",
    "rank-floor": "the ranking's SQL via psycopg2",
    "legend": "choropleth legend (classes)",
}


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(
        prog="python -m bench.indicators", description=__doc__.split("\n")[0]
    )
    p.add_argument("--quick", action="store_true", help="z5–z7, one round, no README")
    p.add_argument("--smoke", action="store_true", help="z5, c=1, one pass: does it run?")
    p.add_argument("--rounds", type=int, help="times the interleaved cycle runs (3; --quick 1)")
    p.add_argument("--levels", default="1,4", help="concurrency levels (default 1,4)")
    p.add_argument("--cached-passes", type=int, default=3, help="passes for the cached targets")
    p.add_argument("--seconds", type=float, default=120.0, help="time limit per target and level")
    p.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    p.add_argument("--out", type=Path, help="results file (var/bench/indicators-<date>.json)")
    args = p.parse_args(argv)
    if args.smoke:
        args.quick, args.levels, args.cached_passes = True, "1", 1
    args.levels = [int(c) for c in args.levels.split(",")]
    args.rounds = args.rounds or (1 if args.quick else 3)
    args.zooms = range(5, 6) if args.smoke else range(5, 8) if args.quick else ZOOMS
    return args


def ensure_values(log=log) -> int:
    """The indicator's values for every commune of the national version (idempotent)."""
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM geo_boundaryversion WHERE slug = %s", (db.SLUG,))
        version = cur.fetchone()[0]
        cur.execute(
            "SELECT id, code, area_km2 FROM geo_adminunit WHERE version_id = %s "
            "AND level = 'commune' ORDER BY code",
            (version,),
        )
        units = cur.fetchall()
        want = len(units) * len(YEARS)
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE note = %s) FROM indicators_indicatorvalue "
            "WHERE source = %s",
            (RECIPE, SOURCE),
        )
        if cur.fetchone() == (want, want):
            conn.close()
            return want
        log(f"writing {want:,} values of {INDICATOR} ({len(units):,} communes × {len(YEARS)})")
        buf = io.StringIO()
        for unit, code, area in units:
            rnd = random.Random(f"pop-{code}")
            density = math.exp(rnd.uniform(math.log(60), math.log(3000)))
            first, growth = min(max((area or 0) * density, 3000), 180_000), rnd.uniform(0.002, 0.02)
            for i, year in enumerate(YEARS):
                value = round(first * (1 + growth) ** i)
                buf.write(
                    f"{INDICATOR}\t{version}\t{unit}\tf\t{year}\t{year}-01-01\t{year}-12-31\t"
                    f"actual\t{value}\treported\t{RECIPE}\t{SOURCE}\t{code}-{year}\tnone\t\n"
                )
        buf.seek(0)
        cur.execute("DELETE FROM indicators_indicatorvalue WHERE source = %s", (SOURCE,))
        cur.copy_expert(
            "COPY indicators_indicatorvalue (indicator, version_id, unit_id, whole, period, "
            "period_start, period_end, kind, value, status, note, source, external_id, "
            "locate_method, locate_reason) FROM STDIN",
            buf,
        )
        cur.execute("ANALYZE indicators_indicatorvalue")
    conn.close()
    return want


def national_tiles(zooms: range) -> list[tuple[int, int, int]]:
    """Every tile at these zooms over Vietnam's bounding box that holds part of a commune."""
    from tiles.sql import tile_for

    conn = db.connect()
    found = []
    with conn.cursor() as cur:
        for z in zooms:
            x0, y0 = tile_for(VIETNAM[0], VIETNAM[3], z)
            x1, y1 = tile_for(VIETNAM[2], VIETNAM[1], z)
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    cur.execute(
                        "SELECT EXISTS (SELECT 1 FROM gisioc_units u, "
                        "ST_Transform(ST_TileEnvelope(%s, %s, %s), 4326) e WHERE u.version = %s "
                        "AND u.level = 'commune' AND u.geom && e AND ST_Intersects(u.geom, e))",
                        (z, x, y, db.SLUG),
                    )
                    if cur.fetchone()[0]:
                        found.append((z, x, y))
    conn.close()
    return found


def paths(tiles: list[tuple[int, int, int]], year: str) -> dict[str, list[str]]:
    """Per target kind, the request paths of a round asking for `year`."""
    query = f"indicator_code={INDICATOR}&indicator_period={year}&version={db.SLUG}"
    return {
        "map": [f"/tiles/indicator-map/{z}/{x}/{y}.mvt?{query}" for z, x, y in tiles],
        "latest": [
            f"/tiles/indicator-map/{z}/{x}/{y}.mvt?indicator_code={INDICATOR}" for z, x, y in tiles
        ],
        "change": [
            f"/tiles/indicator-map/{z}/{x}/{y}.mvt?{query}&base={int(year) - 5}"
            for z, x, y in tiles
        ],
        "units": [f"/tiles/admin-units/{z}/{x}/{y}.mvt" for z, x, y in tiles],
        "rank": [f"/api/indicators/{INDICATOR}/ranking/?period={year}&version={db.SLUG}"],
        "legend": [f"/tiles/legend/indicator-map.json?{query}"],
    }


def capture(urls: list[str], mark: str) -> list[list[list[Any]]]:
    """Per URL, the [sql, params] it runs whose SQL contains `mark` (Django's test client)."""
    from django.db import connection
    from django.test import Client

    found: list[list[Any]] = []

    def wrapper(execute, sql, params, many, context):
        if mark in sql:
            found.append([sql, list(params or [])])
        return execute(sql, params, many, context)

    client, out = Client(HTTP_HOST="127.0.0.1"), []
    with connection.execute_wrapper(wrapper):
        for url in urls:
            found.clear()
            if client.get(url).status_code != 200:
                raise RuntimeError(f"capturing {url}: not 200")
            out.append([list(f) for f in found])
    return out


def wrapped(statement: str) -> str:
    """A statement returning rows, as one returning their text (all columns computed, then
    fetched as one value: the sql client reads a statement's first column of its first row)."""
    return f"SELECT string_agg(q::text, E'\\n') FROM ({statement}) q"


def setup_django(var_dir: Path) -> None:
    """Django in this process on the benchmark DB, nothing cached (for the captures)."""
    os.environ.update(
        db.db_env(
            GISIOC_EXTRA_APPS="[]",
            GISIOC_VAR_DIR=str(var_dir),
            GISIOC_TILE_CACHE="false",
            GISIOC_ANSWER_CACHE_SECONDS="0",
        )
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
    import django

    django.setup()


def start(srv: servers.Servers, tmp: Path) -> dict[str, servers.Server]:
    """Ours twice: everything rendered (cold) and everything cached (warm)."""
    out = {}
    for name, cache in (("cold", False), ("warm", True)):
        s = servers.gisioc(
            f"indicators-{name}",
            cache=cache,
            var_dir=tmp / name,
            logs=OUT_DIR / "logs",
            extra_apps="[]",
        )
        s.env.update(servers.NO_LIMITS, GISIOC_ANSWER_CACHE_SECONDS="3600" if cache else "0")
        out[name] = srv.add(s)
    for s in out.values():
        s.wait_ready("/tiles/style.json")
    return out


def http(port: int, urls: list[str], c: int, passes: int, seconds: float) -> dict[str, Any]:
    """One level of HTTP requests through bench/drive.py in its own process."""
    spec = {"kind": "http", "port": port, "paths": urls, "concurrency": c}
    return drive({**spec, "requests": len(urls) * passes, "seconds": seconds})


def sql(dsn: dict, statements: list, c: int, seconds: float) -> dict[str, Any]:
    """One level of captured statements through psycopg2 (bench/drive.py's sql client)."""
    spec = {"kind": "sql", "dsn": dsn, "statements": statements, "concurrency": c}
    return drive({**spec, "requests": len(statements), "seconds": seconds})


def measure(args: argparse.Namespace, tiles: list, run: dict[str, servers.Server]) -> dict:
    """Every round (another year each), level and target, interleaved."""
    from bench.floor import connection_params

    dsn, raw = connection_params({}), {k: {} for k in TARGETS}
    cold, warm = run["cold"].port, run["warm"].port
    for rnd in range(args.rounds):
        year = YEARS[-1 - rnd % len(YEARS)]
        p = paths(tiles, year)
        log(f"round {rnd + 1}: {year}: capturing the statements, warming the cached targets")
        tile_sql = capture(p["map"], "ST_AsMVT")
        rank_sql = [[[wrapped(q), ps] for q, ps in capture(p["rank"], "SELECT")[0]]]
        http(warm, p["map"] + p["rank"], 1, 1, 600.0)
        for c in args.levels:
            jobs = {  # target: (server port or None for SQL, requests, passes)
                "map-cold": (cold, p["map"], 1),
                "map-latest": (cold, p["latest"], 1),
                "map-change": (cold, p["change"], 1),
                "map-warm": (warm, p["map"], args.cached_passes),
                "units-cold": (cold, p["units"], 1),
                "floor": (None, tile_sql, 1),
                "rank-cold": (cold, p["rank"], 10),
                "rank-cached": (warm, p["rank"], 20),
                "rank-floor": (None, rank_sql, 10),
                "legend": (cold, p["legend"], 10),
            }
            for key, (port, asks, passes) in jobs.items():
                if port is None:
                    res = sql(dsn, asks * passes, c, args.seconds)
                else:
                    res = http(port, asks, c, passes, args.seconds)
                res["year"] = year
                raw[key].setdefault(str(c), []).append(res)
                s = report.summarise([res])
                log(
                    f"  c={c} {key}: {s['requests']} req, p50 {s['p50']:.1f} ms, "
                    f"p95 {s['p95']:.1f} ms, max {s['max']:.1f} ms, errors {s['errors']}"
                )
    return raw


def explain(tiles: list, raw: dict, level: str) -> dict[str, Any]:
    """EXPLAIN ANALYZE of the slowest tile's statement: times, and for how many communes the
    per-commune values were computed against how many the tile draws."""
    runs = raw["floor"][level]
    by: dict[int, list[float]] = {}
    for run in runs:
        for r in run["results"]:
            by.setdefault(r[0], []).append(r[2])
    worst = max(by, key=lambda i: statistics.median(by[i]))
    z, x, y = tiles[worst]
    year = runs[0]["year"]
    ((statement, params),) = capture(paths([tiles[worst]], year)["map"], "ST_AsMVT")[0]
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute("SET jit = off")
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params)
        plan = cur.fetchone()[0][0]
        cur.execute(
            "SELECT count(*) FROM gisioc_units u, ST_Transform(ST_TileEnvelope(%s, %s, %s, "
            "margin => 0.015625), 4326) e WHERE u.version = %s AND u.level = 'commune' "
            "AND u.geom && e",
            (z, x, y, db.SLUG),
        )
        drawn = cur.fetchone()[0]
    conn.close()

    def loops(node: dict) -> int:  # a commune's own value is read once per commune computed
        own = node.get("Actual Loops", 0) if node.get("Index Name") == "indicatorvalue_unit" else 0
        return max([own, *(loops(n) for n in node.get("Plans", []))])

    return {
        "tile": f"{z}/{x}/{y}",
        "year": year,
        "execution_ms": round(plan["Execution Time"], 1),
        "planning_ms": round(plan["Planning Time"], 1),
        "computed_for": loops(plan["Plan"]),
        "communes_in_bbox": drawn,
    }


def main(argv: list[str] | None = None) -> int:
    """Set up, serve, measure, report; the servers are stopped however this ends."""
    args = parse(argv)
    mach = machine()
    tmp = Path(tempfile.mkdtemp(prefix="gisioc-bench-indicators-"))
    try:
        log(f"database: checking {db.DB_NAME} (made from scratch when missing)")
        db.ensure(log)
        values = ensure_values()
        setup_django(tmp / "harness")
        tiles = national_tiles(args.zooms)
        log(f"{len(tiles)} tiles at z{args.zooms.start}–{args.zooms.stop - 1} over Vietnam")
        conn = db.connect()
        versions = db.server_versions(conn)
        conn.close()
        with servers.Servers() as srv:
            raw = measure(args, tiles, start(srv, tmp))
        lv = str(args.levels[0])
        summaries = {k: {c: report.summarise(r) for c, r in v.items()} for k, v in raw.items()}
        slow, spikes = slow_tiles(tiles, raw)
        mach["load_after"] = load_average()
        res = {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "quick": args.quick,
            "commit": commit(),
            "machine": mach,
            "versions": versions,
            "server": servers.described(None, None),
            "values": values,
            "indicator": INDICATOR,
            "value_years": len(YEARS),
            "targets": TARGETS,
            "zooms": f"{args.zooms.start}–{args.zooms.stop - 1}",
            "rounds": args.rounds,
            "years": [run["year"] for run in raw["map-cold"][lv]],
            "levels": args.levels,
            "tiles": ["{}/{}/{}".format(*t) for t in tiles],
            "summaries": summaries,
            "ratios": ratios(summaries, lv),
            "per_zoom": per_zoom(tiles, raw, lv),
            "explain": explain(tiles, raw, lv),
            "slow_tiles": slow,
            "spikes": spikes,
            "raw": {
                k: {c: [r["results"] for r in runs] for c, runs in v.items()}
                for k, v in raw.items()
            },
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.results_publish(
        res, block=markdown(res), name="indicators", args=args, start=START, end=END
    )
    errors = sum(s["errors"] for v in summaries.values() for s in v.values())
    return 1 if errors or slow else 0


if __name__ == "__main__":
    sys.exit(main())
