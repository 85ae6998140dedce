"""The health layers' decoded tiles and table (small counts held back on public ones), the
catchment of a picked facility, and the notifiable-disease watch's flags (view, API, map)."""

import datetime as dt
import gzip
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.test import Client

from gisioc.geo.models import AdminUnit, Facility, Role
from gisioc.health.stats import DiseaseWatch
from tests.geo.factories import signed_in
from tests.health import fixtures_kpis
from tests.health.fixtures_kpis import communes, encounter_add
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
quarter = fixtures_kpis.quarter  # the hand-counted quarter (a fixture)


@pytest.fixture(autouse=True)
def private_tiles(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var


def _features(client: Client, layer: str, query: str = "") -> dict[str, dict]:
    """The features of the tile holding the whole district (z7), by their `code`."""
    x, y = tile_for(108.25, 15.82, 7)
    response = client.get(f"/tiles/{layer}/7/{x}/{y}.mvt{query}")
    assert response.status_code in (200, 204), response.content
    if response.status_code == 204:
        return {}
    data = response.content
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    found = mapbox_vector_tile.decode(data).get(layer, {}).get("features", [])
    return {f["properties"]["code"]: f["properties"] for f in found}


def test_facilities_sized_by_visits_coloured_by_a_measure(
    quarter: dict[str, AdminUnit], client: Client
) -> None:
    march = _features(client, "health-facilities", "?period=2026-03")
    # TTYT-DX: 6 visits; TYT-20611: 4, held back (absent from the tile's properties: null)
    assert march["TTYT-DX"]["visits"] == 6 and march["TTYT-DX"]["value"] == 6
    assert "visits" not in march["TYT-20611"] and march["TYT-20611"]["suppressed"] is True
    assert march["TTYT-DX"]["level"] == 4  # the highest of 16 with a value (the rest 0)
    assert march["TYT-20599"]["visits"] == 0 and march["TYT-20599"]["level"] == 1
    assert "level" not in march["TYT-20611"]  # held back: no colour that would rank it
    insured = _features(client, "health-facilities", "?period=2026-03&measure=insured_share")
    assert insured["TTYT-DX"]["value"] == 83.3  # 5 of 6
    assert insured["TTYT-DX"]["measure"] == "insured_share"
    referral = _features(client, "health-facilities", "?period=2026-03&measure=referral_rate")
    assert "value" not in referral["TTYT-DX"]  # 1 referral: held back
    assert client.get(_url("health-facilities", "?measure=beds")).status_code == 400
    assert _features(client, "health-facilities", "?period=2025-03")["TTYT-DX"]["visits"] == 0


def test_visits_per_1000_residents_choropleth_and_table(
    quarter: dict[str, AdminUnit], client: Client
) -> None:
    q1 = _features(client, "health-visits-per-1000", "?period=2026-Q1")
    # NP's residents in Q1: E01 E02 E06 E10 E12 = 5, of 20,000
    assert q1["20599"]["visits"] == 5 and q1["20599"]["per_1000"] == 0.25
    assert q1["20599"]["population"] == 20_000
    assert "visits" not in q1["20611"] and "per_1000" not in q1["20611"]  # 4: held back
    assert q1["20611"]["suppressed"] is True
    assert "visits" not in q1["20635"]  # DN: E13 alone, held back
    legend = client.get("/tiles/legend/health-visits-per-1000.json?period=2026-Q1").json()
    assert legend["features"] == 1  # only NP has a value to class
    table = client.get("/tiles/table/health-visits-per-1000.csv?period=2026-Q1")
    lines = table.content.decode("utf-8-sig").splitlines()
    header, rows = lines[0].split(","), {r.split(",")[0]: r.split(",") for r in lines[1:]}
    at = header.index("visits")
    assert rows["20599"][at] == "5" and rows["20611"][at] == ""  # never 0, never 4


def test_a_commune_without_population_shows_no_rate(
    quarter: dict[str, AdminUnit], client: Client
) -> None:
    from gisioc.indicators.models import IndicatorValue

    IndicatorValue.objects.filter(unit=quarter["NP"]).delete()
    q1 = _features(client, "health-visits-per-1000", "?period=2026-Q1")
    assert q1["20599"]["visits"] == 5 and "per_1000" not in q1["20599"]


def test_the_catchment_of_a_picked_facility(quarter: dict[str, AdminUnit], client: Client) -> None:
    assert _features(client, "health-catchment", "?period=2026-Q1") == {}  # none picked
    ttyt = Facility.objects.get(code="TTYT-DX")
    picked = _features(client, "health-catchment", f"?period=2026-Q1&facility={ttyt.pk}")
    # TTYT-DX's visits in Q1 by residence: NP 5 (E01 E02 E06 E10 E12), TB 2, DX 1, DN 0
    assert set(picked) == {"20599", "20611", "20623", "20635"}
    assert picked["20599"]["visits"] == 5 and picked["20599"]["share_pct"] == 62.5  # of 8
    assert "visits" not in picked["20611"] and picked["20611"]["suppressed"] is True
    assert picked["20635"]["visits"] == 0 and picked["20635"]["facility_code"] == "TTYT-DX"
    assert client.get(_url("health-catchment", "?facility=x")).status_code == 400


def _url(layer: str, query: str) -> str:
    x, y = tile_for(108.25, 15.82, 7)
    return f"/tiles/{layer}/7/{x}/{y}.mvt{query}"


W10 = dt.date(2026, 3, 2)  # Monday of 2026-W10


def _cases(key: str, diagnosis: str, weeks: dict[int, int]) -> None:
    """Encounters of residents of a commune: {weeks before W10 (0 = W10): cases}."""
    unit = communes()[key]
    for back, n in weeks.items():
        for i in range(n):
            day = W10 - dt.timedelta(weeks=back) + dt.timedelta(days=i % 7)
            at = dt.datetime.combine(day, dt.time(10), dt.UTC) - dt.timedelta(hours=7)
            code = f"W-{key}-{diagnosis}-{back}-{i}"
            row = ("TTYT-DX", key, "outpatient", False, diagnosis, at, at, 1, "home", "cured", 1)
            encounter_add(code, row, unit)


@pytest.fixture
def outbreak(geo: None) -> dict[str, AdminUnit]:
    """Dengue in TB (1 a week, then 6), in DX (2, 3, 2, 3, then 4) and DN (2 in W10); a first
    measles case and 3 influenza cases in NP in W10; cholera in DX the week before too."""
    _cases("TB", "A91", {4: 1, 3: 1, 2: 1, 1: 1, 0: 6})
    _cases("DX", "A90", {4: 2, 3: 3, 2: 2, 1: 3, 0: 4})
    _cases("DN", "A91.0", {0: 2})
    _cases("NP", "B05.9", {0: 1})
    _cases("NP", "J10.1", {0: 3})
    _cases("DX", "A00.1", {1: 1, 0: 1})
    return communes()


def test_the_watch_flags_by_the_threshold(outbreak: dict[str, AdminUnit]) -> None:
    rows = DiseaseWatch.objects.filter(week_key="2026-W10", cases__gt=0)
    found = {(r.code, r.disease): (r.cases, r.previous_mean, r.flagged) for r in rows}
    assert found == {
        ("20611", "dengue"): (6, 1.0, True),  # 6 ≥ 2 × 1 and ≥ 3
        ("20623", "dengue"): (4, 2.5, False),  # 4 < 2 × 2.5
        ("20635", "dengue"): (2, 0.0, False),  # fewer than 3
        ("20599", "measles"): (1, 0.0, True),  # a first case
        ("20599", "influenza"): (3, 0.0, True),
        ("20623", "cholera"): (1, 0.25, False),  # not the first in 4 weeks
    }
    week9 = DiseaseWatch.objects.get(week_key="2026-W09", code="20623", disease="cholera")
    assert week9.cases == 1 and week9.flagged  # that one was the first


def test_the_watch_api_exact_for_leaders_held_back_for_the_public(
    outbreak: dict[str, AdminUnit], client: Client
) -> None:
    url = "/api/health/watch/?week=2026-W10"
    exact = signed_in("lanhdao-w", Role.LEADER).get(url).json()
    assert exact["week"] == "2026-W10" and exact["monday"] == "2026-03-02"
    flagged = [(r["code"], r["disease"], r["cases"]) for r in exact["flagged"]]
    assert flagged == [
        ("20611", "dengue", 6),
        ("20599", "influenza", 3),
        ("20599", "measles", 1),
    ]
    public = client.get(url).json()["flagged"]
    assert [(r["code"], r["disease"], r["cases"]) for r in public] == [
        ("20611", "dengue", 6),
        ("20599", "influenza", None),
        ("20599", "measles", None),
    ]
    assert public[0]["previous"] is None and public[0]["suppressed"] is True  # 4 before
    assert public[1]["suppressed"] is True and public[1]["disease_title"]["en"].startswith("Inf")
    field = signed_in("hientruong-w", Role.FIELD_STAFF).get(url).json()["flagged"]
    assert field == public
    for wrong in ("2026-W60", "0000-W01", "2025-W53"):  # 2025 has 52 weeks
        assert client.get(f"/api/health/watch/?week={wrong}").status_code == 400, wrong
    assert client.get("/api/health/watch/").status_code == 200  # this week


def test_the_watch_map_is_for_staff_with_exact_counts(
    outbreak: dict[str, AdminUnit], client: Client
) -> None:
    assert client.get(_url("health-disease-watch", "?week=2026-W10")).status_code in (401, 403)
    staff = signed_in("gis-w", Role.GIS_OFFICER)
    shown = _features(staff, "health-disease-watch", "?week=2026-W10")
    assert shown["20611"]["cases"] == 6 and shown["20611"]["flagged"] is True
    assert shown["20599"]["flagged_diseases"] == "influenza, measles"
    assert shown["20623"]["cases"] == 5 and shown["20623"]["flagged"] is False  # 4 + cholera 1
    assert shown["20635"]["dengue"] == 2


def test_the_profile_lists_last_week_flagged_communes(geo: None, client: Client) -> None:
    from gisioc.geo.selectors import vietnam_today

    monday = vietnam_today() - dt.timedelta(days=vietnam_today().weekday() + 7)
    units = communes()
    for i in range(7):  # 7 dengue cases in TB last week, 1 measles case in NP
        at = dt.datetime.combine(monday, dt.time(3), dt.UTC) + dt.timedelta(hours=i)
        row = ("TYT-20611", "TB", "outpatient", False, "A91", at, at, 1, "home", "cured", 1)
        encounter_add(f"P-{i}", row, units["TB"])
    measles = ("TTYT-DX", "NP", "outpatient", False, "B05", at, at, 1, "home", "cured", 1)
    encounter_add("P-M", measles, units["NP"])
    public = _watch_table(client.get("/api/profiles/district/").json())
    assert [(r["code"], r["disease"], r["cases"]) for r in public["rows"]] == [
        ("20611", "dengue", 7),
        ("20599", "measles", None),  # 1: held back
    ]
    leader = signed_in("lanhdao-p", Role.LEADER)
    exact = _watch_table(leader.get(f"/api/profiles/units/{units['NP'].pk}/").json())
    assert [(r["code"], r["cases"]) for r in exact["rows"]] == [("20599", 1)]


def _watch_table(profile: dict) -> dict:
    health = next(s for s in profile["sections"] if s["id"] == "health")
    return next(t for t in health["tables"] if t["id"] == "health_watch")
