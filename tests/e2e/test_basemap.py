"""The offline basemap in a real Chromium: an archive of our own generated roads, river and
places drawn UNDER the thematic layers, its tiles answered 200; the operator's style URL
drawn the same way, and an unreachable one leaving the map working."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from gisioc.rasters.basemap import basemap_add
from tests.e2e.conftest import MapPage, Seeded
from tests.rasters.basemap_fixtures import write_mbtiles, write_pmtiles

pytestmark = pytest.mark.e2e

ORDER = """() => {
  const layers = gisiocMap.getStyle().layers;
  const base = layers.flatMap((l, i) => (l.metadata?.['gisioc:basemap'] ? [i] : []));
  const thematic = layers.flatMap((l, i) => (l.metadata?.['gisioc:layer'] ? [i] : []));
  return { base, thematic, ids: layers.map((l) => l.id) };
}"""
# Features of the given style layers drawn within a few pixels of a lon/lat.
NEAR = """([lon, lat, layers]) => {
  const p = gisiocMap.project([lon, lat]);
  const box = [[p.x - 6, p.y - 6], [p.x + 6, p.y + 6]];
  return gisiocMap.queryRenderedFeatures(box, { layers }).map((f) => ({
    layer: f.layer.id, source: f.sourceLayer, props: f.properties }));
}"""


def order(mp: MapPage) -> dict:
    return mp.page.evaluate(ORDER)


def near(mp: MapPage, lon: float, lat: float, layers: list[str]) -> list[dict]:
    return mp.page.evaluate(NEAR, [lon, lat, layers])


def assert_under(mp: MapPage) -> None:
    o = order(mp)
    assert o["base"] and o["thematic"], o["ids"]
    assert max(o["base"]) < min(o["thematic"]), o["ids"]
    assert o["ids"][0] == "background"


def test_no_basemap_nothing_missing(map_page: MapPage, seeded: Seeded):
    map_page.open("/")
    map_page.settled()
    assert not map_page.responded("/tiles/basemap/")
    assert not order(map_page)["base"]
    assert not map_page.page.locator("#map-notice").is_visible()
    assert not map_page.console_errors


def test_archive_drawn_under_thematic_layers(map_page: MapPage, seeded: Seeded, tmp_path: Path):
    write_pmtiles(tmp_path / "duy-xuyen.pmtiles", schema="openmaptiles")
    basemap_add(path=tmp_path / "duy-xuyen.pmtiles", title="Duy Xuyên (thử nghiệm)")
    map_page.open("/?map=13/15.808/108.235")
    map_page.settled()
    assert_under(map_page)
    # The river and Quốc lộ 1A where our features put them.
    water = near(map_page, 108.24, 15.8262, ["basemap-water"])
    assert water and water[0]["source"] == "water"
    road = near(map_page, 108.2585, 15.79, ["basemap-road"])
    assert any(f["props"].get("class") == "trunk" for f in road), road
    answered = map_page.responded("/tiles/basemap/")
    assert answered and all(status in (200, 204) for _, status in answered), answered
    assert any(status == 200 for _, status in answered)
    assert not map_page.console_errors
    attribution = map_page.page.locator(".maplibregl-ctrl-attrib-inner")
    assert "gisioc test data (synthetic)" in attribution.inner_text()
    map_page.page.locator('.lang-switch [data-lang="en"]').click()  # the app rewrites them
    assert "Illustrative boundaries" in attribution.inner_text()
    assert "gisioc test data (synthetic)" in attribution.inner_text()
    map_page.page.locator('.lang-switch [data-lang="vi"]').click()
    map_page.screenshot("basemap-desktop")


def test_phone_zoomed_in_near_a_point(phone_page: MapPage, seeded: Seeded, tmp_path: Path):
    write_pmtiles(tmp_path / "pm.pmtiles", schema="protomaps")
    basemap_add(path=tmp_path / "pm.pmtiles")
    phone_page.open("/?map=14.5/15.7875/108.245")  # the one-stop office of Nam Phước
    phone_page.settled()
    assert_under(phone_page)
    streets = phone_page.page.evaluate(
        "() => gisiocMap.queryRenderedFeatures({layers: ['basemap-road']}).length"
    )
    assert streets > 0
    # The street the office stands on, found under its point.
    street = near(phone_page, 108.242, 15.7903, ["basemap-road"])
    assert any(f["props"].get("kind") == "minor_road" for f in street), street
    assert not phone_page.console_errors
    phone_page.screenshot("basemap-phone")


def test_raster_archive_drawn_under(map_page: MapPage, seeded: Seeded, tmp_path: Path):
    write_mbtiles(tmp_path / "anh.mbtiles", schema="raster")
    basemap_add(path=tmp_path / "anh.mbtiles")
    map_page.open("/?map=12/15.808/108.235")
    map_page.settled()
    assert_under(map_page)
    assert order(map_page)["ids"][1] == "basemap-raster"
    answered = map_page.responded("/tiles/basemap/")
    assert answered and all(url.split("?")[0].endswith(".png") for url, _ in answered)
    assert any(status == 200 for _, status in answered), answered
    assert not map_page.console_errors


STYLE_URL = "http://basemap.example/styles/own/style.json"
OWN_STYLE = {
    "version": 8,
    "sources": {
        "own": {
            "type": "geojson",
            "data": {
                "type": "Feature",
                "properties": {"kind": "lake"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [108.16, 15.79],
                            [108.19, 15.79],
                            [108.19, 15.81],
                            [108.16, 15.81],
                            [108.16, 15.79],
                        ]
                    ],
                },
            },
        }
    },
    "layers": [
        {"id": "background", "type": "background", "paint": {"background-color": "#fff"}},
        {"id": "lake", "type": "fill", "source": "own", "paint": {"fill-color": "#9cc7e0"}},
    ],
}


def test_style_url_drawn_under(map_page: MapPage, seeded: Seeded, monkeypatch: pytest.MonkeyPatch):
    config = settings.CONFIG.model_copy(update={"basemap_style_url": STYLE_URL})
    monkeypatch.setattr(settings, "CONFIG", config)
    map_page.page.route(
        STYLE_URL,
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            headers={"Access-Control-Allow-Origin": "*"},
            body=json.dumps(OWN_STYLE),
        ),
    )
    map_page.open("/?map=12/15.8/108.175")
    map_page.page.wait_for_function("() => gisiocMap.getLayer('basemap-lake')")
    map_page.settled()
    assert_under(map_page)
    assert "basemap-background" not in order(map_page)["ids"]
    assert near(map_page, 108.175, 15.8, ["basemap-lake"])
    assert not map_page.console_errors


def test_style_url_unreachable(map_page: MapPage, seeded: Seeded, monkeypatch: pytest.MonkeyPatch):
    config = settings.CONFIG.model_copy(update={"basemap_style_url": STYLE_URL})
    monkeypatch.setattr(settings, "CONFIG", config)
    warnings: list[str] = []
    map_page.page.on("console", lambda m: warnings.append(m.text) if m.type == "warning" else None)
    map_page.page.route(STYLE_URL, lambda route: route.abort("connectionrefused"))
    map_page.open("/")
    map_page.settled()
    map_page.page.wait_for_timeout(300)
    assert any("basemap style could not be read" in w for w in warnings), warnings
    assert not order(map_page)["base"]
    assert not map_page.page.locator("#map-notice").is_visible()
