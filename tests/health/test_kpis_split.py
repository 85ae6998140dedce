"""Visits per 1,000 residents across the reform: residents of a commune split between two
successors are apportioned by the crosswalk's shares (known by their commune's code only),
those of a commune merged whole count whole; the KPIs and the map's view agree."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility
from gisioc.health.kpis import KPIS
from gisioc.health.stats import ResidenceHealthStats
from gisioc.indicators.models import IndicatorValue
from gisioc.periods import period_parse
from tests.geo import test_rollup
from tests.health.fixtures_kpis import encounter_add, vn

pytestmark = pytest.mark.django_db
split = test_rollup.split  # old A → B 0.6 + C 0.4; old D → E whole (a fixture)
MARCH = period_parse("2025-03")


@pytest.fixture
def residents(split: dict[str, AdminUnit]) -> dict[str, AdminUnit]:
    """10 visits by residents of A and 5 by residents of D in March 2025 (before the
    reform), at a station in B; the new communes' 2025 populations."""
    Facility.objects.create(
        kind="health",
        code="TYT-T",
        name="Trạm Y tế thử",
        folded_name="tram y te thu",
        geom=Point(108.02, 15.05, srid=4326),
        unit=split["B"],
    )
    for n, key in enumerate("A" * 10 + "D" * 5):
        row = ("TYT-T", key, "outpatient", False, "J06.9", vn(3, 2 + n, year=2025), None, None)
        encounter_add(f"S{n:02d}", (*row, "", "unknown", True), split[key])
    version = BoundaryVersion.objects.get(slug="new-2025")
    for key, people in (("B", 3000), ("C", 2000), ("E", 1000)):
        IndicatorValue.objects.create(
            source="test",
            external_id=f"population:{key}",
            indicator_id="population",
            version=version,
            unit=split[key],
            period="2025",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            value=people,
        )
    return split


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("B",), 2.0),  # 10 × 0.6 = 6 of 3,000
        (("C",), 2.0),  # 10 × 0.4 = 4 of 2,000
        (("B", "C"), 2.0),  # 10 of 5,000: each resident once
        (("E",), 5.0),  # 5 of 1,000, merged whole: a plain count
        (("B", "E"), 2.75),  # 11 of 4,000
    ],
)
def test_per_1000_apportions_a_split_commune(
    residents: dict[str, AdminUnit], keys: tuple[str, ...], expected: float
) -> None:
    units = [residents[k].pk for k in keys]
    assert KPIS.kpis(period=MARCH, units=units)["visits_per_1000"] == expected


def test_the_map_view_agrees_and_holds_small_ones_back(residents: dict[str, AdminUnit]) -> None:
    rows = {
        r.code: r for r in ResidenceHealthStats.objects.filter(period="2025-03").order_by("code")
    }
    assert (rows["90011"].visits, rows["90011"].per_1000) == (6, 2.0)
    assert (rows["90012"].visits, rows["90012"].per_1000, rows["90012"].suppressed) == (
        None,
        None,
        True,
    )  # 4
    assert (rows["90013"].visits, rows["90013"].per_1000) == (5, 5.0)
    assert (
        KPIS.kpis(period=MARCH, units=[residents["C"].pk], public=True)["visits_per_1000"] is None
    )  # from 4 residents' visits
