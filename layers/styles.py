"""Style pieces several layer modules share: filters and point clusters with counts."""

from typing import Any

from gisioc.texts import Text
from layers.registry import LayerFilter, LegendItem

Band = tuple[float, str, Text]  # from this value up: colour, legend label

# One row per unit and period in the source; '' (the default) is all time.
PERIOD = LayerFilter(
    "period", "period", "period", Text("Kỳ báo cáo", "Reporting period"), default=""
)


def cluster_styles(color: str) -> tuple[dict[str, Any], ...]:
    """A grid cluster's circle, sized by its count, with the count written on it."""
    return (
        {
            "type": "circle",
            "filter": ["has", "count"],
            "paint": {
                "circle-color": color,
                "circle-opacity": 0.85,
                "circle-radius": ["interpolate", ["linear"], ["get", "count"], 1, 8, 100, 22],
                "circle-stroke-color": "#ffffff",
                "circle-stroke-width": 1.5,
            },
        },
        {
            "type": "symbol",
            "filter": ["has", "count"],
            "layout": {
                "text-field": ["to-string", ["get", "count"]],
                "text-size": 11,
                "text-font": ["Noto Sans Bold"],
                "text-allow-overlap": True,
            },
            "paint": {"text-color": "#ffffff"},
        },
    )


def proportional_circles(
    *,
    size: str,
    sqrt_of: float,
    radius: float,
    share: str,
    bands: tuple[Band, ...],
    none: tuple[str, Text],
    stroke: tuple[str, float] = ("#ffffff", 1.5),
) -> tuple[tuple[dict[str, Any], ...], tuple[LegendItem, ...]]:
    """Circles whose area grows with `size` (radius `radius` px at `sqrt_of` = √size), coloured
    by the band `share` falls in, grey with the `none` label when it has no value; their style
    and legend."""
    circle = {
        "type": "circle",
        "paint": {
            "circle-color": [
                "case",
                ["==", ["get", share], None],
                none[0],
                [
                    "step",
                    ["get", share],
                    bands[0][1],
                    *[x for low, colour, _ in bands[1:] for x in (low, colour)],
                ],
            ],
            "circle-opacity": 0.85,
            "circle-radius": [
                "interpolate",
                ["linear"],
                ["sqrt", ["get", size]],
                0,
                4,
                sqrt_of,
                radius,
            ],
            "circle-stroke-color": stroke[0],
            "circle-stroke-width": stroke[1],
        },
    }
    legend = (
        *(LegendItem(label, colour) for _, colour, label in bands),
        LegendItem(none[1], none[0]),
    )
    return (circle,), legend
