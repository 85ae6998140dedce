"""`python -m bench [--quick]`: tile throughput and latency of our endpoint against its peers.

Targets, all measured in the same run on the same tiles and the same database:
  a  our endpoint, tile cache off (every tile rendered by its one SQL statement)
  b  our endpoint, tile cache on and warmed (every tile requested once before measuring)
  c  tipg (a peer: FastAPI + asyncpg) serving the same rows
  d  the floor: the SQL statement our endpoint runs for each tile (captured by bench/floor.py),
     executed straight through psycopg2: no HTTP, no Django
  e  the bound: the same statements served by a WSGI app of a few lines (bench/bare.py) under
     the same granian: what any Python endpoint here pays for HTTP
  f  our endpoint warm through nginx's cache (bench/nginx.py in front of b), at versioned URLs
And the size budget: the largest gzipped admin-units tile at every zoom (bench/budget.py).
Each target runs at concurrency 1, 4 and 16, interleaved level by level so that drift on this
shared machine hits every target alike. See bench/README.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import budget, db, floor, report, servers, tileset

ROOT = db.ROOT
OUT_DIR = ROOT / "var" / "bench"
TARGETS = {
    "a": "gisioc, tile cache off",
    "b": "gisioc, tile cache warm",
    "c": "tipg 1.6.1",
    "d": "floor: the tile's SQL via psycopg2",
    "e": "bound: that SQL in a bare WSGI app",
    "f": "gisioc warm through nginx's cache",
}
SMOKE = {"tiles": 8, "levels": "1", "targets": "abdef", "seconds": 15.0, "cached_passes": 2}


def nginx_ready() -> bool:
    """Whether target f can run: the repo's nginx helper and Debian's nginx are here."""
    try:
        from gisioc.nginx import nginx_binary

        return bool(nginx_binary())
    except Exception:  # not installed: f is left out, and said so
        return False


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="60 tiles, short limits, no README")
    p.add_argument(
        "--smoke", action="store_true", help="is it whole? 8 tiles, c=1, no tipg, prints only"
    )
    p.add_argument("--regenerate", action="store_true", help="make a new bench/urls.json")
    p.add_argument("--levels", default="1,4,16", help="concurrency levels (default 1,4,16)")
    p.add_argument("--targets", help="subset of a, b, c, d, e, f (default: all)")
    p.add_argument("--tiles", type=int, help="use only the first N tiles of the list")
    p.add_argument("--rounds", type=int, help="times the whole interleaved cycle runs (3)")
    p.add_argument("--passes", type=int, default=1, help="passes over the list for a, c, d")
    p.add_argument("--cached-passes", type=int, help="passes over the list for b and f (5)")
    p.add_argument("--seconds", type=float, help="time limit per target and level")
    # Ours as `make run` serves it (GISIOC_WORKERS × GISIOC_THREADS) unless told otherwise.
    p.add_argument("--workers", type=int, help="our server's processes")
    p.add_argument("--threads", type=int, help="threads per process of our server")
    p.add_argument("--tipg-workers", type=int, default=2 * (os.cpu_count() or 1))
    p.add_argument(
        "--pg-set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL session setting for every target, e.g. jit=off (repeatable)",
    )
    p.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    p.add_argument("--out", type=Path, help="results file (var/bench/tiles-<date>.json)")
    args = p.parse_args(argv)
    if args.smoke:
        args.quick = True
        for key, value in SMOKE.items():
            if key != "levels" or args.levels == "1,4,16":
                setattr(args, key, getattr(args, key) or value)
        args.levels = SMOKE["levels"] if args.levels == "1,4,16" else args.levels
    args.targets = args.targets or "".join(TARGETS)
    if "f" in args.targets and not nginx_ready():
        log("nginx is not installed (scripts/system-deps.sh): target f left out")
        args.targets = args.targets.replace("f", "")
    args.cached_passes = args.cached_passes or 5
    args.levels = [int(c) for c in args.levels.split(",")]
    args.pg_settings = dict(kv.split("=", 1) for kv in args.pg_set)
    args.seconds = args.seconds or (20.0 if args.quick else 120.0)
    args.tiles = args.tiles or (60 if args.quick else None)
    args.rounds = args.rounds or (1 if args.quick else 3)
    return args


def log(msg: str) -> None:
    """Progress on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {msg}", file=sys.stderr, flush=True)


