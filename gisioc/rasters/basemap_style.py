"""The active basemap in style.json: its source and muted style layers, under everything else.

OpenMapTiles and Protomaps archives get land, landcover, water, waterways, roads by class,
railways, buildings, boundaries, and place, road and river names in our glyphs (`name:vi`,
else `name`); a raster archive one raster layer. Every layer's id starts `basemap-` and its
metadata says `gisioc:basemap`. With no archive, `GISIOC_BASEMAP_STYLE_URL` (if set) goes in
the style's metadata for the app to draw; with neither, the style is left as it was.
"""

import contextlib
import html
import io
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gisioc.rasters.basemap import basemap_active, basemap_reader
from gisioc.rasters.basemap_tiles import tile_url_template
from gisioc.rasters.models import Basemap
from layers.registry import registry

SOURCE = "basemap"
META = {"gisioc:basemap": True}
FONT = ["Noto Sans Regular"]
FONT_ITALIC = ["Noto Sans Italic"]
NAME = ["coalesce", ["get", "name:vi"], ["get", "name"]]
LAND, WATER, WATERWAY = "#eeebe3", "#bfd8e4", "#a6c6d6"
BUILDING, BOUNDARY, RAIL, CASING = "#e0d9cf", "#a79cb8", "#b3ada4", "#c8bdab"
LABEL, ROAD_LABEL, WATER_LABEL = "#51575c", "#6d675f", "#4f7d98"
BASE_FILL_OPACITY = 0.15  # the communes' cream fill, when a basemap lies under it
OSM = "© OpenStreetMap contributors"
# Road class → colour, widths at z 6, 10, 14, 18, and drawing rank (higher on top).
ROADS: dict[str, tuple[str, tuple[float, float, float, float], int]] = {
    "motorway": ("#efc890", (0.5, 1.6, 5.0, 20.0), 6),
    "trunk": ("#f3d3a1", (0.4, 1.4, 4.5, 18.0), 5),
    "primary": ("#f7e3ba", (0.0, 1.0, 3.6, 16.0), 4),
    "secondary": ("#ffffff", (0.0, 0.8, 3.2, 15.0), 3),
    "minor": ("#ffffff", (0.0, 0.4, 2.4, 12.0), 2),
}
# The schemas' vocabularies mapped onto one: road classes, landcover colours, place sizes.
OMT_ROAD = [
    "match",
    ["get", "class"],
    ["motorway"],
    "motorway",
    ["trunk"],
    "trunk",
    ["primary"],
    "primary",
    ["secondary", "tertiary"],
    "secondary",
    ["minor", "service", "track", "busway", "raceway"],
    "minor",
    ["path", "pedestrian", "bridleway", "footway", "cycleway"],
    "path",
    ["rail", "transit"],
    "rail",
    "other",
]
PM_ROAD = [
    "match",
    ["get", "kind"],
    ["highway"],
    ["match", ["get", "kind_detail"], ["trunk"], "trunk", "motorway"],
    ["major_road"],
    ["match", ["get", "kind_detail"], ["trunk"], "trunk", ["primary"], "primary", "secondary"],
    ["minor_road", "other"],
    "minor",
    ["path"],
    "path",
    ["rail"],
    "rail",
    "other",
]
GREEN = {
    "wood": "#dde7d1",
    "forest": "#dde7d1",
    "grass": "#e6eddb",
    "grassland": "#e6eddb",
    "park": "#e1ebd6",
    "scrub": "#e4ead8",
    "farmland": "#eef0df",
    "wetland": "#e0ebe6",
    "residential": "#ece8e2",
    "urban_area": "#ece8e2",
    "suburb": "#ece8e2",
    "industrial": "#ebe5e4",
    "commercial": "#ebe5e4",
    "sand": "#f2ecd9",
    "beach": "#f2ecd9",
    "barren": "#efebe2",
    "cemetery": "#e2e8dc",
    "hospital": "#efe3e3",
    "school": "#efeadd",
    "university": "#efeadd",
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "openmaptiles": {
        "earth": None,
        "water": "water",
        "waterway": ("waterway", None),
        "green": [("landcover", "class"), ("landuse", "class"), ("park", "class")],
        "roads": "transportation",
        "road_class": OMT_ROAD,
        "road_names": "transportation_name",
        "buildings": "building",
        "boundaries": ("boundary", ["<=", ["to-number", ["get", "admin_level"], 99], 4]),
        "places": "place",
        "place_size": ["get", "class"],
    },
    "protomaps": {
        "earth": "earth",
        "water": "water",
        "waterway": ("water", None),  # its lines (the LINE filter), not its areas
        "green": [("landcover", "kind"), ("landuse", "kind")],
        "roads": "roads",
        "road_class": PM_ROAD,
        "road_names": "roads",
        "buildings": "buildings",
        "boundaries": (
            "boundaries",
            ["match", ["get", "kind"], ["country", "region"], True, False],
        ),
        "places": "places",
        "place_size": ["coalesce", ["get", "kind_detail"], ["get", "kind"]],
    },
}
# Multi* too: some MapLibre versions' `geometry-type` names them, others fold them into one.
POLYGON = ["match", ["geometry-type"], ["Polygon", "MultiPolygon"], True, False]
LINE = ["match", ["geometry-type"], ["LineString", "MultiLineString"], True, False]
POINT = ["match", ["geometry-type"], ["Point", "MultiPoint"], True, False]
_tile_sizes: dict[str, int] = {}


