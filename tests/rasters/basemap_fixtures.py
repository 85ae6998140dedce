"""Small basemap archives made of our own features over Duy Xuyên (no third-party map data):
a river, a national road, a provincial road, a railway, streets, a wood, buildings and places
named in Vietnamese, as vector tiles in the OpenMapTiles or Protomaps schema (z 8–14), or
as PNG tiles; written as PMTiles (pmtiles' writer) or MBTiles (pmtiles' converter)."""

import gzip
import io
import math
from collections.abc import Iterator
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import shapely
from PIL import Image
from pmtiles.convert import pmtiles_to_mbtiles
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write
from shapely import box
from shapely.geometry import LineString, Point, Polygon

WIDE = (108.10, 15.74, 108.40, 15.92)  # z 8–11: the district
TIGHT = (108.18, 15.78, 108.30, 15.84)  # z 12–14: around Nam Phước
MINZOOM, MAXZOOM = 8, 14
R = 6378137.0

RIVER = LineString([(108.05, 15.835), (108.15, 15.845), (108.24, 15.826), (108.33, 15.875)])
ROAD_1A = LineString([(108.262, 15.70), (108.258, 15.80), (108.266, 15.95)])
ROAD_609 = LineString([(108.10, 15.805), (108.20, 15.808), (108.30, 15.812)])
RAILWAY = LineString([(108.252, 15.70), (108.249, 15.80), (108.256, 15.95)])
STREETS = [
    LineString([(108.235, 15.790 + i * 0.006), (108.285, 15.792 + i * 0.006)]) for i in range(5)
] + [LineString([(108.238 + i * 0.01, 15.785), (108.240 + i * 0.01, 15.835)]) for i in range(5)]
WOOD = Polygon([(108.12, 15.76), (108.19, 15.755), (108.20, 15.79), (108.13, 15.795)])
BUILDINGS = [box(108.241 + i * 0.004, 15.816, 108.2425 + i * 0.004, 15.8172) for i in range(8)]
PLACES = [
    ("Nam Phước", "town", (108.255, 15.815)),
    ("Duy Hòa", "village", (108.215, 15.800)),
    ("Duy Trung", "village", (108.205, 15.772)),
    ("Hội An", "city", (108.330, 15.880)),
]
RIVER_NAME = "Sông Thu Bồn"


def _merc(coords: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(coords[:, 0]), np.radians(coords[:, 1])
    return np.column_stack([lon * R, np.log(np.tan(np.pi / 4 + lat / 2)) * R])


def _tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    size = 2 * math.pi * R / 2**z
    west, north = -math.pi * R + x * size, math.pi * R - y * size
    return west, north - size, west + size, north


def tiles_over(bbox: tuple[float, float, float, float], z: int) -> Iterator[tuple[int, int]]:
    """The (x, y) of every tile at zoom z over a lon/lat box."""

    def xy(lon: float, lat: float) -> tuple[int, int]:
        n = 2**z
        lat_r = math.radians(lat)
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(lat_r)) / math.pi) / 2 * n)
        return x, y

    x0, y0 = xy(bbox[0], bbox[3])
    x1, y1 = xy(bbox[2], bbox[1])
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            yield x, y


def _features(schema: str) -> dict[str, list[tuple[object, dict]]]:
    """Layer name → (lon/lat geometry, properties) in the schema's vocabulary."""
    river_area = RIVER.buffer(0.004)
    names = lambda n: {"name": n, "name:vi": n}  # noqa: E731
    if schema == "openmaptiles":
        return {
            "landcover": [(WOOD, {"class": "wood"})],
            "water": [(river_area, {"class": "river"})],
            "waterway": [(RIVER, {"class": "river", **names(RIVER_NAME)})],
            "transportation": [
                (ROAD_1A, {"class": "trunk"}),
                (ROAD_609, {"class": "primary"}),
                (RAILWAY, {"class": "rail"}),
                *[(s, {"class": "minor"}) for s in STREETS],
            ],
            "transportation_name": [
                (ROAD_1A, {"class": "trunk", **names("Quốc lộ 1A")}),
                (ROAD_609, {"class": "primary", **names("ĐT609")}),
            ],
            "building": [(b, {}) for b in BUILDINGS],
            "place": [(Point(p), {"class": c, **names(n)}) for n, c, p in PLACES],
        }
    return {
        "earth": [(box(*WIDE).buffer(0.05), {"kind": "earth"})],
        "landcover": [(WOOD, {"kind": "forest"})],
        "water": [(river_area, {"kind": "river"}), (RIVER, {"kind": "river", **names(RIVER_NAME)})],
        "roads": [
            (ROAD_1A, {"kind": "highway", "kind_detail": "trunk", **names("Quốc lộ 1A")}),
            (ROAD_609, {"kind": "major_road", "kind_detail": "primary", **names("ĐT609")}),
            (RAILWAY, {"kind": "rail", "kind_detail": "rail"}),
            *[(s, {"kind": "minor_road", "kind_detail": "residential"}) for s in STREETS],
        ],
        "buildings": [(b, {"kind": "building"}) for b in BUILDINGS],
        "places": [
            (Point(p), {"kind": "locality", "kind_detail": c, **names(n)}) for n, c, p in PLACES
        ],
    }


