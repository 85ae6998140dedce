"""Figures from raw request records: summaries, ratios, per-zoom maxima, slowest tiles, README."""

import datetime as dt
import json
import math
import re
import statistics
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.budget import markdown as budget_lines
from bench.tileset import Tile

README = Path(__file__).resolve().parent / "README.md"
OUT_DIR = README.parent.parent / "var" / "bench"  # results of every run, by benchmark and date
START, END = "<!-- last-figures:start -->", "<!-- last-figures:end -->"
HEAVY_MS = 5.0  # tiles whose SQL takes at least this long are "heavy" in the a/d split
HEAVY_TARGET = 1.2  # a/d per heavy tile (median), where our fixed cost is small beside the SQL
SLOW_MS = 500.0  # the target: no national-layer tile slower than this at any zoom
MET = {True: " ✓", False: " ✗", None: ""}  # a ratio's mark; None: no target
# (name, numerator, denominator, measure, target or None, higher is better)
RATIOS = (
    ("a/c throughput", "a", "c", "rps", 1.5, True),
    ("a/d p50 latency", "a", "d", "p50", 1.3, False),
    ("b/a throughput", "b", "a", "rps", 5.0, True),
    ("f/b throughput", "f", "b", "rps", 5.0, True),  # nginx's cache against ours
    # The bound: a/d's target for an endpoint with no code of ours, and what ours adds to it.
    ("e/d p50 latency", "e", "d", "p50", 1.3, False),
    ("a/e p50 latency", "a", "e", "p50", 1.1, False),
)


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of unsorted values; NaN when empty."""
    if not values:
        return math.nan
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Requests, errors, req/s (median over rounds) and latency percentiles (pooled)."""
    rows = [r for run in runs for r in run["results"]]
    ok = [r[2] for r in rows if r[4] is None]
    errors = [r for r in rows if r[4] is not None]
    rps = [
        sum(1 for r in run["results"] if r[4] is None) / run["wall_s"]
        for run in runs
        if run["wall_s"]
    ]
    return {
        "requests": len(rows),
        "errors": len(errors),
        "error_samples": sorted({r[4] for r in errors})[:3],
        "wall_s": round(sum(run["wall_s"] for run in runs), 3),
        "truncated": any(run["truncated"] for run in runs),
        "rps": round(statistics.median(rps), 2) if rps else math.nan,
        "rps_rounds": [round(x, 2) for x in rps],
        "p50": round(pct(ok, 0.50), 2),
        "p95": round(pct(ok, 0.95), 2),
        "p99": round(pct(ok, 0.99), 2),
        "max": round(max(ok), 2) if ok else math.nan,
        "mean_bytes": round(statistics.fmean([r[3] for r in rows]), 1) if rows else 0,
        "no_content": sum(1 for r in rows if r[1] == 204),
        "load_1min": [run.get("load_1min") for run in runs],
    }


def ratios(summaries: dict[str, dict[str, dict]], levels: list[int]) -> list[dict[str, Any]]:
    """Each target ratio at each concurrency, with whether it meets its target."""
    out = []
    for name, num, den, measure, target, higher in RATIOS:
        for c in levels:
            a, b = summaries.get(num, {}).get(str(c)), summaries.get(den, {}).get(str(c))
            value = a[measure] / b[measure] if a and b and b[measure] else math.nan
            met = None if target is None else value >= target if higher else value <= target
            out.append(
                {
                    "ratio": name,
                    "concurrency": c,
                    "value": round(value, 2),
                    "target": "" if target is None else f"{'≥' if higher else '≤'} {target}",
                    "met": met if met is None else bool(met),
                }
            )
    return out


def heavy(raw: dict[str, dict[str, list]], levels: list[int], n: int) -> list[dict[str, Any]]:
    """Per level: the median over tiles whose SQL (d, median) takes ≥ HEAVY_MS of a/d."""
    out = []
    for c in levels:
        a, d = raw.get("a", {}).get(str(c)), raw.get("d", {}).get(str(c))
        if not a or not d:
            continue
        am, dm = medians(per_url(a, n)), medians(per_url(d, n))
        values = [am[k] / dm[k] for k in am if k in dm and dm[k] >= HEAVY_MS]
        value = pct(values, 0.5)
        out.append(
            {
                "ratio": f"a/d per tile, SQL ≥ {HEAVY_MS:.0f} ms",
                "concurrency": c,
                "value": round(value, 2),
                "tiles": len(values),
                "target": f"≤ {HEAVY_TARGET}",
                "met": None if math.isnan(value) else bool(value <= HEAVY_TARGET),
            }
        )
    return out


def per_url(runs: list[dict[str, Any]], n: int) -> dict[int, list[float]]:
    """Every latency per tile index over all rounds (request i is tile i % n)."""
    by: dict[int, list[float]] = defaultdict(list)
    for run in runs:
        for i, _status, ms, _size, error in run["results"]:
            if error is None and i >= 0:
                by[i % n].append(ms)
    return dict(by)


