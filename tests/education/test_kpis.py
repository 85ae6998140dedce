"""KPIs against the hand-counted rows of conftest.py, school-year periods, the profile, and
enrolment against the school-age population (and none without it)."""

from typing import Any

import pytest
from django.test import Client

from gisioc.education.kpis import KPIS
from gisioc.geo.models import AdminUnit
from gisioc.ingest.records import records_rows
from gisioc.ingest.services import ingest_rows
from gisioc.periods import ALL_TIME, period_parse
from tests.education.conftest import SOURCE

pytestmark = pytest.mark.django_db
THU_BON_MEMBERS = ("20605", "20608", "20611", "20614")

# 2024-2025: TH-20611 300 pupils (10 classes, 14 teachers), THCS-20611 200 (5, 10), MN-20605
# 100 (3, 6). Girls 150 + 90 + 50; attendance 98 % of 300 and 96 % of 200 (the pre-school
# gives none); drop-outs 3 + 2 of 500; promoted 290 + 190 of 500; completed 58 + 48 + 30 of
# the final grades 60 + 50 + 30; standard: mức 1 and mức 2 of 3; over capacity: the
# pre-school (its groups need 10/25 + 30/25 + 30/30 + 30/35 = 3.46 classes, it has 3).
EXPECTED_2024 = {
    "pupils_total": 600,
    "schools": 3,
    "classes_total": 18,
    "teachers_total": 30,
    "female_share": round(290 / 600, 4),
    "pupils_per_teacher": 20.0,
    "pupils_per_class": round(600 / 18, 1),
    "attendance": round((98 * 300 + 96 * 200) / 500 / 100, 4),
    "dropout_rate": 0.01,
    "promotion_rate": 0.96,
    "completion_rate": round(136 / 140, 4),
    "standard_share": round(2 / 3, 4),
    "schools_over_capacity": 1,
}


def _kpis(period: str | None, **kwargs: Any) -> dict[str, Any]:
    found = KPIS.kpis(period=period_parse(period) if period else ALL_TIME, **kwargs)
    return {k: found[k] for k in EXPECTED_2024}


def test_a_school_year_counts_in_the_period_its_start_falls_in(schools: None) -> None:
    assert _kpis("2024") == EXPECTED_2024
    assert _kpis("2024-Q3") == _kpis("2024-09") == EXPECTED_2024
    assert _kpis("2023")["pupils_total"] == 280 and _kpis("2023")["schools"] == 1
    assert _kpis("2024-07")["schools"] == 0 and _kpis("2024-07")["pupils_per_teacher"] is None
    # Several school years in the period: the latest of them (stocks are never added up).
    assert _kpis(None) == EXPECTED_2024


def test_the_kpi_api_groups_by_level_unit_and_school(schools: None, client: Client) -> None:
    body = client.get("/api/education/kpis/", {"period": "2024", "by": "level"}).json()
    assert {k: body["kpis"][k] for k in EXPECTED_2024} == EXPECTED_2024
    levels = {g["key"]: g["kpis"] for g in body["groups"]}
    assert set(levels) == {"tieu_hoc", "thcs", "mam_non"}
    assert levels["tieu_hoc"]["pupils_per_class"] == 30.0
    assert levels["thcs"]["completion_rate"] == round(48 / 50, 4)
    assert levels["mam_non"]["dropout_rate"] is None  # a pre-school reports no drop-outs
    units = client.get("/api/education/kpis/", {"period": "2024", "by": "unit"}).json()
    by_unit = {g["label"]: g["kpis"]["pupils_total"] for g in units["groups"]}
    assert by_unit == {"Xã Duy Hòa": 500, "Xã Duy Phú": 100}
    thu_bon = AdminUnit.objects.get(version__slug="danang-2025", code="20611")
    rolled = client.get("/api/education/kpis/", {"period": "2024", "unit": thu_bon.pk}).json()
    assert rolled["kpis"]["pupils_total"] == 600  # the former communes' schools roll up


