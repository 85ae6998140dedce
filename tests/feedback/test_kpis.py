"""Report KPIs counted by hand around Tết (tests/feedback/read_fixtures.py): received, on time
and late against the due day, open and overdue at the period's cut-off, average days,
satisfaction; groups, the overdue subset, the record API's fields, the profile section and
search by ticket."""

import pytest
from django.test import Client

from gisioc.feedback.kpis import KPIS
from gisioc.feedback.models import Report
from gisioc.geo.models import Role
from gisioc.periods import period_parse
from tests.bodies import json_body
from tests.feedback import read_fixtures
from tests.geo.factories import signed_in

pytestmark = pytest.mark.django_db
february = read_fixtures.february  # the fixture
TWO = ("Phản ánh tiếp nhận", "Đang quá hạn xử lý")  # what a district's commune row shows
PERSONAL = ("reporter_name", "reporter_phone", "reporter_email")


def _kpis(label: str, **kwargs: object) -> dict:
    return dict(KPIS.kpis(period=period_parse(label), **kwargs))  # type: ignore[arg-type]


def test_february_around_tet_counted_by_hand(february: dict) -> None:
    k = _kpis("2026-02")
    assert k["received"] == 6 and k["rejected"] == 1
    # R1 on its due day (26/2, after Tết), R2 a day late; R5 is March's.
    assert (k["resolved"], k["on_time"], k["late"]) == (2, 1, 1)
    assert k["on_time_rate"] == 0.5
    # Open at the end of February: R3 (due 27/2: overdue) and R5 (due 4/3: not yet); the
    # rejected R4 and merged R6 are not open.
    assert (k["open"], k["overdue"]) == (2, 1)
    # 16 d 7 h and 16 d 22 h
    assert k["avg_days"] == 16.6
    assert (k["rated"], k["satisfied_reports"], k["satisfaction_rate"]) == (2, 1, 0.5)


def test_march_and_the_whole_year(february: dict) -> None:
    march = _kpis("2026-03")
    assert march["received"] == 0 and march["resolved"] == 1 and march["on_time_rate"] == 1.0
    assert (march["open"], march["overdue"]) == (1, 1)  # R3, still open
    assert march["satisfaction_rate"] is None  # nothing rated: no share, not 0
    year = _kpis("2026")
    assert (year["received"], year["resolved"], year["late"]) == (6, 3, 1)
    assert year["on_time_rate"] == round(2 / 3, 4)


def test_groups_by_agency_commune_category_and_channel(february: dict) -> None:
    period = period_parse("2026-02")
    by_agency = {g["key"]: g for g in KPIS.kpis_by(period=period, by="agency")}
    a, b = february["A"], february["B"]
    assert by_agency[a.pk]["label"] == a.name
    assert by_agency[a.pk]["kpis"]["received"] == 3 and by_agency[a.pk]["kpis"]["overdue"] == 1
    assert by_agency[b.pk]["kpis"]["open"] == 1 and by_agency[b.pk]["kpis"]["overdue"] == 0
    by_unit = {g["key"]: g["kpis"] for g in KPIS.kpis_by(period=period, by="unit")}
    assert by_unit[february["NP"].pk]["received"] == 3  # R1, R2, R4
    assert by_unit[february["TB"].pk]["received"] == 3  # R3, R5, R6
    by_category = {g["key"]: g for g in KPIS.kpis_by(period=period, by="category")}
    assert by_category["thoat_nuoc"]["kpis"]["received"] == 4
    assert by_category["moi_truong"]["kpis"]["rejected"] == 1
    assert by_category["thoat_nuoc"]["label"].startswith("Thoát nước, ngập úng / ")
    by_channel = {
        g["key"]: g["kpis"]["received"] for g in KPIS.kpis_by(period=period, by="channel")
    }
    assert by_channel == {"web": 3, "hotline": 1, "zalo": 1, "facebook": 1}


def test_the_kpi_api_filters_and_refuses_an_unknown_group(february: dict, client: Client) -> None:
    body = client.get("/api/feedback/kpis/?period=2026-02&category=moi_truong").json()
    assert body["kpis"]["received"] == 2 and body["kpis"]["rejected"] == 1
    body = client.get("/api/feedback/kpis/?period=2026-02&channel=hotline&by=agency").json()
    assert body["kpis"]["late"] == 1 and [g["kpis"]["received"] for g in body["groups"]] == [1]
    unit = february["TB"].pk
    body = client.get(f"/api/feedback/kpis/?period=2026-02&unit={unit}").json()
    assert body["kpis"]["received"] == 3 and body["kpis"]["overdue"] == 1
    wrong = client.get("/api/feedback/kpis/?by=reporter")
    assert wrong.status_code == 400
    assert client.get("/api/feedback/kpis/?channel=fax").status_code == 400


