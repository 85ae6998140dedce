"""Figures of the ingest and KPI benchmark: summaries, ratios and the Markdown for the README."""

import math
from collections import defaultdict
from typing import Any

from bench import report
from bench.ingest_api import PEERS, Ask

START, END = "<!-- ingest-figures:start -->", "<!-- ingest-figures:end -->"
IMPORT_ORDER = ("first", "again", "sql_first", "sql_again", "floor")
# (ratio, our row, peer row): how many times the peer's time ours takes (peer rows/s ÷ ours)
IMPORT_RATIOS = (
    ("first import ÷ floor (bare COPY)", "first", "floor"),
    ("first import ÷ sql pipeline, first", "first", "sql_first"),
    ("same file again ÷ sql pipeline, again", "again", "sql_again"),
)
# Issue 19's targets: our speed as a share of a bare COPY of the same rows, in the same run.
SPEED_TARGETS = (
    ("file ingest with geocoding vs bare COPY", "first", "floor", 0.5),
    ("re-import of the same file vs bare COPY", "again", "floor", 0.5),
)
_fmt, _fmt2 = report._fmt, report._fmt2


def speed_targets(load: dict[str, Any]) -> list[dict[str, Any]]:
    """Ours as a share of the floor's speed (our rows/s ÷ floor rows/s), each with its target."""
    out = []
    for name, ours, peer, target in SPEED_TARGETS:
        if ours in load and peer in load:
            value = _div(load[ours]["rps"], load[peer]["rps"])
            out.append({"target": name, "value": value, "min": target, "met": value >= target})
    return out


def speed_lines(rows: list[dict[str, Any]]) -> list[str]:
    """The targets as a Markdown table with ✓/✗."""
    lines = [
        "| target (ours rows/s ÷ bare COPY rows/s, same run) | value | target |",
        "|---|---:|---:|",
    ]
    lines += [
        f"| {r['target']} | {_fmt2(r['value'])}{report.MET[bool(r['met'])]} | ≥ {r['min']}× |"
        for r in rows
    ]
    return lines


def _div(a: float | None, b: float | None) -> float:
    return round(a / b, 2) if a and b else math.nan


def import_ratios(load: dict[str, Any]) -> list[dict[str, Any]]:
    """Ours against each peer, as a time ratio (peer rows/s ÷ our rows/s)."""
    out = []
    for name, ours, peer in IMPORT_RATIOS:
        if ours in load and peer in load:
            out.append({"ratio": name, "value": _div(load[peer]["rps"], load[ours]["rps"])})
    return out


def api_ratios(summaries: dict[str, dict[str, dict]], levels: list[int]) -> list[dict]:
    """Each HTTP target over its in-process peer: p50, p95 and throughput, per level."""
    out = []
    for http, peer in PEERS.items():
        for measure, label in (("p50", "p50"), ("p95", "p95"), ("rps", "throughput")):
            row: dict[str, Any] = {"ratio": f"{http}/{peer} {label}"}
            for c in levels:
                a, b = summaries.get(http, {}).get(str(c)), summaries.get(peer, {}).get(str(c))
                row[str(c)] = _div(a and a[measure], b and b[measure])
            out.append(row)
    return out


def _kind(period: str) -> str:
    return "quarter" if "Q" in period else ("month" if "-" in period else "year")


def per_kind(items: list[Ask], raw: dict[str, dict[str, list[dict]]], level: int) -> list[dict]:
    """p50 and max at one level by period kind (year, quarter, month), for every target."""
    out = []
    for kind in ("year", "quarter", "month"):
        row: dict[str, Any] = {"kind": kind}
        for key, levels in raw.items():
            values = [
                ms
                for run in levels.get(str(level), [])
                for i, _s, ms, _b, err in run["results"]
                if err is None and i >= 0 and _kind(items[i % len(items)].period) == kind
            ]
            row[f"{key}_p50"] = round(report.pct(values, 0.5), 1)
            row[f"{key}_max"] = round(max(values), 1) if values else math.nan
        out.append(row)
    return out


