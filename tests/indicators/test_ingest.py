"""The indicators adapter on long rows: names and codes, old and new communes, periods as
offices write them, "no data" marks, whole-area values, one record per value."""

import datetime as dt
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from gisioc.indicators.catalog import catalog_sync
from gisioc.indicators.models import Indicator, IndicatorValue
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.readers import RawRow
from gisioc.ingest.report import RunReport
from gisioc.ingest.services import ingest_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(geo: None) -> None:
    """The shipped catalogue plus the monthly and daily indicators these tests name."""
    catalog_sync()
    Indicator.objects.get_or_create(
        code="covid_cases",
        defaults={
            "name_vi": "Số ca mắc Covid-19 mới",
            "name_en": "New Covid-19 cases",
            "domain": "covid",
            "period_type": "day",
            "aliases": ["ca mắc mới"],
        },
    )
    Indicator.objects.get_or_create(
        code="budget_revenue_total",
        defaults={
            "name_vi": "Tổng thu ngân sách",
            "name_en": "Budget revenue",
            "domain": "budget_revenue",
            "period_type": "year",
            "unit_vi": "triệu đồng",
        },
    )


def _run(rows: list[dict[str, Any]], source: str = "thongke-test") -> RunReport:
    return ingest_rows(
        system="indicators",
        rows=[RawRow(n, row) for n, row in enumerate(rows, start=1)],
        source=source,
        progress=lambda _: None,
    )


def _stored(source: str = "thongke-test") -> dict[str, tuple[Any, ...]]:
    rows = IndicatorValue.objects.filter(source=source).select_related("unit", "version")
    return {
        r.external_id: (r.value, r.unit.name if r.unit else None, r.version.slug, r.whole)
        for r in rows
    }


def test_names_old_and_new_resolve_by_the_period(catalogue: None) -> None:
    report = _run(
        [
            {"chỉ tiêu": "Dân số trung bình", "xã": "Duy Hoa", "năm": "Năm 2023", "giá trị": 9876},
            {"chỉ tiêu": "population", "xã": "xã thu bồn", "năm": 2025, "giá trị": "41 234"},
            {"chỉ tiêu": "dan so", "xã": "DUY HÒA", "năm": "2025", "giá trị": 4100},
            {
                "chỉ tiêu": "population",
                "xã": "20611",
                "năm": "2024",
                "giá trị": "9.900",
                "kiểu số": "Việt Nam",
            },
            {"chỉ tiêu": "population", "xã": "Toàn huyện", "năm": "2024", "giá trị": "128.500,0"},
        ]
    )
    assert (report.rejected, report.created, report.not_located) == (0, 5, 0), report.lines()
    stored = _stored()
    assert stored["actual:population:duyxuyen-2019:20611:2023"] == (
        9876.0,
        "Xã Duy Hòa",
        "duyxuyen-2019",
        False,
    )
    # 2025 ends in the new version: Thu Bồn is found there, Duy Hòa in the old one it overlaps.
    assert stored["actual:population:danang-2025:20611:2025"][:2] == (41234.0, "Xã Thu Bồn")
    assert stored["actual:population:duyxuyen-2019:20611:2025"][:2] == (4100.0, "Xã Duy Hòa")
    assert stored["actual:population:duyxuyen-2019:20611:2024"][:2] == (9900.0, "Xã Duy Hòa")
    assert stored["actual:population:duyxuyen-2019:*:2024"] == (
        128500.0,
        None,
        "duyxuyen-2019",
        True,
    )
    value = IndicatorValue.objects.get(external_id="actual:population:danang-2025:20611:2025")
    assert (value.period_start, value.period_end, value.locate_on, value.locate_method) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        dt.date(2025, 12, 31),
        "address",
    )


def test_the_same_value_by_code_or_by_name_is_one_record(catalogue: None) -> None:
    first = _run([{"indicator": "population", "unit": "20605", "period": "2023", "value": 8000}])
    again = _run(
        [{"chỉ tiêu": "Dân số trung bình", "xã": "Xa Duy Phu", "năm": "2023", "giá trị": 8000}]
    )
    changed = _run(
        [{"chỉ tiêu": "Dân số", "xã": "Duy Phú", "kỳ": "Năm 2023", "giá trị": "8.100,0"}]
    )
    assert (first.created, again.unchanged, changed.updated) == (1, 1, 1)
    assert IndicatorValue.objects.get(source="thongke-test").value == 8100.0


