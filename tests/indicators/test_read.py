"""Reading indicator values across the 2025 reform, checked by hand: conversion of a count and
a rate onto new communes (one of them split between two successors), per-capita maths,
achievement with "lower is better", the whole area, the ranking, the map and the API."""

import datetime as dt
import gzip
import io
import itertools

import mapbox_vector_tile
import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from gisioc.geo.models import AdminUnit, UnitCrosswalk
from gisioc.indicators import selectors
from gisioc.indicators.models import Indicator, IndicatorMap, IndicatorValue
from gisioc.periods import period_of
from tests.geo.factories import make_version, square
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
_ids = itertools.count(1)


def _value(indicator: str, unit: AdminUnit | None, period: str, value: float, **extra: object):
    version = extra.pop("version", None) or unit.version
    span = period_of(period)
    return IndicatorValue.objects.create(
        indicator_id=indicator,
        version=version,
        unit=unit,
        whole=unit is None,
        period=period,
        period_start=span.start,
        period_end=span.end,
        value=value,
        source="test",
        external_id=f"t{next(_ids)}",
        **extra,
    )


@pytest.fixture
def reform(db: None) -> dict[str, AdminUnit]:
    """Old communes A, B, C (to 2025-06-30) and new X, Y: A and B merged whole into X, C split
    60 % into X and 40 % into Y; values of 2023 on the old ones, of 2026 on the new ones."""
    old = make_version(
        "t-old",
        {
            "101": ("Xã An", square(108.0, 15.8)),
            "102": ("Xã Bình", square(108.05, 15.8)),
            "103": ("Xã Cẩm", square(108.1, 15.8)),
        },
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    new = make_version(
        "t-new",
        {"101": ("Xã Xuân", square(108.0, 15.8, 0.13)), "110": ("Xã Yên", square(108.13, 15.8))},
    )
    u = {unit.short_name[0]: unit for unit in AdminUnit.objects.filter(version__in=[old, new])}
    for old_unit, new_unit, share in (
        ("A", "X", 1),
        ("B", "X", 1),
        ("C", "X", 0.6),
        ("C", "Y", 0.4),
    ):
        UnitCrosswalk.objects.create(
            old_unit=u[old_unit],
            new_unit=u[new_unit],
            area_share_of_old=share,
            area_share_of_new=1.0 if new_unit == "Y" else 0.5,
        )
    for name, population, poverty, births in (
        ("A", 1000, 10, 12),
        ("B", 2000, 5, 30),
        ("C", 3000, 2, 45),
    ):
        _value("population", u[name], "2023", population)
        _value("poverty_rate", u[name], "2023", poverty)
        _value("births", u[name], "2023", births)
    _value("poverty_rate", u["X"], "2023", 4.5, kind="target")
    _value("population", u["X"], "2026", 5000, status="estimated")
    _value("population", u["Y"], "2026", 1250, status="estimated")
    return u


def _one(unit: AdminUnit, code: str, period: str, kind: str = "actual") -> dict:
    points = selectors.unit_series(Indicator.objects.get(code=code), unit)
    if kind == "target":
        return {"value": next(p["target"] for p in points if p["period"] == period)}
    return next(p for p in points if p["period"] == period)


def test_a_count_converts_by_the_share_each_new_commune_took_over(reform: dict) -> None:
    x, y = _one(reform["X"], "population", "2023"), _one(reform["Y"], "population", "2023")
    assert (x["value"], x["status"]) == (1000 + 2000 + 0.6 * 3000, "converted")
    assert (y["value"], y["status"]) == (pytest.approx(0.4 * 3000), "converted")
    assert _one(reform["X"], "population", "2026")["status"] == "estimated"
    # An old commune keeps its own series, and has nothing after the reform.
    assert _one(reform["C"], "population", "2023")["value"] == 3000
    assert _one(reform["C"], "population", "2026")["value"] is None


def test_a_rate_converts_weighted_by_population_times_share(reform: dict) -> None:
    x = _one(reform["X"], "poverty_rate", "2023")
    by_hand = (10 * 1000 + 5 * 2000 + 2 * 3000 * 0.6) / (1000 + 2000 + 3000 * 0.6)
    assert x["value"] == pytest.approx(by_hand)  # 4.9167
    assert x["status"] == "converted"
    assert _one(reform["Y"], "poverty_rate", "2023")["value"] == pytest.approx(2.0)


def test_achievement_when_lower_is_better(reform: dict) -> None:
    x = _one(reform["X"], "poverty_rate", "2023")
    # Target 4.5 %, actual 4.92 %: 91.5 % of the way, and 2023 is over.
    assert x["target"] == 4.5
    assert x["achieved"] == pytest.approx(round(100 * 4.5 / (23600 / 4800), 1))
    assert x["standing"] == "missed"
    _value("poverty_rate", reform["X"], "2024", 4.0, kind="target")
    _value("poverty_rate", reform["X"], "2024", 3.9, version=reform["X"].version)
    met = _one(reform["X"], "poverty_rate", "2024")
    assert (met["achieved"], met["standing"]) == (pytest.approx(102.6), "on_track")


def test_a_value_that_does_not_combine_passes_only_from_a_whole_single_predecessor(
    reform: dict,
) -> None:
    Indicator.objects.create(
        code="ntm_criteria",
        name_vi="Số tiêu chí nông thôn mới đạt",
        name_en="New rural criteria met",
        domain="social",
        period_type="year",
        combine="none",
    )
    for name in "ABC":
        _value("ntm_criteria", reform[name], "2023", 19)
    assert _one(reform["X"], "ntm_criteria", "2023")["value"] is None  # three predecessors
    assert _one(reform["Y"], "ntm_criteria", "2023")["value"] is None  # only 40 % of C


def test_a_conversion_needs_every_predecessor(reform: dict) -> None:
    IndicatorValue.objects.filter(indicator="births", unit=reform["B"]).delete()
    assert _one(reform["X"], "births", "2023")["value"] is None
    assert _one(reform["Y"], "births", "2023")["value"] == pytest.approx(0.4 * 45)


def test_the_map_gives_per_capita_change_and_converted(reform: dict) -> None:
    rows = {
        r["code"]: r for r in selectors.ranking(Indicator.objects.get(code="births"), period="2023")
    }
    x = rows["101"]
    births_x = 12 + 30 + 0.6 * 45
    assert x["value"] == pytest.approx(births_x)
    assert x["per_capita"] == pytest.approx(round(births_x * 1000 / 4800, 2))
    assert x["status"] == "converted" and x["version"] == "t-new"
    assert rows["110"]["per_capita"] == pytest.approx(round(0.4 * 45 * 1000 / 1200, 2))
    change = selectors.ranking(Indicator.objects.get(code="population"), period="2026", base="2023")
    by_code = {r["code"]: r for r in change}
    assert by_code["101"]["change"] == pytest.approx(5000 - 4800)
    assert by_code["101"]["change_pct"] == pytest.approx(round(100 * 200 / 4800, 1))


def test_the_ranking_puts_the_best_first_lower_is_better_aware(reform: dict) -> None:
    old = reform["A"].version
    rows = selectors.ranking(Indicator.objects.get(code="poverty_rate"), period="2023", version=old)
    assert [r["code"] for r in rows] == ["103", "102", "101"]  # 2 %, 5 %, 10 %
    assert [r["rank"] for r in rows] == [1, 2, 3]
    rows = selectors.ranking(Indicator.objects.get(code="population"), period="2023", version=old)
    assert [r["code"] for r in rows] == ["103", "102", "101"]


def test_the_whole_area_sums_its_communes_or_takes_a_value_sent_for_it(reform: dict) -> None:
    population = Indicator.objects.get(code="population")
    old, new = reform["A"].version, reform["X"].version
    assert selectors.whole_value(population, period="2023", version=old)["value"] == 6000
    # In the new version, 2023 is read through the conversion: the same 6,000 people.
    assert selectors.whole_value(population, period="2023", version=new)["value"] == 6000
    poverty = selectors.whole_value(
        Indicator.objects.get(code="poverty_rate"), period="2023", version=old
    )
    assert poverty["value"] == pytest.approx((10 * 1000 + 5 * 2000 + 2 * 3000) / 6000)
    _value("population", None, "2023", 6100, version=old)
    assert selectors.whole_value(population, period="2023", version=old)["value"] == 6100
    # The series reads each period in the version in force at its end.
    series = {p["period"]: p for p in selectors.whole_series(population)}
    assert series["2023"]["value"] == 6100 and series["2026"]["value"] == 6250


def test_the_api_answers_the_public(reform: dict) -> None:
    client = APIClient()
    listed = client.get("/api/indicators/").json()["results"]
    population = next(i for i in listed if i["code"] == "population")
    assert population["periods"] == ["2023", "2026"] and population["latest"] == "2026"
    assert population["name"]["vi"] and population["unit"]["en"] == "people"
    series = client.get(f"/api/indicators/poverty_rate/series/?unit={reform['X'].pk}").json()
    assert series["unit"]["version"] == "t-new"
    assert series["points"][0]["status"] == "converted"
    ranking = client.get("/api/indicators/population/ranking/?period=2026").json()
    assert [r["code"] for r in ranking["rows"]] == ["101", "110"]
    assert ranking["whole"]["value"] == 6250
    bad = client.get("/api/indicators/population/ranking/?period=2023-13")
    assert bad.status_code == 400 and bad.json()["fields"]
    assert client.get("/api/indicators/nothing/").status_code == 404


def test_the_ranking_downloads_as_csv_and_xlsx(reform: dict) -> None:
    client = APIClient()
    csv = client.get("/api/indicators/population/ranking.csv?period=2026")
    assert csv.status_code == 200 and "attachment" in csv["Content-Disposition"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Hạng / Rank,Mã đơn vị / Unit code")
    assert lines[1].startswith("1,101,Xã Xuân,t-new")
    xlsx = client.get("/api/indicators/population/ranking.xlsx?period=2026")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A3"].value == 1 and sheet["C3"].value == "Xã Xuân"


def test_the_map_tile_draws_the_converted_values(reform: dict, private_var: object) -> None:
    x, y = tile_for(108.06, 15.85, 11)
    answer = APIClient().get(
        f"/tiles/indicator-map/11/{x}/{y}.mvt?indicator_code=poverty_rate&indicator_period=2023"
    )
    assert answer.status_code == 200
    body = answer.content
    if answer.headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    features = mapbox_vector_tile.decode(body)["indicator-map"]["features"]
    shown = {f["properties"]["code"]: f["properties"] for f in features}
    assert shown["101"]["converted"] is True
    assert shown["101"]["value"] == pytest.approx(23600 / 4800)
    legend = (
        APIClient()
        .get("/tiles/legend/indicator-map.json?indicator_code=poverty_rate&indicator_period=2023")
        .json()
    )
    assert legend["features"] == 2 and legend["notes"][0]["value"] == "converted"


def test_the_profiles_show_headline_indicators_with_targets(reform: dict) -> None:
    client = APIClient()
    unit = client.get(f"/api/profiles/units/{reform['X'].pk}/").json()
    section = next(s for s in unit["sections"] if s["id"] == "indicators")
    poverty = next(k for k in section["kpis"] if k["id"] == "poverty_rate")
    assert poverty["value"] == pytest.approx(23600 / 4800)
    assert (poverty["period"], poverty["status"], poverty["standing"]) == (
        "2023",
        "converted",
        "missed",
    )
    trend = next(s for s in section["series"] if s["indicator"] == "poverty_rate")
    assert trend["points"][0] == {
        "period": "2023",
        "value": pytest.approx(23600 / 4800),
        "target": 4.5,
        "status": "converted",
    }
    as_of_2023 = client.get(f"/api/profiles/units/{reform['X'].pk}/?period=2023").json()
    section = next(s for s in as_of_2023["sections"] if s["id"] == "indicators")
    assert next(k for k in section["kpis"] if k["id"] == "population")["value"] == 4800


def test_the_values_as_sent_are_for_staff_within_their_scope(reform: dict) -> None:
    from tests.geo.factories import signed_in

    assert APIClient().get("/api/indicators/values/").status_code in (401, 403)
    leader = signed_in("leader-values", "leader")
    rows = leader.get("/api/indicators/values/?indicator=population&period=2023").json()
    assert sorted(r["unit_code"] for r in rows["results"]) == ["101", "102", "103"]
    assert {r["status"] for r in rows["results"]} == {"reported"}
    one = leader.get(f"/api/indicators/values/{rows['results'][0]['id']}/").json()
    assert one["version"] == "t-old" and one["source"] == "test"
    from gisioc.geo.models import UserAccess

    officer = signed_in("officer-values", "commune_officer")
    UserAccess.objects.get(user__username="officer-values").units.add(reform["A"])
    mine = officer.get("/api/indicators/values/?indicator=population").json()["results"]
    assert [r["unit_code"] for r in mine] == ["101"]
    assert leader.get("/api/indicators/values/?kind=plan").status_code == 400


def test_daily_figures_have_a_7_day_mean_and_a_rate_per_100000(reform: dict) -> None:
    assert Indicator.objects.get(code="covid_cases").per_capita == 100_000
    for day in range(1, 8):
        _value("covid_cases", reform["A"], f"2023-03-0{day}", day * 10)
        _value("covid_cases", reform["B"], f"2023-03-0{day}", 1)
    rows = {
        r["code"]: r
        for r in IndicatorMap.objects.filter(
            indicator="covid_cases", period_key="2023-03-07", version_key="t-old", base=""
        ).values()
    }
    assert rows["101"]["value"] == 70 and rows["101"]["avg7"] == 40.0
    assert rows["101"]["per_capita"] == 7000.0  # 70 a day over 1,000 people, per 100,000
    assert rows["101"]["avg7_per_capita"] == 4000.0
    assert rows["103"]["avg7"] is None  # C reported no day
    x = IndicatorMap.objects.get(
        indicator="covid_cases", period_key="2023-03-07", version_key="", base="", code="101"
    )
    assert x.avg7 is None  # C's share is missing: no converted value for X
    six = IndicatorMap.objects.get(
        indicator="covid_cases", period_key="2023-03-06", version_key="t-old", base="", code="101"
    )
    assert six.value == 60 and six.avg7 is None  # only 6 days reported by then


def test_an_indicator_says_whether_communes_have_values(reform: dict) -> None:
    _value("grdp_growth", None, "2023", 7.1, version=reform["A"].version)
    listed = {i["code"]: i for i in APIClient().get("/api/indicators/").json()["results"]}
    assert listed["population"]["per_unit"] is True
    assert listed["grdp_growth"]["per_unit"] is False  # the whole area only: nothing to map
