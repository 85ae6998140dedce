"""`python -m bench.ingest [--quick|--smoke]`: file import with geocoding, and KPIs, at 10×.

Measure 1, import: `ingest_file` of the demo dossiers × 10 (a CSV as a one-stop export writes
it), first into an empty table, then the same file again; peers in the same run: a bare COPY of
the rows ours stored (the floor), and the whole job as COPY + one INSERT … SELECT in SQL.
Measure 2, KPIs: the KPI API and the commune profile over HTTP (`gisioc serve`) for every commune in
force × every period of the two demo years, at concurrency 1 and 4; peers: the same figures
computed in-process. See bench/README.md ("Ingest and KPIs").
"""

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import ingest_api, ingest_data, ingest_explain, ingest_load, report, servers
from bench import ingest_report as out
from bench.__main__ import commit, load_average, log, machine

OUT_DIR = ingest_data.OUT_DIR
SMOKE_ROWS = 1_500  # a smoke run's file: the demo's first rows


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python -m bench.ingest", description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1× the demo, few requests, no README")
    p.add_argument(
        "--smoke",
        action="store_true",
        help=f"is it whole? {SMOKE_ROWS:,} rows, 2 asks at c=1, its own DB, prints only",
    )
    p.add_argument("--copies", type=int, help="copies of the demo dossiers (10; --quick 1)")
    p.add_argument("--asks", type=int, help="use only the first N (commune, period) asks")
    p.add_argument("--levels", default="1,4", help="concurrency levels (default 1,4)")
    p.add_argument("--targets", default=",".join(ingest_api.TARGETS), help="KPI targets")
    p.add_argument("--rounds", type=int, help="times the interleaved KPI cycle runs (2)")
    p.add_argument("--seconds", type=float, help="time limit per target and level")
    p.add_argument("--workers", type=int, help="our server's processes (GISIOC_WORKERS)")
    p.add_argument("--threads", type=int, help="threads per process (GISIOC_THREADS)")
    p.add_argument("--skip-import", action="store_true", help="KPIs on the data already there")
    p.add_argument("--no-readme", action="store_true", help="do not update bench/README.md")
    p.add_argument("--out", type=Path, help="results file (var/bench/ingest-<date>.json)")
    args = p.parse_args(argv)
    if args.smoke:
        args.quick, args.copies, args.asks, args.rounds, args.seconds = True, 1, 2, 1, 2.0
        args.levels = "1"
    args.limit = SMOKE_ROWS if args.smoke else None
    args.copies = args.copies or (1 if args.quick else 10)
    args.levels = [int(c) for c in args.levels.split(",")]
    args.targets = [t for t in args.targets.split(",") if t]
    unknown = set(args.targets) - set(ingest_api.TARGETS)
    if unknown:
        p.error(f"unknown targets {sorted(unknown)}; choose from {list(ingest_api.TARGETS)}")
    args.asks = args.asks or (16 if args.quick else None)
    args.rounds = args.rounds or (1 if args.quick else 2)
    args.seconds = args.seconds or (10.0 if args.quick else 90.0)
    return args


class Kpis:
    """The server, the asks and the raw results of the KPI measure."""

    def __init__(self, args: argparse.Namespace, items: list[ingest_api.Ask]) -> None:
        self.args, self.items, self.port = args, items, 0
        self.calls = {
            "kpis": [ingest_api.kpis_call(a) for a in items],
            "sections": [ingest_api.sections_call(a) for a in items],
        }
        self.raw: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in args.targets}

    def level(self, key: str, c: int, requests: int, seconds: float) -> dict[str, Any]:
        """One level of one target."""
        if key in self.calls:
            return ingest_api.inprocess(self.calls[key], c, requests, seconds)
        paths = [a.path(key) for a in self.items]
        return ingest_api.http(self.port, paths, c, requests, seconds)

    def start(self, srv: servers.Servers, tmp: Path) -> None:
        """Our server on the benchmark database, as the tile benchmark starts it, with the
        per-address limits lifted (answered from rollups, one client outruns them)."""
        server = servers.gisioc(
            "ingest-gisioc",
            cache=False,
            var_dir=tmp / "server",
            workers=self.args.workers,
            threads=self.args.threads,
            logs=OUT_DIR / "logs",
        )
        server.env.update(servers.NO_LIMITS)
        s = srv.add(server)
        s.wait_ready(self.items[0].path("api"))
        self.port = s.port
        log(f"{servers.described(self.args.workers, self.args.threads)} ready on :{s.port}")

    def warm(self) -> None:
        """A few unmeasured requests to every target (connections, caches, imports)."""
        for key in self.args.targets:
            self.level(key, 4, min(len(self.items), 8), 60.0)

    def measure(self) -> None:
        """Every round, level and target, interleaved so drift hits all targets alike."""
        n = len(self.items)
        for rnd in range(1, self.args.rounds + 1):
            for c in self.args.levels:
                for key in self.args.targets:
                    res = self.level(key, c, n, self.args.seconds)
                    self.raw[key].setdefault(str(c), []).append(res)
                    s = report.summarise([res])
                    log(
                        f"round {rnd} c={c} {key}: {s['requests']} req in {s['wall_s']:.1f} s"
                        f" = {s['rps']:.1f} req/s, p50 {s['p50']:.1f} ms, p95 {s['p95']:.1f} ms,"
                        f" max {s['max']:.1f} ms, errors {s['errors']}, load {res['load_1min']}"
                        f"{' (time limit)' if s['truncated'] else ''}"
                    )