def medians(by: dict[int, list[float]]) -> dict[int, float]:
    """The median latency of each tile."""
    return {k: statistics.median(v) for k, v in by.items()}


def per_zoom(tiles: list[Tile], by: dict[str, dict[int, list[float]]]) -> list[dict]:
    """Per layer and zoom, for each target given: p50 and max over every request."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for k, t in enumerate(tiles):
        groups[(t.layer, t.z)].append(k)
    out = []
    for (layer, z), ks in sorted(groups.items()):
        row: dict[str, Any] = {"layer": layer, "z": z, "tiles": len(ks)}
        for key, lat in by.items():
            values = [ms for k in ks for ms in lat.get(k, [])]
            row[f"{key}_p50"] = round(pct(values, 0.5), 1)
            row[f"{key}_max"] = round(max(values), 1) if values else math.nan
        row["over"] = bool(row.get("a_max", 0) > SLOW_MS)
        out.append(row)
    return out


def slowest(
    tiles: list[Tile],
    a: dict[int, float],
    d: dict[int, float],
    sizes: dict[int, int],
    top: int = 10,
) -> list[dict]:
    """The tiles slowest on a, with the floor's time for the same tile and the overhead."""
    first: dict[Tile, int] = {}  # a tile listed twice shows once, at its slower median
    for k in sorted(a, key=lambda k: -a[k]):
        first.setdefault(tiles[k], k)
    ranked = list(first.values())[:top]
    return [
        {
            "tile": f"{tiles[k].layer}/{tiles[k].z}/{tiles[k].x}/{tiles[k].y}",
            "a_ms": round(a[k], 1),
            "d_ms": round(d.get(k, math.nan), 1),
            "overhead_ms": round(a[k] - d.get(k, math.nan), 1),
            "gzip_bytes": sizes.get(k, 0),
        }
        for k in ranked
    ]


def overhead(a: dict[int, float], d: dict[int, float], sizes: dict[int, int]) -> dict[str, Any]:
    """What HTTP + Django + gzip add to the SQL, per tile, at concurrency 1.

    a/d is split at HEAVY_MS of SQL: on cheap tiles a fixed per-request cost dominates the ratio.
    """
    both = [k for k in a if k in d and d[k] > 0]
    diffs = [a[k] - d[k] for k in both]
    big = [a[k] - d[k] for k in both if sizes.get(k, 0) > 50_000]
    slow = [a[k] / d[k] for k in both if d[k] >= HEAVY_MS]
    light = [a[k] / d[k] for k in both if d[k] < HEAVY_MS]
    return {
        "median_ms": round(pct(diffs, 0.5), 2),
        "p90_ms": round(pct(diffs, 0.9), 2),
        "median_ms_tiles_over_50kB_gzipped": round(pct(big, 0.5), 2),
        "tiles_over_50kB": len(big),
        "a_over_d_sql_heavy": round(pct(slow, 0.5), 2),
        "tiles_sql_heavy": len(slow),
        "a_over_d_sql_light": round(pct(light, 0.5), 2),
        "tiles_sql_light": len(light),
    }


def sizes_of(runs: list[dict[str, Any]], n: int) -> dict[int, int]:
    """Response bytes per tile index."""
    return {r[0] % n: r[3] for run in runs for r in run["results"] if r[4] is None and r[0] >= 0}


def _fmt(v: float) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:,.1f}"


def _fmt2(v: float) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.2f}"


