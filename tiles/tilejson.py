"""TileJSON 3.0 of a registered layer: its tile URL, extent and the fields its tiles carry."""

from typing import Any
from urllib.parse import urlencode

from django.db import connection, models
from django.http import HttpRequest
from django.utils import translation

from gisioc.texts import Text
from layers.registry import Layer
from tiles.sql import Filters, Scope, source_conditions
from tiles.versions import layer_versions

WORLD = [-180.0, -85.0511, 180.0, 85.0511]


def _lang(text: Text) -> str:
    return text.en if (translation.get_language() or "vi")[:2] == "en" else text.vi


def _field_type(field: models.Field) -> str:
    if isinstance(field, models.BooleanField):
        return "Boolean"
    if isinstance(field, models.IntegerField | models.FloatField | models.DecimalField):
        return "Number"
    return "String"


def tile_url(
    request: HttpRequest, layer: Layer, filters: Filters = (), version: str | None = None
) -> str:
    """Absolute tile URL template, with the filters as query parameters and the layer's data
    version as `v` (a cache in front keeps tiles asked at their current version: tiles.views)."""
    base = request.build_absolute_uri(f"/tiles/{layer.id}/") + "{z}/{x}/{y}.mvt"
    params = [(k, str(v)) for k, v in filters] + ([("v", version)] if version else [])
    return base + (f"?{urlencode(params)}" if params else "")


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
    bounds = _bounds(layer, filters, scope) or WORLD
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
        "tiles": [tile_url(request, layer, filters, layer_versions([layer])[layer.id])],
        "minzoom": layer.minzoom,
        "maxzoom": layer.maxzoom,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 10],
        "vector_layers": vector_layers,
        "attribution": "gisioc",
    }
