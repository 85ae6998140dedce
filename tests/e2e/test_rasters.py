"""Raster layers in a real Chromium: toggled in the layer panel under their own group, their
legend shown, drawn from our raster tiles (and the elevation's hillshade), and the value under
the cursor read out in Vietnamese, on a leader's desktop and a field officer's phone."""

import re
from pathlib import Path

import numpy as np
import pytest
import rasterio
from django.contrib.auth import get_user_model
from pyproj import Transformer
from rasterio.transform import from_origin

from gisioc.geo.models import Role, UserAccess
from gisioc.rasters.models import Raster
from gisioc.rasters.point import point_value
from gisioc.rasters.services import raster_add
from tests.e2e.conftest import MapPage, Seeded

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-raster-viewer-password"
FLOOD = "ngap-e2e"
HILL = "do-cao-e2e"
ROWS, COLS, CELL = 50, 120, 100.0  # 12 × 5 km over the seeded communes


def _grid_tif(path: Path, data: np.ndarray) -> Path:
    """A VN-2000 / TM-3 107°45' (EPSG:5899) grid whose north-west corner is 108.11°E 15.83°N."""
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True).transform(108.11, 15.83)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=COLS,
        height=ROWS,
        count=1,
        dtype="float32",
        crs="EPSG:5899",
        transform=from_origin(x, y, CELL, CELL),
        nodata=-9999.0,
    ) as dst:
        dst.write(data.astype("float32"), 1)
    return path


@pytest.fixture
def rasters(transactional_db, tile_cache_dir: Path, tmp_path: Path) -> dict[str, Raster]:
    """A staff-only flood depth (deeper to the east, dry in the north-west corner) and a public
    elevation (a hill), added as a GIS officer adds them."""
    depth = np.tile(np.linspace(0.2, 3.2, COLS), (ROWS, 1))
    depth[:10, :20] = -9999.0
    rows, cols = np.mgrid[0:ROWS, 0:COLS]
    hill = 20 + 280 * np.exp(-(((rows - 25) / 12) ** 2 + ((cols - 60) / 20) ** 2))
    return {
        FLOOD: raster_add(
            path=_grid_tif(tmp_path / "depth.tif", depth),
            kind="flood_depth",
            name=FLOOD,
            title_vi="Ngập lũ 20 năm",
            title_en="20-year flood",
            public=False,
            synthetic=True,
        ),
        HILL: raster_add(
            path=_grid_tif(tmp_path / "hill.tif", hill),
            kind="elevation",
            name=HILL,
            title_vi="Độ cao địa hình",
            title_en="Terrain height",
            synthetic=True,
        ),
    }


def _sign_in(mp: MapPage, role: str) -> None:
    user = get_user_model().objects.create_user(f"e2e-{role}", password=PASSWORD)
    UserAccess.objects.create(user=user, role=role)
    page = mp.page
    page.locator("#sign-in").click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)


