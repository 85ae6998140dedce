"""Tile endpoints: /tiles/{layer}/{z}/{x}/{y}.mvt, TileJSON, style.json and legends."""

import gzip

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from gisioc.errors import InvalidInput
from tiles import cache, styles
from tiles.requests import filters_from, layer_for, scope_for
from tiles.sql import MAX_ZOOM, TileQuery
from tiles.versions import layer_versions

MVT = "application/vnd.mapbox-vector-tile"
READABLE = {"ensure_ascii": False}


def _check_tile(z: int, x: int, y: int) -> None:
    if not 0 <= z <= MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise InvalidInput(
            f"Ô bản đồ {z}/{x}/{y} không tồn tại (0 ≤ z ≤ {MAX_ZOOM}, 0 ≤ x, y < 2^z).",
            f"Tile {z}/{x}/{y} does not exist (0 ≤ z ≤ {MAX_ZOOM}, 0 ≤ x, y < 2^z).",
        )


@require_GET
def tile(request: HttpRequest, layer_id: str, z: int, x: int, y: int) -> HttpResponse:
    """One vector tile; ETag on the layer's data version, 304 when unchanged, 204 when empty."""
    _check_tile(z, x, y)
    layer = layer_for(request, layer_id)
    q = TileQuery(layer, z, x, y, filters_from(request, layer), scope_for(request, layer))
    version = layer_versions([layer])[layer.id]
    etag = f'"{cache.tile_key(q, version)}"'
    private = not layer.public
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'private' if private else 'public'}, no-cache",
        "Vary": "Accept-Encoding, Cookie" if private else "Accept-Encoding",
    }
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304, headers=headers)
    if not layer.minzoom <= z <= layer.maxzoom:
        return HttpResponse(status=204, headers=headers)
    data = cache.tile_get(q, version, etag.strip('"'))
    if not data:
        return HttpResponse(status=204, headers=headers)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        headers["Content-Encoding"] = "gzip"
    else:
        data = gzip.decompress(data)
    return HttpResponse(data, content_type=MVT, headers=headers)


@require_GET
def tilejson(request: HttpRequest, layer_id: str) -> JsonResponse:
    """TileJSON 3.0 for a layer, its tile URL carrying the filters given."""
    layer = layer_for(request, layer_id)
    filters = filters_from(request, layer)
    return JsonResponse(
        styles.tilejson(request, layer, filters, scope_for(request, layer)),
        json_dumps_params=READABLE,
    )


@require_GET
def style(request: HttpRequest) -> JsonResponse:
    """A complete MapLibre style of every layer the user may see."""
    return JsonResponse(styles.style(request), json_dumps_params=READABLE)


@require_GET
def legend(request: HttpRequest, layer_id: str) -> JsonResponse:
    """A layer's legend; for choropleths the classes of the chosen indicator and method."""
    layer = layer_for(request, layer_id)
    filters = filters_from(request, layer, extra=styles.LEGEND_PARAMS)
    return JsonResponse(
        styles.legend(request, layer, filters, scope_for(request, layer)),
        json_dumps_params=READABLE,
    )
