"""School management exports in: XLSX and CSV, the school year's label, the rules, and a
pupil list refused whole."""

import csv
from pathlib import Path

import openpyxl
import pytest

from gisioc.education.models import SchoolYear
from gisioc.errors import InvalidInput
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_file, ingest_rows
from gisioc.periods import VIETNAM, period_of, school_year_of
from tests.education.conftest import ROWS

pytestmark = pytest.mark.django_db
HEADERS = (
    "Mã trường", "Tên trường", "Cấp học", "Loại hình", "Năm học", "Số lớp", "Tổng số học sinh",
    "Học sinh nữ", "Lớp 1", "Lớp 2", "Lớp 3", "Lớp 4", "Lớp 5", "Số giáo viên",
    "Cán bộ quản lý", "Nhân viên", "Tỷ lệ chuyên cần (%)", "Số học sinh bỏ học", "Lên lớp",
    "Hoàn thành chương trình", "Đạt chuẩn quốc gia",
)  # fmt: skip
GOOD = (
    ("TH-20599", "Trường Tiểu học Nam Phước", "Tiểu học", "Công lập", "2024-2025", 38, 1390,
     680, 280, 285, 270, 275, 280, 55, 3, 6, 98.4, 1, 1383, 280, "Mức 2"),
    ("THCS-20599", "Trường THCS Nam Phước", "THCS", "Công lập", "2024-2025", 26, 1121, 550,
     None, None, None, None, None, 48, 3, 7, "97,1", 8, 1104, 277, "Chưa đạt"),
)  # fmt: skip


def _xlsx(path: Path, headers: tuple[str, ...], rows: tuple[tuple, ...]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["BÁO CÁO SỐ LIỆU NĂM HỌC 2024-2025 — PHÒNG GD&ĐT"])  # a title above
    sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def _csv(path: Path, headers: tuple[str, ...], rows: tuple[tuple, ...]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(headers)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
    return path


def _quiet(**kwargs: object) -> object:
    return ingest_file(system="education", progress=lambda _: None, **kwargs)


def test_an_xlsx_export_with_a_title_above_imports_placed_at_its_schools(
    geo: None, tmp_path: Path
) -> None:
    report = _quiet(path=_xlsx(tmp_path / "truong.xlsx", HEADERS, GOOD))
    assert (report.created, report.rejected, report.not_located) == (2, 0, 0), report.errors
    primary = SchoolYear.objects.get(external_id="TH-20599:2024-2025")
    assert primary.school.code == "TH-20599" and primary.unit.code == "20599"
    assert primary.unit.version.slug == "duyxuyen-2019"  # placed on 1 September 2024
    assert primary.grades == {"1": 280, "2": 285, "3": 270, "4": 275, "5": 280}
    assert (primary.level, primary.ownership, primary.standard) == ("tieu_hoc", "cong_lap", "muc_2")
    assert (primary.final_grade, primary.completed, primary.attendance_rate) == (280, 280, 98.4)
    assert primary.year_start.astimezone(VIETNAM).isoformat() == "2024-09-01T00:00:00+07:00"
    # 1,390 pupils in 38 classes: 36.6 a class, over the primary norm of 35.
    assert primary.over_capacity
    lower = SchoolYear.objects.get(external_id="THCS-20599:2024-2025")
    assert (lower.grades, lower.attendance_rate, lower.over_capacity) == ({}, 97.1, False)
    again = _quiet(path=tmp_path / "truong.xlsx")
    assert (again.created, again.unchanged) == (0, 2)


def test_a_csv_export_imports_and_its_school_year_runs_september_to_may(
    geo: None, tmp_path: Path
) -> None:
    report = _quiet(path=_csv(tmp_path / "truong.csv", HEADERS, GOOD))
    assert (report.created, report.rejected) == (2, 0), report.errors
    year = period_of(SchoolYear.objects.get(school_code="TH-20599").school_year)
    assert (year.start.isoformat(), year.end.isoformat()) == ("2024-09-01", "2025-05-31")


def test_the_school_year_label_is_read_in_its_usual_writings_and_a_wrong_one_is_refused(
    geo: None,
) -> None:
    base = dict(ROWS[2])
    labels = ("2024-2025", "2024 - 2025", "2024–2025", "2024/2025", "Năm học 2024-2025",
              "2024-2026", "2025-2024", "24-25", "2024")  # fmt: skip
    rows = [RawRow(n, {**base, "Năm học": label}) for n, label in enumerate(labels, start=1)]
    report = ingest_rows(system="education", rows=rows, source="nhan", progress=lambda _: None)
    # The five writings of one school year are one record; the four others are refused.
    assert (report.created, report.updated + report.unchanged, report.rejected) == (1, 4, 4)
    assert list(SchoolYear.objects.values_list("school_year", flat=True)) == ["2024-2025"]
    refused = {e.row: e for e in report.errors}
    assert set(refused) == {6, 7, 8, 9}
    assert refused[6].field == "school_year" and "2024-2026" in refused[6].vi
    assert "hai năm liền nhau" in refused[6].vi and "two consecutive years" in refused[6].en


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"Học sinh nữ": 101}, "pupils_female", "lớn hơn tổng số học sinh"),
        ({"Số học sinh bỏ học": 120}, "dropouts", "lớn hơn tổng số học sinh"),
        ({"Mẫu giáo 5-6 tuổi": 31}, "pupils", "khác tổng các khối"),
        ({"Tỷ lệ chuyên cần (%)": "101"}, "attendance_rate", "từ 0 đến 100"),
        ({"Tỷ lệ chuyên cần (%)": "cao"}, "attendance_rate", "từ 0 đến 100"),
        ({"Số lớp": -1}, "classes", "không được âm"),
        ({"Cấp học": "Đại học"}, "level", "không hợp lệ"),
        ({"Đạt chuẩn quốc gia": "mức 5"}, "standard", "không hợp lệ"),
    ],
)
def test_a_row_breaking_a_rule_is_refused_naming_the_field(
    geo: None, change: dict, field: str, words: str
) -> None:
    row = RawRow(1, {**ROWS[2], **change})
    report = ingest_rows(system="education", rows=[row], source="sai", progress=lambda _: None)
    assert (report.created, report.rejected) == (0, 1)
    assert report.errors[0].field == field and words in report.errors[0].vi
    assert not SchoolYear.objects.exists()