def _layer(ident: str, kind: str, source_layer: str | None, **spec: Any) -> dict[str, Any]:
    layer = {"id": f"basemap-{ident}", "type": kind, "source": SOURCE, "metadata": META, **spec}
    if source_layer:
        layer["source-layer"] = source_layer
    return layer


def _by_zoom(values: dict[str, tuple[float, ...]], road: list, index: int) -> list:
    return ["match", road, *[x for cls, v in values.items() for x in (cls, v[index])], 0]


def _road_layers(s: dict[str, Any]) -> list[dict[str, Any]]:
    road, layer = s["road_class"], s["roads"]
    widths = {cls: spec[1] for cls, spec in ROADS.items()}
    width = ["interpolate", ["exponential", 1.5], ["zoom"]]
    for n, z in enumerate((6, 10, 14, 18)):
        width += [z, _by_zoom(widths, road, n)]
    casing = ["interpolate", ["exponential", 1.5], ["zoom"]]
    for n, z in enumerate((6, 10, 14, 18)):
        casing += [z, ["+", _by_zoom(widths, road, n), 2.0 if z >= 14 else 1.0]]
    drawn = ["all", LINE, ["match", road, list(ROADS), True, False]]
    rank = ["match", road, *[x for cls, v in ROADS.items() for x in (cls, v[2])], 0]
    colour = ["match", road, *[x for cls, v in ROADS.items() for x in (cls, v[0])], "#ffffff"]
    round_ = {"line-join": "round", "line-cap": "round", "line-sort-key": rank}
    return [
        _layer(
            "road-casing",
            "line",
            layer,
            minzoom=11,
            filter=drawn,
            layout=round_,
            paint={"line-color": CASING, "line-width": casing},
        ),
        _layer(
            "road-path",
            "line",
            layer,
            minzoom=13,
            filter=["all", LINE, ["==", road, "path"]],
            paint={
                "line-color": "#cbbfae",
                "line-width": ["interpolate", ["linear"], ["zoom"], 13, 0.6, 18, 2.2],
                "line-dasharray": [2, 1.5],
            },
        ),
        _layer(
            "road",
            "line",
            layer,
            minzoom=6,
            filter=drawn,
            layout=round_,
            paint={"line-color": colour, "line-width": width},
        ),
        _layer(
            "railway",
            "line",
            layer,
            minzoom=9,
            filter=["all", LINE, ["==", road, "rail"]],
            paint={
                "line-color": RAIL,
                "line-width": ["interpolate", ["linear"], ["zoom"], 9, 0.6, 14, 1.6, 18, 3],
                "line-dasharray": [3, 2],
            },
        ),
    ]


