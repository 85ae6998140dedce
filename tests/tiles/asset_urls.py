"""A URLconf with only the style asset views, for tests that need no database."""

from django.urls import path

from tiles.assets import glyphs_view, sprite_view

urlpatterns = [
    path("tiles/fonts/<str:fontstack>/<int:start>-<int:end>.pbf", glyphs_view),
    path("tiles/sprites/<str:name>", sprite_view),
]
