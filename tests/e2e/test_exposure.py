"""Flood exposure in a real Chromium: a leader opens the tool, the list names the facilities in
the water (deepest first) and not the dry ones, the red rings are drawn and go with the tool;
an open incident's panel lists what around it lies in the water; a field officer on a phone
uses the same tool. Screenshots: exposure-leader (desktop), exposure-phone (390×844)."""

import numpy as np
import pytest
import rasterio
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.utils import timezone
from rasterio.transform import from_origin

from gisioc.geo.models import Role, UserAccess
from gisioc.incidents.models import Incident
from gisioc.rasters.models import Raster
from gisioc.rasters.services import raster_add
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_dossiers import PASSWORD, leader, sign_in  # noqa: F401  (the leader fixture)

pytestmark = pytest.mark.e2e
WEST, NORTH, CELL = 108.10, 15.83, 0.001  # over the seeded communes (108.10–108.25, 15.78–)
RINGS = "() => gisiocMap.getLayer('exposure-rings') ? "
RINGS += "gisiocMap.queryRenderedFeatures({ layers: ['exposure-rings'] }).length : -1"


def _flood(tmp, name: str = "lu-e2e") -> Raster:
    """1 m deep from 108.12 to 108.15°E (Trường Tiểu học Thu Bồn), 2 m from 108.15 to 108.18°E
    (Trạm Y tế Duy Xuyên); dry elsewhere (UBND xã Duy Xuyên, Nam Phước's places)."""
    depth = np.zeros((50, 150), dtype="float32")
    depth[:, 20:50] = 1.0
    depth[:, 50:80] = 2.0
    path = tmp / f"{name}.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        width=150,
        height=50,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(WEST, NORTH, CELL, CELL),
        nodata=-9999.0,
    ) as dst:
        dst.write(depth, 1)
    people = tmp / "dan-so-e2e.tif"
    with rasterio.open(
        people,
        "w",
        driver="GTiff",
        width=30,
        height=10,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=from_origin(WEST, NORTH, CELL * 5, CELL * 5),
        nodata=-1.0,
    ) as dst:
        dst.write(np.full((10, 30), 50.0, dtype="float32"), 1)
    raster_add(
        path=people, kind="population", name="dan-so-e2e", title_vi="Dân số", title_en="Population"
    )
    return raster_add(
        path=path,
        kind="flood_depth",
        name=name,
        title_vi="Ngập lũ 20 năm",
        title_en="20-year flood",
        unit_vi="m",
        unit_en="m",
        public=False,
    )


@pytest.fixture
def field_staff(transactional_db) -> str:
    user = get_user_model().objects.create_user("e2e-field", password=PASSWORD)
    UserAccess.objects.create(user=user, role=Role.FIELD_STAFF)
    return user.username


def _open_tool(mp: MapPage) -> None:
    page = mp.page
    page.locator("#exp-tool:not([hidden])").click()
    mp.sheet("exposure")


def test_a_leader_sees_the_facilities_in_the_water_ringed_on_the_map(
    map_page: MapPage,
    seeded: Seeded,
    leader: str,  # noqa: F811
    tile_cache_dir,
) -> None:
    _flood(tile_cache_dir.parent.parent)
    map_page.open()
    page = map_page.page
    assert page.locator("#exp-tool").count() == 0, "not for the public"
    sign_in(map_page, leader)
    _open_tool(map_page)
    names = page.locator("#exp-list .record-name").all_inner_texts()
    assert names == ["Trạm Y tế Duy Xuyên", "Trường Tiểu học Thu Bồn"], (
        "deepest first, dry ones not"
    )
    depths = page.locator("#exp-list .exp-depth").all_inner_texts()
    assert depths == ["2 m", "1 m"]
    assert page.locator("[data-testid=exp-schools] strong").inner_text() == "1"
    assert page.locator("[data-testid=exp-health] strong").inner_text() == "1"
    communes = page.locator("#exp-communes tbody").inner_text()
    assert "Xã Thu Bồn" in communes and "Xã Duy Xuyên" in communes and "Nam Phước" not in communes
    assert int(page.locator("[data-testid=exp-residents] strong").inner_text().replace(".", "")) > 0
    map_page.settled()  # the map fitted to the places in the water
    page.wait_for_function(f"({RINGS})() === 2", timeout=20_000, polling=250)
    map_page.screenshot("exposure-leader")

    page.locator("#exp-list .exp-item").first.click()  # fly there and open the record
    page.wait_for_function("document.getElementById('sheet').dataset.view === 'record'")
    assert "Trạm Y tế Duy Xuyên" in page.locator("#sheet-title").inner_text()
    assert page.evaluate(f"({RINGS})()") >= 1, "the rings stay beside the record"
    page.locator(".sheet-close").click()
    page.wait_for_function(f"({RINGS})() === -1")  # the tool closed: the rings gone

    _open_tool(map_page)
    page.fill("#exp-threshold", "1.5")
    page.locator("#exp-go").click()
    page.wait_for_function("document.getElementById('sheet').dataset.ready === 'exposure'")
    assert page.locator("#exp-list .record-name").all_inner_texts() == ["Trạm Y tế Duy Xuyên"]
    assert map_page.console_errors == []


def test_an_open_incident_lists_what_around_it_lies_in_the_water(
    map_page: MapPage,
    seeded: Seeded,
    leader: str,  # noqa: F811
    tile_cache_dir,
) -> None:
    _flood(tile_cache_dir.parent.parent)
    Incident.objects.create(
        kind="flood",
        severity=3,
        title="Ngập sâu quanh trạm y tế",
        geom=Point(108.176, 15.814, srid=4326),
        unit_id=seeded.ids["90002"],
        opened_at=timezone.now(),
    )
    map_page.open()
    sign_in(map_page, leader)
    page = map_page.page
    page.locator("#inc-tool").click()
    map_page.sheet("incidents:list")
    page.locator("#inc-list button.record").first.click()
    section = page.locator("#inc-flood")
    section.locator(".exp-item").first.wait_for(timeout=20_000)
    listed = section.inner_text()
    assert "Trong vùng ngập" in listed and "Trạm Y tế Duy Xuyên" in listed
    assert "Trường Tiểu học Thu Bồn" not in listed, "5 km away: outside the 2 km circle"
    map_page.screenshot("exposure-incident")


def test_a_field_officer_uses_the_tool_on_a_phone(
    phone_page: MapPage, seeded: Seeded, field_staff: str, tile_cache_dir
) -> None:
    _flood(tile_cache_dir.parent.parent)
    phone_page.open()
    sign_in(phone_page, field_staff)
    _open_tool(phone_page)
    page = phone_page.page
    assert page.locator("#exp-list .exp-item").count() == 2
    tool = page.locator("#exp-tool").bounding_box()
    assert tool and tool["x"] + tool["width"] <= 390, "the tool fits the phone's width"
    go = page.locator("#exp-go").bounding_box()
    assert go and go["x"] + go["width"] <= 390
    phone_page.screenshot("exposure-phone")
    assert phone_page.console_errors == []
