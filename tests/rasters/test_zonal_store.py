"""Zonal statistics stored as indicator values: read back through the indicators' API, the
choropleth's tiles and legend, rankings and profiles; re-runs replace; the zonal API's rights;
the command line."""

import gzip
import io
from pathlib import Path

import mapbox_vector_tile
import numpy as np
import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from gisioc.geo.models import AdminUnit
from gisioc.indicators.models import Indicator, IndicatorValue
from gisioc.rasters.services import raster_add
from gisioc.rasters.zonal import zonal_run, zonal_store
from tests.geo.factories import make_version, signed_in, square
from tests.rasters.test_zonal import CELL, NORTH, WEST, added, people, tif
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
HALF = 2 * CELL


@pytest.fixture
def quadrants(db: None) -> dict[str, AdminUnit]:
    """Four communes tiling the 4 × 4 test grid (in force since 2025-07-01)."""
    make_version(
        "zs-now",
        {
            "1": ("Xã Tây Bắc", square(WEST, NORTH - HALF, HALF)),
            "2": ("Xã Đông Bắc", square(WEST + HALF, NORTH - HALF, HALF)),
            "3": ("Xã Tây Nam", square(WEST, NORTH - 2 * HALF, HALF)),
            "4": ("Xã Đông Nam", square(WEST + HALF, NORTH - 2 * HALF, HALF)),
        },
    )
    return {u.code: u for u in AdminUnit.objects.filter(version__slug="zs-now")}


def _values(code: str) -> dict[str, float]:
    rows = IndicatorValue.objects.filter(indicator=code).select_related("unit")
    return {v.unit.code: v.value for v in rows}


def test_population_becomes_indicators_on_the_choropleth_rankings_and_profiles(
    private_var: Path, quadrants: dict[str, AdminUnit]
) -> None:
    raster = added(private_var, "pop-grid", people())
    assert zonal_store(raster=raster, version="zs-now", period="2025") == 8  # 4 × people, density
    people_code, density_code = "pop_pop-grid", "popdens_pop-grid"
    assert _values(people_code) == {"1": 14, "2": 22, "3": 46, "4": 54}
    pop = Indicator.objects.get(code=people_code)
    assert (pop.source, pop.domain, pop.combine, pop.headline) == (
        "raster",
        "population",
        "sum",
        True,
    )
    area = quadrants["1"].geom.transform(32649, clone=True).area / 1e6  # UTM 49N, km²
    assert _values(density_code)["1"] == pytest.approx(14 / area, rel=2e-3)

    client = APIClient()
    listed = {i["code"]: i for i in client.get("/api/indicators/").json()["results"]}
    assert listed[people_code]["per_unit"] is True and listed[people_code]["periods"] == ["2025"]
    assert listed[people_code]["source"] == "raster"
    ranking = client.get(f"/api/indicators/{people_code}/ranking/?period=2025").json()
    assert [r["code"] for r in ranking["rows"]] == ["4", "3", "2", "1"]
    assert ranking["whole"]["value"] == pytest.approx(136)  # the raster's total

    x, y = tile_for(WEST + 0.01, NORTH - 0.01, 11)
    tile = client.get(f"/tiles/indicator-map/11/{x}/{y}.mvt?indicator_code={people_code}")
    assert tile.status_code == 200
    body = gzip.decompress(tile.content) if tile.get("Content-Encoding") == "gzip" else tile.content
    shown = {
        f["properties"]["code"]: f["properties"]["value"]
        for f in mapbox_vector_tile.decode(body)["indicator-map"]["features"]
    }
    assert shown == {"1": 14, "2": 22, "3": 46, "4": 54}
    legend = client.get(f"/tiles/legend/indicator-map.json?indicator_code={people_code}").json()
    assert legend["features"] == 4

    profile = client.get(f"/api/profiles/units/{quadrants['4'].pk}/").json()
    section = next(s for s in profile["sections"] if s["id"] == "indicators")
    figure = next(k for k in section["kpis"] if k["id"] == people_code)
    assert (figure["value"], figure["period"], figure["status"]) == (54, "2025", "estimated")


def test_a_rerun_replaces_and_a_smaller_raster_drops_units_it_no_longer_reaches(
    private_var: Path, quadrants: dict[str, AdminUnit]
) -> None:
    raster = added(private_var, "flood-run", np.full((4, 4), 0.8, dtype="float32"), "flood_depth")
    first = zonal_run(raster=raster, version="zs-now", period="2025")
    assert first.indicators == ["flood_share_flood-run", "flood_max_flood-run"]
    assert (first.created, first.stored, first.threshold) == (8, 8, 0.5)
    assert _values("flood_share_flood-run") == pytest.approx(dict.fromkeys("1234", 100.0))
    again = zonal_run(raster=raster, version="zs-now", period="2025")
    assert (again.created, again.unchanged) == (0, 8)
    assert IndicatorValue.objects.filter(source="raster-flood-run").count() == 8

    # A new file for the layer: only the north-west 2 × 2 cells, half of them deep.
    smaller = np.array([[0.2, 0.9], [0.3, 1.4]], dtype="float32")
    raster = added(private_var, "flood-run", smaller, "flood_depth")
    third = zonal_run(raster=raster, version="zs-now", period="2025")
    assert (third.updated, third.removed) == (2, 6)
    assert _values("flood_share_flood-run") == {"1": pytest.approx(50, rel=2e-3)}
    assert _values("flood_max_flood-run") == {"1": pytest.approx(1.4)}
    # Another threshold is another indicator, never the 0.5 m one rewritten.
    deeper = zonal_run(raster=raster, version="zs-now", period="2025", threshold=1)
    assert deeper.indicators[0] == "flood_share_flood-run_gt1"
    assert _values("flood_share_flood-run_gt1") == {"1": pytest.approx(25, rel=2e-3)}
    assert _values("flood_share_flood-run") == {"1": pytest.approx(50, rel=2e-3)}


