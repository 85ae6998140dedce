"""Raster tiles and the value under the cursor: colours where values are known, nodata clear,
a VN-2000 grid's cell at its right lon/lat, ETags on the raster's version, access, bad input."""

import functools
import io
import math
from pathlib import Path

import numpy as np
import pytest
from django.test import Client
from PIL import Image
from pyproj import Transformer

from gisioc.rasters.models import Raster
from gisioc.rasters.paint import color_rgba
from gisioc.rasters.services import raster_add, raster_recolor
from tests.geo.factories import signed_in
from tests.rasters import helpers

pytestmark = pytest.mark.django_db
# A VN-2000 / TM-3 107°45' (EPSG:5899) grid over Duy Xuyên: 40 × 40 cells of 100 m.
ORIGIN = (545_000.0, 1_758_000.0)
CELL = 100.0
NODATA = -9999.0
KNOWN = (20, 25)  # row, column: the middle of a 3 × 3 block 2.5 m deep in 0.3 m water
TO_LONLAT = Transformer.from_crs("EPSG:5899", "EPSG:4326", always_xy=True)
DEEP = "#08519c"  # the default flood colours' 2–3 m class
SHALLOW = "#c6dbef"  # and 0.05–0.5 m


write_tif = functools.partial(
    helpers.write_tif, crs="EPSG:5899", origin=ORIGIN, cell=CELL, nodata=NODATA
)


def cell_lonlat(row: float, col: float) -> tuple[float, float]:
    """The lon/lat of a cell's centre, by pyproj (not by the code under test)."""
    return TO_LONLAT.transform(ORIGIN[0] + (col + 0.5) * CELL, ORIGIN[1] - (row + 0.5) * CELL)


def flood_grid() -> np.ndarray:
    grid = np.full((40, 40), 0.3, dtype="float32")
    row, col = KNOWN
    grid[row - 1 : row + 2, col - 1 : col + 2] = 2.5
    grid[:6] = NODATA  # the north strip: no data
    return grid


@pytest.fixture
def flood(private_var: Path, tmp_path: Path) -> Raster:
    return raster_add(
        path=write_tif(tmp_path / "ngap-thu.tif", flood_grid()),
        kind="flood_depth",
        title_vi="Ngập thử",
        title_en="Test flood",
        synthetic=True,
    )


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int, int]:
    """Tile x, y and the pixel (column, row) in it of a lon/lat at zoom z."""
    n = 2**z
    fx = (lon + 180) / 360 * n
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int(fx), int(fy), int((fx % 1) * 256), int((fy % 1) * 256)


def image(response) -> Image.Image:
    return Image.open(io.BytesIO(response.content)).convert("RGBA")


def test_png_tile_draws_the_colour_map_and_leaves_nodata_clear(flood: Raster) -> None:
    z = 15
    x, y, px, py = tile_of(*cell_lonlat(*KNOWN), z)
    response = Client().get(f"/tiles/{flood.name}/{z}/{x}/{y}.png")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, no-cache"
    tile = image(response)
    assert tile.size == (256, 256)
    assert tile.getpixel((px, py)) == color_rgba(DEEP)
    # A cell two east of the block is shallow; the nodata strip is transparent.
    sx, sy, spx, spy = tile_of(*cell_lonlat(KNOWN[0], KNOWN[1] + 3), z)
    assert (sx, sy) == (x, y) and tile.getpixel((spx, spy)) == color_rgba(SHALLOW)
    nx, ny, npx, npy = tile_of(*cell_lonlat(2, 10), z)
    dry = image(Client().get(f"/tiles/{flood.name}/{z}/{nx}/{ny}.png"))
    assert dry.getpixel((npx, npy))[3] == 0


def test_vn2000_cell_at_its_lon_lat_by_point(flood: Raster) -> None:
    lon, lat = cell_lonlat(*KNOWN)
    body = Client().get(f"/tiles/{flood.name}/point", {"lon": lon, "lat": lat}).json()
    assert body["name"] == flood.name and body["value"] == pytest.approx(2.5)
    assert body["unit"] == {"vi": "m", "en": "m"}
    assert body["label"] == {"vi": "2–3 m", "en": "2–3 m"}
    assert (body["lon"], body["lat"]) == (pytest.approx(lon), pytest.approx(lat))
    # The cells around the block, a nodata cell and a place off the grid.
    for row, col in ((KNOWN[0], KNOWN[1] + 2), (KNOWN[0] + 2, KNOWN[1])):
        at = dict(zip(("lon", "lat"), cell_lonlat(row, col), strict=True))
        assert Client().get(f"/tiles/{flood.name}/point", at).json()["value"] == pytest.approx(0.3)
    for at in (cell_lonlat(2, 10), (105.0, 21.0)):
        body = Client().get(f"/tiles/{flood.name}/point", {"lon": at[0], "lat": at[1]}).json()
        assert body["value"] is None and body["label"] is None


