"""Default colour maps per raster kind, and the legend a colour map reads as.

A colour map is `{"type": "continuous" | "classes", "stops": [[value, "#rrggbb[aa]"], …],
"labels": {str(value): {"vi", "en"}}}`. Continuous: colours interpolated between stops,
clamped at both ends. Classes: a value takes the colour of the last stop at or below it; a
value below the first stop is transparent (a dry cell, an empty cell)."""

import itertools
from typing import Any

from gisioc.rasters.models import Raster

# ColorBrewer Blues for water depth, YlOrRd for people, a hypsometric ramp for height.
DEPTH = ((0.05, "#c6dbef"), (0.5, "#6baed6"), (1.0, "#3182bd"), (2.0, "#08519c"), (3.0, "#08306b"))
PEOPLE = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
HEIGHT = ("#1a9850", "#91cf60", "#d9ef8b", "#fee08b", "#d8b365", "#8c510a", "#f5f5f5")
HAZARD = (
    (1, "#ffffb2", "Thấp", "Low"),
    (2, "#fecc5c", "Trung bình", "Moderate"),
    (3, "#fd8d3c", "Cao", "High"),
    (4, "#f03b20", "Rất cao", "Very high"),
    (5, "#bd0026", "Thảm họa", "Extreme"),
)


def _nice(value: float) -> float:
    """A round number near `value` (1, 2, 2.5, 5 × 10^k), for class breaks people read."""
    if value <= 0:
        return 0.0
    exponent = 10 ** int(f"{value:e}".split("e")[1])
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return float(step * exponent)
    return float(10 * exponent)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def colormap_default(kind: str, stats: dict[str, Any]) -> dict[str, Any]:
    """The colour map a raster of `kind` gets unless one is given, from its statistics."""
    if kind == Raster.Kind.FLOOD_DEPTH:
        stops = [[v, c] for v, c in DEPTH]
        bounds = [*(v for v, _ in DEPTH), None]
        labels = {
            str(lo): {
                "vi": f"{_number(lo)}–{_number(hi)} m" if hi else f"trên {_number(lo)} m",
                "en": f"{lo:g}–{hi:g} m" if hi else f"over {lo:g} m",
            }
            for lo, hi in itertools.pairwise(bounds)
        }
        return {"type": "classes", "stops": stops, "labels": labels}
    if kind == Raster.Kind.HAZARD_CLASS:
        return {
            "type": "classes",
            "stops": [[v, c] for v, c, _, _ in HAZARD],
            "labels": {str(v): {"vi": vi, "en": en} for v, _, vi, en in HAZARD},
        }
    if kind == Raster.Kind.POPULATION:
        # Breaks on a doubling scale up to the 99th percentile of inhabited cells.
        top = _nice(float(stats.get("p99") or stats.get("max") or 1))
        breaks = sorted({_nice(top / 2**k) for k in range(len(PEOPLE) - 1, -1, -1)})
        first = min(breaks[0], 1.0) if breaks[0] > 0 else 1.0
        breaks = sorted({first, *breaks})[: len(PEOPLE)]
        stops = [[b, c] for b, c in zip(breaks, PEOPLE, strict=False)]
        labels = {str(b): {"vi": f"từ {_number(b)}", "en": f"{b:g} or more"} for b, _ in stops}
        return {"type": "classes", "stops": stops, "labels": labels}
    if kind == Raster.Kind.ELEVATION:
        low, high = float(stats.get("min") or 0), float(stats.get("max") or 1)
        span = (high - low) or 1.0
        n = len(HEIGHT) - 1
        return {
            "type": "continuous",
            "stops": [[round(low + span * i / n, 2), c] for i, c in enumerate(HEIGHT)],
            "labels": {},
        }
    return {}  # imagery: the bands are the colours


def colormap_legend(raster: Raster) -> list[dict[str, Any]]:
    """The legend's swatches: one per class, or the ramp's stops with their values."""
    cmap = raster.colormap or {}
    labels = cmap.get("labels", {})
    unit = {"vi": raster.unit_vi, "en": raster.unit_en}
    items = []
    for value, color in cmap.get("stops", []):
        label = labels.get(str(value)) or {
            lang: f"{_number(value) if lang == 'vi' else f'{value:g}'} {unit[lang]}".strip()
            for lang in ("vi", "en")
        }
        items.append({"label": label, "color": color, "value": value})
    return items
