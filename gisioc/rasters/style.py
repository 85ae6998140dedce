"""Raster layers in the map app: style.json's raster sources and layers, the layer panel's
entries, legends and TileJSON of raster names.

Raster rows are layers too (their `name` is the layer id), listed after the registry's in the
panel under their own group and drawn above the background and any basemap, under every
vector layer. An elevation raster gets a second style layer, its hillshade, drawn over its
colours; both carry the raster's name as `gisioc:layer`, so the panel shows, hides and fades
them together."""

import math
from typing import Any

from django.http import HttpRequest
from django.utils import translation

from gisioc.rasters.colormaps import colormap_legend
from gisioc.rasters.models import Raster
from gisioc.rasters.paint import colormap_colors
from gisioc.rasters.relief import EARTH
from gisioc.rasters.selectors import rasters_for
from gisioc.rasters.tiles import NEAREST, raster_for
from gisioc.texts import Text
from layers.registry import registry
from tiles.sql import MAX_ZOOM

SYSTEM = "rasters"  # the layer panel's group of raster layers
GROUP = Text("Lớp raster", "Raster layers")
GROUP_ORDER = 1  # right after the boundaries' group (0)
META_KEY = "gisioc:layer"


def raster_title(raster: Raster) -> Text:
    """The raster's title (a synthetic one says so)."""
    return Text(raster.title["vi"], raster.title["en"])


def raster_zooms(raster: Raster) -> tuple[int, int]:
    """Source min and max zoom: the max one past the zoom whose pixels match the cells."""
    xmin, ymin, xmax, ymax = raster.footprint.extent
    lat = math.radians((ymin + ymax) / 2)
    cell = max((xmax - xmin) * EARTH / 360 * math.cos(lat) / max(raster.width, 1), 0.01)
    native = math.ceil(math.log2(EARTH * math.cos(lat) / (256 * cell)))
    top = min(max(native + 1, 1), MAX_ZOOM - 2)
    return max(0, top - 9), top


def _bounds(raster: Raster) -> list[float]:
    xmin, ymin, xmax, ymax = raster.footprint.extent
    clamped = (max(xmin, -180), max(ymin, -85.0511), min(xmax, 180), min(ymax, 85.0511))
    return [round(v, 6) for v in clamped]


def raster_tile_url(request: HttpRequest, raster: Raster, *, relief: bool = False) -> str:
    """Absolute PNG tile URL template."""
    url = request.build_absolute_uri(f"/tiles/{raster.name}/") + "{z}/{x}/{y}.png"
    return url + ("?relief=1" if relief else "")


def _source(request: HttpRequest, raster: Raster, *, relief: bool = False) -> dict[str, Any]:
    minzoom, maxzoom = raster_zooms(raster)
    return {
        "type": "raster",
        "tiles": [raster_tile_url(request, raster, relief=relief)],
        "tileSize": 256,
        "bounds": _bounds(raster),
        "minzoom": minzoom,
        "maxzoom": maxzoom,
    }


def _layers(raster: Raster) -> list[dict[str, Any]]:
    visibility = {"visibility": "visible" if raster.visible else "none"}
    meta = {META_KEY: raster.name, "gisioc:colors": colormap_colors(raster.colormap or {})}
    out = [
        {
            "id": raster.name,
            "type": "raster",
            "source": raster.name,
            "metadata": meta,
            "layout": visibility,
            "paint": {
                "raster-opacity": raster.opacity,
                "raster-resampling": "nearest" if raster.kind in NEAREST else "linear",
                "raster-fade-duration": 0,
            },
        }
    ]
    if raster.kind == Raster.Kind.ELEVATION:
        out.append(
            {
                "id": f"{raster.name}-relief",
                "type": "raster",
                "source": f"{raster.name}-relief",
                "metadata": {META_KEY: raster.name, "gisioc:relief": True},
                "layout": visibility,
                "paint": {"raster-opacity": 1, "raster-fade-duration": 0},
            }
        )
    return out