def test_pupils_are_the_sum_of_the_grades_when_only_grades_are_given(geo: None) -> None:
    row = {
        k: v for k, v in ROWS[0].items() if k not in ("Tổng số học sinh", "Hoàn thành chương trình")
    }
    row["Tốt nghiệp"] = 57  # another export's word for completion
    report = ingest_rows(
        system="education", rows=[RawRow(1, row)], source="khoi", progress=lambda _: None
    )
    assert report.created == 1
    assert (SchoolYear.objects.get().pupils, SchoolYear.objects.get().completed) == (300, 57)


@pytest.mark.parametrize("column", ["Họ tên học sinh", "Mã học sinh", "Ngày sinh", "HoTenHocSinh"])
def test_a_file_naming_pupils_is_refused_whole_naming_the_column_and_nothing_is_stored(
    geo: None, tmp_path: Path, column: str
) -> None:
    rows = tuple(
        (*row, value) for row, value in zip(GOOD, ("Nguyễn Văn An", "Trần Thị Bình"), strict=True)
    )
    path = _xlsx(tmp_path / "danh-sach.xlsx", (*HEADERS, column), rows)
    before = (SchoolYear.objects.count(), RawRecord.objects.count())
    report = _quiet(path=path)
    assert report.status == "failed" and report.created == 0
    assert column in report.message and "dữ liệu cá nhân" in report.message
    assert "personal data" in report.message
    assert (SchoolYear.objects.count(), RawRecord.objects.count()) == before == (0, 0)
    run = IngestRun.objects.get(pk=report.run_id)
    assert "Nguyễn Văn An" not in str(run.details) + run.message


def test_a_pushed_batch_naming_pupils_is_refused_with_a_clear_message(geo: None) -> None:
    rows = [RawRow(1, {**ROWS[2], "Tên học sinh": "Lê Văn C"})]
    report = ingest_rows(system="education", rows=rows, source="day", progress=lambda _: None)
    assert report.status == "failed" and "Tên học sinh" in report.message
    assert not SchoolYear.objects.exists() and not RawRecord.objects.exists()


def test_the_period_kind_of_a_school_year_and_a_wrong_label(geo: None) -> None:
    assert period_of("2024-2025").start.isoformat() == "2024-09-01"
    with pytest.raises(InvalidInput):
        period_of("2024-2026")
    # A month belongs to the school year it falls in; a summer month to the one just ended.
    assert [school_year_of(m) for m in ("2024-09", "2025-05", "2025-07")] == ["2024-2025"] * 3


def test_the_push_api_refuses_a_batch_naming_pupils_and_keeps_the_key_free(geo: None) -> None:
    import json

    from django.test import Client

    from gisioc.ingest.keys import source_key_create

    key = source_key_create(system="education", source="phan-mem-truong")[1]
    record = {"MaTruong": "MN-20605", "NamHoc": "2024-2025", "TongSoHocSinh": 100,
              "CapHoc": "Mầm non", "HoTenHocSinh": "Phạm Thị D"}  # fmt: skip
    client = Client()

    def push(records: list[dict], status: int) -> dict:
        answer = client.post(
            "/api/ingest/education/batches/",
            data=json.dumps({"idempotency_key": "lo-1", "records": records}, ensure_ascii=False),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Api-Key {key}",
        )
        assert answer.status_code == status, answer.content
        return answer.json()

    body = push([record], 422)
    assert "HoTenHocSinh" in body["message"] and "dữ liệu cá nhân" in body["message"]
    assert "Phạm Thị D" not in json.dumps(body, ensure_ascii=False)
    assert not SchoolYear.objects.exists() and not RawRecord.objects.exists()
    del record["HoTenHocSinh"]
    again = push([record], 201)  # the corrected batch, under the same key
    assert (again["status"], again["created"]) == ("done", 1)
    assert SchoolYear.objects.get().external_id == "MN-20605:2024-2025"