def vector_tile(schema: str, z: int, x: int, y: int) -> bytes:
    """One MVT (not compressed) of the schema's features clipped to tile z/x/y."""
    west, south, east, _ = _tile_bounds(z, x, y)
    scale = 4096 / (east - west)

    def to_tile(coords: np.ndarray) -> np.ndarray:  # Web Mercator metres → tile units, y up
        m = _merc(coords)
        return np.column_stack([(m[:, 0] - west) * scale, (m[:, 1] - south) * scale])

    clip = box(-200, -200, 4296, 4296)
    layers = []
    for name, feats in _features(schema).items():
        if name.startswith("building") and z < 13:
            continue
        out = []
        for geom, props in feats:
            part = shapely.transform(geom, to_tile).intersection(clip)
            if not part.is_empty:
                out.append({"geometry": part, "properties": props})
        if out:
            layers.append({"name": name, "features": out})
    if not layers:
        return b""
    return mapbox_vector_tile.encode(layers)


def raster_tile(z: int, x: int, y: int) -> bytes:
    """A 256-pixel PNG: a pale land colour with a blue band (deterministic per tile)."""
    img = Image.new("RGB", (256, 256), (236 - z, 232, 220 + (x + y) % 8))
    for row in range(120, 136):
        for col in range(256):
            img.putpixel((col, row), (150, 190, 220))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _tile_ids(minzoom: int, maxzoom: int) -> list[tuple[int, int, int]]:
    out = []
    for z in range(minzoom, maxzoom + 1):
        out += [(z, x, y) for x, y in tiles_over(WIDE if z <= 11 else TIGHT, z)]
    return sorted(out, key=lambda t: zxy_to_tileid(*t))


def vector_layers(schema: str) -> list[dict]:
    """The metadata's `vector_layers` of a schema's archive."""
    return [{"id": name, "fields": {}} for name in _features(schema)]


def write_pmtiles(
    path: Path,
    *,
    schema: str = "openmaptiles",
    compress: bool = True,
    minzoom: int = MINZOOM,
    maxzoom: int = MAXZOOM,
    metadata_layers: bool = True,
) -> dict[tuple[int, int, int], bytes]:
    """Write an archive; return every tile as stored (z, x, y) → bytes."""
    raster = schema == "raster"
    stored: dict[tuple[int, int, int], bytes] = {}
    with write(path) as writer:
        for z, x, y in _tile_ids(minzoom, maxzoom):
            data = raster_tile(z, x, y) if raster else vector_tile(schema, z, x, y)
            if not data:
                continue
            if compress and not raster:
                data = gzip.compress(data, mtime=0)
            stored[(z, x, y)] = data
            writer.write_tile(zxy_to_tileid(z, x, y), data)
        w, s, e, n = WIDE
        header = {
            "tile_type": TileType.PNG if raster else TileType.MVT,
            "tile_compression": Compression.GZIP if compress and not raster else Compression.NONE,
            "min_lon_e7": int(w * 1e7),
            "min_lat_e7": int(s * 1e7),
            "max_lon_e7": int(e * 1e7),
            "max_lat_e7": int(n * 1e7),
            "center_zoom": 12,
            "center_lon_e7": int(108.255e7),
            "center_lat_e7": int(15.815e7),
        }
        metadata = {
            "name": f"Duy Xuyên test ({schema})",
            "attribution": "<a href='https://example.org'>gisioc test data</a> (synthetic)",
            "format": "png" if raster else "pbf",
        }
        if metadata_layers and not raster:
            metadata["vector_layers"] = vector_layers(schema)
        writer.finalize(header, metadata)
    return stored


def write_mbtiles(path: Path, **options: object) -> dict[tuple[int, int, int], bytes]:
    """Write an MBTiles archive (through a PMTiles one) and return its tiles as stored."""
    staging = path.with_suffix(".staging.pmtiles")
    stored = write_pmtiles(staging, **options)  # type: ignore[arg-type]
    pmtiles_to_mbtiles(str(staging), str(path))
    staging.unlink()
    return stored
