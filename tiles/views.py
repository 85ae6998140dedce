"""Tile endpoints: /tiles/{layer}/{z}/{x}/{y}.mvt, TileJSON, style.json and legends."""

import gzip

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from gisioc.errors import InvalidInput
from gisioc.rasters.style import raster_legend, raster_tilejson
from layers.registry import registry
from tiles import cache
from tiles.choropleth import LEGEND_PARAMS
from tiles.legends import legend as legend_body
from tiles.requests import filters_from, layer_for, scope_for
from tiles.sql import MAX_ZOOM, TileQuery
from tiles.style import style as style_body
from tiles.tilejson import tilejson as tilejson_body
from tiles.versions import layer_versions

MVT = "application/vnd.mapbox-vector-tile"
READABLE = {"ensure_ascii": False}
# A public tile asked at the version it is drawn from (`?v=`, as style.json and TileJSON give
# it): that URL means these bytes for good, so nginx (deploy/nginx) may keep it. Browsers still
# revalidate (no-cache): the map app fetches the same URL again after a change it hears of.
KEEP_SECONDS = 31_536_000


def tile_check(z: int, x: int, y: int) -> None:
    """InvalidInput unless z/x/y names a tile."""
    if not 0 <= z <= MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise InvalidInput(
            f"Ô bản đồ {z}/{x}/{y} không tồn tại (0 ≤ z ≤ {MAX_ZOOM}, 0 ≤ x, y < 2^z).",
            f"Tile {z}/{x}/{y} does not exist (0 ≤ z ≤ {MAX_ZOOM}, 0 ≤ x, y < 2^z).",
        )


def _etag(q: TileQuery, version: str) -> str:
    return f'"{cache.tile_key(q, version)}"'


def tile_answer(
    q: TileQuery, *, if_none_match: str | None, gzip_ok: bool, asked_version: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of a tile: ETag on the data version, 304, 204 when empty;
    kept by nginx (X-Accel-Expires) when public and drawn at `asked_version` (its URL's v)."""
    layer = q.layer
    private = not layer.public
    headers = {
        "Cache-Control": f"{'private' if private else 'public'}, no-cache",
        "Vary": "Accept-Encoding, Cookie" if private else "Accept-Encoding",
    }
    version = None

    def done(status: int, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if private or asked_version is None or asked_version != version:
            return status, headers, body
        # Before Cache-Control: nginx 1.22 reads them in order and no-cache would win.
        return status, {"X-Accel-Expires": str(KEEP_SECONDS), **headers}, body

    in_zoom = layer.minzoom <= q.z  # above maxzoom clients overzoom; asked anyway, it is drawn
    if if_none_match or settings.CONFIG.tile_cache or not in_zoom:
        # The version first, when it may spare the rendering: a 304, a stored tile, no tile.
        version = layer_versions([layer])[layer.id]
        headers["ETag"] = _etag(q, version)
        if if_none_match == headers["ETag"]:
            return done(304, b"")
        if not in_zoom:
            return done(204, b"")
    version, data = cache.tile_get(q, version)
    headers["ETag"] = _etag(q, version)  # of the data drawn, should a write have come between
    if not data:
        return done(204, b"")
    headers["Content-Type"] = MVT
    if gzip_ok:
        headers["Content-Encoding"] = "gzip"
    else:
        data = gzip.decompress(data)
    return done(200, data)


@require_GET
def tile(request: HttpRequest, layer_id: str, z: int, x: int, y: int) -> HttpResponse:
    """One vector tile (public tiles usually come through `tiles.fast` instead)."""
    tile_check(z, x, y)
    layer = layer_for(request, layer_id)
    q = TileQuery(layer, z, x, y, filters_from(request, layer), scope_for(request, layer))
    status, headers, data = tile_answer(
        q,
        if_none_match=request.headers.get("If-None-Match"),
        gzip_ok="gzip" in request.headers.get("Accept-Encoding", ""),
        asked_version=request.GET.get("v"),
    )
    response = HttpResponse(data, status=status, headers=headers)
    if not data:
        del response["Content-Type"]  # 204 and 304 carry no body to type
    return response


@require_GET
def tilejson(request: HttpRequest, layer_id: str) -> JsonResponse:
    """TileJSON 3.0 for a layer, its tile URL carrying the filters given."""
    if registry.get(layer_id) is None:  # a raster layer's name (rows, not the registry)
        return JsonResponse(raster_tilejson(request, layer_id), json_dumps_params=READABLE)
    layer = layer_for(request, layer_id)
    filters = filters_from(request, layer)
    return JsonResponse(
        tilejson_body(request, layer, filters, scope_for(request, layer)),
        json_dumps_params=READABLE,
    )


@require_GET
def style(request: HttpRequest) -> JsonResponse:
    """A complete MapLibre style of every layer the user may see."""
    return JsonResponse(style_body(request), json_dumps_params=READABLE)


@require_GET
def legend(request: HttpRequest, layer_id: str) -> JsonResponse:
    """A layer's legend; for choropleths the classes of the chosen indicator and method."""
    if registry.get(layer_id) is None:  # a raster layer's name (rows, not the registry)
        return JsonResponse(raster_legend(request, layer_id), json_dumps_params=READABLE)
    layer = layer_for(request, layer_id)
    filters = filters_from(request, layer, extra=LEGEND_PARAMS)
    return JsonResponse(
        legend_body(request, layer, filters, scope_for(request, layer)),
        json_dumps_params=READABLE,
    )
