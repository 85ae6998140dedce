"""`python -m bench.load [--quick]`: public tiles while 200 clients flood the profiles.

The real server (`gisioc serve`, as `make run` serves it) on the demo data, loopback only.
Three phases, one after the other, each bounded in time:
  idle   public tiles alone (4 keep-alive connections, as a map does): the peer
  flood  the same tiles while 200 connections ask for profiles without pause: the district
         and every commune in force, a fifth of them with a period never asked before (a
         cache miss, computed); they ignore Retry-After, as a flood does
  after  one new (uncached) profile and one tile as soon as the flood's clients have gone:
         does the server still work through what they left behind?
Reported: profile answers by status with their p50/p95; the tiles' p50/p95/max and req/s in
both phases, and the ratio of the tiles' p95 in the flood to their p95 idle. See
bench/README.md ("Load").
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import db, report, servers, tileset
from bench.__main__ import commit, load_average, log, machine

NAME = os.environ.get("GISIOC_BENCH_LOAD_DB", "gisioc_bench_load")  # a scratch database
OUT_DIR = db.ROOT / "var" / "bench"
START, END = "<!-- load-figures:start -->", "<!-- load-figures:end -->"
TILE_LAYERS = ("admin-units", "facilities", "one-stop-offices", "dossiers-on-time-per-commune")
TILE_ZOOMS = range(10, 16)
TILE_CONNECTIONS = 4
SEED = 20
MISS_SHARE = 0.2  # of the flood's requests, asking for a period never asked before


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="short phases, no README")
    p.add_argument("--smoke", action="store_true", help="2 s phases, 20 clients: does it run?")
    p.add_argument("--clients", type=int, help="profile connections in the flood (200)")
    p.add_argument("--seconds", type=float, help="length of each phase (30; --quick 8)")
    p.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    p.add_argument("--out", type=Path, help="results file (var/bench/load-<date>.json)")
    args = p.parse_args(argv)
    args.quick = args.quick or args.smoke
    args.seconds = args.seconds or (2.0 if args.smoke else 8.0 if args.quick else 30.0)
    args.clients = args.clients or (20 if args.smoke else 200)
    return args


def ensure(var_dir: Path) -> None:
    """The scratch database with the demo loaded (both made when missing), Django here."""
    db.DB_NAME = NAME  # bench/db.py's helpers and the servers read it when called
    log(f"database: {NAME} (created, migrated and the demo loaded when needed)")
    db._run("bash", "scripts/pg.sh", "start")
    db._gisioc("migrate", "--no-input", "-v", "0")
    db._gisioc("demo", "load")  # once per generator version; quick when loaded
    os.environ.update(db.db_env(GISIOC_VAR_DIR=str(var_dir), GISIOC_EXTRA_APPS="[]"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
    import django

    django.setup()


def tile_paths(args: argparse.Namespace) -> list[str]:
    """Public tiles over the district, every layer at every zoom, shuffled once (a smoke run's
    first 60)."""
    paths = [
        f"/tiles/{layer}/{z}/{x}/{y}.mvt"
        for layer in TILE_LAYERS
        for z in TILE_ZOOMS
        for x, y in tileset.district_candidates(z)
    ]
    random.Random(SEED).shuffle(paths)
    return paths[:60] if args.smoke else paths


def profile_paths(count: int) -> list[str]:
    """The flood's requests: cached asks (the district and each commune, all time or a demo
    year) and, for a fifth, a month of a year never asked before (a miss)."""
    from gisioc.geo import selectors
    from gisioc.geo.models import AdminUnit

    communes = selectors.units_list(level=AdminUnit.Level.COMMUNE).values_list("pk", flat=True)
    bases = ["/api/profiles/district/", *(f"/api/profiles/units/{pk}/" for pk in communes)]
    rng = random.Random(SEED)
    months = [f"{y}-{m:02d}" for y in range(1990, 2024) for m in range(1, 13)]
    rng.shuffle(months)
    paths = []
    for i in range(count):
        base = rng.choice(bases)
        if rng.random() < MISS_SHARE:
            paths.append(f"{base}?period={months[i % len(months)]}")
        else:
            paths.append(base + rng.choice(["", "?period=2025", "?period=2026"]))
    return paths


def _spec(port: int, paths: list[str], concurrency: int, seconds: float) -> dict[str, Any]:
    return {
        "kind": "http",
        "port": port,
        "paths": paths,
        "concurrency": concurrency,
        "requests": 10**7,
        "seconds": seconds,
    }


def _start(spec: dict[str, Any]) -> subprocess.Popen:
    """A load generator (bench/drive.py) in its own process."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.drive"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=db.ROOT,
    )
    proc.stdin.write(json.dumps(spec))
    proc.stdin.close()
    return proc


