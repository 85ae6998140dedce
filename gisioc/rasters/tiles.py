"""Raster tiles: /tiles/{name}/{z}/{x}/{y}.png|.webp, drawn from the raster's COG with rio-tiler.

Each request opens its own reader (rasterio datasets are not shared between threads); GDAL's
block cache is process-wide. A tile outside the raster's footprint is a 204 without opening
the file; a drawn tile is kept on disk under the raster's version, as vector tiles are under
their data version, and its ETag names the same things, so a new file or new colours are never
served stale. `?relief=1` on an elevation raster draws its hillshade instead."""

import hashlib
import io
import json
import math
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from morecantile import Tile
from PIL import Image
from rasterio.features import geometry_mask
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader
from rio_tiler.models import ImageData

from gisioc.errors import InvalidInput
from gisioc.rasters import paint, relief, selectors
from gisioc.rasters.files import raster_path
from gisioc.rasters.models import Raster
from tiles.sql import MAX_ZOOM

TILESIZE = 256
FORMATS = {"png": "image/png", "webp": "image/webp"}
# Counts and classes keep their cells' values; measured surfaces are smoothed.
NEAREST = frozenset({Raster.Kind.POPULATION, Raster.Kind.HAZARD_CLASS})
# GDAL's settings while a tile or a point is read: no directory listing next to the COG
# (a folder of many files would be listed on every open), a block cache shared by threads.
GDAL_ENV = {"GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR", "GDAL_CACHEMAX": 128, "VSI_CACHE": True}
PARAMS = frozenset({"relief", "v"})


def raster_for(request: HttpRequest, name: str) -> Raster:
    """The raster layer `name` the user may see, or NotFound / Forbidden (the selector's rule)."""
    return selectors.raster_for(user=request.user, name=name)


@dataclass(frozen=True)
class RasterTile:
    """One tile of a raster as asked: where, which format, colours or relief."""

    z: int
    x: int
    y: int
    fmt: str = "png"
    relief: bool = False
    scope: selectors.Scope | None = None  # a commune officer's communes, for staff rasters


def tile_check(z: int, x: int, y: int) -> None:
    """InvalidInput unless z/x/y names a tile."""
    if not 0 <= z <= MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise InvalidInput(
            f"Ô bản đồ {z}/{x}/{y} không tồn tại (0 ≤ z ≤ {MAX_ZOOM}, 0 ≤ x, y < 2^z).",
            f"Tile {z}/{x}/{y} does not exist (0 ≤ z ≤ {MAX_ZOOM}, 0 ≤ x, y < 2^z).",
        )


def tile_lonlat_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """West, south, east, north of a Web Mercator tile in degrees."""
    n = 2**z

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)


def outside(raster: Raster, t: RasterTile) -> bool:
    """Whether the tile misses the raster's footprint's extent (nothing to read)."""
    west, south, east, north = tile_lonlat_bounds(t.z, t.x, t.y)
    xmin, ymin, xmax, ymax = raster.footprint.extent
    if west >= xmax or east <= xmin or south >= ymax or north <= ymin:
        return True
    if t.scope is None:
        return False
    box = Polygon.from_bbox((west, south, east, north))
    return t.scope.area is None or not t.scope.area.intersects(box)


def _scope_mask(t: RasterTile) -> np.ndarray:
    """True where the tile's pixels lie in the scope's communes."""
    xmin, ymin, xmax, ymax = mercantile_bounds(t)
    outline = t.scope.area.transform(3857, clone=True)
    transform = rasterio.transform.from_bounds(xmin, ymin, xmax, ymax, TILESIZE, TILESIZE)
    return geometry_mask(
        [json.loads(outline.json)], out_shape=(TILESIZE, TILESIZE), transform=transform, invert=True
    )


def mercantile_bounds(t: RasterTile) -> tuple[float, float, float, float]:
    """The tile's bounds in Web Mercator metres."""
    size = 2 * math.pi * 6378137 / 2**t.z
    west, north = -math.pi * 6378137 + t.x * size, math.pi * 6378137 - t.y * size
    return west, north - size, west + size, north


def tile_key(raster: Raster, t: RasterTile) -> str:
    """A digest of everything that decides the tile's bytes; also its ETag."""
    units = t.scope.units if t.scope else None
    parts = (raster.name, raster.version, t.z, t.x, t.y, t.fmt, t.relief, units)
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:24]


