"""URLs of the tile service."""

from django.urls import path, re_path

from gisioc.rasters import basemap_tiles, point
from gisioc.rasters import tiles as raster_tiles
from tiles import assets, nearby, table, views

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
    re_path(
        r"^tiles/(?P<name>[-a-zA-Z0-9_]+)/(?P<z>\d{1,3})/(?P<x>\d{1,9})/(?P<y>\d{1,9})\.(?P<fmt>png|webp)$",
        raster_tiles.tile_view,
        name="tiles-raster",
    ),
    path("tiles/<slug:name>/point", point.point_view, name="tiles-raster-point"),
    path("tiles/<slug:layer_id>.json", views.tilejson, name="tiles-tilejson"),
    path("tiles/<slug:layer_id>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tiles-tile"),
]