def _screen_point(mp: MapPage, lon: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a lon/lat on the map."""
    box = mp.page.locator("#map canvas").bounding_box()
    x, y = mp.page.evaluate(
        "([lon, lat]) => { const p = gisiocMap.project([lon, lat]); return [p.x, p.y]; }",
        [lon, lat],
    )
    return box["x"] + x, box["y"] + y


def _readout_at(mp: MapPage, raster: Raster, lon: float, lat: float, *, click: bool = False) -> str:
    """Point (or tap) at lon/lat; the readout's line of the raster once it shows the value there."""
    x, y = _screen_point(mp, lon, lat)
    if click:
        mp.page.mouse.click(x, y)
    else:
        mp.page.mouse.move(x - 20, y - 20)
        mp.page.mouse.move(x, y, steps=4)
    value = point_value(raster, lon, lat)  # read by our code from the file, in the test
    assert value is not None
    mp.page.wait_for_function(
        "([name, v]) => Math.abs(Number(document.querySelector("
        "`#raster-readout .raster-line[data-layer='${name}']`)?.dataset.value) - v) < 0.05",
        arg=[raster.name, value],
        timeout=10_000,
    )
    text = mp.page.locator(f'#raster-readout .raster-line[data-layer="{raster.name}"]').inner_text()
    assert re.search(r": \d+([,.]\d{1,2})? m$", text), text  # "1,25 m" (vi), "1.25 m" (en)
    return text


def test_leader_toggles_rasters_sees_legends_tiles_and_values(
    map_page: MapPage, seeded: Seeded, rasters: dict[str, Raster]
) -> None:
    map_page.open()
    page = map_page.page
    # The public sees the public elevation only; a leader sees the staff-only flood too.
    assert page.locator(f"#toggle-{HILL}").count() == 1
    assert page.locator(f"#toggle-{FLOOD}").count() == 0
    _sign_in(map_page, Role.LEADER)
    group = page.locator('section.layer-group[data-system="rasters"]')
    assert group.locator("h2").text_content() == "Lớp raster"
    assert group.locator(f"#toggle-{FLOOD}").count() == 1

    page.locator(f"#toggle-{FLOOD}").check()
    legend = page.locator(f"#legend-{FLOOD}")
    legend.locator("li").first.wait_for()
    assert legend.get_attribute("data-ramp") == "classes"
    assert "2–3 m" in legend.inner_text() and "Dữ liệu mô phỏng" in legend.inner_text()
    title = page.locator(f'.layer[data-layer="{FLOOD}"] .layer-title').inner_text()
    assert title == "Ngập lũ 20 năm (mô phỏng)"
    page.evaluate(
        "gisiocMap.fitBounds([[108.11, 15.785], [108.22, 15.83]],"
        " {animate: false, padding: {left: 340, top: 20, right: 380, bottom: 20}})"
    )
    map_page.settled()
    tiles = [(u, s) for u, s in map_page.responded(f"/tiles/{FLOOD}/") if ".png" in u]
    assert tiles and all(s in (200, 204, 304) for _, s in tiles), tiles
    assert any(s == 200 for _, s in tiles)

    text = _readout_at(map_page, rasters[FLOOD], 108.145, 15.80)  # clear of panel and sheet
    assert text.startswith("Độ sâu ngập:") and text.endswith(" m")
    map_page.screenshot("rasters-leader-desktop")

    page.locator(f"#toggle-{HILL}").check()
    ramp = page.locator(f"#legend-{HILL}")
    ramp.locator(".raster-ramp").wait_for()
    assert ramp.get_attribute("data-ramp") == "continuous"
    assert re.search(r"\d", ramp.locator(".raster-min").inner_text())
    map_page.settled()
    relief = [s for u, s in map_page.responded(f"/tiles/{HILL}/") if "relief=1" in u]
    assert relief and 200 in relief
    both = _readout_at(map_page, rasters[HILL], 108.16, 15.805)
    assert both.startswith("Độ cao:")
    assert page.locator("#raster-readout .raster-line").count() == 2
    map_page.screenshot("rasters-leader-desktop-relief")

    # English: the readout and the legends switch with the page.
    page.locator('.lang-switch [data-lang="en"]').click()
    depth = _readout_at(map_page, rasters[FLOOD], 108.145, 15.80)
    assert depth.startswith("Flood depth: ") and "," not in depth, depth
    assert "Synthetic data" in page.locator(f"#legend-{FLOOD}").inner_text()

    # The opacity slider fades the colours and the hillshade together.
    page.locator(f"#opacity-{HILL}").fill("50")
    opacities = page.evaluate(
        "(ids) => ids.map((id) => gisiocMap.getPaintProperty(id, 'raster-opacity'))",
        [HILL, f"{HILL}-relief"],
    )
    assert opacities == [pytest.approx(rasters[HILL].opacity * 0.5), 0.5]
    page.locator(f"#toggle-{FLOOD}").uncheck()
    page.locator(f"#toggle-{HILL}").uncheck()
    page.locator("#raster-readout").wait_for(state="hidden")
    assert map_page.console_errors == []
    assert map_page.foreign_requests() == []


def test_field_staff_phone_taps_for_the_depth(
    phone_page: MapPage, seeded: Seeded, rasters: dict[str, Raster]
) -> None:
    phone_page.open()
    page = phone_page.page
    _sign_in(phone_page, Role.FIELD_STAFF)
    page.locator(".panel-toggle").click()
    page.locator(f"#toggle-{FLOOD}").check()
    page.locator(f"#legend-{FLOOD} li").first.wait_for()
    phone_page.screenshot("rasters-phone-panel")
    page.locator(".panel-toggle").click()  # folded: the map to tap on
    page.evaluate("gisiocMap.fitBounds([[108.15, 15.79], [108.21, 15.82]], {animate: false})")
    phone_page.settled()
    text = _readout_at(phone_page, rasters[FLOOD], 108.18, 15.80, click=True)
    assert text.startswith("Độ sâu ngập:")
    readout = page.locator("#raster-readout").bounding_box()
    assert readout and readout["x"] >= 0 and readout["x"] + readout["width"] <= 390
    sheet = page.locator("#sheet")
    if sheet.is_visible():  # the tap opened the commune's profile: the readout stays above it
        assert readout["y"] + readout["height"] <= sheet.bounding_box()["y"]
    phone_page.screenshot("rasters-phone")
    assert phone_page.console_errors == []
