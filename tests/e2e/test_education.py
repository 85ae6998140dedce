"""Education in a real Chromium: schools drawn by their pupils, one that is over capacity
picked by the public, pupils per teacher per commune, and a commune's section by school year."""

import datetime as dt

import pytest

from gisioc.education.models import SchoolYear
from gisioc.geo.models import Facility
from gisioc.periods import VIETNAM
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e
SCHOOLS = "schools"
RATIO = "pupils-per-teacher-per-commune"
# (school, school year, pupils, classes, teachers, capacity)
FIGURES = (
    ("E2E-SCH-1", "2024-2025", 610, 20, 30, 700),
    ("E2E-SCH-1", "2025-2026", 640, 20, 32, 700),
    ("E2E-SCH-5", "2025-2026", 900, 20, 40, 800),  # more pupils than places
)


@pytest.fixture
def school_years(seeded: Seeded) -> dict[str, SchoolYear]:
    """Two school years of a primary school in Thu Bồn, one of a crowded one in Nam Phước."""
    made = {}
    for code, year, pupils, classes, teachers, capacity in FIGURES:
        school = Facility.objects.get(code=code)
        first = int(year[:4])
        made[f"{code}:{year}"] = SchoolYear.objects.create(
            source="e2e",
            external_id=f"{code}:{year}",
            school=school,
            school_code=code,
            school_name=school.name,
            school_year=year,
            year_start=dt.datetime(first, 9, 1, tzinfo=VIETNAM),
            level="tieu_hoc" if code.endswith("1") else "thcs",
            pupils=pupils,
            classes=classes,
            teachers=teachers,
            capacity=capacity,
            over_capacity=pupils > capacity,
            geom=school.geom,
            unit=school.unit,
            locate_on=dt.date(first, 9, 1),
            locate_method="facility",
        )
    return made


def test_schools_by_pupils_a_crowded_school_for_the_public_and_pupils_per_teacher(
    map_page: MapPage, seeded: Seeded, school_years: dict[str, SchoolYear]
) -> None:
    map_page.open()
    page = map_page.page
    page.locator(f"#toggle-{SCHOOLS}").check()
    page.locator(f"#toggle-{RATIO}").check()
    page.evaluate("gisiocMap.jumpTo({center: [108.17, 15.80], zoom: 11})")
    map_page.settled()
    drawn = page.evaluate(
        f"gisiocMap.queryRenderedFeatures({{layers: ['{SCHOOLS}']}})"
        ".map((f) => [f.properties.code, f.properties.pupils, f.properties.over_capacity])"
    )
    assert sorted(map(tuple, drawn)) == [("E2E-SCH-1", 640, False), ("E2E-SCH-5", 900, True)]
    ratios = page.evaluate(
        f"gisiocMap.queryRenderedFeatures({{layers: ['{RATIO}']}})"
        ".map((f) => [f.properties.code, f.properties.pupils_per_teacher])"
    )
    assert ["90001", 20.0] in ratios and ["90003", 22.5] in ratios  # the latest school year

    # The public opens the crowded school's figures: they name no pupil.
    crowded = school_years["E2E-SCH-5:2025-2026"]
    click_at(map_page, crowded.geom.x, crowded.geom.y)
    map_page.sheet(f"record:{crowded.pk}")
    sheet = page.locator("#sheet")
    assert sheet.locator('dd[data-prop="pupils"]').inner_text() == "900"
    assert sheet.locator('dd[data-prop="school_year"]').inner_text() == "2025-2026"
    map_page.screenshot("map-education-school")

    # Thu Bồn's section charts its school's two years, named as school years.
    unit = seeded.ids["90001"]
    page.evaluate(f"history.replaceState(null, '', '?sel=unit:{unit}')")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    map_page.sheet(f"unit:{unit}")
    block = sheet.locator('.profile-section[data-section="education"]')
    assert block.locator('.kpi[data-kpi="pupils_total"]').get_attribute("data-value") == "640"
    periods = block.locator("[data-period]").evaluate_all(
        "(els) => els.map((e) => e.dataset.period)"
    )
    assert "2024-2025" in periods and "2025-2026" in periods
    assert map_page.console_errors == []