def test_the_record_api_is_for_staff_and_names_no_reporter(february: dict, client: Client) -> None:
    assert client.get("/api/feedback/reports/").status_code in (401, 403)
    staff = signed_in("lanhdao-read", Role.LEADER)
    body = json_body(staff.get("/api/feedback/reports/?overdue=1"))
    tickets = [f["properties"]["ticket"] for f in body["features"]]
    assert tickets == [february["R3"].ticket]  # open, due 27/2: overdue today
    every = json_body(staff.get("/api/feedback/reports/?period=2026-02"))["features"]
    assert len(every) == 6
    props = every[0]["properties"]
    assert {"ticket", "category", "status", "channel", "agency_name", "due_on"} <= set(props)
    assert {"public_text", "description", "address_text"} <= set(props)  # staff read them
    text = str(every)
    for field in PERSONAL:
        assert field not in props
        assert read_fixtures.REPORTER[field] not in text
    merged = json_body(staff.get("/api/feedback/reports/?status=merged"))["features"]
    assert [f["properties"]["ticket"] for f in merged] == [february["R6"].ticket]


def test_the_commune_profile_section(february: dict, client: Client) -> None:
    unit = february["TB"].pk
    body = client.get(f"/api/profiles/units/{unit}/?period=2026-02").json()
    section = next(s for s in body["sections"] if s["id"] == "feedback")
    kpis = {k["id"]: k["value"] for k in section["kpis"]}
    assert kpis["received"] == 3 and kpis["overdue"] == 1 and kpis["open"] == 2
    assert list(kpis)[:5] == ["received", "overdue", "on_time_rate", "satisfaction_rate",
                              "avg_days"]  # fmt: skip
    series = {s["id"]: s["points"] for s in section["series"]}
    assert series["reports_received"] == [{"period": "2026-02", "value": 3}]
    by_category = next(b for b in section["breakdowns"] if b["id"] == "reports_by_category")
    assert [(i["key"], i["value"]) for i in by_category["items"]] == [
        ("thoat_nuoc", 2),
        ("moi_truong", 1),
    ]
    np_ = client.get(f"/api/profiles/units/{february['NP'].pk}/?period=2026-02").json()
    np_series = {
        s["id"]: s["points"] for x in np_["sections"] if x["id"] == "feedback" for s in x["series"]
    }
    assert np_series["reports_on_time_rate"] == [{"period": "2026-02", "value": 0.5}]
    assert np_series["reports_satisfaction_rate"] == [{"period": "2026-02", "value": 0.5}]
    overdue = next(x for x in section["lists"] if x["id"] == "reports_overdue")
    assert overdue["count"] == 1
    district = client.get("/api/profiles/district/?period=2026-02").json()
    row = next(c for c in district["children"] if c["id"] == unit)
    ours = [(k["id"], k["value"]) for k in row["kpis"] if k["title"]["vi"] in TWO]
    assert ours == [("received", 3), ("overdue", 1)]
    assert str(body).count(read_fixtures.REPORTER["reporter_name"]) == 0


def test_search_by_ticket_prefix_for_staff_and_the_public(february: dict, client: Client) -> None:
    r3, r4 = february["R3"], february["R4"]
    staff = signed_in("lanhdao-search", Role.LEADER)
    # Any case, dashes or spaces: 'pa-2602-xy' finds PA-2602-XY….
    query = r3.ticket[:10].lower()
    hits = staff.get("/api/search/", {"q": query}).json()["results"]
    assert [h["code"] for h in hits if h["type"] == "report"] == [r3.ticket]
    spaced = r3.ticket.replace("-", " ").lower()
    exact = staff.get("/api/search/", {"q": spaced}).json()["results"][0]
    assert exact["code"] == r3.ticket and exact["detail"] == f"/api/feedback/reports/{r3.pk}/"
    month = staff.get("/api/search/", {"q": "PA-2602", "limit": 50}).json()["results"]
    assert {h["code"] for h in month if h["type"] == "report"} == {
        february[k].ticket for k in ("R1", "R2", "R3", "R4", "R5", "R6")
    }
    words = staff.get("/api/search/", {"q": "Phản ánh số 4"}).json()["results"]
    assert r4.ticket in [h["code"] for h in words]
    # The public: a public report by ten characters or more, leading to its tracking page;
    # never a rejected one, never a month's list, never by words.
    public = client.get("/api/search/", {"q": r3.ticket}).json()["results"]
    assert [(h["code"], h["detail"]) for h in public] == [
        (r3.ticket, f"/api/feedback/track/{r3.ticket}/")
    ]
    assert client.get("/api/search/", {"q": r4.ticket}).json()["results"] == []
    assert not [
        h
        for h in client.get("/api/search/", {"q": "PA-2602"}).json()["results"]
        if h["type"] == "report"
    ]
    found = client.get("/api/search/", {"q": "Phản ánh số 3"}).json()["results"]
    assert not [h for h in found if h["type"] == "report"]
    for hit in public:
        given = Report.objects.get(pk=hit["id"]).address_text
        assert PERSONAL[0] not in hit and given not in str(hit)