def setup_django(var_dir: Path) -> None:
    """Django in this process, on the benchmark DB with the bench layer (for tile_sql)."""
    os.environ.update(
        db.db_env(
            GISIOC_EXTRA_APPS='["bench"]', GISIOC_VAR_DIR=str(var_dir), GISIOC_TILE_CACHE="false"
        )
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
    import django

    django.setup()


def drive(spec: dict[str, Any]) -> dict[str, Any]:
    """One level in a separate load-generator process (bench/drive.py)."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.drive"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=spec["seconds"] + 300,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"load generator failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


class Bench:
    """The servers, the tiles and the raw results of one run."""

    def __init__(self, args: argparse.Namespace, tiles: list[tileset.Tile], tmp: Path) -> None:
        self.args, self.tiles, self.tmp = args, tiles, tmp
        self.sql, self.capture = floor.capture(tiles)
        self.dsn = floor.connection_params(args.pg_settings)
        self.ports: dict[str, int] = {}
        self.raw: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in TARGETS}
        self.versions: dict[str, str] = {}

    def spec(self, key: str, concurrency: int, requests: int, seconds: float) -> dict[str, Any]:
        """What the load generator runs for a target."""
        base = {"concurrency": concurrency, "requests": requests, "seconds": seconds}
        if key == "d":
            return {**base, "kind": "sql", "dsn": self.dsn, "statements": self.sql}
        paths = [t.tipg_path() if key == "c" else t.gisioc_path() for t in self.tiles]
        if key == "f":  # the versioned URLs style.json gives: the only tiles nginx stores
            paths = [f"{t.gisioc_path()}?v={self.versions[t.layer]}" for t in self.tiles]
        return {**base, "kind": "http", "port": self.ports[key], "paths": paths}

    def start(self, srv: servers.Servers) -> None:
        """Start the servers the chosen targets need and wait until they answer."""
        a, logs = self.args, OUT_DIR / "logs"
        started = []
        for key, cache in (("a", False), ("b", True)):
            if key in a.targets:
                s = srv.add(
                    servers.gisioc(
                        f"{key}-gisioc",
                        cache=cache,
                        var_dir=self.tmp / key,
                        workers=a.workers,
                        threads=a.threads,
                        pg_settings=a.pg_settings,
                        logs=logs,
                    )
                )
                started.append((key, s, "/tiles/bench-points.json"))
        if "c" in a.targets:
            s = srv.add(
                servers.tipg(
                    "c-tipg",
                    workers=a.tipg_workers,
                    max_features=20_000,
                    buffer=64,
                    cwd=self.tmp / "c",
                    logs=logs,
                    pg_settings=a.pg_settings,
                )
            )
            started.append(("c", s, "/collections/public.bench_points"))
        if "e" in a.targets:
            from tiles.cache import GZIP_LEVEL

            spec = self.tmp / "bare.json"
            tiles = {t.gisioc_path(): sql for t, sql in zip(self.tiles, self.sql, strict=True)}
            spec.write_text(json.dumps({"dsn": self.dsn, "gzip_level": GZIP_LEVEL, "tiles": tiles}))
            s = srv.add(
                servers.bare("e-bare", spec=spec, workers=a.workers, threads=a.threads, logs=logs)
            )
            started.append(("e", s, "/"))
        for key, s, path in started:
            s.wait_ready(path)
            self.ports[key] = s.port
            log(f"{key}: {s.name} ready on 127.0.0.1:{s.port}")
        if "f" in a.targets:
            from bench.nginx import nginx_start
            from layers.registry import registry
            from tiles.versions import layer_versions

            layers = [registry.get(name) for name in tileset.LAYERS]
            self.versions = layer_versions(layers)
            upstream = self.ports.get("b") or self.ports["a"]
            proxy = srv.add_nginx(nginx_start([upstream]))
            self.ports["f"] = proxy.port
            log(f"f: nginx ready on 127.0.0.1:{proxy.port}, in front of 127.0.0.1:{upstream}")

    def warm(self) -> dict[str, Any]:
        """Fill b's and nginx's caches with every tile, then a few unmeasured requests to the
        others."""
        n, out = len(self.tiles), {}
        for key in ("b", "f"):
            if key not in self.args.targets:
                continue
            t0 = time.perf_counter()
            res = drive(self.spec(key, 4, n, 600.0))
            errors = [r for r in res["results"] if r[4]]
            out[key] = {"seconds": round(time.perf_counter() - t0, 1), "errors": len(errors)}
            if key == "b":
                files = sum(1 for _ in (self.tmp / "b" / "cache" / "tiles").rglob("*.mvt.gz"))
                out["b"]["cached_files"] = files
            log(f"{key} warmed: {n} tiles in {out[key]['seconds']} s, {len(errors)} errors")
        for key in self.args.targets:
            if key not in "bf":
                drive(self.spec(key, 4, min(n, 20), 60.0))
        return out

    def measure(self) -> None:
        """Every round, level and target, interleaved so drift hits all targets alike."""
        n = len(self.tiles)
        for rnd in range(1, self.args.rounds + 1):
            for c in self.args.levels:
                for key in self.args.targets:
                    passes = self.args.cached_passes if key in "bf" else self.args.passes
                    res = drive(self.spec(key, c, n * passes, self.args.seconds))
                    self.raw[key].setdefault(str(c), []).append(res)
                    s = report.summarise([res])
                    log(
                        f"round {rnd} c={c:<2} {key}: {s['requests']} req in {s['wall_s']:.1f} s"
                        f" = {s['rps']:.1f} req/s, p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms,"
                        f" max {s['max']:.1f} ms, errors {s['errors']}, load {res['load_1min']}"
                        f"{' (time limit)' if s['truncated'] else ''}"
                    )


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    mem = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    return {
        "cores": os.cpu_count(),
        "mem_gib": round(int(mem) / 2**20, 1),
        "python": platform.python_version(),
        "load_before": load_average(),
    }


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, for the record."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def commit() -> str:
    """The checkout's commit, marked when the tree has changes."""

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "--porcelain") else "")


