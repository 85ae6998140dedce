"""URLs of the tile service."""

from django.urls import path

from tiles import views

urlpatterns = [
    path("tiles/style.json", views.style, name="tiles-style"),
    path("tiles/legend/<slug:layer_id>.json", views.legend, name="tiles-legend"),
    path("tiles/<slug:layer_id>.json", views.tilejson, name="tiles-tilejson"),
    path("tiles/<slug:layer_id>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tiles-tile"),
]
