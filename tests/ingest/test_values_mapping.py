"""Typed values (Vietnam times, yes/no, choices) and header plans (aliases, profiles, personal)."""

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gisioc.ingest.mapping import HeaderPlan
from gisioc.ingest.systems import system_get
from gisioc.ingest.values import (
    VIETNAM,
    BadValue,
    bool_value,
    choice_value,
    datetime_value,
    int_value,
    json_ready,
    storable,
    value_fault,
    vietnam_date,
)

UTC = dt.UTC


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("15/03/2025 08:30", dt.datetime(2025, 3, 15, 8, 30, tzinfo=VIETNAM)),
        ("15/03/2025 08:30:15", dt.datetime(2025, 3, 15, 8, 30, 15, tzinfo=VIETNAM)),
        ("5/3/2025", dt.datetime(2025, 3, 5, tzinfo=VIETNAM)),
        ("08:30 15/03/2025", dt.datetime(2025, 3, 15, 8, 30, tzinfo=VIETNAM)),
        ("15-03-2025 08h30", dt.datetime(2025, 3, 15, 8, 30, tzinfo=VIETNAM)),
        ("2025-03-15T01:30:00Z", dt.datetime(2025, 3, 15, 1, 30, tzinfo=UTC)),
        ("2025-03-15 08:30", dt.datetime(2025, 3, 15, 8, 30, tzinfo=VIETNAM)),
        (dt.datetime(2025, 3, 15, 8, 30), dt.datetime(2025, 3, 15, 8, 30, tzinfo=VIETNAM)),
        (dt.date(2025, 3, 15), dt.datetime(2025, 3, 15, tzinfo=VIETNAM)),
        (45731.5, dt.datetime(2025, 3, 15, 12, 0, tzinfo=VIETNAM)),  # an Excel day number
    ],
)
def test_datetimes_are_vietnam_time_unless_they_say_otherwise(raw, expected) -> None:
    assert datetime_value(raw) == expected


def test_a_bare_due_date_means_the_end_of_that_day() -> None:
    due = datetime_value("20/03/2025", day_end=True)
    assert due == dt.datetime(2025, 3, 20, 23, 59, 59, tzinfo=VIETNAM)
    assert datetime_value("20/03/2025 11:00", day_end=True).hour == 11


@pytest.mark.parametrize("raw", ["31/02/2025", "15/13/2025", "hôm qua", "12", True])
def test_bad_dates_say_why(raw) -> None:
    with pytest.raises(BadValue) as caught:
        datetime_value(raw)
    assert caught.value.vi and caught.value.en


def test_vietnam_date_of_a_utc_evening() -> None:
    assert vietnam_date(dt.datetime(2025, 6, 30, 17, 30, tzinfo=UTC)) == dt.date(2025, 7, 1)


@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31)))
def test_day_first_text_round_trips(moment: dt.datetime) -> None:
    moment = moment.replace(microsecond=0)
    assert datetime_value(moment.strftime("%d/%m/%Y %H:%M:%S")) == moment.replace(tzinfo=VIETNAM)


def test_yes_no_and_choices() -> None:
    assert [bool_value(x) for x in ("Có", "x", 1, "KHÔNG", False, "chưa")] == [
        True, True, True, False, False, False
    ]  # fmt: skip
    with pytest.raises(BadValue):
        bool_value("có lẽ")
    choices = {"truc tuyen": "truc_tuyen", "truc_tuyen": "truc_tuyen"}
    assert choice_value("  TRỰC TUYẾN ", choices) == "truc_tuyen"
    assert choice_value("truc_tuyen", choices) == "truc_tuyen"
    with pytest.raises(BadValue, match="unknown value: Fax"):
        choice_value("Fax", choices)