def test_the_profile_shows_the_latest_school_year_and_a_series_of_school_years(
    schools: None, client: Client
) -> None:
    body = client.get("/api/profiles/district/").json()
    section = next(s for s in body["sections"] if s["id"] == "education")
    shown = {k["id"]: k["value"] for k in section["kpis"]}
    assert shown["pupils_total"] == 600 and shown["schools_over_capacity"] == 1
    pupils = next(s for s in section["series"] if s["id"] == "school-years_pupils")
    assert pupils["points"] == [
        {"period": "2023-2024", "value": 280},  # charted by school year, not by month
        {"period": "2024-2025", "value": 600},
    ]
    assert section["lists"][0]["count"] == 1  # schools over capacity, latest school year
    # Freshness reads when figures were reported; these rows give no day.
    assert section["freshness"] is None


def _school_age(members: tuple[str, ...], year: str = "2024") -> None:
    rows = [
        {"indicator": "school_age_population", "unit": code, "version": "duyxuyen-2019",
         "period": year, "value": 250}
        for code in members
    ]  # fmt: skip
    report = ingest_rows(
        system="indicators", rows=records_rows(rows), source="thong-ke", progress=lambda _: None
    )
    assert report.created == len(rows), report.summary()


def _enrolment(client: Client, school_year: str) -> dict[str, Any]:
    from gisioc.education.models import SchoolUnitStats

    row = SchoolUnitStats.objects.get(code="20611", school_year=school_year)
    return {"pupils": row.pupils, "school_age": row.school_age, "pct": row.enrolment_pct}


def test_enrolment_is_pupils_over_the_school_age_population_and_none_without_it(
    schools: None, client: Client
) -> None:
    assert _enrolment(client, "2024-2025") == {"pupils": 600, "school_age": None, "pct": None}
    _school_age(THU_BON_MEMBERS[:3])  # one former commune has no value: no sum, no rate
    assert _enrolment(client, "2024-2025")["pct"] is None
    _school_age(THU_BON_MEMBERS[3:])
    assert _enrolment(client, "2024-2025") == {"pupils": 600, "school_age": 1000, "pct": 60.0}
    assert _enrolment(client, "")["pct"] == 60.0  # '' is the latest school year
    # The year before reads the population of 2023, which no one has sent.
    assert _enrolment(client, "2023-2024") == {"pupils": 280, "school_age": None, "pct": None}
    api = client.get("/api/education/enrolment/", {"school_year": "2024-2025"}).json()
    thu_bon = next(r for r in api["communes"] if r["code"] == "20611")
    assert (thu_bon["pupils"], thu_bon["school_age"], thu_bon["enrolment_pct"]) == (
        600,
        1000,
        60.0,
    )
    assert client.get("/api/education/kpis/", {"period": "2024"}).status_code == 200
    assert SOURCE


def test_the_commune_profile_rolls_its_former_communes_schools_up(
    schools: None, client: Client
) -> None:
    thu_bon = AdminUnit.objects.get(version__slug="danang-2025", code="20611")
    body = client.get(f"/api/profiles/units/{thu_bon.pk}/").json()
    section = next(s for s in body["sections"] if s["id"] == "education")
    shown = {k["id"]: k["value"] for k in section["kpis"]}
    assert (shown["pupils_total"], shown["schools"], shown["pupils_per_teacher"]) == (600, 3, 20.0)
    nam_phuoc = AdminUnit.objects.get(version__slug="danang-2025", code="20599")
    other = client.get(f"/api/profiles/units/{nam_phuoc.pk}/").json()
    section = next(s for s in other["sections"] if s["id"] == "education")
    assert {k["id"]: k["value"] for k in section["kpis"]}["pupils_total"] == 0


def test_search_finds_a_school_year_by_code_and_year_for_staff_only(
    schools: None, client: Client
) -> None:
    from django.contrib.auth.models import User

    from gisioc.geo.models import Role, UserAccess

    leader = User.objects.create_user("lanh-dao", password="x")
    UserAccess.objects.create(user=leader, role=Role.LEADER)
    client.force_login(leader)
    for query in ("TH-20611:2024-2025", "th-20611 2024", "TH-20611 năm học 2024"):
        hits = [h for h in client.get("/api/search/", {"q": query}).json()["results"]
                if h["type"] == "school_year"]  # fmt: skip
        assert [h["code"] for h in hits] == ["TH-20611:2024-2025"], query
    assert client.get(hits[0]["detail"]).status_code == 200
    client.logout()
    public = client.get("/api/search/", {"q": "TH-20611:2024-2025"}).json()["results"]
    assert not [h for h in public if h["type"] == "school_year"]
