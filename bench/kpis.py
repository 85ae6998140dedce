"""`python -m bench.kpis [--quick|--smoke]`: a commune's KPIs at 10⁷ dossiers, from the
rollup (gisioc.kpi_rollup) against from the records, through real HTTP.

The database (bench/kpis_data.py): Đà Nẵng's 94 communes and 10⁷ dossiers over ten years
(--quick 10⁶, --smoke 2·10⁴ in a database of its own), generated once and timed, the rollup
rebuilt from them once (timed). Two `gisioc serve` servers on it, answer cache off: one
reading the rollup, its peer the records (GISIOC_KPI_ROLLUPS=false). Both first answer the
same sample of questions, compared whole (they must be identical); then each is driven with
GET /api/public-services/kpis/?period=P&unit=U over every commune × year, quarter and month
of the ten years and this year (cut now, in mid-day), shuffled once, at concurrency 1 and 4,
interleaved. Target: p95 < 100 ms at c=4 from the rollup.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import db, kpis_data, report, servers
from bench.ingest_api import http

TARGET_MS = 100.0
SIZES = {"full": 10_000_000, "quick": 1_000_000, "smoke": 20_000}
SEED = 7
START, END = "<!-- bench-kpis:start -->", "<!-- bench-kpis:end -->"


def periods() -> list[str]:
    """Years, quarters and months of the ten years, and this year (cut now)."""
    out = [str(time.gmtime().tm_year)]
    for year in range(2016, 2026):
        out.append(str(year))
        out += [f"{year}-Q{q}" for q in range(1, 5)]
        out += [f"{year}-{m:02d}" for m in range(1, 13)]
    return out


def paths(units: list[int]) -> list[str]:
    """Every commune × period, shuffled once (seeded)."""
    out = [f"/api/public-services/kpis/?period={p}&unit={u}" for u in units for p in periods()]
    random.Random(SEED).shuffle(out)
    return out


def communes() -> list[int]:
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute("SELECT id FROM gisioc_units WHERE in_force AND level = 'commune' ORDER BY id")
        units = [r[0] for r in cur.fetchall()]
    conn.close()
    return units


def rollup_build(rows: int, log) -> dict[str, Any]:
    """The rollup rebuilt from the records once per load (timed; the time is kept in the
    table's comment), and its size."""
    from gisioc import kpi_rollup_sql
    from gisioc.public_services.rollup import ROLLUP

    conn = db.connect()
    out: dict[str, Any] = {}
    mark = f"{kpis_data.recipe(rows)}; rebuilt in "
    with conn.cursor() as cur:
        cur.execute("SELECT obj_description(%s::regclass, 'pg_class')", (ROLLUP.table,))
        comment = cur.fetchone()[0] or ""
        if comment.startswith(mark):
            out["rollup_build_s"] = float(comment.removeprefix(mark).split()[0])
        else:
            log("rebuilding the rollup from the records")
            t0 = time.perf_counter()
            cur.execute(kpi_rollup_sql.rebuild_sql(ROLLUP))
            out["rollup_build_s"] = round(time.perf_counter() - t0, 1)
            cur.execute(
                f"COMMENT ON TABLE {ROLLUP.table} IS %s", (f"{mark}{out['rollup_build_s']} s",)
            )
        for table in (ROLLUP.table, ROLLUP.keyed):
            cur.execute(f"SELECT count(*) FROM {table}")
            out[f"rows_{table}"] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM public_services_dossier")
        out["dossiers"] = cur.fetchone()[0]
    conn.close()
    return out


def get(port: int, path: str) -> Any:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=300) as r:
        return json.loads(r.read())


def same_answers(ports: dict[str, int], sample: list[str]) -> int:
    """Questions whose answers differ between the two servers."""
    return sum(get(ports["rollup"], p) != get(ports["records"], p) for p in sample)


def p(ms: list[float], q: float) -> float:
    return round(statistics.quantiles(ms, n=100, method="inclusive")[int(q) - 1], 1) if ms else 0.0