def _area_layers(s: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    if s["earth"]:
        out.append(_layer("earth", "fill", s["earth"], paint={"fill-color": LAND}))
    for source_layer, key in s["green"]:
        match = ["match", ["get", key], *[x for k, v in GREEN.items() for x in (k, v)], LAND]
        out.append(
            _layer(
                source_layer,
                "fill",
                source_layer,
                filter=POLYGON,
                paint={"fill-color": match, "fill-opacity": 0.8},
            )
        )
    out.append(_layer("water", "fill", s["water"], filter=POLYGON, paint={"fill-color": WATER}))
    waterway, only = s["waterway"]
    out.append(
        _layer(
            "waterway",
            "line",
            waterway,
            filter=["all", LINE, *([only] if only else [])],
            paint={
                "line-color": WATERWAY,
                "line-width": [
                    "interpolate",
                    ["exponential", 1.4],
                    ["zoom"],
                    8,
                    0.6,
                    14,
                    2.5,
                    18,
                    8,
                ],
            },
        )
    )
    return out


def _label_layers(s: dict[str, Any]) -> list[dict[str, Any]]:
    size = s["place_size"]
    halo = {"text-halo-color": "#ffffff", "text-halo-width": 1.4}
    waterway, only = s["waterway"]
    return [
        _layer(
            "water-name",
            "symbol",
            waterway,
            minzoom=11,
            filter=["all", LINE, ["has", "name"], *([only] if only else [])],
            layout={
                "symbol-placement": "line",
                "text-field": NAME,
                "text-font": FONT_ITALIC,
                "text-size": 12,
            },
            paint={"text-color": WATER_LABEL, **halo},
        ),
        _layer(
            "road-name",
            "symbol",
            s["road_names"],
            minzoom=12,
            filter=["all", LINE, ["has", "name"]],
            layout={
                "symbol-placement": "line",
                "text-field": NAME,
                "text-font": FONT,
                "text-size": ["interpolate", ["linear"], ["zoom"], 12, 10, 16, 12.5],
            },
            paint={"text-color": ROAD_LABEL, **halo},
        ),
        _layer(
            "place",
            "symbol",
            s["places"],
            filter=["all", POINT, ["has", "name"]],
            layout={
                "text-field": NAME,
                "text-font": FONT,
                "text-size": ["match", size, "city", 15, "town", 13.5, "village", 12, 11],
                "text-max-width": 8,
                "symbol-sort-key": ["match", size, "city", 1, "town", 2, "village", 3, 4],
            },
            paint={"text-color": LABEL, **halo},
        ),
    ]


def vector_layers(schema: str) -> list[dict[str, Any]]:
    """The style layers of an OpenMapTiles or Protomaps archive, bottom first."""
    s = SCHEMAS[schema]
    boundary, boundary_filter = s["boundaries"]
    return [
        *_area_layers(s),
        _layer(
            "building",
            "fill",
            s["buildings"],
            minzoom=13,
            filter=POLYGON,
            paint={"fill-color": BUILDING, "fill-outline-color": "#d3ccc1"},
        ),
        *_road_layers(s),
        _layer(
            "boundary",
            "line",
            boundary,
            filter=["all", LINE, boundary_filter],
            paint={"line-color": BOUNDARY, "line-width": 1, "line-dasharray": [4, 2]},
        ),
        *_label_layers(s),
    ]


def _tile_size(basemap: Basemap) -> int:
    """256 or 512: the pixel size of a raster archive's tiles, read from one of them."""
    if basemap.version not in _tile_sizes:
        from PIL import Image

        size = 256
        sample = basemap_reader(basemap).first_tile()
        with contextlib.suppress(OSError):  # not an image Pillow reads: the usual size
            size = 512 if sample and Image.open(io.BytesIO(sample)).width >= 512 else 256
        _tile_sizes[basemap.version] = size
    return _tile_sizes[basemap.version]


def _source(request: HttpRequest, basemap: Basemap) -> dict[str, Any]:
    vector = basemap.tile_type == "mvt"
    attribution = basemap.attribution or (OSM if vector else basemap.title)
    source = {
        "type": "vector" if vector else "raster",
        "tiles": [tile_url_template(request, basemap)],
        "minzoom": basemap.minzoom,
        "maxzoom": basemap.maxzoom,
        "attribution": html.escape(attribution),
    }
    if len(basemap.bounds) == 4:
        source["bounds"] = basemap.bounds
    if not vector:
        source["tileSize"] = _tile_size(basemap)
    return source


def _translucent_base(layers: list[dict[str, Any]]) -> None:
    """The communes' fill thinned so the basemap shows through it."""
    base = {layer.id for layer in registry if layer.purpose == "base"}
    for entry in layers:
        if entry["type"] == "fill" and entry.get("metadata", {}).get("gisioc:layer") in base:
            entry["paint"] = {**entry.get("paint", {}), "fill-opacity": BASE_FILL_OPACITY}


def basemap_into(request: HttpRequest, body: dict[str, Any]) -> None:
    """Add the active basemap to a style (its source, layers right after the background, its
    metadata), or the configured style URL to its metadata; leave it alone when neither."""
    basemap = basemap_active()
    url = settings.CONFIG.basemap_style_url
    if basemap is None and not url:
        return
    layers = body["layers"]
    _translucent_base(layers)
    if basemap is None:
        body["metadata"]["gisioc:basemap"] = {"style_url": url}
        return
    body["sources"][SOURCE] = _source(request, basemap)
    at = next((n + 1 for n, e in enumerate(layers) if e["type"] == "background"), 0)
    if basemap.tile_type == "mvt":
        layers[at:at] = vector_layers(basemap.schema)
        for entry in layers[:at]:
            if entry["type"] == "background":
                entry["paint"] = {**entry.get("paint", {}), "background-color": LAND}
    else:
        paint = {"raster-saturation": -0.25, "raster-contrast": -0.05}
        layers[at:at] = [_layer("raster", "raster", None, paint=paint)]
    body["metadata"]["gisioc:basemap"] = {
        "name": basemap.name,
        "title": basemap.title,
        "schema": basemap.schema,
        "version": basemap.version,
    }
