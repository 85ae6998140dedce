"""Checking basemap archives (PMTiles v3, MBTiles) before they are copied: magic bytes,
header, tile type and compression, zoom range, bounds, a sample tile, and the schema of
vector tiles (OpenMapTiles or Protomaps, from `vector_layers` ids or a tile's layers)."""

import gzip
import html
import json
import re
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pmtiles.tile import Compression, TileType

from gisioc.errors import InvalidInput
from gisioc.rasters.basemap_readers import HEADER_LENGTH, PMTilesFile, sqlite_open

PMTILES_MAGIC = b"PMTiles"
SQLITE_MAGIC = b"SQLite format 3\x00"
GZIP_MAGIC = b"\x1f\x8b"
MAX_ZOOM = 24
# Layer ids each schema's tiles carry (a few are enough to tell the two apart).
OPENMAPTILES_LAYERS = frozenset(
    [
        "water",
        "waterway",
        "transportation",
        "transportation_name",
        "place",
        "landcover",
        "landuse",
        "boundary",
        "building",
        "park",
        "water_name",
        "aeroway",
        "poi",
        "housenumber",
        "mountain_peak",
    ]
)
PROTOMAPS_LAYERS = frozenset(
    [
        "earth",
        "water",
        "roads",
        "places",
        "landuse",
        "landcover",
        "boundaries",
        "buildings",
        "pois",
        "natural",
        "transit",
        "physical_line",
        "physical_point",
    ]
)
PM_TILE_TYPES = {
    TileType.MVT: "mvt",
    TileType.PNG: "png",
    TileType.JPEG: "jpg",
    TileType.WEBP: "webp",
}
MB_FORMATS = {"pbf": "mvt", "mvt": "mvt", "png": "png", "jpg": "jpg", "jpeg": "jpg", "webp": "webp"}
TILE_MAGIC = {
    "png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "jpg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}


@dataclass
class ArchiveInfo:
    """What an archive holds, as `basemap_add` stores it."""

    format: str  # pmtiles | mbtiles
    tile_type: str  # mvt | png | jpg | webp
    compression: str  # gzip | none (of the tiles as stored)
    minzoom: int
    maxzoom: int
    bounds: list[float]
    schema: str  # openmaptiles | protomaps | raster
    attribution: str = ""
    layers: list[str] = field(default_factory=list)
    center: list[float] = field(default_factory=list)


def _refuse(vi: str, en: str) -> InvalidInput:
    return InvalidInput(vi, en, field="file")


def _not_archive(path: Path) -> InvalidInput:
    return _refuse(
        f"'{path.name}' không phải tệp PMTiles hay MBTiles.",
        f"'{path.name}' is not a PMTiles or MBTiles file.",
    )


def _corrupt(path: Path, vi: str, en: str) -> InvalidInput:
    return _refuse(f"Tệp '{path.name}' bị hỏng: {vi}.", f"The file '{path.name}' is corrupt: {en}.")


def plain_text(value: Any, limit: int = 500) -> str:
    """Attribution as plain text (archives often carry HTML links; the map escapes it)."""
    text = html.unescape(re.sub(r"<[^>]*>", "", str(value or "")))
    return " ".join(text.split())[:limit]


def _check_zoom_bounds(path: Path, minzoom: int, maxzoom: int, bounds: list[float]) -> None:
    if not 0 <= minzoom <= maxzoom <= MAX_ZOOM:
        raise _corrupt(
            path,
            f"mức thu phóng {minzoom}–{maxzoom} không hợp lệ (0 ≤ min ≤ max ≤ {MAX_ZOOM})",
            f"zoom range {minzoom}–{maxzoom} is invalid (0 ≤ min ≤ max ≤ {MAX_ZOOM})",
        )
    w, s, e, n = bounds
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise _corrupt(
            path, f"phạm vi {bounds} không hợp lệ", f"bounds {bounds} are not a lon/lat box"
        )


def _layer_names(tile: bytes) -> list[str]:
    """The layer names of an MVT (gzip or not), from its protobuf without decoding features."""
    import mapbox_vector_tile

    data = gzip.decompress(tile) if tile[:2] == GZIP_MAGIC else tile
    return sorted(mapbox_vector_tile.decode(data).keys())


