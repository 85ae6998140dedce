"""Style pieces several layer modules share: filters and point clusters with counts."""

from typing import Any

from layers.registry import LayerFilter, Text

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
