"""What each reader gets of the hand-counted quarter (tests/health/fixtures_kpis.py): the KPI
API, the profiles and the encounter list, exact for leaders, planners and administrators,
small counts held back (null, never 0) for the public and the other roles."""

import pytest
from django.test import Client

from gisioc.geo.models import AdminUnit, Role
from tests.bodies import json_body
from tests.geo.factories import signed_in
from tests.health import fixtures_kpis
from tests.health.test_kpis import EXACT, HELD

pytestmark = pytest.mark.django_db
quarter = fixtures_kpis.quarter  # the hand-counted quarter (a fixture)
KPIS = "/api/health/kpis/?period=2026-03"


@pytest.fixture
def leader(quarter: dict[str, AdminUnit]) -> Client:
    """A signed-in leader."""
    return signed_in("lanhdao-h", Role.LEADER)


def test_kpi_api_public_and_leader(
    quarter: dict[str, AdminUnit], client: Client, leader: Client
) -> None:
    public = client.get(KPIS).json()
    assert public["suppressed"] == HELD
    assert public["kpis"] == {**EXACT, **dict.fromkeys(HELD)}
    exact = leader.get(KPIS).json()
    assert exact["kpis"] == EXACT and exact["suppressed"] == []
    planner = signed_in("phantich-h", Role.PLANNER).get(KPIS).json()
    assert planner["kpis"] == EXACT
    for role in (Role.FIELD_STAFF, Role.GIS_OFFICER):  # staff, but not of health records
        assert signed_in(f"u-{role}", role).get(KPIS).json() == public


def test_kpi_api_of_a_commune_and_its_residents(
    quarter: dict[str, AdminUnit], client: Client, leader: Client
) -> None:
    tb = quarter["TB"]
    url = f"{KPIS}&unit={tb.pk}"
    exact = leader.get(url).json()["kpis"]
    # At TB's station (TYT-20611): E07 E08 E09 E13; TB's residents anywhere: 4 of 15,000
    assert exact["visits"] == 4 and exact["outpatient"] == 4
    assert exact["visits_per_1000"] == 0.27
    public = client.get(url).json()
    assert public["kpis"]["visits"] is None and "visits" in public["suppressed"]
    assert public["kpis"]["visits_per_1000"] is None  # from 4 residents' visits
    assert "visits_per_1000" in public["suppressed"]
    groups = client.get(f"{KPIS}&by=residence").json()["groups"]
    assert all(g["kpis"]["visits"] is None for g in groups)  # 3, 4, 1, 1, 1
    filtered = leader.get(f"{KPIS}&diagnosis=A9").json()
    assert filtered["kpis"]["visits"] == 2  # E03 E04 (A91)
    assert client.get(f"{KPIS}&care=ward").status_code == 400


def test_the_encounter_list_only_for_leaders_planners_and_admins(
    quarter: dict[str, AdminUnit], client: Client
) -> None:
    url = "/api/health/encounters/?period=2026-03"
    assert client.get(url).status_code in (401, 403)
    for role in (Role.FIELD_STAFF, Role.GIS_OFFICER, Role.COMMUNE_OFFICER):
        answer = signed_in(f"u-{role}", role).get(url)
        assert answer.status_code == 403, role
        assert "Lãnh đạo" in answer.json()["vi"]
    for role in (Role.LEADER, Role.PLANNER, Role.ADMIN):
        answer = signed_in(f"u-{role}", role).get(url)
        assert answer.status_code == 200, role
        body = json_body(answer)
        codes = {f["properties"]["external_id"] for f in body["features"]}
        assert codes == {f"E{n:02d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 13)}
        assert "patient_key" not in str(body)
        one = signed_in(f"v-{role}", role).get(body["features"][0]["properties"]["detail"])
        assert one.status_code == 200 and "patient_key" not in one.content.decode()


def test_profiles_hold_small_counts_back_for_the_public(
    quarter: dict[str, AdminUnit], client: Client, leader: Client
) -> None:
    tb = quarter["TB"]
    url = f"/api/profiles/units/{tb.pk}/?period=2026-03"
    section = _health(client.get(url).json())
    shown = {k["id"]: k for k in section["kpis"]}
    assert shown["visits"]["value"] is None and shown["visits"]["suppressed"] is True
    assert shown["visits_per_1000"]["value"] is None
    assert not [k for k in section["kpis"] if k["value"] == 0 and k.get("suppressed")]
    chapters = section["breakdowns"][0]["items"]  # E07 E09 (X), E08 (I), E13 (XIX)
    assert {i["key"] for i in chapters} == {"X", "I", "XIX"}
    assert all(i["value"] is None and i["suppressed"] for i in chapters)
    assert section["breakdowns"][1]["id"] == "encounters_by_diagnosis"
    mine = _health(leader.get(url).json())
    exact = {k["id"]: k["value"] for k in mine["kpis"]}
    assert exact["visits"] == 4 and exact["visits_per_1000"] == 0.27
    assert not [k for k in mine["kpis"] if "suppressed" in k]
    points = {p["period"]: p for p in mine["series"][0]["points"]}
    assert points["2026-03"]["value"] == 4
    district = client.get("/api/profiles/district/?period=2026-03").json()
    health = _health(district)
    assert {k["id"]: k["value"] for k in health["kpis"]}["visits"] == 10
    rows = {c["code"]: c["kpis"] for c in district["children"]}
    np_row = [k for k in rows["20599"] if k["id"].startswith("visits")]
    assert [k["value"] for k in np_row] == [6, None]  # TTYT's 6; NP's 3 residents: held back


def _health(profile: dict) -> dict:
    return next(s for s in profile["sections"] if s["id"] == "health")


def test_search_finds_an_encounter_by_its_code_for_allowed_roles_only(
    quarter: dict[str, AdminUnit], client: Client, leader: Client
) -> None:
    hits = [h for h in leader.get("/api/search/", {"q": "e03"}).json()["results"]]
    found = [h for h in hits if h["type"] == "encounter"]
    assert [h["code"] for h in found] == ["E03"]
    assert "A91" in found[0]["sublabel"] and leader.get(found[0]["detail"]).status_code == 200
    field = signed_in("hientruong-s", Role.FIELD_STAFF)
    for reader in (client, field):
        results = reader.get("/api/search/", {"q": "E03"}).json()["results"]
        assert not [h for h in results if h["type"] == "encounter"]