def _encode(rgba: np.ndarray, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(rgba, "RGBA")
    if fmt == "webp":
        image.save(buffer, "WEBP", lossless=True, quality=20, method=1)
    else:
        image.save(buffer, "PNG", compress_level=3)
    return buffer.getvalue()


def _read(raster: Raster, t: RasterTile) -> ImageData | None:
    method = "nearest" if raster.kind in NEAREST else "bilinear"
    imagery = raster.kind == Raster.Kind.IMAGERY and raster.bands >= 3
    with rasterio.Env(**GDAL_ENV), Reader(str(raster_path(raster))) as src:
        # Reader.tile less its own bounds check (`outside` has made it, from the footprint):
        # in a VN-2000 zone each reprojection costs PROJ a ~30 ms search for the datum shift.
        try:
            return src.part(
                src.tms.xy_bounds(Tile(x=t.x, y=t.y, z=t.z)),
                dst_crs=src.tms.rasterio_crs,
                bounds_crs=src.tms.rasterio_crs,
                height=TILESIZE,
                width=TILESIZE,
                max_size=None,
                indexes=(1, 2, 3) if imagery else 1,
                buffer=1 if t.relief else None,
                resampling_method=method,
                reproject_method=method,
            )
        except TileOutsideBounds:
            return None


def tile_render(raster: Raster, t: RasterTile) -> bytes:
    """The tile's image; empty bytes when nothing of it would show."""
    image = _read(raster, t)
    if image is None:
        return b""
    valid = np.asarray(image.mask) > 0
    if t.scope is not None:  # a commune officer sees a staff raster in their communes only
        valid &= _scope_mask(t)
    if not valid.any():
        return b""
    data = np.asarray(image.data)
    if t.relief:
        rgba = relief.hillshade(
            data[0],
            valid,
            cell=relief.pixel_metres(t.z, t.y),
            z_factor=relief.exaggeration(t.z),
        )
    elif raster.kind == Raster.Kind.IMAGERY or not raster.colormap.get("stops"):
        stats = raster.stats or {}
        rgba = paint.stretch(
            data, valid, float(stats.get("min") or 0), float(stats.get("max") or 255)
        )
    else:
        rgba = paint.colorize(data[0], valid, raster.colormap)
    if not rgba[..., 3].any():
        return b""
    return _encode(rgba, t.fmt)


def _path(raster: Raster, t: RasterTile) -> Path:
    root = settings.CONFIG.var_dir / "cache" / "tiles" / raster.name
    return root / raster.version / str(t.z) / f"{tile_key(raster, t)}.{t.fmt}"


def tile_get(raster: Raster, t: RasterTile) -> bytes:
    """The tile's bytes, from the disk cache or drawn and stored (an empty tile too)."""
    if not settings.CONFIG.tile_cache:
        return tile_render(raster, t)
    path = _path(raster, t)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = tile_render(raster, t)
    _store(path, data)
    return data


def _store(path: Path, data: bytes) -> None:
    created = not path.parent.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)  # atomic: a reader sees the whole tile or none
    if created:  # first tile of a new version: the older versions' tiles are never read again
        for old in path.parent.parent.parent.iterdir():
            if old != path.parent.parent:
                shutil.rmtree(old, ignore_errors=True)


def tile_answer(
    raster: Raster, t: RasterTile, *, if_none_match: str | None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body: 304 on the ETag, 204 outside the footprint or when empty."""
    headers = {
        "Cache-Control": f"{'public' if raster.public else 'private'}, no-cache",
        "ETag": f'"{tile_key(raster, t)}"',
    }
    if not raster.public:
        headers["Vary"] = "Cookie"
    if if_none_match and headers["ETag"] in {tag.strip() for tag in if_none_match.split(",")}:
        return 304, headers, b""
    if outside(raster, t):
        return 204, headers, b""
    data = tile_get(raster, t)
    if not data:
        return 204, headers, b""
    headers["Content-Type"] = FORMATS[t.fmt]
    return 200, headers, data


def _relief_param(request: HttpRequest, raster: Raster) -> bool:
    unknown = set(request.GET) - PARAMS
    if unknown:
        raise InvalidInput(
            f"Tham số không hợp lệ: {', '.join(sorted(unknown))} (nhận: relief).",
            f"Unknown parameter(s): {', '.join(sorted(unknown))} (accepted: relief).",
        )
    value = request.GET.get("relief", "")
    if value not in ("", "0", "1"):
        raise InvalidInput("relief phải là 0 hoặc 1.", "relief must be 0 or 1.", field="relief")
    if value == "1" and raster.kind != Raster.Kind.ELEVATION:
        raise InvalidInput(
            f"Lớp {raster.name} không phải độ cao: không có địa hình bóng đổ.",
            f"Layer {raster.name} is not an elevation: it has no relief.",
            field="relief",
        )
    return value == "1"


@require_GET
def tile_view(
    request: HttpRequest, raster: str, z: int, x: int, y: int, fmt: str = "png"
) -> HttpResponse:
    """One raster tile as PNG or WebP."""
    tile_check(z, x, y)
    row = raster_for(request, raster)
    scope = selectors.raster_scope(user=request.user, raster=row)
    t = RasterTile(z, x, y, fmt, _relief_param(request, row), scope)
    status, headers, data = tile_answer(row, t, if_none_match=request.headers.get("If-None-Match"))
    response = HttpResponse(data, status=status, headers=headers)
    if not data:
        del response["Content-Type"]  # 204 and 304 carry no body to type
    return response
