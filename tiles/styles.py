"""TileJSON, the MapLibre style and legends, all built from the layer registry."""

from typing import Any
from urllib.parse import urlencode

from django.db import connection, models
from django.http import HttpRequest
from django.utils import translation

from gisioc.errors import InvalidInput
from gisioc.geo import access
from layers.registry import Layer, registry
from tiles.classify import class_breaks
from tiles.requests import scope_for
from tiles.sql import source_conditions

LEGEND_PARAMS = frozenset({"indicator", "method", "classes", "breaks"})
NO_DATA = "#d9d9d9"
DRAW_ORDER = {"background": 0, "fill": 1, "line": 2, "circle": 3, "symbol": 4}
Filters = tuple[tuple[str, object], ...]
Scope = tuple[int, ...] | None


def _lang(text: Any) -> str:
    return text.en if (translation.get_language() or "vi")[:2] == "en" else text.vi


def _field_type(field: models.Field) -> str:
    if isinstance(field, models.BooleanField):
        return "Boolean"
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return "Number"
    return "String"


def tile_url(request: HttpRequest, layer: Layer, filters: Filters = ()) -> str:
    """Absolute tile URL template, with the filters as query parameters."""
    base = request.build_absolute_uri(f"/tiles/{layer.id}/") + "{z}/{x}/{y}.mvt"
    return base + (f"?{urlencode([(k, str(v)) for k, v in filters])}" if filters else "")


def _bounds(layer: Layer, filters: Filters, scope: Scope) -> list[float] | None:
    conditions, params = source_conditions(layer, filters, scope)
    geom = layer.column(layer.geom_field)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            f"(SELECT ST_Extent(s.{geom}) AS e FROM {layer.model._meta.db_table} s "
            f"WHERE {' AND '.join(conditions)}) x",
            params,
        )
        row = cursor.fetchone()
    return [round(v, 6) for v in row] if row and row[0] is not None else None


def tilejson(request: HttpRequest, layer: Layer, filters: Filters, scope: Scope) -> dict[str, Any]:
    """TileJSON 3.0.0 with vector_layers describing every field a tile carries."""
    bounds = _bounds(layer, filters, scope) or [-180.0, -85.0511, 180.0, 85.0511]
    fields = {p: _field_type(layer.model._meta.get_field(p)) for p in layer.properties}
    vector_layers = [
        {
            "id": layer.id,
            "description": _lang(layer.description),
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom,
            "fields": {"count": "Number"} if layer.cluster_below else fields,
        }
    ]
    if layer.cluster_below:
        vector_layers[0]["fields"].update(fields)
    if layer.labels:
        vector_layers.append(
            {
                "id": f"{layer.id}-labels",
                "minzoom": layer.minzoom,
                "maxzoom": layer.maxzoom,
                "fields": {"label": "String"},
            }
        )
    return {
        "tilejson": "3.0.0",
        "name": _lang(layer.title),
        "description": _lang(layer.description),
        "version": "1.0.0",
        "scheme": "xyz",
        "tiles": [tile_url(request, layer, filters)],
        "minzoom": layer.minzoom,
        "maxzoom": layer.maxzoom,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 10],
        "vector_layers": vector_layers,
        "attribution": "gisioc",
    }


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
    try:
        classes = int(request.GET.get("classes", c.classes))
        manual = (
            [float(b) for b in request.GET["breaks"].split(",")]
            if "breaks" in request.GET
            else list(c.breaks)
        )
    except ValueError as exc:
        raise InvalidInput(
            "Số lớp hoặc ngưỡng không hợp lệ.", "Invalid classes or breaks."
        ) from exc
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


