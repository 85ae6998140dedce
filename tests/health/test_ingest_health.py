"""Encounter exports through the ingest framework: Vietnamese headers, ICD-10 normalised,
residence by code in the version in force, key rotation, bad rows refused with reasons."""

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from openpyxl import Workbook

from gisioc.health.icd import icd_chapter, icd_normalise
from gisioc.health.models import Encounter
from gisioc.health.screen import age_band
from gisioc.ingest.models import RawRecord
from gisioc.ingest.records import records_rows
from gisioc.ingest.services import ingest_file, ingest_rows
from gisioc.periods import VIETNAM
from tests.health.conftest import TEST_KEY_ID, TEST_SECRET

pytestmark = pytest.mark.django_db
HEADERS = [
    "STT", "Mã liên kết", "Mã bệnh nhân", "Ngày sinh", "Giới tính", "Mã xã cư trú",
    "Mã bệnh chính", "Mã bệnh kèm theo", "Ngày vào", "Ngày ra", "Số ngày điều trị",
    "Kết quả điều trị", "Loại ra viện", "Mã loại KCB", "Lý do vào viện", "Mã cơ sở KCB",
    "Tổng chi", "BHYT thanh toán", "Mã thẻ BHYT",
]  # fmt: skip
ROWS = [
    # Before the reform 20611 is Duy Hòa; after it, Thu Bồn.
    ["L1", "P1", "12/05/1950", "Nữ", "20611", "b084", "i10, E11", "10/06/2025 08:00",
     "10/06/2025 09:30", 0, "Đỡ", "Ra viện", "01", "Sốt", "TYT-20611", 85000, 68000, "GD4"],
    ["L2", "P1", "12/05/1950", "Nữ", "20611", "A91.0", None, "10/07/2025 22:15",
     "15/07/2025 09:00", None, "Khỏi", "Chuyển tuyến", "03", "Cấp cứu", "TTYT-DX",
     "4500000", "3600000", "GD4494920000001"],
    # An old code after the reform, a code of no commune, no code: residence not known.
    ["L3", "P2", "2019", "Nam", "20605", "J06.9", None, "11/07/2025 08:00", None, None, None,
     None, "01", None, "PK-DX-01", None, None, None],
    ["L4", "P3", None, None, "99999", "J06.9", None, "11/07/2025 08:00", None, None, None,
     None, "1", None, "PK-DX-01", None, None, None],
    # An unknown facility: stored, not placed.
    ["L5", "P4", None, "1", None, "K29.7", None, "11/07/2025 08:00", None, None, None, None,
     "01", None, "BV-KHAC", None, None, None],
    # Bad rows: not ICD-10, discharged before admitted, a care code not in the list, no
    # patient code, an impossible admission day.
    ["L6", "P5", None, None, "20611", "ZZ9", None, "11/07/2025 08:00", None, None, None, None,
     "01", None, "TTYT-DX", None, None, None],
    ["L7", "P5", None, None, "20611", "J06.9", None, "11/07/2025 08:00", "10/07/2025 08:00",
     None, None, None, "01", None, "TTYT-DX", None, None, None],
    ["L8", "P5", None, None, "20611", "J06.9", None, "11/07/2025 08:00", None, None, None,
     None, "42", None, "TTYT-DX", None, None, None],
    ["L9", None, None, None, "20611", "J06.9", None, "11/07/2025 08:00", None, None, None,
     None, "01", None, "TTYT-DX", None, None, None],
    ["L10", "P6", None, None, "20611", "J06.9", None, "31/02/2025 08:00", None, None, None,
     None, "01", None, "TTYT-DX", None, None, None],
]  # fmt: skip


def _xlsx(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["TRUNG TÂM Y TẾ DUY XUYÊN"])
    sheet.append(["DANH SÁCH LƯỢT KHÁM CHỮA BỆNH", None, "Từ 01/06/2025 đến 31/07/2025"])
    sheet.append(HEADERS)
    for number, row in enumerate(ROWS, start=1):
        sheet.append([number, *row])
    book.save(path)
    return path


def _hash(code: str, secret: str = TEST_SECRET) -> str:
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