def test_etag_304_and_a_new_version(flood: Raster, private_var: Path) -> None:
    x, y, _, _ = tile_of(*cell_lonlat(*KNOWN), 14)
    url = f"/tiles/{flood.name}/14/{x}/{y}.png"
    first = Client().get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag
    assert list((private_var / "cache" / "tiles" / flood.name / flood.version).rglob("*.png"))
    again = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and not again.content
    assert Client().get(url).content == first.content  # from the disk cache
    recolored = {"type": "classes", "stops": [[0.05, "#ff0000"], [2.0, "#00ff00"]], "labels": {}}
    raster_recolor(name=flood.name, colormap=recolored)
    fresh = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    _, _, px, py = tile_of(*cell_lonlat(*KNOWN), 14)
    assert image(fresh).getpixel((px, py)) == (0, 255, 0, 255)


def test_webp_and_empty_tiles(flood: Raster) -> None:
    z = 15
    x, y, px, py = tile_of(*cell_lonlat(*KNOWN), z)
    response = Client().get(f"/tiles/{flood.name}/{z}/{x}/{y}.webp")
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert image(response).getpixel((px, py)) == color_rgba(DEEP)
    assert response["ETag"] != Client().get(f"/tiles/{flood.name}/{z}/{x}/{y}.png")["ETag"]
    # Far from the grid (no file read), and a tile wholly in the nodata strip.
    assert Client().get(f"/tiles/{flood.name}/{z}/0/0.png").status_code == 204
    nx, ny, _, _ = tile_of(*cell_lonlat(2, 10), 18)
    assert Client().get(f"/tiles/{flood.name}/18/{nx}/{ny}.png").status_code == 204


def test_non_public_raster_is_for_staff(private_var: Path, tmp_path: Path) -> None:
    secret = raster_add(
        path=write_tif(tmp_path / "kin.tif", flood_grid()), kind="flood_depth", public=False
    )
    x, y, _, _ = tile_of(*cell_lonlat(*KNOWN), 14)
    lon, lat = cell_lonlat(*KNOWN)
    urls = [
        f"/tiles/kin/14/{x}/{y}.png",
        f"/tiles/kin/point?lon={lon}&lat={lat}",
        "/tiles/legend/kin.json",
        "/tiles/kin.json",
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 403, url
        assert response.json()["vi"] and response.json()["en"]
    leader = signed_in("leader", "leader")
    answered = leader.get(urls[0])
    assert answered.status_code == 200
    assert answered["Cache-Control"] == "private, no-cache" and "Cookie" in answered["Vary"]
    assert all(leader.get(url).status_code == 200 for url in urls[1:])
    public_style = Client().get("/tiles/style.json").json()
    assert secret.name not in public_style["sources"]
    assert secret.name in leader.get("/tiles/style.json").json()["sources"]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/tiles/ngap-thu/3/8/0.png", None),
        ("/tiles/ngap-thu/30/0/0.png", None),
        ("/tiles/ngap-thu/3/1/1.png?colour=red", None),
        ("/tiles/ngap-thu/3/1/1.png?relief=1", "relief"),
        ("/tiles/ngap-thu/point?lon=abc&lat=15.8", "lon"),
        ("/tiles/ngap-thu/point?lon=200&lat=15.8", "lon"),
        ("/tiles/ngap-thu/point?lon=108.2", "lat"),
        ("/tiles/ngap-thu/point?lon=108.2&lat=NaN", "lat"),
    ],
)
def test_bad_input_is_a_400_in_both_languages(flood: Raster, url: str, field: str | None) -> None:
    response = Client().get(url)
    assert response.status_code == 400, url
    body = response.json()
    assert body["vi"] and body["en"] and body["vi"] != body["en"]
    if field:
        assert field in body["fields"]


def test_unknown_raster_is_a_404(private_var: Path) -> None:
    for url in ("/tiles/khong-co/3/1/1.png", "/tiles/khong-co/point?lon=1&lat=1"):
        response = Client().get(url)
        assert response.status_code == 404
        assert "khong-co" in response.json()["vi"] and "khong-co" in response.json()["en"]


