"""GET /api/nearby/: the nearest records of every point layer the user may see."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from gisioc.errors import InvalidInput
from gisioc.geo import access
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


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Features of the point layers nearest to lon/lat, closest first, with distances in metres."""
    try:
        lon, lat = float(request.GET["lon"]), float(request.GET["lat"])
        limit = min(max(int(request.GET.get("limit", 10)), 1), MAX_LIMIT)
    except (KeyError, ValueError) as exc:
        raise InvalidInput(
            "Cần lon, lat (số) và limit.", "lon and lat (numbers) are required."
        ) from exc
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InvalidInput("Tọa độ ngoài phạm vi.", "Coordinates out of range.")
    layers = [
        layer
        for layer in registry
        if layer.geometry == "point" and access.may_see(request.user, layer.roles)
    ]
    features = [f for layer in layers for f in _nearest(layer, lon, lat, limit, request)]
    features.sort(key=lambda f: f["properties"]["distance_m"])
    return JsonResponse(
        {"type": "FeatureCollection", "features": features[:limit]},
        json_dumps_params={"ensure_ascii": False},
    )