def summary_lines(res: dict[str, Any]) -> list[str]:
    """The table of every target and level: requests, errors, req/s and latencies."""
    lines = [
        "| target | conc | requests | errors | req/s (median of rounds) | p50 ms | p95 ms "
        "| max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for key, label in res["targets"].items():
        for c, s in res["summaries"].get(key, {}).items():
            trunc = " (time limit)" if s["truncated"] else ""
            lines.append(
                f"| {key}: {label} | {c} | {s['requests']}{trunc} | {s['errors']} | "
                f"{_fmt(s['rps'])} | {_fmt(s['p50'])} | {_fmt(s['p95'])} | {_fmt(s['max'])} |"
            )
    return lines


def results_save(res: dict[str, Any], *, path: Path, block: str) -> None:
    """Write the results as JSON and print their Markdown."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(res, indent=1, default=str) + "\n")
    print(block)
    print(f"\nresults: {path}")


def markdown(res: dict[str, Any]) -> str:
    """The figures as Markdown (printed, and put into README.md after a full run)."""
    cfg = res["config"]
    lines = [
        f"Run {res['date']} ({'quick' if res['quick'] else 'full'}), commit {res['commit']}; "
        f"{res['machine']['cores']} cores, load average before {res['machine']['load_before']}, "
        f"after {res['machine']['load_after']}; {res['urls']['count']} tiles "
        f"({res['urls']['unique']} distinct), {cfg['rounds']} round(s) of {cfg['passes']} pass(es) "
        f"each ({cfg['cached_passes']} for b); servers: {cfg['server']}"
        + (
            f"; PostgreSQL session settings {cfg['pg_settings']}."
            if cfg.get("pg_settings")
            else "."
        ),
        "",
        *summary_lines(res),
    ]
    lines += [
        "",
        "| ratio | target | " + " | ".join(f"c={c}" for c in res["levels"]) + " |",
        "|---|---|" + "---:|" * len(res["levels"]),
    ]
    for name in [r[0] for r in RATIOS] + [r["ratio"] for r in res.get("heavy", [])[:1]]:
        row = [r for r in res["ratios"] + res.get("heavy", []) if r["ratio"] == name]
        cells = " | ".join(f"{_fmt2(r['value'])}{MET[r['met']]}" for r in row)
        lines.append(f"| {name} | {row[0]['target'] if row else ''} | {cells} |")
    if res.get("heavy"):
        counts = ", ".join(f"c={r['concurrency']}: {r['tiles']}" for r in res["heavy"])
        lines += ["", f"Tiles whose SQL takes ≥ {HEAVY_MS:.0f} ms (median on d): {counts}."]
    lines += ["", *budget_lines(res.get("budget", []))]
    keys = [k for k in ("a", "c", "d") if res["per_zoom"] and f"{k}_p50" in res["per_zoom"][0]]
    lines += [
        "",
        f"Per zoom at concurrency 1, over all rounds (a = ours uncached, c = tipg, d = our SQL "
        f"alone; ✗ = a tile on a over {SLOW_MS:.0f} ms):",
        "",
        "| layer | z | tiles | " + " | ".join(f"{k} p50 | {k} max" for k in keys) + " |",
        "|---|---:|---:|" + "---:|---:|" * len(keys),
    ]
    for r in res["per_zoom"]:
        cells = " | ".join(
            f"{_fmt(r[f'{k}_p50'])} | {_fmt(r[f'{k}_max'])}{' ✗' if k == 'a' and r['over'] else ''}"
            for k in keys
        )
        lines.append(f"| {r['layer']} | {r['z']} | {r['tiles']} | {cells} |")
    o = res["overhead"]
    lines += [
        "",
        f"HTTP + Django + gzip over the SQL (a − d per tile, c=1): median "
        f"{_fmt(o['median_ms'])} ms, p90 {_fmt(o['p90_ms'])} ms; tiles over 50 kB gzipped "
        f"({o['tiles_over_50kB']}): median {_fmt(o['median_ms_tiles_over_50kB_gzipped'])} ms. "
        f"Per-tile a/d, median: {_fmt2(o['a_over_d_sql_heavy'])} on the "
        f"{o['tiles_sql_heavy']} tiles whose SQL takes ≥ {HEAVY_MS:.0f} ms, "
        f"{_fmt2(o['a_over_d_sql_light'])} on the other {o['tiles_sql_light']}.",
        "",
        "Slowest tiles on a (c=1):",
        "",
        "| tile | a ms | d ms | a − d | gzip bytes |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in res["slowest"]:
        lines.append(
            f"| {r['tile']} | {_fmt(r['a_ms'])} | {_fmt(r['d_ms'])} | "
            f"{_fmt(r['overhead_ms'])} | {r['gzip_bytes']:,} |"
        )
    over = sorted({f"{r['layer']} z{r['z']}" for r in res["per_zoom"] if r["over"]})
    cap = res.get("floor_capture", {})
    lines += [
        "",
        f"Zooms over {SLOW_MS:.0f} ms on a: {', '.join(over) if over else 'none'}.",
        "",
        f"Floor capture: ST_AsMVT statements per tile request "
        f"{cap.get('tile_statements_per_request')}, other queries per request "
        f"{cap.get('other_queries_per_request')}.",
    ]
    return "\n".join(lines)


def results_publish(
    res: dict[str, Any],
    *,
    block: str,
    name: str,
    args: Any,
    full: bool | None = None,
    start: str = START,
    end: str = END,
) -> None:
    """Save the results (var/bench/<name>-<date>[-quick].json, or --out), print their
    Markdown and, after a full run (`full`; default: not --quick), put it into the README.
    A smoke run (`--smoke`: is the benchmark still whole?) only prints."""
    if getattr(args, "smoke", False):
        print(block)
        return
    stamp = dt.datetime.now(dt.UTC).date().isoformat() + ("-quick" if args.quick else "")
    results_save(res, path=args.out or OUT_DIR / f"{name}-{stamp}.json", block=block)
    if (not args.quick if full is None else full) and not args.no_readme:
        updated = update_readme(block, start, end)
        print("bench/README.md updated" if updated else "README: no markers")


def update_readme(block: str, start: str = START, end: str = END) -> bool:
    """Replace the README's block between two markers; False when the markers are missing."""
    text = README.read_text()
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    if not pattern.search(text):
        return False
    README.write_text(pattern.sub(lambda _: f"{start}\n{block}\n{end}", text))
    return True
