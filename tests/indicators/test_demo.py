"""The indicators demo: deterministic rows of realistic magnitude, loaded through the adapter
once, on the old communes before the 2025 reform and the new ones after, with Covid waves
where Quảng Nam had them and a target for every headline indicator."""

import datetime as dt
import functools
from collections import Counter, defaultdict
from typing import Any

import pytest

from gisioc.geo.models import AdminUnit
from gisioc.indicators import demo, selectors
from gisioc.indicators.catalog import CATALOG, HEADLINE
from gisioc.indicators.demo_communes import (
    CENSUS_POPULATION,
    NEW_VERSION,
    OLD_VERSION,
    communes,
    density_weight,
)
from gisioc.indicators.models import Indicator, IndicatorValue
from gisioc.ingest.models import IngestRun
from gisioc.periods import period_of

REFORM = dt.date(2025, 7, 1)
SPECS = {spec.code: spec for spec in CATALOG}


@functools.cache
def rows() -> tuple[dict[str, Any], ...]:
    """The demo's rows, drawn once for the module."""
    return tuple(demo.demo_indicator_rows())


def _district_daily(indicator: str) -> dict[dt.date, int]:
    daily: Counter[dt.date] = Counter()
    for row in rows():
        if row["indicator"] == indicator:
            daily[dt.date.fromisoformat(row["period"])] += row["value"]
    return dict(sorted(daily.items()))


def _week_average(daily: dict[dt.date, int]) -> dict[dt.date, float]:
    days, values = list(daily), list(daily.values())
    return {days[i]: sum(values[i - 6 : i + 1]) / 7 for i in range(6, len(days))}


def _peak(average: dict[dt.date, float], first: dt.date, last: dt.date) -> tuple[dt.date, float]:
    return max(((d, v) for d, v in average.items() if first <= d <= last), key=lambda x: x[1])


def test_the_rows_are_deterministic_and_cover_every_indicator() -> None:
    again = list(demo.demo_indicator_rows())
    assert again == list(rows())
    assert {r["indicator"] for r in rows()} == set(SPECS)
    keys = Counter(
        (r["indicator"], r["unit"], r["version"], r["period"], r["kind"]) for r in rows()
    )
    assert keys.most_common(1)[0][1] == 1, "one row per indicator, unit, period and kind"
    assert 45_000 < len(rows()) < 60_000


def test_each_period_is_reported_on_the_version_in_force_at_its_end() -> None:
    for row in rows():
        span = period_of(row["period"])
        if row["version"] == OLD_VERSION:
            assert span.end < REFORM, row
        else:
            assert row["version"] == NEW_VERSION and span.end >= REFORM, row
            assert span.start.year >= 2025, row  # the year 2025 is the new communes'
    new = {r["period"] for r in rows() if r["version"] == NEW_VERSION}
    assert {"2025", "2026", "2025-2026", "2026-2027"} == new


def test_only_the_current_year_is_estimated() -> None:
    estimated = {(r["period"], r["kind"]) for r in rows() if r["status"] == "estimated"}
    assert estimated == {("2026", "actual")}
    assert all(r["note"].startswith("Ước") for r in rows() if r["status"] == "estimated")
    pupils = [r for r in rows() if r["indicator"] == "pupils" and r["period"] == "2026-2027"]
    assert pupils and {r["status"] for r in pupils} == {"reported"}  # counted in September


