"""Encounter KPIs against a hand-counted March 2026 (tests/health/fixtures_kpis.py), per
group, per month, per 1,000 residents, and as the public reads them (small counts held back)."""

import pytest

from gisioc.errors import InvalidInput
from gisioc.geo.models import AdminUnit, Facility
from gisioc.health.kpis import KPIS
from gisioc.periods import period_parse
from tests.health import fixtures_kpis

pytestmark = pytest.mark.django_db
quarter = fixtures_kpis.quarter  # the hand-counted quarter (a fixture)
MARCH = period_parse("2026-03")
Q1 = period_parse("2026-Q1")
EXACT = {
    "visits": 10,  # admitted in March: E01–E09, E13 (E10 in February, E11 in April)
    # residents of the 4 communes: NP E01 E02 E06, TB E03 E04 E07 E08, DX E05, DN E13 = 9
    # (E09 lives outside), per 1,000 of 50,000 residents
    "visits_per_1000": 0.18,
    "outpatient": 6,  # E01 E02 E07 E08 E09 E13
    "inpatient": 4,  # E03 E04 E05, and E06 (day patient)
    "emergencies": 3,  # E03 E05 E13
    "bed_days": 20,  # stays ended in March: E03 5 + E04 6 + E06 1 + E10 8
    "average_stay": 5.0,  # 20 / 4
    "referrals": 2,  # E04 E08
    "referral_rate": 0.2,  # of the 10 ended in March
    "insured_share": 0.8,  # 8 of 10 (not E04, E09)
    "deaths": 1,  # E10
    "discharged": 4,  # E03 E04 E06 E10
    "ended": 10,  # E01–E04, E06–E10, E13 (E05 is still in)
    "insured_visits": 8,
}
# Counts of 1–4 and what is computed from them, in declaration order.
HELD = [
    "inpatient",
    "emergencies",
    "bed_days",
    "average_stay",
    "referrals",
    "referral_rate",
    "deaths",
    "discharged",
]


def test_march_counted_by_hand(quarter: dict[str, AdminUnit]) -> None:
    kpis = KPIS.kpis(period=MARCH)
    assert kpis == EXACT
    assert kpis.suppressed == []


def test_the_public_reads_small_counts_as_null_never_zero(quarter: dict[str, AdminUnit]) -> None:
    kpis = KPIS.kpis(period=MARCH, public=True)
    assert kpis.suppressed == HELD
    assert kpis == {**EXACT, **dict.fromkeys(HELD)}
    assert not [k for k in HELD if kpis[k] == 0]


def test_per_1000_of_one_commune_and_a_missing_population(quarter: dict[str, AdminUnit]) -> None:
    tb = quarter["TB"]
    # TB's residents: E03 E04 E07 E08 = 4, per 1,000 of 15,000: 0.2667
    kpis = KPIS.kpis(period=MARCH, units=[tb.pk])
    assert kpis["visits_per_1000"] == 0.27
    # The figures of TB's facilities (TYT-20611: E07 E08 E09 E13), not of its residents
    assert kpis["visits"] == 10  # records=None: every record; the API narrows by unit
    dn = quarter["DN"]
    from gisioc.indicators.models import IndicatorValue

    IndicatorValue.objects.filter(unit=dn).delete()
    assert KPIS.kpis(period=MARCH, units=[tb.pk])["visits_per_1000"] == 0.27
    assert KPIS.kpis(period=MARCH, units=[dn.pk])["visits_per_1000"] is None  # no data
    assert KPIS.kpis(period=MARCH)["visits_per_1000"] is None  # not 8 of 45,000


def test_a_population_from_an_earlier_year_is_used(quarter: dict[str, AdminUnit]) -> None:
    from gisioc.indicators.models import IndicatorValue

    IndicatorValue.objects.filter(period="2026").update(period="2024")
    assert KPIS.kpis(period=MARCH)["visits_per_1000"] == 0.18  # 2024, within five years


