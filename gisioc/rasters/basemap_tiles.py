"""GET /tiles/basemap/{z}/{x}/{y}.{ext}: the active basemap archive's tiles, read by range.

Public (the basemap is for everyone). An archive never changes under its version, so a tile
asked for with `?v=<version>` (as the style's URL carries) may be kept a day; the ETag is the
version and the tile. Gzipped vector tiles go out as stored, with Content-Encoding: gzip, to a
client that accepts gzip, decompressed to one that does not. No tile there: 204.
"""

import gzip
import logging

from django.http import HttpRequest, HttpResponse
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from gisioc.errors import NotFound
from gisioc.rasters.basemap import basemap_active, basemap_reader
from gisioc.rasters.models import Basemap

CONTENT_TYPES = {
    "mvt": "application/vnd.mapbox-vector-tile",
    "png": "image/png",
    "jpg": "image/jpeg",
    "webp": "image/webp",
}
EXTENSIONS = {"mvt": "mvt", "pbf": "mvt", "png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}
MAX_AGE = 86400
GZIP_MAGIC = b"\x1f\x8b"
log = logging.getLogger(__name__)


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in {tag.removeprefix("W/") for tag in tags}


def _headers(request: HttpRequest, basemap: Basemap, etag: str) -> dict[str, str]:
    fixed = request.GET.get("v") == basemap.version
    return {
        "ETag": etag,
        # The URL names the archive's version: what it answers never changes.
        "Cache-Control": f"public, max-age={MAX_AGE}" if fixed else "public, no-cache",
        "Vary": "Accept-Encoding",
    }


def basemap_tile_answer(
    basemap: Basemap, z: int, x: int, y: int, *, request: HttpRequest
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one basemap tile."""
    gzip_ok = "gzip" in request.headers.get("Accept-Encoding", "")
    vector = basemap.tile_type == "mvt"
    etag = f'"{basemap.version}-{z}-{x}-{y}{"-gz" if vector and gzip_ok else ""}"'
    headers = _headers(request, basemap, etag)
    if _matches(request.headers.get("If-None-Match"), etag):
        return 304, headers, b""
    if not basemap.minzoom <= z <= basemap.maxzoom:
        return 204, headers, b""
    try:
        data = basemap_reader(basemap).tile(z, x, y)
    except FileNotFoundError as exc:
        log.warning("basemap %s: its archive %s is missing", basemap.name, basemap.file)
        raise NotFound(
            f"Tệp của bản đồ nền '{basemap.name}' không còn trên đĩa; hãy thêm lại "
            "(gisioc basemap add).",
            f"The basemap '{basemap.name}' has lost its file; add it again (gisioc basemap add).",
        ) from exc
    if not data:
        return 204, headers, b""
    headers["Content-Type"] = CONTENT_TYPES[basemap.tile_type]
    if vector and data[:2] == GZIP_MAGIC:
        if gzip_ok:
            headers["Content-Encoding"] = "gzip"
        else:
            data = gzip.decompress(data)
    return 200, headers, data


@require_safe
def basemap_tile(request: HttpRequest, z: int, x: int, y: int, ext: str) -> HttpResponse:
    """One tile of the active basemap archive."""
    from tiles.views import tile_check  # tiles.views → style.json → this module's template

    tile_check(z, x, y)
    basemap = basemap_active()
    if basemap is None:
        raise NotFound(
            "Chưa có bản đồ nền nào được bật (gisioc basemap add).",
            "No basemap is active (gisioc basemap add).",
        )
    if EXTENSIONS.get(ext) != basemap.tile_type:
        raise NotFound(
            f"Bản đồ nền '{basemap.name}' có ô .{basemap.tile_type}, không có ô .{ext}.",
            f"The basemap '{basemap.name}' has .{basemap.tile_type} tiles, not .{ext}.",
        )
    status, headers, data = basemap_tile_answer(basemap, z, x, y, request=request)
    response = HttpResponse(data, status=status, headers=headers)
    if status != 200:
        del response["Content-Type"]
    return response


def tile_url_template(request: HttpRequest, basemap: Basemap) -> str:
    """The absolute tile URL template of a basemap, naming its version."""
    ext = basemap.tile_type
    base = request.build_absolute_uri("/tiles/basemap/")
    return f"{base}{{z}}/{{x}}/{{y}}.{ext}?v={basemap.version}"
