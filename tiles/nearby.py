"""GET /api/nearby/: the nearest records of every point layer the user may see."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from gisioc.errors import InvalidInput
from gisioc.geo import access
from gisioc.params import float_param, int_param
from layers.registry import Layer, registry
from tiles.requests import scope_for
from tiles.sql import source_conditions

MAX_LIMIT = 50


def _nearest(layer: Layer, lon: float, lat: float, limit: int, request: HttpRequest) -> list[dict]:
    conditions, params = source_conditions(layer, (), scope_for(request, layer))
    geom = f"s.{layer.column(layer.geom_field)}"
    props = "".join(f', s.{layer.column(p)} AS "{p}"' for p in layer.properties)
    point = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT s.{layer.column(layer.id_field)}{props}, ST_X({geom}), ST_Y({geom}),
                       ST_Distance({geom}::geography, {point}::geography)
                FROM {layer.model._meta.db_table} s
                WHERE {" AND ".join(conditions)} AND {geom} IS NOT NULL
                ORDER BY {geom} <-> {point} LIMIT %s""",
            [lon, lat, *params, lon, lat, limit],
        )
        names = ["id", *layer.properties]
        return [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row[-3], row[-2]]},
                "properties": {
                    **dict(zip(names, row[: len(names)], strict=True)),
                    "layer": layer.id,
                    "distance_m": round(row[-1], 1),
                },
            }
            for row in cursor.fetchall()
        ]


def _heatmap(layer: Layer) -> bool:
    """A heatmap draws the points of another layer: listed there, they would come twice."""
    return any(spec.get("type") == "heatmap" for spec in layer.style)


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Features of the point layers nearest to lon/lat, closest first, with distances in metres."""
    params = request.GET
    for name in ("lon", "lat"):
        if not params.get(name):
            raise InvalidInput(f"Cần {name} (số).", f"{name} (a number) is required.", field=name)
    lon = float_param(params, "lon", bounds=(-180, 180))
    lat = float_param(params, "lat", bounds=(-90, 90))
    limit = min(max(int_param(params, "limit", default=10), 1), MAX_LIMIT)
    layers = [
        layer
        for layer in registry
        if layer.geometry == "point"
        and access.may_see(request.user, layer.roles)
        and not _heatmap(layer)
    ]
    features = [f for layer in layers for f in _nearest(layer, lon, lat, limit, request)]
    features.sort(key=lambda f: f["properties"]["distance_m"])
    return JsonResponse(
        {"type": "FeatureCollection", "features": features[:limit]},
        json_dumps_params={"ensure_ascii": False},
    )