def legend(request: HttpRequest, layer: Layer, filters: Filters, scope: Scope) -> dict[str, Any]:
    """Categorical swatches, or a choropleth's classes for the requested indicator and method."""
    body: dict[str, Any] = {
        "layer": layer.id,
        "title": layer.title.as_dict(),
        "system": layer.system,
    }
    if layer.classification is None:
        body["kind"] = "categorical"
        body["items"] = [
            {"label": i.label.as_dict(), "color": i.color, "value": i.value} for i in layer.legend
        ]
        return body
    indicator, method, classes, manual = choice_params(request, layer)
    c = layer.classification
    titles = {c.indicator: c.title, **dict(c.indicators)}
    body.update(
        kind="choropleth",
        indicator_title=titles[indicator].as_dict(),
        indicators=[{"id": k, "title": t.as_dict()} for k, t in titles.items()],
        **choropleth(
            layer,
            indicator=indicator,
            method=method,
            classes=classes,
            manual=manual,
            filters=filters,
            scope=scope,
        ),
    )
    return body


def _style_layers(layer: Layer, paint_fill: list[Any] | None) -> list[dict[str, Any]]:
    visibility = {"visibility": "visible" if layer.visible else "none"}
    meta = {"gisioc:layer": layer.id}
    out = []
    for n, spec in enumerate(layer.style):
        entry = {
            **spec,
            "id": layer.id if n == 0 else f"{layer.id}-{n}",
            "source": layer.id,
            "source-layer": layer.id,
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom + 1,
            "layout": {**spec.get("layout", {}), **visibility},
            "metadata": meta,
        }
        if paint_fill and spec["type"] == "fill":
            entry["paint"] = {**spec.get("paint", {}), "fill-color": paint_fill}
        out.append(entry)
    if layer.labels:
        out.append(
            {
                "id": f"{layer.id}-labels",
                "type": "symbol",
                "source": layer.id,
                "source-layer": f"{layer.id}-labels",
                "metadata": meta,
                "layout": {
                    "text-field": ["get", "label"],
                    "text-font": ["Noto Sans Regular"],
                    "text-size": 13,
                    "text-max-width": 8,
                    **visibility,
                },
                "paint": {
                    "text-color": "#263238",
                    "text-halo-color": "#ffffff",
                    "text-halo-width": 1.5,
                },
            }
        )
    return out


def _layer_meta(layer: Layer) -> dict[str, Any]:
    return {
        "id": layer.id,
        "system": layer.system,
        "title": layer.title.as_dict(),
        "description": layer.description.as_dict(),
        "geometry": layer.geometry,
        "visible": layer.visible,
        "public": layer.public,
        "filters": [
            {
                "name": f.name,
                "kind": f.kind,
                "title": f.title.as_dict(),
                "choices": list(f.choices),
                "default": f.default,
            }
            for f in layer.filters
        ],
        "choropleth": layer.classification is not None,
        "record": {"type": layer.record.type, "detail": layer.record.detail}
        if layer.record
        else None,
        "legend": f"/tiles/legend/{layer.id}.json",
        "tilejson": f"/tiles/{layer.id}.json",
    }


def style(request: HttpRequest) -> dict[str, Any]:
    """MapLibre style v8: our glyphs and sprite, one vector source and its layers per entry."""
    layers = [layer for layer in registry if access.may_see(request.user, layer.roles)]
    sources, style_layers = (
        {},
        [{"id": "background", "type": "background", "paint": {"background-color": "#eef2f3"}}],
    )
    for layer in layers:
        sources[layer.id] = {
            "type": "vector",
            "tiles": [tile_url(request, layer)],
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom,
        }
        fill = None
        if layer.classification:
            c = layer.classification
            fill = choropleth(
                layer,
                indicator=c.indicator,
                method=c.method,
                classes=c.classes,
                manual=list(c.breaks),
                scope=scope_for(request, layer),
            )["expression"]
        style_layers += _style_layers(layer, fill)
    # Areas under lines under points under text, whatever order the registry declares.
    style_layers.sort(key=lambda entry: DRAW_ORDER.get(entry["type"], len(DRAW_ORDER)))
    absolute = request.build_absolute_uri("/tiles/")
    return {
        "version": 8,
        "name": "gisioc",
        "metadata": {"gisioc:layers": [_layer_meta(layer) for layer in layers]},
        "center": [108.25, 15.8],
        "zoom": 10.5,
        "glyphs": absolute + "fonts/{fontstack}/{range}.pbf",
        "sprite": absolute + "sprites/sprite",
        "sources": sources,
        "layers": style_layers,
    }
