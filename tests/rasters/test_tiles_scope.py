"""A commune officer reads a staff-only raster within their communes only (the access rule
of every staff layer): tiles elsewhere are empty, pixels outside are clear, values unsaid."""

import io
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from gisioc.geo.models import AdminUnit, UserAccess
from gisioc.rasters.services import raster_add
from tests.geo.factories import make_version, signed_in, square
from tests.rasters.helpers import write_tif
from tests.rasters.test_tiles import tile_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(private_var: Path, tmp_path: Path) -> dict[str, Client]:
    """Two communes side by side under a staff-only flood raster (3 m everywhere); an officer
    of the western one, a leader."""
    make_version(
        "v", {"1": ("Xã Tây", square(108.10, 15.80)), "2": ("Xã Đông", square(108.15, 15.80))}
    )
    raster_add(
        path=write_tif(tmp_path / "kin.tif", np.full((60, 100), 3.0, "float32")),
        kind="flood_depth", name="kin", public=False,
    )  # fmt: skip
    officer = signed_in("canbo", "commune_officer")
    access = UserAccess.objects.get(user=User.objects.get(username="canbo"))
    access.units.set([AdminUnit.objects.get(code="1")])
    return {"officer": officer, "leader": signed_in("leader", "leader")}


def alpha_at(client: Client, lon: float, lat: float, z: int = 13) -> int | None:
    x, y, px, py = tile_of(lon, lat, z)
    response = client.get(f"/tiles/kin/{z}/{x}/{y}.png")
    if response.status_code == 204:
        return None
    assert response.status_code == 200, response.content
    return Image.open(io.BytesIO(response.content)).convert("RGBA").getpixel((px, py))[3]


def test_officer_sees_a_staff_raster_in_their_communes_only(world: dict[str, Client]) -> None:
    officer, leader = world["officer"], world["leader"]
    west, east, far = (108.125, 15.825), (108.175, 15.825), (108.40, 15.90)
    assert alpha_at(leader, *west) == alpha_at(leader, *east) == alpha_at(leader, *far) == 255
    assert alpha_at(officer, *west) == 255
    assert alpha_at(officer, *east) == 0  # drawn in a tile shared with their commune: clear
    assert alpha_at(officer, *far) is None  # a tile away from their commune: empty
    for lon, lat, seen in ((*west, 3.0), (*east, None)):
        body = officer.get(f"/tiles/kin/point?lon={lon}&lat={lat}").json()
        assert body["value"] == seen
    assert leader.get(f"/tiles/kin/point?lon={east[0]}&lat={east[1]}").json()["value"] == 3.0
