"""Exposure against hand-placed places: those in water listed with their depth, dry ones and
those on nodata not, the threshold's edge kept, a VN-2000 raster giving the same answer, and
per-commune KPIs with residents exposed from a hand-made population raster."""

from pathlib import Path

import pytest

from gisioc.errors import InvalidInput, NotFound
from gisioc.rasters.exposure import Near, exposure_list, hazard_get
from gisioc.rasters.exposure_kpis import exposure_kpis
from gisioc.rasters.models import Raster
from tests.rasters.exposure_world import FloodWorld, centre, flood_world, population, vn2000_flood

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(private_var: Path) -> FloodWorld:
    return flood_world()


def _codes(items: list) -> dict[str, float]:
    return {f"{i.record_type}:{i.code}": round(i.value, 3) for i in items}


def test_the_places_in_water_are_listed_with_their_depth_deepest_first(world: FloodWorld) -> None:
    items = exposure_list(raster=world.flood, threshold=0.5)
    report = world.places["report_open"]
    incident = world.places["incident"]
    assert _codes(items) == {
        "facility:TH-WET": 1.2,
        "facility:MC-WET": 1.2,
        f"report:{report.ticket}": 1.2,
        f"incident:{incident.pk}": 1.2,
        "facility:TYT-WET": 0.8,
    }
    assert [round(i.value, 3) for i in items] == sorted(
        (round(i.value, 3) for i in items), reverse=True
    )
    by_code = {i.code: i for i in items}
    school = by_code["TH-WET"]
    assert (school.type, school.group, school.commune) == ("school", "school", "Xã An")
    assert school.detail == f"/api/facilities/{world.places['school_wet'].pk}/"
    assert (by_code["TYT-WET"].group, by_code["TYT-WET"].commune) == ("health", "Xã Bình")
    assert by_code["MC-WET"].group == "facility"
    shown = by_code[report.ticket]
    # A report is its ticket and category, never its reporter.
    assert shown.name.vi.startswith(report.ticket) and "Bí Mật" not in shown.name.vi
    assert shown.detail == f"/api/feedback/reports/{report.pk}/"
    assert (shown.lon, shown.lat) == pytest.approx((centre(12, 12).x, centre(12, 12).y))


def test_the_threshold_edge_is_kept_a_cell_at_the_threshold_is_not_above_it(
    world: FloodWorld,
) -> None:
    at = _codes(exposure_list(raster=world.flood, threshold=0.5))
    assert "facility:TH-EDGE" not in at
    below = _codes(exposure_list(raster=world.flood, threshold=0.49))
    assert below["facility:TH-EDGE"] == 0.5
    deeper = _codes(exposure_list(raster=world.flood, threshold=1.0))
    assert "facility:TYT-WET" not in deeper and "facility:TH-WET" in deeper
    assert exposure_list(raster=world.flood, threshold=1.2) == []


def test_dry_nodata_closed_and_off_raster_places_and_resolved_reports_are_not_listed(
    world: FloodWorld,
) -> None:
    listed = _codes(exposure_list(raster=world.flood, threshold=0.0))
    assert "facility:TH-DRY" not in listed  # 0 m is not above 0
    assert "facility:CQ-ND" not in listed  # nodata is not water
    assert "facility:TH-OLD" not in listed  # out of service
    assert "facility:TH-OFF" not in listed  # off the raster
    assert f"report:{world.places['report_done'].ticket}" not in listed


def test_a_vn2000_raster_gives_the_same_answer(world: FloodWorld) -> None:
    vn = vn2000_flood("lu-vn2000")
    assert "5899" in vn.crs_name
    for threshold in (0.0, 0.49, 0.5, 1.0):
        assert _codes(exposure_list(raster=vn, threshold=threshold)) == _codes(
            exposure_list(raster=world.flood, threshold=threshold)
        )


def test_scope_a_bbox_and_a_circle_narrow_the_list(world: FloodWorld) -> None:
    in_an = _codes(exposure_list(raster=world.flood, threshold=0.5, unit_ids={world.an.id}))
    assert "facility:TH-WET" in in_an and "facility:TYT-WET" not in in_an
    box = _codes(
        exposure_list(raster=world.flood, threshold=0.5, bbox=(108.25, 15.85, 108.3, 15.9))
    )
    assert box == {"facility:TYT-WET": 0.8}
    near = centre(35, 65)
    circle = exposure_list(raster=world.flood, threshold=0.5, near=Near(near.x, near.y, 500))
    assert _codes(circle) == {"facility:TYT-WET": 0.8}


def test_kpis_per_commune_with_residents_exposed(world: FloodWorld) -> None:
    assert exposure_kpis(raster=world.flood, threshold=0.5)["population_raster"] is None
    people = population()
    kpis = exposure_kpis(raster=world.flood, threshold=0.5)
    rows = {r["code"]: r for r in kpis["by_commune"]}
    an, binh = rows["90001"], rows["90002"]
    assert (an["schools"], an["health"], an["other_facilities"]) == (1, 0, 1)
    assert an["records"] == {"incident": 1, "report": 1}
    assert (binh["schools"], binh["health"], binh["other_facilities"]) == (0, 1, 0)
    assert binh["records"] == {"incident": 0, "report": 0}
    # 200 wet 0.001° cells in An, 100 in Bình; 25 of them make a 100-people cell.
    assert an["residents"] == 800 and binh["residents"] == 400
    assert kpis["totals"]["residents"] == 1200 and kpis["totals"]["schools"] == 1
    assert kpis["population_raster"]["name"] == people.name
    lower = {
        r["code"]: r["residents"]
        for r in exposure_kpis(raster=world.flood, threshold=0.49)["by_commune"]
    }
    assert lower == {"90001": 900, "90002": 400}  # the 0.5 m block (25 cells) joins
    vn = {
        r["code"]: r["residents"]
        for r in exposure_kpis(raster=vn2000_flood("lu-vn"), threshold=0.5)["by_commune"]
    }
    assert vn["90001"] == pytest.approx(800, rel=0.05) and vn["90002"] == pytest.approx(
        400, rel=0.05
    )
    scoped = exposure_kpis(raster=world.flood, threshold=0.5, unit_ids={world.binh.id})
    assert [r["code"] for r in scoped["by_commune"]] == ["90002"]


def test_only_hazard_rasters_have_exposure(world: FloodWorld) -> None:
    population("dan-so")
    with pytest.raises(InvalidInput) as refused:
        hazard_get(name="dan-so")
    assert "hazard" in refused.value.en and "nguy cơ" in refused.value.vi
    with pytest.raises(NotFound):
        hazard_get(name="khong-co")
    assert hazard_get(name="lu-thu").kind == Raster.Kind.FLOOD_DEPTH
