"""Adding raster layers: any CRS to a COG, described; bad files refused with nothing left."""

import functools
from pathlib import Path

import numpy as np
import pytest
import rasterio
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from pyproj import Transformer
from rio_cogeo.cogeo import cog_validate

from gisioc.errors import Conflict, InvalidInput
from gisioc.rasters.files import raster_path
from gisioc.rasters.models import Raster
from gisioc.rasters.services import raster_add, raster_recolor, raster_remove
from tests.geo.factories import signed_in
from tests.rasters import helpers

pytestmark = pytest.mark.django_db
# A VN-2000 / TM-3 107°45' (EPSG:5899) grid over Duy Xuyên: 30 m cells.
ORIGIN = (545_000.0, 1_758_000.0)
write_tif = functools.partial(helpers.write_tif, crs="EPSG:5899", origin=ORIGIN, cell=30.0)


def depth_grid(rows: int = 600, cols: int = 700) -> np.ndarray:
    """Depths rising to the east, a nodata strip in the north."""
    grid = np.tile(np.linspace(0, 4, cols, dtype="float32"), (rows, 1))
    grid[:10] = -9999.0
    return grid


def leftovers(var: Path) -> list[str]:
    folder = var / "rasters"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_vn2000_becomes_a_cog_in_its_own_crs(private_var: Path, tmp_path: Path) -> None:
    grid = depth_grid()
    raster = raster_add(path=write_tif(tmp_path / "ngap.tif", grid), kind="flood_depth")
    assert raster.name == "ngap" and raster.crs_name == "EPSG:5899"
    cog = raster_path(raster)
    valid, errors, _ = cog_validate(cog)
    assert valid, errors
    with rasterio.open(cog) as src:
        assert src.overviews(1), "a COG this size has overviews"
        assert src.crs.to_epsg() == 5899 and src.nodata == -9999.0
        # A known cell keeps its place: row 300, column 350 is 350×30 m east of the origin.
        x, y = src.xy(300, 350)
        assert (x, y) == pytest.approx((ORIGIN[0] + 350.5 * 30, ORIGIN[1] - 300.5 * 30))
        assert src.read(1)[300, 350] == grid[300, 350]
    valid_cells = grid[grid != -9999.0]
    assert raster.stats["valid"] == valid_cells.size  # nodata is no value
    assert raster.stats["sum"] == pytest.approx(float(valid_cells.sum(dtype="float64")))
    assert raster.stats["max"] == pytest.approx(4.0)
    assert sum(raster.stats["histogram"]["counts"]) > 0
    # The footprint holds the grid's corners in lon/lat, through the EPSG transformation, and
    # little more (a VN-2000 grid is turned a little against meridians).
    to_lonlat = Transformer.from_crs("EPSG:5899", "EPSG:4326", always_xy=True)
    xs, ys = to_lonlat.transform(
        [ORIGIN[0], ORIGIN[0] + 700 * 30] * 2, [ORIGIN[1]] * 2 + [ORIGIN[1] - 600 * 30] * 2
    )
    x0, y0, x1, y1 = raster.footprint.extent
    assert (x0, y0, x1, y1) == pytest.approx((min(xs), min(ys), max(xs), max(ys)), abs=1e-6)
    assert 108.0 < x0 < 108.5 and 15.7 < y0 < 16.0  # Duy Xuyên
    assert raster.colormap["stops"][0][1] == "#c6dbef"
    assert leftovers(private_var) == [raster.file]


def test_a_file_without_crs_needs_one(private_var: Path, tmp_path: Path) -> None:
    path = write_tif(tmp_path / "dem.tif", np.ones((50, 50), "float32"), crs=None)
    with pytest.raises(InvalidInput, match="EPSG:5899"):
        raster_add(path=path, kind="elevation")
    raster = raster_add(path=path, kind="elevation", crs="EPSG:5899")
    with rasterio.open(raster_path(raster)) as src:
        assert src.crs.to_epsg() == 5899
    with pytest.raises(InvalidInput, match="CRS"):
        raster_add(path=path, kind="elevation", crs="EPSG:999999")


