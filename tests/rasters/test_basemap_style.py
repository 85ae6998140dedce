"""style.json with a basemap: its source and `basemap-` layers right above the background and
under every thematic layer, our glyphs, the communes' fill thinned; without one, unchanged."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from gisioc.rasters.basemap import basemap_add, basemap_deactivate
from gisioc.rasters.basemap_style import BASE_FILL_OPACITY, vector_layers
from tests.rasters.basemap_fixtures import write_mbtiles, write_pmtiles

pytestmark = pytest.mark.django_db
SOURCE_LAYERS = {
    "openmaptiles": {
        "water",
        "waterway",
        "landcover",
        "landuse",
        "park",
        "transportation",
        "transportation_name",
        "building",
        "boundary",
        "place",
    },
    "protomaps": {
        "earth",
        "water",
        "landcover",
        "landuse",
        "roads",
        "buildings",
        "boundaries",
        "places",
    },
}


def style() -> dict:
    r = Client().get("/tiles/style.json")
    assert r.status_code == 200
    return r.json()


def base_fill(body: dict) -> dict:
    return next(
        layer
        for layer in body["layers"]
        if layer["type"] == "fill"
        and layer.get("metadata", {}).get("gisioc:layer") == "admin-units"
    )


@pytest.mark.parametrize("schema", ["openmaptiles", "protomaps"])
def test_basemap_layers_under_everything_thematic(private_var: Path, tmp_path: Path, schema: str):
    before = style()
    write_pmtiles(tmp_path / "a.pmtiles", schema=schema)
    basemap = basemap_add(path=tmp_path / "a.pmtiles")
    body = style()
    layers = body["layers"]
    ids = [layer["id"] for layer in layers]
    assert ids[0] == "background"
    ours = [n for n, layer in enumerate(layers) if layer.get("metadata", {}).get("gisioc:basemap")]
    assert ours == list(range(1, len(ours) + 1))  # one block, right after the background
    assert all(layers[n]["id"].startswith("basemap-") for n in ours)
    assert all(layers[n]["source"] == "basemap" for n in ours)
    thematic = [n for n, layer in enumerate(layers) if "gisioc:layer" in layer.get("metadata", {})]
    assert thematic and max(ours) < min(thematic)
    # Every thematic layer is still there, in the same order.
    assert [i for i in ids if not i.startswith("basemap-")] == [x["id"] for x in before["layers"]]
    for wanted in ("basemap-water", "basemap-road", "basemap-place", "basemap-road-name"):
        assert wanted in ids
    fonts = {tuple(layer["layout"]["text-font"]) for layer in layers if layer["type"] == "symbol"}
    assert fonts <= {("Noto Sans Regular",), ("Noto Sans Italic",), ("Noto Sans Bold",)}
    source = body["sources"]["basemap"]
    assert source["type"] == "vector"
    assert source["tiles"] == [
        f"http://testserver/tiles/basemap/{{z}}/{{x}}/{{y}}.mvt?v={basemap.version}"
    ]
    assert (source["minzoom"], source["maxzoom"]) == (8, 14)
    assert source["attribution"] == "gisioc test data (synthetic)"
    assert body["metadata"]["gisioc:basemap"]["schema"] == schema
    assert base_fill(body)["paint"]["fill-opacity"] == BASE_FILL_OPACITY
    assert base_fill(before)["paint"]["fill-opacity"] > BASE_FILL_OPACITY
    # Each basemap layer reads a layer of the schema's tiles.
    assert {layer.get("source-layer") for layer in vector_layers(schema)} == SOURCE_LAYERS[schema]


def test_glyphs_served_for_the_fonts_used(private_var: Path, tmp_path: Path):
    write_pmtiles(tmp_path / "a.pmtiles")
    basemap_add(path=tmp_path / "a.pmtiles")
    fonts = {
        ",".join(layer["layout"]["text-font"])
        for layer in style()["layers"]
        if layer["type"] == "symbol" and layer["id"].startswith("basemap-")
    }
    for font in fonts:
        r = Client().get(f"/tiles/fonts/{font}/7680-7935.pbf")  # Vietnamese: ạ ả ấ … ỹ
        assert r.status_code == 200 and len(r.content) > 1000


def test_raster_archive_one_raster_layer(private_var: Path, tmp_path: Path):
    write_mbtiles(tmp_path / "anh.mbtiles", schema="raster")
    basemap = basemap_add(path=tmp_path / "anh.mbtiles")
    body = style()
    ours = [layer for layer in body["layers"] if layer["id"].startswith("basemap-")]
    assert [(layer["id"], layer["type"]) for layer in ours] == [("basemap-raster", "raster")]
    assert body["layers"][1]["id"] == "basemap-raster"
    source = body["sources"]["basemap"]
    assert source["type"] == "raster" and source["tileSize"] == 256
    assert source["tiles"][0].endswith(f"/tiles/basemap/{{z}}/{{x}}/{{y}}.png?v={basemap.version}")


def test_no_basemap_style_unchanged(private_var: Path, tmp_path: Path):
    before = style()
    assert "basemap" not in before["sources"] and "gisioc:basemap" not in before["metadata"]
    assert not any(layer["id"].startswith("basemap-") for layer in before["layers"])
    write_pmtiles(tmp_path / "a.pmtiles")
    basemap_add(path=tmp_path / "a.pmtiles")
    basemap_deactivate()
    assert style() == before


def test_style_url_setting(private_var: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    url = "http://tiles.example.vn/styles/basic/style.json"
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"basemap_style_url": url})
    )
    body = style()
    assert body["metadata"]["gisioc:basemap"] == {"style_url": url}
    assert "basemap" not in body["sources"]
    assert base_fill(body)["paint"]["fill-opacity"] == BASE_FILL_OPACITY
    # An archive comes first.
    write_pmtiles(tmp_path / "a.pmtiles")
    basemap_add(path=tmp_path / "a.pmtiles")
    body = style()
    assert "style_url" not in body["metadata"]["gisioc:basemap"] and "basemap" in body["sources"]