def test_the_zonal_api_reads_for_whoever_sees_the_layer_and_stores_for_gis_officers(
    private_var: Path, quadrants: dict[str, AdminUnit]
) -> None:
    added(private_var, "pop-api", people())
    public = APIClient()
    read = public.get("/api/rasters/pop-api/zonal/?version=zs-now")
    assert read.status_code == 200
    stats = {s["code"]: s for s in read.json()["stats"]}
    assert stats["4"]["sum"] == pytest.approx(54) and stats["4"]["covered_area_km2"] > 4
    in_force = public.get("/api/rasters/pop-api/zonal/").json()
    assert in_force["version"] == "zs-now"
    assert public.post("/api/rasters/pop-api/zonal/", {}, format="json").status_code in (401, 403)
    leader = signed_in("zonal-leader", "leader")
    assert leader.post("/api/rasters/pop-api/zonal/", {}).status_code == 403
    assert not IndicatorValue.objects.exists()

    officer = signed_in("zonal-gis", "gis_officer")
    stored = officer.post(
        "/api/rasters/pop-api/zonal/",
        {"period": "2025", "indicators": ["sum"]},
        content_type="application/json",
    )
    assert stored.status_code == 200, stored.content
    body = stored.json()
    assert (body["indicators"], body["stored"], body["created"]) == (["pop_pop-api"], 4, 4)
    no_period = officer.post("/api/rasters/pop-api/zonal/", {}, content_type="application/json")
    assert no_period.status_code == 400 and no_period.json()["fields"]["period"]
    bad = officer.post(
        "/api/rasters/pop-api/zonal/",
        {"period": "2025", "threshold": "NaN"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["fields"]["threshold"]
    wrong = officer.post(
        "/api/rasters/pop-api/zonal/",
        {"period": "2025", "indicators": ["share"]},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and "share" in wrong.json()["en"]
    missing = public.get("/api/rasters/pop-api/zonal/?version=nowhere")
    assert missing.status_code == 404 and "nowhere" in missing.json()["en"]
    # A new file for the layer is a new answer, not the cached one.
    added(private_var, "pop-api", people() * 2)
    again = public.get("/api/rasters/pop-api/zonal/?version=zs-now").json()
    assert {s["code"]: s["sum"] for s in again["stats"]}["4"] == pytest.approx(108)


def test_a_staff_only_raster_gives_its_statistics_to_staff_only(
    private_var: Path, quadrants: dict[str, AdminUnit]
) -> None:
    path = tif(private_var / "secret.tif", people())
    raster_add(path=path, kind="population", name="pop-staff", public=False)
    assert APIClient().get("/api/rasters/pop-staff/zonal/?version=zs-now").status_code == 403
    staff = signed_in("zonal-planner", "planner")
    answer = staff.get("/api/rasters/pop-staff/zonal/?version=zs-now")
    assert answer.status_code == 200 and len(answer.json()["stats"]) == 4


def test_the_command_prints_a_table_and_stores_unless_a_dry_run(
    private_var: Path, quadrants: dict[str, AdminUnit]
) -> None:
    added(private_var, "pop-cli", people())
    out = io.StringIO()
    call_command("rasters", "zonal", "pop-cli", "--period", "2025", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Xã Đông Nam" in text and "54.00" in text and "dry run" in text
    assert not IndicatorValue.objects.exists()
    out = io.StringIO()
    call_command("rasters", "zonal", "pop-cli", "--version", "zs-now", "--period", "2025",
                 stdout=out)  # fmt: skip
    assert "stored 8" in out.getvalue() and "pop_pop-cli" in out.getvalue()
    assert _values("pop_pop-cli")["4"] == 54
    with pytest.raises(CommandError, match="No raster layer nothing"):
        call_command("rasters", "zonal", "nothing")
    with pytest.raises(CommandError, match="period"):
        call_command("rasters", "zonal", "pop-cli", "--period", "2025-13")


def test_hazard_classes_and_elevation_have_their_own_measures(
    private_var: Path, quadrants: dict[str, AdminUnit]
) -> None:
    classes = np.array([[1, 2, 3, 5], [1, 1, 4, 4], [2, 2, 1, 1], [3, 0, 1, 1]], dtype="uint8")
    hazard = added(private_var, "hazard-grid", classes, "hazard_class", nodata=0)
    report = zonal_run(raster=hazard, version="zs-now", period="2025")
    assert report.indicators == ["hazard_share_hazard-grid", "hazard_max_hazard-grid"]
    assert report.threshold == 2  # class 3 and above
    shares = _values("hazard_share_hazard-grid")
    assert shares["2"] == pytest.approx(100.0, rel=2e-3)  # 3, 5, 4, 4
    assert shares["3"] == pytest.approx(25.0, rel=2e-3)  # the 3; the nodata cell is not
    assert shares["1"] == 0.0 and shares["4"] == 0.0
    assert _values("hazard_max_hazard-grid") == {"1": 2, "2": 5, "3": 3, "4": 1}

    heights = np.linspace(0, 150, 16, dtype="float32").reshape(4, 4)
    elevation = added(private_var, "dem-grid", heights, "elevation")
    zonal_run(raster=elevation, version="zs-now", period="2025")
    means = _values("elev_mean_dem-grid")
    assert means["1"] == pytest.approx(heights[:2, :2].mean(), rel=2e-3)
    assert _values("elev_max_dem-grid")["4"] == pytest.approx(150)
    assert Indicator.objects.get(code="elev_mean_dem-grid").unit_en == "m"
