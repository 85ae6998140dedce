"""Polygon tiles within their size budget, neighbours drawn with the same border vertices."""

import gzip
import itertools

import mapbox_vector_tile
import pytest
from django.core.management import call_command
from django.test import Client
from shapely.geometry import shape

from gisioc.geo.models import AdminUnit
from layers.registry import registry
from tiles import shapes
from tiles.models import UnitShape
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
CENTRE = (108.25, 15.8)  # Duy Xuyên
BUDGET = 100_000


def _tile(z: int) -> tuple[int, dict]:
    x, y = tile_for(*CENTRE, z)
    response = Client().get(f"/tiles/admin-units/{z}/{x}/{y}.mvt", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    return len(response.content), mapbox_vector_tile.decode(gzip.decompress(response.content))


def _rings(geometry: dict) -> list[list[tuple[int, int]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [[tuple(p) for p in ring] for polygon in polygons for ring in polygon]


def _unshared(features: list[dict]) -> tuple[int, int]:
    """Over every pair of neighbours: vertices on the other's border, and of those how many
    are not the other's vertices too (0 when every shared border is drawn once)."""
    on_border = unshared = 0
    for a, b in itertools.permutations(features, 2):
        sa, sb = shape(a["geometry"]), shape(b["geometry"])
        if not sa.touches(sb) and not sa.intersects(sb):
            continue
        vertices_b = {p for ring in _rings(b["geometry"]) for p in ring}
        for p in {p for ring in _rings(a["geometry"]) for p in ring}:
            if sb.boundary.distance(shape({"type": "Point", "coordinates": p})) < 0.5:
                on_border += 1
                unshared += p not in vertices_b
    return on_border, unshared


def test_publishing_builds_every_band_of_the_units_shapes(demo: None) -> None:
    units = AdminUnit.objects.filter(version__slug="danang-2025").count()
    stored = UnitShape.objects.filter(unit__version__slug="danang-2025")
    assert stored.values("band").distinct().count() == len(shapes.BANDS)
    assert stored.count() == units * len(shapes.BANDS)


@pytest.mark.parametrize("z", [5, 7, 8, 9])
def test_low_zoom_tiles_are_in_budget_and_neighbours_share_their_borders(
    demo: None, z: int
) -> None:
    size, tile = _tile(z)
    features = tile["admin-units"]["features"]
    assert size <= BUDGET and len(features) >= 3  # the demo district straddles 108.28°E
    on_border, unshared = _unshared(features)
    assert on_border >= 8 and unshared == 0
    gen = registry.get("admin-units").generalised
    overview = z < gen.overview_below
    expected = set(gen.overview) if overview else set(registry.get("admin-units").properties)
    assert all(set(f["properties"]) == expected for f in features)
    assert ("admin-units-labels" in tile) is not overview


def test_without_shapes_borders_drawn_twice_differ_and_the_command_builds_them(
    demo: None,
) -> None:
    zooms = range(5, 10)
    UnitShape.objects.all().delete()
    unshared = [_unshared(_tile(z)[1]["admin-units"]["features"])[1] for z in zooms]
    assert any(unshared), unshared  # simplified polygon by polygon, a border drawn twice differs
    call_command("tile-shapes")
    assert UnitShape.objects.filter(unit__version__slug="danang-2025").exists()
    assert not any(_unshared(_tile(z)[1]["admin-units"]["features"])[1] for z in zooms)


def test_tiles_at_the_antimeridian_are_drawn(demo: None) -> None:
    # z1-z2 tiles over Vietnam reach 180°E: their margin must not wrap to the other side.
    for z in (1, 2):
        _size, tile = _tile(z)
        assert len(tile["admin-units"]["features"]) >= 3
