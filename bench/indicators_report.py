"""The national indicators benchmark's figures: per zoom, slow tiles, ratios, Markdown."""

import math
import statistics
from typing import Any

from bench import report

SLOW_MS = 500.0  # issue 14: no national choropleth tile slower than this
MAPS = ("map-cold", "map-latest", "map-change")  # the choropleth's tiles, rendered
ZOOM_KEYS = (*MAPS, "units-cold", "floor")
# (name, numerator, denominator, measure, target or None, higher is better)
RATIOS = (
    ("map-cold / units-cold p50", "map-cold", "units-cold", "p50", None, False),
    ("map-cold / units-cold p95", "map-cold", "units-cold", "p95", None, False),
    ("map-cold / floor p50", "map-cold", "floor", "p50", 1.3, False),
    ("map-warm / map-cold p50", "map-warm", "map-cold", "p50", None, False),
    ("rank-cold / rank-floor p50", "rank-cold", "rank-floor", "p50", 1.3, False),
    ("rank-cached / rank-cold p50", "rank-cached", "rank-cold", "p50", None, False),
)


def per_zoom(tiles: list, raw: dict, level: str) -> list[dict[str, Any]]:
    """Per zoom, p50 and max over all rounds of the tile targets."""
    rows = []
    for z in sorted({t[0] for t in tiles}):
        idx = {i for i, t in enumerate(tiles) if t[0] == z}
        row: dict[str, Any] = {"z": z, "tiles": len(idx)}
        for key in ZOOM_KEYS:
            ms = [
                r[2]
                for run in raw[key].get(level, [])
                for r in run["results"]
                if r[0] % len(tiles) in idx and r[4] is None
            ]
            row[key] = (round(report.pct(ms, 0.5), 1), round(max(ms, default=math.nan), 1))
        rows.append(row)
    return rows


def slow_tiles(tiles: list, raw: dict) -> tuple[list[str], list[str]]:
    """Map tiles whose median over the rounds exceeds SLOW_MS at some level (what a tile
    costs), and single requests that did (a shared machine's spikes), as z/x/y (ms)."""
    slow, spikes = set(), []
    for key, c, runs in ((k, c, runs) for k in MAPS for c, runs in raw[k].items()):
        by: dict[int, list[float]] = {}
        for run in runs:
            for r in run["results"]:
                by.setdefault(r[0] % len(tiles), []).append(r[2])
        for i, ms in sorted(by.items()):
            name = "{}/{}/{}".format(*tiles[i])
            if statistics.median(ms) > SLOW_MS:
                slow.add(f"{key} {name}")
            spikes += [f"{key} {name} {m:.0f} ms (c={c})" for m in ms if m > SLOW_MS]
    return sorted(slow), spikes


def ratios(summaries: dict, level: str) -> list[dict[str, Any]]:
    """The ratios of RATIOS at one level."""
    out = []
    for name, a, b, measure_, target, higher in RATIOS:
        va = summaries.get(a, {}).get(level, {}).get(measure_)
        vb = summaries.get(b, {}).get(level, {}).get(measure_)
        value = round(va / vb, 2) if va and vb else math.nan
        met = None if target is None else (value >= target if higher else value <= target)
        out.append({"name": name, "target": target, "value": value, "met": met})
    return out


def markdown(res: dict[str, Any]) -> str:
    """The figures as Markdown for the README."""
    m, lv = res["machine"], str(res["levels"][0])
    lines = [
        f"Run {res['date']}{' (quick)' if res['quick'] else ''}, commit {res['commit']}; "
        f"{m['cores']} cores, {m['mem_gib']} GiB, load average before {m['load_before']}, "
        f"after {m['load_after']}; PostgreSQL {res['versions']['postgresql']}, PostGIS "
        f"{res['versions']['postgis']}; {res['values']:,} values ({res['indicator']}, "
        f"{res['value_years']} years); {len(res['tiles'])} tiles z{res['zooms']} over Vietnam; "
        f"{res['rounds']} round(s), years {', '.join(res['years'])}; {res['server']}.",
        "",
        "| target | what | conc | requests | errors | p50 ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for key, levels in res["summaries"].items():
        for c, s in levels.items():
            lines.append(
                f"| {key} | {res['targets'][key]} | {c} | {s['requests']} | {s['errors']} | "
                f"{s['p50']:.1f} | {s['p95']:.1f} | {s['max']:.1f} |"
            )
    lines += ["", f"| ratio (c={lv}) | target | value |", "|---|---|---:|"]
    for r in res["ratios"]:
        mark = report.MET[r["met"]]
        target = f"≤ {r['target']}" if r["target"] else ""
        lines.append(f"| {r['name']} | {target} | {r['value']:.2f}{mark} |")
    lines += [
        "",
        f"Per zoom at c={lv}, all rounds (p50 / max ms; ✗ = a request over {SLOW_MS:.0f} ms):",
        "",
        "| z | tiles | " + " | ".join(ZOOM_KEYS) + " |",
        "|---:|---:|" + "---:|" * len(ZOOM_KEYS),
    ]
    for row in res["per_zoom"]:
        cells = [
            f"{row[k][0]:.1f} / {row[k][1]:.1f}{' ✗' if row[k][1] > SLOW_MS else ''}"
            for k in ZOOM_KEYS
        ]
        lines.append(f"| {row['z']} | {row['tiles']} | " + " | ".join(cells) + " |")
    e = res["explain"]
    lines += [
        "",
        f"Slowest tile on the floor, {e['tile']} ({e['year']}): EXPLAIN ANALYZE "
        f"{e['execution_ms']} ms execution, {e['planning_ms']} ms planning; the per-commune "
        f"values computed for {e['computed_for']} communes, {e['communes_in_bbox']} of which "
        "touch the tile's buffered box (the box reaches the view first when they are equal).",
        f"Map tiles whose median over the rounds is over {SLOW_MS:.0f} ms (any map target, "
        f"any level): {', '.join(res['slow_tiles']) or 'none'}; single requests over it: "
        f"{', '.join(res['spikes']) or 'none'}.",
    ]
    return "\n".join(lines)