def _finish(proc: subprocess.Popen, seconds: float) -> dict[str, Any]:
    out = proc.stdout.read()
    proc.wait(timeout=seconds + 300)
    if proc.returncode:
        raise RuntimeError(f"load generator failed:\n{proc.stderr.read()[-3000:]}")
    return json.loads(out)


def _one(server: servers.Server, path: str) -> tuple[int, float]:
    t0 = time.perf_counter()
    status = server.get(path)
    return status, (time.perf_counter() - t0) * 1000.0


def measure(server: servers.Server, args: argparse.Namespace) -> dict[str, Any]:
    """Warm the tiles and the cached asks, then idle, flood and after."""
    tiles = tile_paths(args)
    flood = profile_paths(20_000)
    log(f"warming {len(tiles)} tiles and the cached profiles")
    _finish(_start(_spec(server.port, tiles, 4, 120.0) | {"requests": len(tiles)}), 120.0)
    cached = sorted({p for p in flood if "period=" not in p or p.endswith(("2025", "2026"))})
    for path in cached:
        server.get(path)
    fresh = "/api/profiles/district/?period=2100-{:02d}"  # never asked by the flood
    idle_profile = _one(server, fresh.format(1))

    log(f"idle: tiles alone for {args.seconds:.0f} s")
    idle = _finish(_start(_spec(server.port, tiles, TILE_CONNECTIONS, args.seconds)), args.seconds)
    log(f"flood: {args.clients} profile connections, tiles after 2 s for {args.seconds:.0f} s")
    flood_proc = _start(_spec(server.port, flood, args.clients, args.seconds + 4))
    time.sleep(2.0)
    during = _finish(
        _start(_spec(server.port, tiles, TILE_CONNECTIONS, args.seconds)), args.seconds
    )
    profiles = _finish(flood_proc, args.seconds + 4)
    time.sleep(1.0)  # the address's bucket refills a little
    after_profile = _one(server, fresh.format(2))
    after_tile = _one(server, tiles[0])
    return {
        "tiles": {"idle": idle, "flood": during},
        "profiles": profiles,
        "idle_profile": idle_profile,
        "after": {"profile": after_profile, "tile": after_tile},
        "tile_count": len(tiles),
    }


def _statuses(run: dict[str, Any]) -> dict[str, Any]:
    rows = run["results"]
    by = Counter(r[1] for r in rows)
    out = {}
    for status, n in sorted(by.items()):
        ms = [r[2] for r in rows if r[1] == status]
        out[str(status)] = {
            "count": n,
            "p50": round(report.pct(ms, 0.5), 1),
            "p95": round(report.pct(ms, 0.95), 1),
            "max": round(max(ms), 1),
        }
    return {
        "requests": len(rows),
        "wall_s": round(run["wall_s"], 1),
        "rps": round(len(rows) / run["wall_s"], 1) if run["wall_s"] else 0.0,
        "by_status": out,
        "errors": sorted({r[4] for r in rows if r[1] == 0})[:3],
    }