def raster_meta(raster: Raster) -> dict[str, Any]:
    """A raster as the app's layer panel reads it (the shape of `tiles.app_meta.layer_meta`)."""
    title = raster_title(raster)
    return {
        "id": raster.name,
        "system": SYSTEM,
        "title": title.as_dict(),
        "description": title.as_dict(),
        "geometry": "raster",
        "visible": raster.visible,
        "public": raster.public,
        "purpose": None,
        "filters": [],
        "choropleth": False,
        "record": None,
        "legend": f"/tiles/legend/{raster.name}.json",
        "tilejson": f"/tiles/{raster.name}.json",
        "point": f"/tiles/{raster.name}/point",
        "kind": raster.kind,
        "unit": {"vi": raster.unit_vi, "en": raster.unit_en},
        "synthetic": raster.synthetic,
    }


def _raster_place(layers: list[dict[str, Any]]) -> int:
    """Where rasters go: above the basemap and the registry's area fills (a hazard over the
    communes, not hidden by their fill), under their outlines, points and labels."""
    for n, layer in enumerate(layers):
        thematic = registry.get((layer.get("metadata") or {}).get(META_KEY) or "") is not None
        if thematic and layer["type"] != "fill":
            return n
    return len(layers)


def raster_style_add(request: HttpRequest, style: dict[str, Any]) -> dict[str, Any]:
    """Add the rasters the user may see to a style (its sources, its layers over the area
    fills and under everything else thematic, the panel's entries); returns it."""
    rasters = rasters_for(user=request.user)
    if not rasters:
        return style
    added = []
    for raster in rasters:
        style["sources"][raster.name] = _source(request, raster)
        if raster.kind == Raster.Kind.ELEVATION:
            style["sources"][f"{raster.name}-relief"] = _source(request, raster, relief=True)
        added += _layers(raster)
    at = _raster_place(style["layers"])
    style["layers"][at:at] = added
    metadata = style.setdefault("metadata", {})
    # In the panel right after the boundaries' group (the first): hazards are looked for first.
    metas = metadata.setdefault("gisioc:layers", [])
    first = metas[0]["system"] if metas else None
    at = max((n + 1 for n, m in enumerate(metas) if m["system"] == first), default=0)
    metas[at:at] = [raster_meta(r) for r in rasters]
    metadata.setdefault("gisioc:systems", {})[SYSTEM] = {
        "title": GROUP.as_dict(),
        "order": GROUP_ORDER,
    }
    return style


def raster_legend(request: HttpRequest, name: str) -> dict[str, Any]:
    """GET /tiles/legend/{name}.json of a raster: its classes, or its ramp with min and max."""
    raster = raster_for(request, name)
    cmap = raster.colormap or {}
    stats = raster.stats or {}
    stops = cmap.get("stops") or []
    ramp = cmap.get("type") if stops else "imagery"
    return {
        "layer": raster.name,
        "title": raster_title(raster).as_dict(),
        "system": SYSTEM,
        "kind": "raster",
        "raster_kind": raster.kind,
        "ramp": ramp,
        "unit": {"vi": raster.unit_vi, "en": raster.unit_en},
        "items": colormap_legend(raster) if stops else [],
        "stops": stops,
        "min": stats.get("min"),
        "max": stats.get("max"),
        "synthetic": raster.synthetic,
        "relief": raster.kind == Raster.Kind.ELEVATION,
    }


def _lang(text: Text) -> str:
    return text.en if (translation.get_language() or "vi")[:2] == "en" else text.vi


def raster_tilejson(request: HttpRequest, name: str) -> dict[str, Any]:
    """TileJSON 3.0.0 of a raster layer (PNG tiles; WebP at the same path with .webp)."""
    raster = raster_for(request, name)
    minzoom, maxzoom = raster_zooms(raster)
    bounds = _bounds(raster)
    title = _lang(raster_title(raster))
    return {
        "tilejson": "3.0.0",
        "name": title,
        "description": title,
        "version": "1.0.0",
        "scheme": "xyz",
        "tiles": [raster_tile_url(request, raster)],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": bounds,
        "center": [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, maxzoom - 2],
        "attribution": "gisioc",
    }
