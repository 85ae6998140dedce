"""GET /tiles/style.json: a MapLibre style v8 of every layer the user may see."""

from typing import Any

from django.http import HttpRequest

from gisioc.geo import access
from gisioc.rasters.basemap_style import basemap_into
from gisioc.rasters.style import raster_style_add
from layers.registry import Layer, registry
from tiles.app_meta import app_meta
from tiles.choropleth import default_fill
from tiles.requests import scope_for
from tiles.tilejson import tile_url
from tiles.versions import layer_versions

DRAW_ORDER = {
    "background": 0,
    "fill": 1,
    "raster": 2,  # a hazard over the communes' fills, under their outlines and points
    "line": 3,
    "heatmap": 4,
    "circle": 5,
    "symbol": 6,
}


def _style_layers(layer: Layer, paint_fill: list[Any] | None) -> list[dict[str, Any]]:
    visibility = {"visibility": "visible" if layer.visible else "none"}
    meta = {"gisioc:layer": layer.id}
    out = []
    for n, spec in enumerate(layer.style):
        entry = {
            **spec,
            "id": layer.id if n == 0 else f"{layer.id}-{n}",
            "source": layer.id,
            "source-layer": layer.id,
            "minzoom": layer.minzoom,  # drawn at every zoom above: its source overzooms
            "layout": {**spec.get("layout", {}), **visibility},
            "metadata": meta,
        }
        if paint_fill and spec["type"] == "fill":
            entry["paint"] = {**spec.get("paint", {}), "fill-color": paint_fill}
        out.append(entry)
    if layer.labels:
        out.append(
            {
                "id": f"{layer.id}-labels",
                "type": "symbol",
                "source": layer.id,
                "source-layer": f"{layer.id}-labels",
                "metadata": meta,
                "layout": {
                    "text-field": ["get", "label"],
                    "text-font": ["Noto Sans Regular"],
                    "text-size": 13,
                    "text-max-width": 8,
                    **visibility,
                },
                "paint": {
                    "text-color": "#263238",
                    "text-halo-color": "#ffffff",
                    "text-halo-width": 1.5,
                },
            }
        )
    return out


def style(request: HttpRequest) -> dict[str, Any]:
    """MapLibre style v8: our glyphs and sprite, one vector source and its layers per entry;
    its metadata is what the app needs to know of the registry (`tiles.app_meta`)."""
    layers = [layer for layer in registry if access.may_see(request.user, layer.roles)]
    sources, style_layers = (
        {},
        [{"id": "background", "type": "background", "paint": {"background-color": "#eef2f3"}}],
    )
    versions = layer_versions(layers)  # in the tile URLs: new URLs when the data change
    for layer in layers:
        sources[layer.id] = {
            "type": "vector",
            "tiles": [tile_url(request, layer, version=versions[layer.id])],
            "minzoom": layer.minzoom,
            "maxzoom": layer.maxzoom,
        }
        fill = default_fill(layer, scope_for(request, layer)) if layer.classification else None
        style_layers += _style_layers(layer, fill)
    # Areas under lines under points under text, whatever order the registry declares.
    style_layers.sort(key=lambda entry: DRAW_ORDER.get(entry["type"], len(DRAW_ORDER)))
    absolute = request.build_absolute_uri("/tiles/")
    body = {
        "version": 8,
        "name": "gisioc",
        "metadata": app_meta(layers),
        "center": [108.25, 15.8],
        "zoom": 10.5,
        "glyphs": absolute + "fonts/{fontstack}/{range}.pbf",
        "sprite": absolute + "sprites/sprite",
        "sources": sources,
        "layers": style_layers,
    }
    basemap_into(request, body)  # the offline basemap right above the background
    # Raster layers (rows, not registry entries) over the area fills, under lines and points.
    return raster_style_add(request, body)