def test_targets_periods_and_status_words(catalogue: None) -> None:
    report = _run(
        [
            {"chỉ tiêu": "Tỷ lệ hộ nghèo", "xã": "Duy Sơn", "năm": 2024, "giá trị": "3,25",
             "loại": "Kế hoạch"},
            {"chỉ tiêu": "Tỷ lệ hộ nghèo (%)", "xã": "Duy Sơn", "năm": 2024, "giá trị": "3,4%",
             "loại": "Thực hiện", "trạng thái": "Ước"},
            {"chỉ tiêu": "Tổng thu ngân sách", "xã": "", "năm": "2022", "giá trị": "(1.234,5)",
             "loại": "dự toán"},
        ]
    )  # fmt: skip
    daily = _run([{"chỉ tiêu": "ca mắc mới", "xã": "Duy Sơn", "ngày": "15/08/2021", "số liệu": 12}])
    assert report.rejected + daily.rejected == 0, report.lines() + daily.lines()
    stored = {
        r.external_id: (r.value, r.kind, r.status, r.period)
        for r in IndicatorValue.objects.filter(source="thongke-test")
    }
    assert stored == {
        "target:poverty_rate:duyxuyen-2019:20620:2024": (3.25, "target", "reported", "2024"),
        "actual:poverty_rate:duyxuyen-2019:20620:2024": (3.4, "actual", "estimated", "2024"),
        "actual:covid_cases:duyxuyen-2019:20620:2021-08-15": (12.0, "actual", "reported",
                                                              "2021-08-15"),
        "target:budget_revenue_total:duyxuyen-2019:*:2022": (-1234.5, "target", "reported",
                                                              "2022"),
    }  # fmt: skip


def test_refusals_name_the_field_and_reason(catalogue: None) -> None:
    report = _run(
        [
            {"indicator": "dân sồ trung bìnhh", "unit": "Duy Sơn", "period": "2023", "value": 1},
            {"indicator": "population", "unit": "Duy Hòa", "period": "Quý 3/2023", "value": 1},
            {"indicator": "population", "unit": "Duy Sơnn", "period": "2023", "value": 1},
            {"indicator": "population", "unit": "Duy Sơn", "period": "2023", "value": "-"},
            {"indicator": "population", "unit": "Duy Sơn", "period": "2023", "value": ".."},
            {"indicator": "population", "unit": "Duy Sơn", "period": "2023", "value": "1.234"},
            {"indicator": "population", "unit": "Duy Sơn", "period": "2023", "value": "abc"},
            {"indicator": "population", "unit": "Thu Bồn", "period": "2023", "value": 5},
            {"indicator": "population", "unit": "Duy Sơn", "period": "2023", "value": 5,
             "version": "hanoi-2030"},
            {"indicator": "population", "unit": "Duy Sơn", "period": "2023", "value": "1.234,5",
             "cell": "Sheet1!D7", "style": "quốc tế"},
        ]
    )  # fmt: skip
    assert (report.rejected, report.created) == (10, 0)
    errors = {e.row: (e.field, e.en) for e in report.errors}
    assert errors[1][0] == "indicator" and "Dân số trung bình (population)" in errors[1][1]
    assert errors[2] == (
        "period",
        "period 2023-Q3 is a quarter, indicator population is reported by year",
    )
    assert errors[3][0] == "unit" and "(close: Xã Duy Sơn (20620); " in errors[3][1]
    assert errors[4] == ("value", "no data ('-'), not stored")
    assert errors[5] == ("value", "no data ('..'), not stored")
    assert errors[6][0] == "value" and "ambiguous" in errors[6][1]
    assert errors[7] == ("value", "not a number: abc")
    assert errors[8][0] == "unit" and "no commune 'Thu Bồn' in duyxuyen-2019" in errors[8][1]
    assert errors[9][0] == "version" and "hanoi-2030" in errors[9][1]
    assert errors[10][1].startswith("cell Sheet1!D7: number 1.234,5 is written Vietnamese")
    assert not IndicatorValue.objects.filter(value=0).exists()


def test_the_push_api_takes_long_rows(catalogue: None, client: APIClient) -> None:
    key = source_key_create(system="indicators", source="tckh-push")[1]
    records = [
        {"indicator": "population", "unit": "Xã Duy Nghĩa", "period": "2025", "value": 30123},
        {"indicator": "poverty_rate", "unit": "Duy Nghia", "period": "2025", "value": 2.5,
         "kind": "target"},
        {"indicator": "population", "unit": "", "period": "2025", "value": 131000},
    ]  # fmt: skip
    answer = client.post(
        "/api/ingest/indicators/batches/",
        data=json.dumps({"idempotency_key": "b1", "records": records}, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["created"], body["rejected"], body["not_located"]) == (3, 0, 0)
    assert _stored("tckh-push") == {
        "actual:population:danang-2025:20635:2025": (30123.0, "Xã Duy Nghĩa", "danang-2025", False),
        "target:poverty_rate:danang-2025:20635:2025": (2.5, "Xã Duy Nghĩa", "danang-2025", False),
        "actual:population:danang-2025:*:2025": (131000.0, None, "danang-2025", True),
    }


def test_lookups_are_made_once_per_run_not_per_row(
    catalogue: None, django_assert_max_num_queries: Any
) -> None:
    periods = [str(year) for year in range(2019, 2025)]
    names = ["Duy Phú", "duy tan", "Xã Duy Hòa", "20614", "Duy Trinh", "Duy Sơn", "Duy Hải"]
    rows = [
        {"chỉ tiêu": indicator, "xã": name, "năm": period, "giá trị": 100 + n}
        for n, (indicator, name, period) in enumerate(
            (i, u, p) for i in ("Dân số", "births", "poverty_rate") for u in names for p in periods
        )
    ]
    with django_assert_max_num_queries(40):  # the run's own writes, the lookups, one COPY
        report = _run(rows)
    assert (report.created, report.rejected) == (len(rows), 0) == (126, 0)
