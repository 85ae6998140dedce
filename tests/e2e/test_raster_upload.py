"""A GIS officer adds a raster layer in a real Chromium: a VN-2000 GeoTIFF uploaded in the
boundary tool is listed, drawn from our raster tiles over its place, and can be removed."""

import io

import numpy as np
import pytest
import rasterio
from django.contrib.auth import get_user_model
from pyproj import Transformer
from rasterio.transform import from_origin

from gisioc.geo.models import Role, UserAccess
from gisioc.rasters.models import Raster
from tests.e2e.conftest import MapPage, Seeded

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-raster-officer-password"


def vn2000_tif() -> bytes:
    """A 200 × 200 grid of 30 m cells in VN-2000 / TM-3 107°45' over the seeded communes."""
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True).transform(108.12, 15.86)
    depth = np.tile(np.linspace(0.1, 3.5, 200, dtype="float32"), (200, 1))
    out = io.BytesIO()
    with rasterio.MemoryFile() as memory:
        with memory.open(
            driver="GTiff",
            width=200,
            height=200,
            count=1,
            dtype="float32",
            crs="EPSG:5899",
            transform=from_origin(x, y, 30, 30),
            nodata=-9999,
        ) as dst:
            dst.write(depth, 1)
        out.write(memory.read())
    return out.getvalue()


@pytest.fixture
def gis_officer(transactional_db) -> str:
    user = get_user_model().objects.create_user("e2e-raster", password=PASSWORD)
    UserAccess.objects.create(user=user, role=Role.GIS_OFFICER)
    return user.username


def test_gis_officer_adds_and_removes_a_raster_layer(
    map_page: MapPage, seeded: Seeded, gis_officer: str
) -> None:
    map_page.open()
    page = map_page.page
    page.locator("#sign-in").click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", gis_officer)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    page.locator("#boundary-tool").click()
    map_page.sheet("boundary")
    section = page.locator("#raster-admin")
    assert "Chưa có lớp raster" in section.inner_text()

    page.locator("#rf-file").set_input_files(
        {"name": "ngap-thu-bon.tif", "mimeType": "image/tiff", "buffer": vn2000_tif()}
    )
    page.select_option("#rf-kind", "flood_depth")
    page.fill("#rf-title_vi", "Ngập lũ thử")
    page.locator("#raster-form button[type=submit]").click()
    section.locator('li[data-raster="ngap-thu-bon"]').wait_for(timeout=30_000)
    assert "Đã thêm lớp ngap-thu-bon" in section.inner_text()
    assert "EPSG:5899" in section.inner_text() and "200 × 200" in section.inner_text()
    raster = Raster.objects.get(name="ngap-thu-bon")
    assert raster.title_vi == "Ngập lũ thử" and raster.source_name == "ngap-thu-bon.tif"

    map_page.idle()  # the map flew to it and drew it from our raster tiles
    tiles = map_page.responded("/tiles/ngap-thu-bon/")
    assert tiles and all(status in (200, 204) for _, status in tiles), tiles
    assert any(status == 200 for _, status in tiles)
    map_page.screenshot("map-desktop-raster-added")

    page.once("dialog", lambda dialog: dialog.accept())
    section.locator('li[data-raster="ngap-thu-bon"] button').click()
    section.locator("text=Đã xóa lớp ngap-thu-bon").wait_for()
    assert not Raster.objects.filter(name="ngap-thu-bon").exists()