def _dossiers() -> int:
    from gisioc.public_services.models import Dossier

    return Dossier.objects.count()


def results(
    args: argparse.Namespace, kpis: Kpis, load: dict, extra: dict[str, Any]
) -> dict[str, Any]:
    """Everything for the JSON file and the printed tables."""
    summaries = {k: {c: report.summarise(r) for c, r in v.items()} for k, v in kpis.raw.items()}
    first = args.levels[0]
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "kind": "quick" if args.quick else ("KPIs only" if args.skip_import else "full"),
        "commit": commit(),
        **extra,
        "server": servers.described(args.workers, args.threads),
        "import": load,
        "import_ratios": out.import_ratios(load),
        "asks": {
            "count": len(kpis.items),
            "communes": len({a.unit for a in kpis.items}),
            "periods": len({a.period for a in kpis.items}),
            "list": [list(a) for a in kpis.items],
        },
        "rounds": args.rounds,
        "seconds_per_level": args.seconds,
        "levels": args.levels,
        "targets": {k: ingest_api.TARGETS[k] for k in args.targets},
        "summaries": summaries,
        "api_ratios": out.api_ratios(summaries, args.levels),
        "per_kind": out.per_kind(kpis.items, kpis.raw, first),
        "slowest_api": out.slowest(kpis.items, kpis.raw.get("api", {}), first),
        "raw": {
            k: {c: [r["results"] for r in runs] for c, runs in v.items()}
            for k, v in kpis.raw.items()
        },
    }


def main(argv: list[str] | None = None) -> int:
    """Set up, import, serve, measure, report; the server is stopped however this ends."""
    args = parse(argv)
    mach = machine()
    tmp = Path(tempfile.mkdtemp(prefix="gisioc-bench-ingest-"))
    try:
        if args.smoke:
            ingest_data.use_smoke_database()
        ingest_data.use_database()
        ingest_data.ensure(tmp / "harness", log)
        ingest_data.ensure_geography(log)
        path, rows = ingest_data.ensure_csv(args.copies, log, limit=args.limit)
        load = {} if args.skip_import else ingest_load.measure(path, rows, log)
        items = ingest_api.asks()
        items = items[: args.asks] if args.asks else items
        extra = {
            "machine": mach,
            "file": {
                "name": path.name,
                "rows": rows,
                "copies": args.copies,
                "mib": round(path.stat().st_size / 2**20, 1),
            },
            "dossiers": _dossiers(),
            "queries_per_request": ingest_api.queries_per_request(items[:4]),
        }
        kpis = Kpis(args, items)
        with servers.Servers() as srv:
            kpis.start(srv, tmp)
            kpis.warm()
            kpis.measure()
        res = results(args, kpis, load, extra)
        if res["slowest_api"]:
            log("EXPLAIN ANALYZE of the slowest KPI ask, and the what-if")
            worst = ingest_api.Ask(res["slowest_api"][0]["unit"], res["slowest_api"][0]["period"])
            res["explain"] = ingest_explain.explain(worst)
        mach["load_after"] = load_average()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish(args, res)


def finish(args: argparse.Namespace, res: dict[str, Any]) -> int:
    """Write the JSON, print the tables, update the README after a full run."""
    full = (
        not args.quick
        and not args.skip_import
        and args.copies == 10
        and set(args.targets) == set(ingest_api.TARGETS)
        and not (args.workers or args.threads)  # the server as configured
    )
    report.results_publish(
        res, block=out.markdown(res), name="ingest", args=args, full=full,
        start=out.START, end=out.END,
    )  # fmt: skip
    errors = sum(s["errors"] for v in res["summaries"].values() for s in v.values())
    failed = any(r.get("status") != "done" for r in res["import"].values())
    if args.smoke:  # the rows must have gone in as the file holds them, and again unchanged
        load, rows = res["import"], res["file"]["rows"]
        failed = failed or load["first"]["counts"]["created"] != rows
        failed = failed or load["again"]["counts"]["unchanged"] != rows
    return 1 if errors or failed else 0


if __name__ == "__main__":
    sys.exit(main())
