"""A choropleth's classes over its source: the indicator and method a request picks, the
breaks (`tiles.classify`), colours, counts and the MapLibre fill expression."""

from typing import Any

from django.db import connection
from django.http import HttpRequest

from gisioc.errors import InvalidInput
from gisioc.params import float_parse, int_param
from layers.registry import Layer
from tiles.classify import class_breaks
from tiles.sql import Filters, Scope, source_conditions

# Query parameters of a choropleth's legend and table (not filters of its source).
LEGEND_PARAMS = frozenset({"indicator", "method", "classes", "breaks"})
NO_DATA = "#d9d9d9"


def _values(layer: Layer, indicator: str, filters: Filters, scope: Scope) -> list[float]:
    conditions, params = source_conditions(layer, filters, scope)
    column = layer.column(indicator)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.{column} FROM {layer.model._meta.db_table} s "
            f"WHERE {' AND '.join(conditions)} AND s.{column} IS NOT NULL",
            params,
        )
        return [float(v) for (v,) in cursor.fetchall()]


def choice_params(request: HttpRequest, layer: Layer) -> tuple[str, str, int, list[float]]:
    """Indicator, method, classes and manual breaks a request asks of a choropleth."""
    c = layer.classification
    indicator = request.GET.get("indicator", c.indicator)
    allowed = [c.indicator, *(name for name, _ in c.indicators)]
    if indicator not in allowed:
        raise InvalidInput(
            f"Chỉ tiêu {indicator} không có; chọn: {', '.join(allowed)}.",
            f"No indicator {indicator}; choose one of {', '.join(allowed)}.",
        )
    classes = int_param(request.GET, "classes", bounds=(1, 100), default=c.classes)
    manual = (
        [float_parse(b, "breaks") for b in request.GET["breaks"].split(",")]
        if "breaks" in request.GET
        else list(c.breaks)
    )
    return indicator, request.GET.get("method", c.method), classes, manual


def _palette(layer: Layer, classes: int) -> list[str]:
    palette = list(layer.classification.palette)
    if classes > len(palette):
        raise InvalidInput(f"Tối đa {len(palette)} lớp.", f"At most {len(palette)} classes.")
    step = (len(palette) - 1) / max(classes - 1, 1)
    return [palette[round(i * step)] for i in range(classes)]


def choropleth(
    layer: Layer,
    *,
    indicator: str,
    method: str,
    classes: int,
    manual: list[float],
    filters: Filters = (),
    scope: Scope = None,
) -> dict[str, Any]:
    """Classes of an indicator: breaks, colours, counts and the MapLibre colour expression."""
    values = _values(layer, indicator, filters, scope)
    breaks = class_breaks(values, method=method, classes=classes, manual=manual)
    colors = _palette(layer, len(breaks) + 1)
    bounds = [min(values, default=None), *breaks, max(values, default=None)]
    items = [
        {
            "min": bounds[i],
            "max": bounds[i + 1],
            "color": colors[i],
            "count": sum(
                1
                for v in values
                if (i == 0 or v >= breaks[i - 1]) and (i == len(breaks) or v < breaks[i])
            ),
        }
        for i in range(len(colors))
    ]
    expression: Any = colors[0]  # no breaks (no or one distinct value): one colour
    if breaks:
        expression = ["step", ["to-number", ["get", indicator]], colors[0]]
        for value, color in zip(breaks, colors[1:], strict=True):
            expression += [value, color]
    fill = ["case", ["==", ["get", indicator], None], NO_DATA, expression]
    return {
        "indicator": indicator,
        "method": method,
        "classes": items,
        "breaks": breaks,
        "features": len(values),
        "expression": fill,
    }


def default_fill(layer: Layer, scope: Scope) -> list[Any]:
    """The fill-color expression of a choropleth's declared indicator, method and classes."""
    c = layer.classification
    return choropleth(
        layer,
        indicator=c.indicator,
        method=c.method,
        classes=c.classes,
        manual=list(c.breaks),
        scope=scope,
    )["expression"]