def _schema(path: Path, tile_type: str, layers: list[str], sample: bytes) -> tuple[str, list[str]]:
    """openmaptiles, protomaps or raster; from metadata `vector_layers` ids, else a tile's."""
    if tile_type != "mvt":
        return "raster", []
    if not layers:
        try:
            layers = _layer_names(sample)
        except Exception as exc:
            raise _corrupt(
                path, "ô mẫu không phải vector tile", "the sample tile is not a vector tile"
            ) from exc
    found = set(layers)
    omt, pm = len(found & OPENMAPTILES_LAYERS), len(found & PROTOMAPS_LAYERS)
    if "transportation" in found or (omt >= 2 and omt > pm):
        return "openmaptiles", layers
    if "roads" in found or "earth" in found or pm >= 2:
        return "protomaps", layers
    raise _refuse(
        f"'{path.name}' không theo lược đồ OpenMapTiles hay Protomaps (các lớp: "
        f"{', '.join(layers) or 'không có'}); chưa có kiểu hiển thị cho nó.",
        f"'{path.name}' follows neither the OpenMapTiles nor the Protomaps schema (layers: "
        f"{', '.join(layers) or 'none'}); there is no style for it.",
    )


def _check_sample(path: Path, tile_type: str, sample: bytes | None) -> None:
    if not sample:
        raise _refuse(f"'{path.name}' không chứa ô bản đồ nào.", f"'{path.name}' holds no tiles.")
    check = TILE_MAGIC.get(tile_type)
    if check and not check(sample):
        raise _corrupt(
            path, f"ô mẫu không phải ảnh {tile_type}", f"the sample tile is not a {tile_type} image"
        )
    if tile_type == "mvt" and sample[:2] == GZIP_MAGIC:
        try:
            gzip.decompress(sample)
        except (OSError, EOFError, zlib.error) as exc:
            raise _corrupt(path, "ô mẫu nén gzip hỏng", "the sample tile's gzip is broken") from exc


def _vector_layer_ids(meta: dict[str, Any]) -> list[str]:
    layers = meta.get("vector_layers") or []
    return [str(v.get("id")) for v in layers if isinstance(v, dict) and v.get("id")]


# PMTiles ---------------------------------------------------------------------------------


def _pmtiles_inspect(path: Path) -> ArchiveInfo:
    with open(path, "rb") as f:
        head = f.read(HEADER_LENGTH)
    if len(head) < HEADER_LENGTH:
        raise _corrupt(path, "phần đầu PMTiles bị cắt", "the PMTiles header is cut short")
    if head[7] != 3:
        raise _refuse(
            f"'{path.name}' là PMTiles phiên bản {head[7]}; chỉ nhận phiên bản 3 "
            "(chuyển đổi bằng `pmtiles convert`).",
            f"'{path.name}' is PMTiles version {head[7]}; only version 3 is accepted "
            "(convert it with `pmtiles convert`).",
        )
    try:
        archive = PMTilesFile(path)
    except Exception as exc:
        raise _corrupt(path, "không đọc được phần đầu", "its header cannot be read") from exc
    try:
        return _pmtiles_info(path, archive)
    finally:
        archive.close()


def _pmtiles_info(path: Path, archive: PMTilesFile) -> ArchiveInfo:
    h = archive.header
    for part in ("root", "metadata", "leaf_directory", "tile_data"):
        if h[f"{part}_offset"] + h[f"{part}_length"] > archive.size:
            raise _corrupt(
                path, f"phần {part} vượt quá cuối tệp", f"its {part} section runs past the end"
            )
    tile_type = PM_TILE_TYPES.get(h["tile_type"])
    if tile_type is None:
        raise _refuse(
            f"'{path.name}' chứa ô loại {h['tile_type'].name}; chỉ nhận MVT, PNG, JPEG, WebP.",
            f"'{path.name}' holds {h['tile_type'].name} tiles; "
            "only MVT, PNG, JPEG, WebP are served.",
        )
    compression = h["tile_compression"]
    if compression not in (Compression.GZIP, Compression.NONE) and tile_type == "mvt":
        raise _refuse(
            f"'{path.name}' nén ô bằng {compression.name}; chỉ nhận gzip hoặc không nén.",
            f"'{path.name}' compresses tiles with {compression.name}; only gzip or none is served.",
        )
    if h["internal_compression"] not in (Compression.GZIP,):
        raise _refuse(
            f"'{path.name}' nén thư mục bằng {h['internal_compression'].name}; chỉ nhận gzip.",
            f"'{path.name}' compresses its directories with "
            f"{h['internal_compression'].name}; only gzip is read.",
        )
    bounds = [h[k] / 1e7 for k in ("min_lon_e7", "min_lat_e7", "max_lon_e7", "max_lat_e7")]
    _check_zoom_bounds(path, h["min_zoom"], h["max_zoom"], bounds)
    try:
        meta = archive.metadata()
        sample = archive.first_tile()
    except Exception as exc:
        raise _corrupt(
            path, "thư mục hoặc siêu dữ liệu hỏng", "its directory or metadata is broken"
        ) from exc
    if not isinstance(meta, dict):
        raise _corrupt(
            path, "siêu dữ liệu không phải đối tượng JSON", "metadata is not a JSON object"
        )
    _check_sample(path, tile_type, sample)
    schema, layers = _schema(path, tile_type, _vector_layer_ids(meta), sample or b"")
    center = [h["center_lon_e7"] / 1e7, h["center_lat_e7"] / 1e7, h["center_zoom"]]
    return ArchiveInfo(
        format="pmtiles",
        tile_type=tile_type,
        compression="gzip" if compression == Compression.GZIP else "none",
        minzoom=h["min_zoom"],
        maxzoom=h["max_zoom"],
        bounds=bounds,
        schema=schema,
        attribution=plain_text(meta.get("attribution")),
        layers=layers,
        center=center,
    )