def results(raw: dict[str, Any], args: argparse.Namespace, mach: dict) -> dict[str, Any]:
    """Everything for the JSON file and the printed tables."""
    from django.conf import settings

    config = settings.CONFIG
    tiles = {k: report.summarise([v]) for k, v in raw["tiles"].items()}
    mach["load_after"] = load_average()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "commit": commit(),
        "machine": mach,
        "config": {
            "server": servers.described(None, None),
            "clients": args.clients,
            "seconds": args.seconds,
            "tile_connections": TILE_CONNECTIONS,
            "tiles": raw["tile_count"],
            "limits": {
                "rate": config.limit_rate,
                "burst": config.limit_burst,
                "concurrency": config.limit_concurrency,
                "threads": config.limit_threads or max(1, config.threads // 2),
                "answer_cache_seconds": config.answer_cache_seconds,
            },
        },
        "tiles": tiles,
        "tile_p95_ratio": round(tiles["flood"]["p95"] / tiles["idle"]["p95"], 2),
        "profiles": _statuses(raw["profiles"]),
        "idle_profile": raw["idle_profile"],
        "after": raw["after"],
        "raw": raw,
    }


def markdown(res: dict[str, Any]) -> str:
    """The README block."""
    m, c, t, p = res["machine"], res["config"], res["tiles"], res["profiles"]
    lim = c["limits"]
    lines = [
        f"Run {res['date']}{' (quick)' if res['quick'] else ''}, commit {res['commit']}; "
        f"{m['cores']} cores (shared, noisy), load average before {m['load_before']}, after "
        f"{m['load_after']}; {c['server']}; limits: {lim['rate']:g} req/s per address and "
        f"group, burst {lim['burst']}, {lim['concurrency']} computed at once per group, "
        f"{lim['threads']} threads for all groups; answers cached {lim['answer_cache_seconds']} s.",
        "",
        f"**Profiles**: {c['clients']} connections for {p['wall_s']} s, {p['requests']:,} "
        f"answers ({p['rps']:,} /s):",
        "",
        "| status | answers | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {s} | {v['count']:,} | {v['p50']:,} | {v['p95']:,} | {v['max']:,} |"
            for s, v in p["by_status"].items()
        ),
        "",
        f"**Tiles** ({c['tiles']} public district tiles, tile cache warm, "
        f"{c['tile_connections']} connections):",
        "",
        "| phase | requests | errors | req/s | p50 ms | p95 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {s['requests']:,} | {s['errors']} | {s['rps']:,} | {s['p50']} | "
            f"{s['p95']} | {s['max']} |"
            for name, s in t.items()
        ),
        "",
        f"Tiles' p95 in the flood ÷ idle: **{res['tile_p95_ratio']}**.",
        f"An uncached district profile: {res['idle_profile'][1]:.0f} ms idle "
        f"(HTTP {res['idle_profile'][0]}); right after the flood {res['after']['profile'][1]:.0f}"
        f" ms (HTTP {res['after']['profile'][0]}), a tile {res['after']['tile'][1]:.1f} ms.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Set up, serve, measure, report; the server is stopped however this ends."""
    args = parse(argv)
    mach = machine()
    tmp = Path(tempfile.mkdtemp(prefix="gisioc-bench-load-"))
    try:
        ensure(tmp / "harness")
        with servers.Servers() as srv:
            server = srv.add(
                servers.gisioc(
                    "load-gisioc",
                    cache=True,
                    var_dir=tmp / "server",
                    logs=OUT_DIR / "logs",
                    extra_apps="[]",
                )
            )
            server.wait_ready("/tiles/style.json")
            log(f"{servers.described(None, None)} ready on :{server.port}")
            raw = measure(server, args)
        res = results(raw, args, mach)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report.results_publish(res, block=markdown(res), name="load", args=args, start=START, end=END)
    return 1 if res["tiles"]["flood"]["errors"] or res["tiles"]["idle"]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