def results(bench: Bench, warm: dict, mach: dict, versions: dict) -> dict[str, Any]:
    """Everything for the JSON file and the printed tables."""
    a, tiles, n = bench.args, bench.tiles, len(bench.tiles)
    summaries = {k: {c: report.summarise(r) for c, r in v.items()} for k, v in bench.raw.items()}
    first = str(a.levels[0])
    lat = {k: report.per_url(bench.raw[k][first], n) for k in "acd" if first in bench.raw[k]}
    a1, d1 = report.medians(lat.get("a", {})), report.medians(lat.get("d", {}))
    sizes = report.sizes_of(bench.raw["a"][first], n) if a1 else {}
    mach["load_after"] = load_average()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": a.quick,
        "smoke": a.smoke,
        "commit": commit(),
        "machine": mach,
        "versions": versions,
        "config": {
            "server": f"{servers.described(a.workers, a.threads)}, uvicorn {a.tipg_workers} "
            "workers for tipg; floor: c psycopg2 connections",
            "rounds": a.rounds,
            "passes": a.passes,
            "cached_passes": a.cached_passes,
            "seconds_per_level": a.seconds,
            "pg_settings": a.pg_settings,
        },
        "urls": {"count": n, "unique": len(set(tiles)), "file": "bench/urls.json"},
        "levels": a.levels,
        "targets": {k: TARGETS[k] for k in a.targets},
        "warm": warm,
        "floor_capture": bench.capture,
        "summaries": summaries,
        "ratios": report.ratios(summaries, a.levels),
        "per_zoom": report.per_zoom(tiles, lat),
        "overhead": report.overhead(a1, d1, sizes),
        "slowest": report.slowest(tiles, a1, d1, sizes),
        "heavy": report.heavy(bench.raw, a.levels, n),
        "budget": budget.measure(range(0, 7) if a.smoke else range(0, 15)),
        "raw": {
            k: {c: [r["results"] for r in runs] for c, runs in v.items()}
            for k, v in bench.raw.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Set up, serve, measure, report; every server is stopped however this ends."""
    args = parse(argv)
    mach = machine()
    tmp = Path(tempfile.mkdtemp(prefix="gisioc-bench-"))
    try:
        log(f"database: checking {db.DB_NAME} (made from scratch when missing)")
        rebuilt = db.ensure(log)
        setup_django(tmp / "harness")
        db.install_triggers(bump=rebuilt)
        from tiles.shapes import build_missing

        for slug, done in build_missing():  # a version published before tiles had shapes
            log(f"tile shapes of {slug}: {done['units']:,} units in {done['seconds']} s")
        regenerate = args.regenerate or not tileset.URLS_FILE.exists()
        tiles = tileset.generate() if regenerate else tileset.load()
        tiles = tiles[: args.tiles] if args.tiles else tiles
        conn = db.connect()
        versions = {**db.server_versions(conn), "tipg": servers.TIPG_REQUIREMENTS[0]}
        conn.close()
        if "c" in args.targets:
            servers.ensure_tipg(log)
        log("capturing the SQL statement our endpoint runs for each tile (the floor)")
        bench = Bench(args, tiles, tmp)
        with servers.Servers() as srv:
            bench.start(srv)
            warm = bench.warm()
            bench.measure()
        res = results(bench, warm, mach, versions)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish(args, res)


def finish(args: argparse.Namespace, res: dict[str, Any]) -> int:
    """Write the JSON, print the tables, update the README after a full run."""
    full = not args.quick and set(args.targets) >= set("abcde") and not args.pg_settings
    full = full and not (args.workers or args.threads)  # the server as configured
    report.results_publish(res, block=report.markdown(res), name="tiles", args=args, full=full)
    errors = sum(s["errors"] for v in res["summaries"].values() for s in v.values())
    errors += sum(w.get("errors", 0) for w in res["warm"].values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