def slowest(items: list[Ask], raw: dict[str, list[dict]], level: int, top: int = 5) -> list[dict]:
    """The (commune, period) asks slowest at one level of a target, by median over rounds."""
    by: dict[int, list[float]] = defaultdict(list)
    for run in raw.get(str(level), []):
        for i, _s, ms, _b, err in run["results"]:
            if err is None and i >= 0:
                by[i % len(items)].append(ms)
    ranked = sorted(by, key=lambda k: -report.pct(by[k], 0.5))[:top]
    return [
        {"unit": items[k].unit, "period": items[k].period, "ms": round(report.pct(by[k], 0.5), 1)}
        for k in ranked
    ]


def _import_lines(res: dict[str, Any]) -> list[str]:
    load = res["import"]
    lines = [
        "| target | rows | seconds | rows/s | outcome | peak RSS MiB | load after |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    for key in IMPORT_ORDER:
        if key not in load:
            continue
        r = load[key]
        counts = ", ".join(f"{k} {v:,}" for k, v in r["counts"].items() if v)
        lines.append(
            f"| {r['target']} | {r['rows']:,} | {_fmt(r['seconds'])} | {_fmt(r['rps'])} | "
            f"{counts} | {_fmt(r.get('peak_rss_mib'))} | {r['load_after']} |"
        )
    lines += ["", "| time ratio (peer rows/s ÷ ours) | value |", "|---|---:|"]
    lines += [f"| {r['ratio']} | {_fmt2(r['value'])} |" for r in res["import_ratios"]]
    targets = speed_targets(load)
    return [*lines, "", *speed_lines(targets)] if targets else lines


def _api_lines(res: dict[str, Any]) -> list[str]:
    levels = res["levels"]
    lines = report.summary_lines(res)
    lines += [
        "",
        "| ratio (HTTP ÷ in-process) | " + " | ".join(f"c={c}" for c in levels) + " |",
        "|---|" + "---:|" * len(levels),
    ]
    for r in res["api_ratios"]:
        lines.append(f"| {r['ratio']} | " + " | ".join(_fmt2(r[str(c)]) for c in levels) + " |")
    keys = list(res["targets"])
    lines += [
        "",
        f"By period kind at concurrency {levels[0]} (p50 / max ms):",
        "",
        "| period | " + " | ".join(keys) + " |",
        "|---|" + "---:|" * len(keys),
    ]
    for r in res["per_kind"]:
        cells = " | ".join(f"{_fmt(r[f'{k}_p50'])} / {_fmt(r[f'{k}_max'])}" for k in keys)
        lines.append(f"| {r['kind']} | {cells} |")
    return lines


def _explain_lines(res: dict[str, Any]) -> list[str]:
    ex = res.get("explain") or {}
    if not ex:
        return []
    lines = [
        "",
        f"EXPLAIN ANALYZE of the KPI statement for the slowest ask (unit {ex['unit']}, "
        f"{ex['period']}): {ex['summary']}.",
    ]
    return lines


def markdown(res: dict[str, Any]) -> str:
    """Everything as Markdown: printed, and put into README.md after a full run."""
    m, f = res["machine"], res["file"]
    q = res["queries_per_request"]
    lines = [
        f"Run {res['date']} ({res['kind']}), commit {res['commit']}; "
        f"{m['cores']} cores, load average before {m['load_before']}, after {m['load_after']}; "
        f"{f['name']}: {f['rows']:,} rows (demo × {f['copies']}), {f['mib']:,.0f} MiB; "
        f"dossiers read by the KPIs: {res['dossiers']:,}; servers: {res['server']}.",
        "",
        "**Import with geocoding** (one run each, in this order; the floor last):",
        "",
        *_import_lines(res),
        "",
        f"**KPIs**: {res['asks']['count']} asks ({res['asks']['communes']} communes × "
        f"{res['asks']['periods']} periods), {res['rounds']} round(s), levels and targets "
        f"interleaved. SQL statements per request: KPI API {q['api']['queries']}, profile "
        f"{q['profile']['queries']}.",
        "",
        *_api_lines(res),
    ]
    slow = res.get("slowest_api") or []
    if slow:
        worst = ", ".join(f"{s['unit']} {s['period']} {_fmt(s['ms'])} ms" for s in slow)
        lines += ["", f"Slowest KPI asks over HTTP at c={res['levels'][0]}: {worst}."]
    lines += _explain_lines(res)
    return "\n".join(lines)