@pytest.mark.parametrize(
    "content",
    [b"not a raster, only text\n", None],  # None: a real GeoTIFF cut in half
    ids=["text-named-tif", "truncated"],
)
def test_bad_files_are_refused_and_leave_nothing(
    private_var: Path, tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "bad.tif"
    if content is None:
        whole = write_tif(tmp_path / "whole.tif", np.random.default_rng(1).random((800, 800)))
        path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        raster_add(path=path, kind="elevation")
    assert "bad.tif" in caught.value.both() and str(tmp_path) not in caught.value.both()
    assert Raster.objects.count() == 0
    assert leftovers(private_var) == []


def test_kinds_and_bands_are_checked(private_var: Path, tmp_path: Path) -> None:
    path = write_tif(tmp_path / "a.tif", np.ones((20, 20), "float32"))
    with pytest.raises(InvalidInput, match="kind"):
        raster_add(path=path, kind="rainfall")
    with pytest.raises(Conflict):
        raster_add(path=path, kind="elevation", name="admin-units")  # a registry layer's id
    with pytest.raises(Conflict):
        raster_add(path=path, kind="elevation", name="basemap")


def test_a_new_version_replaces_the_file(
    private_var: Path, tmp_path: Path, django_capture_on_commit_callbacks
) -> None:
    first = raster_add(path=write_tif(tmp_path / "p.tif", depth_grid(60, 70)), kind="flood_depth")
    with django_capture_on_commit_callbacks(execute=True):
        second = raster_add(
            path=write_tif(tmp_path / "p.tif", depth_grid(60, 70) * 2), kind="flood_depth"
        )
    assert second.pk == first.pk and second.version != first.version
    assert leftovers(private_var) == [second.file]
    with django_capture_on_commit_callbacks(execute=True):
        recoloured = raster_recolor(
            name="p", colormap={"type": "continuous", "stops": [[0, "#000000"], [8, "#ffffff"]]}
        )
    assert recoloured.version not in (first.version, second.version)
    with django_capture_on_commit_callbacks(execute=True):
        raster_remove(name="p")
    assert leftovers(private_var) == [] and not Raster.objects.exists()


def test_command_line(private_var: Path, tmp_path: Path, capsys) -> None:
    path = write_tif(tmp_path / "do-cao.tif", np.arange(400, dtype="float32").reshape(20, 20))
    call_command("rasters", "add", str(path), "--kind", "elevation", "--title-vi", "Độ cao")
    call_command("rasters", "list")
    out = capsys.readouterr().out
    assert "do-cao" in out and "EPSG:5899" in out and "Độ cao" in out
    (tmp_path / "x.tif").write_text("hello")
    with pytest.raises(CommandError, match="not a readable GeoTIFF"):
        call_command("rasters", "add", str(tmp_path / "x.tif"), "--kind", "elevation")


def test_web_upload_for_gis_officers(private_var: Path, tmp_path: Path) -> None:
    path = write_tif(tmp_path / "ngap-20.tif", depth_grid(60, 70))
    form = {"kind": "flood_depth", "title_vi": "Ngập lũ 20 năm", "public": "false"}

    def upload(client: Client, name: str = "ngap-20.tif", content: bytes | None = None):
        body = content if content is not None else path.read_bytes()
        return client.post("/api/rasters/", {**form, "file": SimpleUploadedFile(name, body)})

    assert upload(Client()).status_code in (401, 403)
    assert upload(signed_in("planner", "planner")).status_code == 403
    officer = signed_in("gis", "gis_officer")
    assert upload(officer, "ngap.png").status_code == 400
    refused = upload(officer, "text.tif", b"plain text")
    assert refused.status_code == 400 and "GeoTIFF" in refused.json()["message"]
    answer = upload(officer)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name"] == "ngap-20" and body["crs"] == "EPSG:5899" and not body["public"]
    assert body["source_name"] == "ngap-20.tif" and body["legend"][0]["color"] == "#c6dbef"
    # Staff-only: the public neither lists nor reads it.
    assert Client().get("/api/rasters/").json() == {"rasters": []}
    assert Client().get("/api/rasters/ngap-20/").status_code == 403
    assert Client().get("/api/rasters/khong-co/").status_code == 404
    assert [r["name"] for r in officer.get("/api/rasters/").json()["rasters"]] == ["ngap-20"]
    remove = "/api/rasters/ngap-20/remove/"
    assert signed_in("leader", "leader").post(remove, {"confirm": "ngap-20"}).status_code == 403
    unconfirmed = officer.post(remove, {"confirm": "ngap"})
    assert unconfirmed.status_code == 400 and "ngap-20" in unconfirmed.json()["message"]
    assert Raster.objects.exists()
    assert officer.post(remove, {"confirm": "ngap-20"}).status_code == 204
    assert not Raster.objects.exists()