def test_groups_counted_by_hand(quarter: dict[str, AdminUnit]) -> None:
    units = quarter
    by_facility = {g["key"]: g["kpis"] for g in KPIS.kpis_by(period=MARCH, by="facility")}
    ttyt, tyt = (Facility.objects.get(code=c).pk for c in ("TTYT-DX", "TYT-20611"))
    assert by_facility[ttyt]["visits"] == 6 and by_facility[ttyt]["ended"] == 6
    assert by_facility[tyt]["visits"] == 4 and by_facility[tyt]["ended"] == 4
    assert by_facility[ttyt]["bed_days"] == 20 and by_facility[tyt]["bed_days"] == 0
    assert by_facility[tyt]["referral_rate"] == 0.25  # E08 of 4
    by_residence = {g["key"]: g["kpis"] for g in KPIS.kpis_by(period=MARCH, by="residence")}
    visits = {k: v["visits"] for k, v in by_residence.items()}
    assert visits == {
        units["NP"].pk: 3,
        units["TB"].pk: 4,
        units["DX"].pk: 1,
        units["DN"].pk: 1,
        None: 1,
    }
    per_1000 = {k: v["visits_per_1000"] for k, v in by_residence.items()}
    assert per_1000 == {
        units["NP"].pk: 0.15,
        units["TB"].pk: 0.27,
        units["DX"].pk: 0.1,
        units["DN"].pk: 0.2,
        None: None,
    }
    by_unit = {g["key"]: g["kpis"]["visits"] for g in KPIS.kpis_by(period=MARCH, by="unit")}
    assert by_unit == {units["NP"].pk: 6, units["TB"].pk: 4}
    by_chapter = KPIS.kpis_by(period=MARCH, by="chapter")
    # Every chapter counts fewer than 5: all last, by label, for every reader alike
    assert [(g["key"], g["kpis"]["visits"]) for g in by_chapter] == [
        ("I", 3),  # E03 E04 A91, E08 B08.4
        ("IX", 1),  # E05 (and E10, ended in March)
        ("X", 4),  # E01 E02 E07 E09
        ("XI", 1),
        ("XIX", 1),
    ]
    assert by_chapter[2]["label"].startswith("X. Bệnh hệ hô hấp")
    assert by_chapter[1]["kpis"]["ended"] == 1  # E10
    by_care = {g["key"]: g["kpis"]["visits"] for g in KPIS.kpis_by(period=MARCH, by="care")}
    assert by_care == {"outpatient": 6, "inpatient": 3, "day_patient": 1}
    with pytest.raises(InvalidInput):
        KPIS.kpis_by(period=MARCH, by="patient")


def test_public_groups_hold_small_ones_back_and_last_by_label(
    quarter: dict[str, AdminUnit],
) -> None:
    groups = KPIS.kpis_by(period=MARCH, by="chapter", public=True)
    assert [g["key"] for g in groups] == ["I", "IX", "X", "XI", "XIX"]  # none has 5 visits
    assert all(g["kpis"]["visits"] is None and "visits" in g["suppressed"] for g in groups)
    exact = KPIS.kpis_by(period=MARCH, by="chapter")
    assert [g["key"] for g in exact] == ["I", "IX", "X", "XI", "XIX"]  # the same order
    facilities = KPIS.kpis_by(period=MARCH, by="facility", public=True)
    # TTYT-DX: 6 visits (E01–E06), 6 ended (E01–E04, E06, E10), 5 insured; the rest small
    ttyt = facilities[0]
    assert ttyt["label"] == "Trung tâm Y tế huyện Duy Xuyên"
    assert ttyt["suppressed"] == [
        "outpatient",  # 2
        "inpatient",  # 4
        "emergencies",  # 2
        "bed_days",  # of 4 stays
        "average_stay",
        "referrals",  # 1
        "referral_rate",
        "deaths",  # 1
        "discharged",  # 4
    ]
    assert ttyt["kpis"]["visits"] == 6 and ttyt["kpis"]["ended"] == 6
    assert ttyt["kpis"]["insured_visits"] == 5 and ttyt["kpis"]["insured_share"] == 0.8333
    assert ttyt["kpis"]["visits_per_1000"] is None  # a facility has no residents
    assert facilities[1]["kpis"]["visits"] is None  # TYT-20611: 4


def test_months_and_their_small_counts(quarter: dict[str, AdminUnit]) -> None:
    months = {m["period"]: m for m in KPIS.months(period=Q1)}
    # February: E10 E12 admitted, both inpatients and insured; March: 10, 4, 8 of 10
    assert months["2026-02"] == {
        "period": "2026-02",
        "visits": 2,
        "inpatient": 2,
        "insured_share": 1.0,
    }
    assert months["2026-03"] == {
        "period": "2026-03",
        "visits": 10,
        "inpatient": 4,
        "insured_share": 0.8,
    }
    public = {m["period"]: m for m in KPIS.months(period=Q1, public=True)}
    assert public["2026-02"] == {
        "period": "2026-02",
        "visits": None,
        "inpatient": None,
        "insured_share": None,
        "suppressed": ["visits", "inpatient", "insured_share"],
    }
    assert public["2026-03"]["inpatient"] is None and public["2026-03"]["visits"] == 10
    assert public["2026-03"]["suppressed"] == ["inpatient"]
