"""Views serving the style's offline assets: glyph PBFs and the icon sprite."""

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from gisioc.errors import InvalidInput, NotFound
from tiles.glyphs import RANGE_SIZE, glyph_range_pbf
from tiles.sprites import sprite

CACHE_CONTROL = "public, max-age=86400"
SPRITES: dict[str, tuple[int, int, str]] = {  # name -> (scale, part index, content type)
    "sprite.json": (1, 0, "application/json"),
    "sprite.png": (1, 1, "image/png"),
    "sprite@2x.json": (2, 0, "application/json"),
    "sprite@2x.png": (2, 1, "image/png"),
}


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(request: HttpRequest, etag: str) -> bool:
    """Weak If-None-Match comparison (GZipMiddleware weakens the ETags it passes on)."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in {tag.removeprefix("W/") for tag in tags}


def _cached_response(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    """The body with long-lived public caching, or 304 when the client's copy is current."""
    etag = _etag(body)
    response: HttpResponse
    if _matches(request, etag):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


@require_safe
def glyphs_view(request: HttpRequest, fontstack: str, start: int, end: int) -> HttpResponse:
    """GET /tiles/fonts/{fontstack}/{start}-{end}.pbf: one 256-codepoint SDF glyph range."""
    if end != start + RANGE_SIZE - 1:
        raise InvalidInput(
            f"Dải ký tự {start}-{end} không hợp lệ: phải gồm đúng 256 ký tự.",
            f"Invalid glyph range {start}-{end}: it must span exactly 256 codepoints.",
        )
    body = glyph_range_pbf(fontstack=fontstack, start=start)
    return _cached_response(request, body, "application/x-protobuf")


@require_safe
def sprite_view(request: HttpRequest, name: str) -> HttpResponse:
    """GET /tiles/sprites/{sprite,sprite@2x}.{json,png}: the icon sprite."""
    if name not in SPRITES:
        raise NotFound(f"Không có sprite '{name}'.", f"No sprite named '{name}'.")
    scale, part, content_type = SPRITES[name]
    return _cached_response(request, sprite(scale=scale)[part], content_type)
