"""URLs of the tile service."""

from django.urls import path

from gisioc.rasters import basemap_tiles, point
from gisioc.rasters import tiles as raster_tiles
from tiles import assets, nearby, table, views

PNG, WEBP = {"fmt": "png"}, {"fmt": "webp"}  # raster tiles' formats

urlpatterns = [
    path("tiles/style.json", views.style, name="tiles-style"),
    path(
        "tiles/fonts/<str:fontstack>/<int:start>-<int:end>.pbf",
        assets.glyphs_view,
        name="tiles-glyphs",
    ),
    path("tiles/sprites/<str:name>", assets.sprite_view, name="tiles-sprite"),
    path("tiles/legend/<slug:layer_id>.json", views.legend, name="tiles-legend"),
    path("tiles/table/<slug:layer_id>.csv", table.table_csv, name="tiles-table"),
    path("api/nearby/", nearby.nearby, name="nearby"),
    path("tiles/basemap/<int:z>/<int:x>/<int:y>.<str:ext>", basemap_tiles.basemap_tile),
    path(
        "tiles/<slug:raster>/<int:z>/<int:x>/<int:y>.png", raster_tiles.tile_view, PNG, "tiles-png"
    ),
    path(
        "tiles/<slug:raster>/<int:z>/<int:x>/<int:y>.webp",
        raster_tiles.tile_view,
        WEBP,
        "tiles-webp",
    ),
    path("tiles/<slug:raster>/point", point.point_view, name="tiles-raster-point"),
    path("tiles/<slug:layer_id>.json", views.tilejson, name="tiles-tilejson"),
    path("tiles/<slug:layer_id>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tiles-tile"),
]