def test_an_export_maps_by_its_vietnamese_headers_alone(geo: None, tmp_path: Path) -> None:
    report = ingest_file(
        system="health", path=_xlsx(tmp_path / "kcb.xlsx"), source="his", progress=lambda _: 0
    )
    assert (report.status, report.format, report.header_row) == ("done", "xlsx", 3)
    assert (report.received, report.created, report.rejected, report.not_located) == (10, 5, 5, 1)
    got = {e.external_id: e for e in Encounter.objects.select_related("residence", "unit")}
    first, second = got["L1"], got["L2"]
    assert (first.diagnosis, first.chapter, first.other_diagnoses) == ("B08.4", "I", "I10;E11")
    assert (first.residence.name, first.unit.name) == ("Xã Duy Hòa", "Xã Duy Hòa")
    assert (second.residence.name, second.unit.name) == ("Xã Thu Bồn", "Xã Nam Phước")
    assert first.residence.code == second.residence.code == "20611"
    assert first.patient_key == second.patient_key == _hash("P1")
    assert (first.age_band, first.sex, first.insured, first.outcome) == (
        "65+",
        "f",
        True,
        "improved",
    )
    assert (first.care, first.care_code, first.treatment_days, first.emergency) == (
        "outpatient", "01", 0, False,
    )  # fmt: skip
    assert (second.diagnosis, second.care, second.emergency, second.discharge) == (
        "A91.0", "inpatient", True, "referred",
    )  # fmt: skip
    assert second.treatment_days == 6  # NGAY_RA − NGAY_VAO + 1 when not given
    assert (second.total_cost, second.insurance_paid) == (4_500_000, 3_600_000)
    assert second.admitted_at == dt.datetime(2025, 7, 10, 22, 15, tzinfo=VIETNAM)
    assert got["L3"].residence is None and got["L3"].age_band == "5-14"
    assert got["L4"].residence is None and got["L4"].care_code == "01"
    assert got["L5"].facility is None and got["L5"].unit is None and got["L5"].sex == "m"
    errors = {
        r.external_id: (r.errors[0]["field"], r.errors[0]["vi"])
        for r in RawRecord.objects.filter(outcome="rejected")
    }
    assert errors == {
        "L6": ("diagnosis", "mã bệnh chính không phải mã ICD-10: ZZ9 (ví dụ J06.9, A91)"),
        "L7": ("discharged_at", "ngày ra trước ngày vào"),
        "L8": ("care_code", "mã loại KCB không có trong danh mục: 42 (01–09)"),
        "L9": ("patient_key", "thiếu Mã bệnh nhân"),
        "L10": ("admitted_at", errors["L10"][1]),
    }
    assert errors["L10"][1].startswith("ngày giờ không hợp lệ: 31/02/2025 08:00")
    unplaced = RawRecord.objects.get(external_id="L5")
    assert "BV-KHAC" in unplaced.note
    raw = RawRecord.objects.get(external_id="L1").raw
    assert raw["patient_key"] == _hash("P1") and raw["age_band"] == "65+"
    assert "Ngày sinh" not in raw and "12/05/1950" not in str(raw)


def test_a_new_key_hashes_new_records_while_old_ones_keep_theirs(
    geo: None, settings: object
) -> None:
    rows = [{"MA_LK": "K1", "MA_BN": "P9", "MA_BENH_CHINH": "I10", "NGAY_VAO": "202501020800",
             "MA_LOAI_KCB": "01", "MA_CSKCB": "TTYT-DX"}]  # fmt: skip
    ingest_rows(system="health", rows=records_rows(rows), source="his", progress=lambda _: 0)
    new_secret = "a-second-key-rotated-in-for-new-records-9876543210"
    settings.GISIOC_PATIENT_KEYS = f"8:{new_secret},{TEST_KEY_ID}:{TEST_SECRET}"  # type: ignore[attr-defined]
    later = [dict(rows[0], MA_LK="K2", NGAY_VAO="202502020800")]
    ingest_rows(system="health", rows=records_rows(later), source="his", progress=lambda _: 0)
    old, new = Encounter.objects.get(external_id="K1"), Encounter.objects.get(external_id="K2")
    assert (old.key_id, old.patient_key) == (TEST_KEY_ID, _hash("P9"))
    assert (new.key_id, new.patient_key) == (8, _hash("P9", new_secret))


@pytest.mark.parametrize(
    ("keys", "said"),
    [("", "are not set"), ("1:short", "shorter than 32"), ("x:" + "s" * 40, "no key id")],
)
def test_without_a_usable_key_a_run_fails_saying_why(
    db: None, settings: object, keys: str, said: str
) -> None:
    settings.GISIOC_PATIENT_KEYS = keys  # type: ignore[attr-defined]
    record = {"MA_LK": "K1", "MA_BN": "P9", "MA_BENH_CHINH": "I10", "NGAY_VAO": "202501020800",
              "MA_CSKCB": "TTYT-DX"}  # fmt: skip
    report = ingest_rows(
        system="health", rows=records_rows([record]), source="his", progress=lambda _: 0
    )
    assert report.status == "failed" and said in report.message and "P9" not in report.message
    assert "GISIOC_PATIENT_KEYS" in report.message and not Encounter.objects.exists()


def test_icd_codes_are_normalised_and_chaptered() -> None:
    assert [icd_normalise(c) for c in ("a91", "A91.0", "B084", " j18 9 ", "S72.00", "X")] == [
        "A91", "A91.0", "B08.4", "J18.9", "S72.00", None,
    ]  # fmt: skip
    assert [icd_chapter(c) for c in ("A00", "B99", "C50.9", "D49", "D50", "H60", "O80",
                                     "S06.0", "T98", "U07.1", "Z34.9")] == [
        "I", "I", "II", "", "III", "VIII", "XV", "XIX", "XIX", "XXII", "XXI",
    ]  # fmt: skip


def test_the_age_band_is_on_the_admitted_day() -> None:
    assert age_band("20200610", "2025-06-09T08:00") == "0-4"  # 5 the next day
    assert age_band("20200610", "2025-06-10T08:00") == "5-14"
    assert age_band("196003150000", "202503150800") == "65+"
    assert age_band("not a date", "2025-06-10") == age_band("20300101", "2025-06-10") == ""