def level(port: int, todo: list[str], c: int, requests: int, seconds: float) -> dict[str, Any]:
    res = http(port, todo, c, requests, seconds)
    ms = [r[2] for r in res["results"] if r[4] is None]
    errors = [r[4] for r in res["results"] if r[4] is not None]
    if errors:
        raise RuntimeError(f"{len(errors)} requests failed, e.g. {errors[0]}")
    return {
        "requests": len(ms),
        "p50_ms": p(ms, 50),
        "p95_ms": p(ms, 95),
        "rps": round(len(ms) / res["wall_s"], 1),
        "load_1min": res["load_1min"],
    }


def table(res: dict[str, Any]) -> str:
    """The results as the README's Markdown."""
    lines = [
        f"KPI API of one commune (`/api/public-services/kpis/?period=P&unit=U`), "
        f"{res['data']['dossiers']:,} dossiers over Đà Nẵng's {res['communes']} communes × ten "
        f"years, answer cache off; {res['date']}, load average {res['load']}.",
        "",
        "| path | c | requests | p50 ms | p95 ms | req/s | p95 < 100 ms |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in res["levels"]:
        ok = "✓" if row["p95_ms"] < TARGET_MS else "✗"
        lines.append(
            f"| {row['path']} | {row['c']} | {row['requests']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['rps']} | {ok if row['path'] == 'rollup' else '–'} |"
        )
    d = res["data"]
    lines += [
        "",
        f"Identical answers (rollup vs records) on {res['compared']} questions: "
        + ("✓." if not res["differ"] else f"✗ ({res['differ']} differ)."),
        f"Generation: {d.get('rows_s', '–')} s rows (SQL, triggers off), "
        f"{d.get('indexes_s', '–')} s indexes, rollup rebuilt in {d['rollup_build_s']} s "
        f"({d['rows_gisioc_dossier_rollup']:,} unit × day rows, "
        f"{d['rows_gisioc_dossier_rollup_keys']:,} with office, field, procedure).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Make the dossiers (when missing), serve both paths, compare them, measure, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10⁶ dossiers")
    parser.add_argument("--smoke", action="store_true", help="2·10⁴ dossiers, seconds")
    parser.add_argument("--seconds", type=float, default=None, help="per level")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args(argv)
    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    rows = SIZES[mode]
    if mode != "full":
        kpis_data.NAME = f"{kpis_data.NAME}_{mode}"
    log = lambda m: print(m, flush=True)  # noqa: E731
    log(f"database {kpis_data.NAME}: {rows:,} dossiers (made when missing)")
    timings = kpis_data.ensure(rows, log)
    data = {k: round(v, 1) for k, v in timings.items()} | rollup_build(rows, log)
    units = communes()
    todo = paths(units)
    seconds = args.seconds or {"full": 60.0, "quick": 30.0, "smoke": 3.0}[mode]
    requests = {"full": 3000, "quick": 2000, "smoke": 40}[mode]
    var = db.ROOT / "var" / "bench" / "kpis"
    var.mkdir(parents=True, exist_ok=True)
    # Every request computed (no answer cache), none refused by the per-address limits.
    os.environ.update(servers.NO_LIMITS, GISIOC_ANSWER_CACHE_SECONDS="0")
    res: dict[str, Any] = {"communes": len(units), "data": data, "levels": []}
    with servers.Servers() as running:
        ports = {}
        for name in ("rollup", "records"):
            server = servers.gisioc(f"kpis-{name}", cache=False, var_dir=var, logs=var)
            server.env["GISIOC_KPI_ROLLUPS"] = "true" if name == "rollup" else "false"
            ports[name] = running.add(server).port
        for server in running.servers:
            server.wait_ready(todo[0])
        sample = todo[: {"full": 60, "quick": 60, "smoke": 20}[mode]]
        res["compared"], res["differ"] = len(sample), same_answers(ports, sample)
        for c in (1, 4):
            for name in ("rollup", "records"):
                row = level(ports[name], todo, c, requests, seconds)
                res["levels"].append({"path": name, "c": c, **row})
                log(f"  {name} c={c}: p95 {row['p95_ms']} ms ({row['requests']} requests)")
    res["load"] = round(os.getloadavg()[0], 2)
    res["date"] = time.strftime("%Y-%m-%d")
    block = table(res)
    report.results_publish(res, block=block, name="kpis", args=args, start=START, end=END)
    return 1 if res["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