def test_covid_waves_peak_where_quang_nam_had_them() -> None:
    cases = _district_daily("covid_cases")
    assert (min(cases), max(cases)) == (dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert len([r for r in rows() if r["indicator"] == "covid_cases"]) == 13 * 730
    week = _week_average(cases)
    omicron_day, omicron = _peak(week, dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert dt.date(2022, 2, 15) <= omicron_day <= dt.date(2022, 4, 15)
    assert 150 < omicron < 600  # a few hundred a day in a district of 130,000
    _, delta = _peak(week, dt.date(2021, 8, 1), dt.date(2021, 9, 30))
    assert 0 < delta < 0.03 * omicron  # small here
    assert sum(v for d, v in cases.items() if dt.date(2022, 2, 1) <= d <= dt.date(2022, 4, 30)) > (
        0.7 * sum(cases.values())
    )
    deaths, recovered = _district_daily("covid_deaths"), _district_daily("covid_recovered")
    assert 0 < sum(deaths.values()) < 0.002 * sum(cases.values())
    assert sum(deaths.values()) + sum(recovered.values()) <= sum(cases.values())
    tests = _district_daily("covid_tests")
    assert all(tests[d] >= cases[d] for d in cases)
    doses = _district_daily("covid_doses")
    assert sum(v for d, v in doses.items() if d < dt.date(2021, 3, 1)) == 0
    dose_day, _ = _peak(_week_average(doses), dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert dt.date(2021, 8, 15) <= dose_day <= dt.date(2021, 11, 15)
    assert 2.0 < sum(doses.values()) / CENSUS_POPULATION < 2.8  # doses a person by 2023


def test_every_headline_indicator_has_targets_every_year() -> None:
    targets = defaultdict(set)
    for row in rows():
        if row["kind"] == "target":
            targets[row["indicator"]].add(row["period"])
    for code in HEADLINE:
        assert targets[code] == {str(y) for y in range(2020, 2027)}, code
    for item in ("revenue_tax", "revenue_land", "revenue_fees", "spending_recurrent"):
        assert len(targets[item]) == 7, item  # each year's estimate (dự toán)


def _load() -> list[str]:
    lines: list[str] = []
    demo.load(progress=lines.append)
    return lines


@pytest.mark.django_db
def test_the_demo_loads_through_the_adapter_once(geo: None) -> None:
    _load()
    run = IngestRun.objects.get(source=demo.SOURCE, idempotency_key=demo.KEY)
    assert (run.status, run.rejected, run.not_located) == ("done", 0, 0)
    assert run.created == len(rows()) == IndicatorValue.objects.filter(source=demo.SOURCE).count()
    assert Indicator.objects.count() == len(CATALOG)
    lines = _load()
    assert IngestRun.objects.filter(source=demo.SOURCE).count() == 1
    assert IndicatorValue.objects.count() == len(rows())
    assert "already loaded" in lines[-1]


@pytest.mark.django_db
def test_the_census_population_is_split_by_area_and_density(geo: None) -> None:
    _load()
    old = {u.code: u for u in AdminUnit.objects.filter(version__slug=OLD_VERSION, level="commune")}
    census = selectors.whole_value(Indicator.objects.get(code="population"), period="2019")
    assert (census["value"], census["status"]) == (CENSUS_POPULATION, "reported")
    people = dict(
        IndicatorValue.objects.filter(indicator="population", period="2019").values_list(
            "unit__code", "value"
        )
    )
    assert set(people) == set(old)
    weights = {code: density_weight(code, unit.area_km2) for code, unit in old.items()}
    for code, value in people.items():  # drawn from the boundary files, measured in PostGIS
        assert value / CENSUS_POPULATION == pytest.approx(
            weights[code] / sum(weights.values()), rel=0.02
        ), old[code].name
    densest = max(people, key=lambda code: people[code] / old[code].area_km2)
    assert old[densest].name == "Thị trấn Nam Phước"
    growth = selectors.whole_value(Indicator.objects.get(code="population"), period="2024")
    assert 1.025 < growth["value"] / CENSUS_POPULATION < 1.05  # ~0.6 %/yr over five years


@pytest.mark.django_db
def test_new_communes_continue_the_old_series(geo: None) -> None:
    _load()
    values = IndicatorValue.objects.filter(source=demo.SOURCE)
    assert not values.filter(version__slug=NEW_VERSION, period_start__lt=dt.date(2025, 1, 1))
    assert not values.filter(version__slug=OLD_VERSION, period_end__gte=REFORM)
    thu_bon = AdminUnit.objects.get(version__slug=NEW_VERSION, code="20611")
    series = {
        p["period"]: p
        for p in selectors.unit_series(Indicator.objects.get(code="population"), thu_bon)
    }
    assert series["2024"]["status"] == "converted" and series["2025"]["status"] == "reported"
    members = [c for c in communes() if c.new_code == "20611"]
    assert series["2024"]["value"] == sum(c.population(2024) for c in members)
    assert 1.0 < series["2025"]["value"] / series["2024"]["value"] < 1.01
    poverty = selectors.unit_series(Indicator.objects.get(code="poverty_rate"), thu_bon)
    assert [p["status"] for p in poverty if p["period"] in ("2024", "2025")] == [
        "converted",
        "reported",
    ]


@pytest.mark.django_db
def test_the_plan_is_met_in_some_years_and_missed_in_others(geo: None) -> None:
    _load()

    def standing(code: str, year: int) -> str:
        indicator = Indicator.objects.get(code=code)
        return selectors.whole_value(indicator, period=str(year))["standing"]

    assert standing("grdp_growth", 2020) == "missed"  # Covid
    assert standing("grdp_growth", 2022) == "on_track"
    assert standing("poverty_rate", 2023) == "missed"  # lower is better: 2.9 % against 2.7 %
    assert standing("poverty_rate", 2022) == "on_track"
    assert standing("budget_revenue", 2022) == "on_track"  # land-use fees boomed
    assert standing("revenue_land", 2023) == "missed"  # and collapsed
    assert standing("income_per_capita", 2025) == "on_track"  # the 4 new communes together
    board = {item["indicator"].code: item for item in selectors.dashboard(period="2025")}
    assert set(board) == set(HEADLINE)
    assert all(board[code]["target"] is not None for code in HEADLINE)
    assert {board[code]["standing"] for code in HEADLINE} >= {"on_track"}
    communes_2023 = [
        selectors.unit_series(Indicator.objects.get(code="poverty_rate"), unit)
        for unit in AdminUnit.objects.filter(version__slug=OLD_VERSION, level="commune")
    ]
    standings = Counter(p["standing"] for s in communes_2023 for p in s if p["period"] == "2023")
    assert standings["missed"] and standings["on_track"]  # communes differ