def test_style_lists_rasters_over_the_fills_under_the_rest(flood: Raster) -> None:
    style = Client().get("/tiles/style.json").json()
    source = style["sources"][flood.name]
    assert source["type"] == "raster" and source["tileSize"] == 256
    assert source["tiles"] == [f"http://testserver/tiles/{flood.name}/{{z}}/{{x}}/{{y}}.png"]
    west, south, east, north = source["bounds"]
    lon, lat = cell_lonlat(*KNOWN)
    assert west < lon < east and south < lat < north
    assert 0 <= source["minzoom"] < source["maxzoom"] <= 22
    ids = [layer["id"] for layer in style["layers"]]
    at = ids.index(flood.name)
    layer = style["layers"][at]
    assert layer["type"] == "raster" and layer["source"] == flood.name
    assert layer["paint"]["raster-opacity"] == flood.opacity
    assert layer["layout"]["visibility"] == "none"
    assert layer["metadata"]["gisioc:layer"] == flood.name
    assert style["layers"][0]["type"] == "background" and at >= 1
    # Over the communes' fills (a hazard is not hidden by them), under outlines and points.
    assert {lay["type"] for lay in style["layers"][:at]} - {"raster"} == {"background", "fill"}
    assert "fill" not in {lay["type"] for lay in style["layers"][at + 1 :]}
    assert {lay["type"] for lay in style["layers"][at + 1 :]} >= {"line", "circle"}
    metas = style["metadata"]["gisioc:layers"]
    meta = next(m for m in metas if m["id"] == flood.name)
    before = metas[metas.index(meta) - 1]  # the panel: right after the boundaries' group
    assert before["system"] == metas[0]["system"] == "boundaries"
    assert meta["geometry"] == "raster" and meta["system"] == "rasters"
    assert meta["title"] == {"vi": "Ngập thử (mô phỏng)", "en": "Test flood (synthetic)"}
    assert meta["legend"] == f"/tiles/legend/{flood.name}.json"
    assert meta["kind"] == "flood_depth" and meta["unit"] == {"vi": "m", "en": "m"}
    assert style["metadata"]["gisioc:systems"]["rasters"]["title"]["vi"] == "Lớp raster"


def test_a_title_saying_synthetic_is_not_told_twice(flood: Raster) -> None:
    Raster.objects.filter(pk=flood.pk).update(
        title_vi="Ngập lũ 20 năm (mô phỏng)", title_en="20-year flood (synthetic)"
    )
    legend = Client().get(f"/tiles/legend/{flood.name}.json").json()
    assert legend["title"] == {"vi": "Ngập lũ 20 năm (mô phỏng)", "en": "20-year flood (synthetic)"}


def test_legend_and_tilejson(flood: Raster) -> None:
    legend = Client().get(f"/tiles/legend/{flood.name}.json").json()
    assert legend["kind"] == "raster" and legend["ramp"] == "classes"
    assert legend["title"]["en"] == "Test flood (synthetic)"
    assert legend["unit"] == {"vi": "m", "en": "m"}
    assert [i["color"] for i in legend["items"]][3] == DEEP
    assert legend["items"][3]["label"] == {"vi": "2–3 m", "en": "2–3 m"}
    tilejson = Client().get(f"/tiles/{flood.name}.json").json()
    assert tilejson["tilejson"] == "3.0.0"
    assert tilejson["tiles"][0].endswith(f"/tiles/{flood.name}/{{z}}/{{x}}/{{y}}.png")


def test_elevation_gets_a_hillshade_lit_from_the_north_west(
    private_var: Path, tmp_path: Path
) -> None:
    rows, cols = np.mgrid[0:40, 0:40]
    cone = (300 - 25 * np.hypot(rows - 20, cols - 20)).clip(0).astype("float32")  # 300 m peak
    hill = raster_add(path=write_tif(tmp_path / "doi.tif", cone), kind="elevation")
    style = Client().get("/tiles/style.json").json()
    ids = [layer["id"] for layer in style["layers"]]
    assert ids.index("doi-relief") == ids.index("doi") + 1  # the shade over the colours
    assert style["sources"]["doi-relief"]["tiles"][0].endswith(".png?relief=1")
    z = 14

    def pixel(row: int, col: int, relief: str = "?relief=1") -> tuple[int, ...]:
        x, y, px, py = tile_of(*cell_lonlat(row, col), z)
        response = Client().get(f"/tiles/{hill.name}/{z}/{x}/{y}.png{relief}")
        assert response.status_code == 200
        return image(response).getpixel((px, py))

    north_west, south_east, flat = pixel(17, 17), pixel(23, 23), pixel(2, 2)
    assert north_west[:3] == (255, 255, 255) and north_west[3] > 40  # lit
    assert south_east[:3] == (0, 0, 0) and south_east[3] > 40  # in shadow
    assert flat[3] == 0  # level ground (and the raster's edge) left clear
    assert pixel(20, 20, relief="")[3] == 255  # the colours under it
