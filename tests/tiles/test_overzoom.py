"""Layers stop at the zoom where their tiles stop gaining detail; clients overzoom above it."""

import gzip

import mapbox_vector_tile
import pytest
from django.test import Client

from gisioc.geo.models import AdminUnit
from layers.registry import registry
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db


def test_tilejson_and_style_stop_each_layer_at_its_maxzoom(demo: None) -> None:
    for layer in (x for x in registry if x.public):
        assert layer.maxzoom == 14  # 0.6 m per tile unit: finer than the sources' 1.1 m
        body = Client().get(f"/tiles/{layer.id}.json").json()
        assert body["maxzoom"] == 14
        assert {v["maxzoom"] for v in body["vector_layers"]} == {14}
    style = Client().get("/tiles/style.json").json()
    vector = {k: s for k, s in style["sources"].items() if s["type"] == "vector"}
    assert {k: s["maxzoom"] for k, s in vector.items() if registry.get(k)} == {
        layer.id: 14 for layer in registry if layer.public
    }
    drawn = [entry for entry in style["layers"] if entry.get("source") in vector]
    assert drawn and all("maxzoom" not in entry for entry in drawn)  # drawn overzoomed above


def test_a_tile_asked_above_maxzoom_is_still_drawn(demo: None) -> None:
    unit = AdminUnit.objects.get(version__slug="danang-2025", code="20623")
    lon, lat = unit.geom.point_on_surface
    x, y = tile_for(lon, lat, 18)
    response = Client().get(f"/tiles/admin-units/18/{x}/{y}.mvt", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    tile = mapbox_vector_tile.decode(gzip.decompress(response.content))
    assert [f["properties"]["code"] for f in tile["admin-units"]["features"]] == ["20623"]