# MBTiles ---------------------------------------------------------------------------------


def _mbtiles_metadata(path: Path, db: sqlite3.Connection) -> dict[str, Any]:
    names = {
        row[0]
        for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    missing = {"tiles", "metadata"} - names
    if missing:
        raise _refuse(
            f"'{path.name}' là SQLite nhưng không phải MBTiles: thiếu bảng "
            f"{', '.join(sorted(missing))}.",
            f"'{path.name}' is SQLite but not MBTiles: no {', '.join(sorted(missing))} table.",
        )
    return {str(k): v for k, v in db.execute("SELECT name, value FROM metadata")}


def _mbtiles_inspect(path: Path) -> ArchiveInfo:
    try:
        db = sqlite_open(path)
        try:
            meta = _mbtiles_metadata(path, db)
            zooms = db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
            sample = db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise _corrupt(path, f"SQLite báo lỗi ({exc})", f"SQLite says: {exc}") from exc
    tile_type = MB_FORMATS.get(str(meta.get("format", "")).lower())
    if tile_type is None:
        raise _refuse(
            f"'{path.name}' có định dạng ô '{meta.get('format', '')}'; "
            "chỉ nhận pbf, png, jpg, webp.",
            f"'{path.name}' has tile format '{meta.get('format', '')}'; only pbf, png, jpg, "
            "webp are served.",
        )
    sample_bytes = bytes(sample[0]) if sample and sample[0] else None
    _check_sample(path, tile_type, sample_bytes)
    try:
        minzoom = int(meta.get("minzoom", zooms[0]))
        maxzoom = int(meta.get("maxzoom", zooms[1]))
        bounds = [float(v) for v in str(meta.get("bounds", "-180,-85.0511,180,85.0511")).split(",")]
        extra = json.loads(meta["json"]) if meta.get("json") else {}
    except (ValueError, TypeError) as exc:
        raise _corrupt(path, "siêu dữ liệu không đọc được", "its metadata cannot be read") from exc
    if len(bounds) != 4:
        raise _corrupt(path, "phạm vi không đủ 4 số", "bounds are not 4 numbers")
    _check_zoom_bounds(path, minzoom, maxzoom, bounds)
    layers = _vector_layer_ids(extra if isinstance(extra, dict) else {})
    schema, layers = _schema(path, tile_type, layers, sample_bytes or b"")
    compressed = tile_type == "mvt" and (sample_bytes or b"")[:2] == GZIP_MAGIC
    return ArchiveInfo(
        format="mbtiles",
        tile_type=tile_type,
        compression="gzip" if compressed else "none",
        minzoom=minzoom,
        maxzoom=maxzoom,
        bounds=bounds,
        schema=schema,
        attribution=plain_text(meta.get("attribution")),
        layers=layers,
    )


def archive_inspect(path: Path) -> ArchiveInfo:
    """What the archive at `path` holds; InvalidInput (vi/en) for anything else."""
    if not path.is_file():
        raise _refuse(f"Không có tệp '{path}'.", f"There is no file '{path}'.")
    with open(path, "rb") as f:
        magic = f.read(len(SQLITE_MAGIC))
    if magic.startswith(PMTILES_MAGIC):
        return _pmtiles_inspect(path)
    if magic.startswith(b"PM") and len(magic) > 2 and magic[2] in (1, 2):
        raise _refuse(
            f"'{path.name}' là PMTiles phiên bản cũ; chuyển sang v3 bằng `pmtiles convert`.",
            f"'{path.name}' is an old PMTiles version; convert it to v3 with `pmtiles convert`.",
        )
    if magic == SQLITE_MAGIC:
        return _mbtiles_inspect(path)
    raise _not_archive(path)