def test_header_plan_aliases_personal_columns_and_leftovers() -> None:
    plan = HeaderPlan(system_get("public_services"))
    headers = [
        "Mã hồ sơ",
        "MA TTHC",
        "Ngày tiếp nhận (dd/mm/yyyy)",
        "Họ và tên người nộp",
        "Số điện thoại",
        "Số CCCD/CMND",
        "Email",
        "Địa chỉ người nộp",
        "Ghi chú",
        "Mã hồ sơ (2)",
    ]
    assert plan.columns(headers) == {
        "field": [
            "Mã hồ sơ → dossier_code",
            "MA TTHC → procedure_code",
            "Ngày tiếp nhận (dd/mm/yyyy) → received_at",
            "Địa chỉ người nộp → applicant_commune",
        ],
        "personal": ["Họ và tên người nộp", "Số điện thoại", "Số CCCD/CMND", "Email"],
        "dropped": [],
        "kept": [],
        "ignored": ["Ghi chú", "Mã hồ sơ (2)"],
    }
    row = {"Mã hồ sơ": "HS-1", "Số điện thoại": "0905123456", "Ghi chú": "gấp"}
    assert plan.fields_of(row) == {"dossier_code": "HS-1"}
    assert plan.kept(row) == {"Mã hồ sơ": "HS-1"}  # a free-text note could name a citizen
    assert plan.missing(headers) == ["status"]
    for header in ("Người nộp", "Người liên hệ", "SĐT", "Ngày sinh", "Mã định danh cá nhân"):
        assert plan.role(header) == ("personal", None), header
    fresh = HeaderPlan(system_get("public_services"))
    assert fresh.role("Địa chỉ liên hệ") == ("field", "applicant_commune")  # an alias, kept


def test_a_profile_maps_and_drops_but_cannot_bring_personal_data_in() -> None:
    profile = {
        "Số biên nhận": "dossier_code",
        "Đơn vị xử lý": "office_code",
        "Ghi chú nội bộ": None,
        "Điện thoại liên hệ": "applicant_commune",
        "Mã hồ sơ": "external_id",
    }
    plan = HeaderPlan(system_get("public_services"), profile)
    assert plan.role("SỐ BIÊN NHẬN") == ("field", "dossier_code")
    assert plan.role("Đơn vị xử lý") == ("field", "office_code")
    assert plan.role("Ghi chú nội bộ") == ("dropped", None)
    assert plan.role("Điện thoại liên hệ") == ("personal", None)
    assert plan.role("Mã hồ sơ") == ("field", "external_id")  # the profile beats the alias
    assert plan.known("Số biên nhận") and not plan.known("Ghi chú nội bộ")


def test_camel_case_keys_meet_the_aliases_and_the_personal_screen() -> None:
    plan = HeaderPlan(system_get("public_services"))
    keys = ["MaHoSo", "MaTTHC", "ChuHoSo", "SoDienThoai", "HoTenNguoiNop", "GhiChu"]
    columns = plan.columns(keys)
    assert "MaHoSo → dossier_code" in columns["field"]
    assert "MaTTHC → procedure_code" in columns["field"]
    assert set(columns["personal"]) == {"ChuHoSo", "SoDienThoai", "HoTenNguoiNop"}
    assert columns["ignored"] == ["GhiChu"]
    assert plan.kept({k: "x" for k in keys}) == {"MaHoSo": "x", "MaTTHC": "x"}


def test_a_system_may_keep_more_columns_in_raw_rows_but_never_personal_ones() -> None:
    system = dataclasses.replace(system_get("public_services"), raw_extra=("ghi chu", "so dt"))
    plan = HeaderPlan(system)
    keys = ["MaHoSo", "GhiChu", "Ghi chú", "SoDT", "STT"]
    assert plan.columns(keys)["kept"] == ["GhiChu", "Ghi chú"]
    assert plan.columns(keys)["personal"] == ["SoDT"]
    assert plan.kept({k: "x" for k in keys}) == {"MaHoSo": "x", "GhiChu": "x", "Ghi chú": "x"}


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (2**31, "out of range"),
        (-(2**31) - 1, "out of range"),
        ("99999999999", "out of range"),
        (10**400, "out of range"),
        (float("inf"), "not a whole number"),
    ],
)
def test_whole_numbers_fit_an_integer_column(raw: object, reason: str) -> None:
    with pytest.raises(BadValue, match=reason) as refused:
        int_value(raw)
    assert len(refused.value.en) < 120
    assert int_value(2**31 - 1) == 2**31 - 1 and int_value("-2 147 483 648") == -(2**31)


def test_what_cannot_be_stored_is_found_and_made_storable() -> None:
    value = {"a\x00": ["ok", {"b": float("nan")}], "c": "\ud800x"}
    assert value_fault("Nguyễn") is None and value_fault(1.5) is None
    assert "NUL" in value_fault("x\x00").en
    assert "surrogate" in value_fault(["ok", "\udfff"]).en
    assert "finite" in value_fault({"k": float("-inf")}).en
    assert "NUL" in value_fault(value).en  # keys too
    assert storable(value) == {"a\ufffd": ["ok", {"b": "nan"}], "c": "\ufffdx"}
    assert json_ready(value) == storable(value)
