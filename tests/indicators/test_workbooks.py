"""Each workbook shape offices send imports (tests/indicators/workbooks, made by make.py):
merged headers, titles and footnotes, both number formats and the ambiguity report, names
and codes of old and new communes, "no data" marks, totals rows, per-cell errors."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from gisioc.indicators.models import IndicatorValue
from gisioc.ingest.models import IngestRun
from gisioc.ingest.report import RunReport
from gisioc.ingest.services import ingest_file
from tests.indicators.test_ingest import catalogue  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]
HERE = Path(__file__).resolve().parent / "workbooks"


def _import(name: str, *, dry_run: bool = False) -> RunReport:
    return ingest_file(
        system="indicators", path=HERE / name, source="thongke", dry_run=dry_run,
        progress=lambda _: None,
    )  # fmt: skip


def _values() -> dict[str, tuple[float, str, str]]:
    return {
        v.external_id: (v.value, v.status, v.note)
        for v in IndicatorValue.objects.filter(source="thongke")
    }


def test_wide_by_period_with_merged_headers_and_vietnamese_numbers() -> None:
    report = _import("wide_by_period.xlsx")
    assert (report.received, report.created, report.rejected, report.not_located) == (
        78, 78, 0, 0
    ), report.lines()  # fmt: skip
    values = _values()
    # Dân số!C10 "24.310" under "Dân số trung bình (người)" / 2022; "Duy Hoa" without marks.
    assert values["actual:population:duyxuyen-2019:20599:2022"] == (24310.0, "reported", "")
    assert values["actual:population:duyxuyen-2019:20611:2024"][0] == 9925.0
    assert values["actual:population:duyxuyen-2019:20608:2023"] == (4944.0, "reported",
                                                                    "Số ước tính")  # fmt: skip
    # The totals row is the district's whole-area value.
    assert values["actual:population:duyxuyen-2019:*:2022"][0] == 127171.0
    # '-' (Duy Phú 2023), '..' (Duy Vinh 2022) and 'x' are skipped, never 0.
    assert "actual:population:duyxuyen-2019:20605:2023" not in values
    assert "actual:population:duyxuyen-2019:20632:2022" not in values
    assert not IndicatorValue.objects.filter(value=0).exists()
    # The second sheet names its indicator in the title only; "3,49" is Vietnamese.
    assert values["actual:poverty_rate:duyxuyen-2019:20599:2023"][0] == 3.49
    notes = "\n".join(report.notes)
    assert "kiểu Việt Nam" in notes and "40 ô không rõ được đọc theo kiểu này" in notes
    assert "wide by period; dòng tiêu đề / header rows 7, 8" in notes
    assert "3 ô trống hoặc không có số liệu" in notes
    again = _import("wide_by_period.xlsx")
    assert (again.unchanged, again.created, again.updated) == (78, 0, 0)


def test_wide_by_indicator_with_codes_and_english_numbers() -> None:
    report = _import("wide_by_indicator.xlsx")
    assert (report.created, report.rejected) == (13, 0), report.lines()
    values = _values()
    # Codes of 2025 are the new communes: 20611 is Thu Bồn, not Duy Hòa.
    thu_bon = IndicatorValue.objects.get(external_id="actual:population:danang-2025:20611:2025")
    assert (thu_bon.value, thu_bon.unit.name) == (30102.0, "Xã Thu Bồn")
    assert values["actual:poverty_rate:danang-2025:20623:2025"][0] == 3.34
    assert values["actual:births:danang-2025:20635:2025"][0] == 267.0
    assert values["actual:population:danang-2025:*:2025"][0] == 132307.0
    notes = "\n".join(report.notes)
    assert "Number format: English (1,234.5) — 4 ambiguous cells read this way" in notes
    assert "header rows 4, 5, 6" in notes and "wide by indicator" in notes


def test_plan_vs_actual_and_the_budget_against_its_estimate() -> None:
    report = _import("plan_vs_actual.xlsx")
    assert (report.created, report.rejected) == (32, 0), report.lines()
    values = _values()
    assert values["target:revenue_tax:duyxuyen-2019:*:2024"][0] == 98200.0
    assert values["actual:revenue_tax:duyxuyen-2019:*:2024"][0] == 104775.25
    assert values["actual:budget_revenue:duyxuyen-2019:*:2024"][0] == 201318.5
    assert values["target:poverty_rate:duyxuyen-2019:20611:2024"][0] == 2.8
    assert values["actual:poverty_rate:duyxuyen-2019:20611:2024"][0] == 2.63
    assert values["actual:population:duyxuyen-2019:20611:2024"] == (9943.0, "estimated", "")
    notes = "\n".join(report.notes)
    assert "derived columns skipped (% so KH…): E" in notes
    assert "derived columns skipped (% so KH…): D, G" in notes
    assert "section rows skipped: 7" in notes  # "I. Thu nội địa", a subtotal


def test_long_csv_with_names_old_and_new() -> None:
    report = _import("long.csv")
    assert (report.created, report.rejected, report.format) == (37, 0, "csv"), report.lines()
    values = _values()
    assert values["actual:population:duyxuyen-2019:20611:2023"][0] == 9884.0  # "Duy Hoa"
    assert values["actual:poverty_rate:duyxuyen-2019:20611:2023"][0] == 5.29  # by code
    assert values["actual:population:danang-2025:20611:2025"][0] == 30102.0  # "Xã Thu Bồn"
    assert values["target:poverty_rate:danang-2025:20611:2025"] == (1.3, "reported",
                                                                   "Nghị quyết HĐND")  # fmt: skip
    assert values["actual:covid_cases:duyxuyen-2019:20620:2021-08-15"][0] == 12.0
    assert "actual:covid_cases:duyxuyen-2019:20620:2021-08-16" not in values  # '-'
    assert values["actual:pupils:duyxuyen-2019:20623:2024-2025"][0] == 1245.0
    assert values["actual:population:duyxuyen-2019:*:2023"][0] == 128512.0


def test_the_broken_copy_reports_each_cell_and_keeps_the_good_ones() -> None:
    report = _import("broken.xlsx")
    assert (report.received, report.created, report.rejected) == (78, 60, 18)
    errors = {
        e.en.split(":")[0].removeprefix("cell "): (e.row, e.field, e.en) for e in report.errors
    }
    assert errors["Dân số!C12"] == (
        12, "unit", "cell Dân số!C12: no commune 'Duy Tânn' in duyxuyen-2019 for period 2022 "
        "(close: Xã Duy Tân (20608); Xã Duy Thành (20629); Xã Duy Trung (20623))",
    )  # fmt: skip
    assert errors["Dân số!C13"] == (13, "value", "cell Dân số!C13: not a number: chưa có")
    assert errors["Dân số!D16"][1:] == (
        "value",
        "cell Dân số!D16: number 8,640.0 is written English (1,234.5), against the file's "
        "style (Vietnamese (1.234,5))",
    )
    assert errors["Dân số!E10"][1:] == (
        "period",
        "cell Dân số!E10: period 2024-Q3 is a quarter, indicator population is reported by year",
    )
    assert sum(1 for cell in errors if cell.startswith("Dân số!E")) == 14
    lines = "\n".join(report.lines())
    assert "LỖI / ERROR dòng/row 13 [value]: ô Dân số!C13: không phải số: chưa có" in lines
    values = _values()
    assert values["actual:population:duyxuyen-2019:20611:2023"][0] == 9870.0
    assert len([k for k in values if k.startswith("actual:poverty_rate")]) == 38


def test_a_dry_run_shows_what_would_be_stored_and_stores_nothing() -> None:
    report = _import("plan_vs_actual.xlsx", dry_run=True)
    assert (report.created, report.run_id) == (32, None)
    assert not IndicatorValue.objects.exists()
    assert not IngestRun.objects.exists()
    lines = report.lines()
    assert (
        "  Thu NS 2024!D8: Thu từ thuế | (toàn địa bàn / whole area) | 2024 → "
        "actual:revenue_tax:duyxuyen-2019:*:2024 = 104775.25" in lines
    )
    assert any(
        line.startswith("Trang / sheet 'KH-TH theo xã': kế hoạch / thực hiện") for line in lines
    )


def test_the_workbooks_are_generated_as_committed() -> None:
    before = {p.name: p.read_bytes() for p in HERE.iterdir() if p.suffix in (".xlsx", ".csv")}
    subprocess.run([sys.executable, str(HERE / "make.py")], check=True)
    after = {p.name: p.read_bytes() for p in HERE.iterdir() if p.suffix in (".xlsx", ".csv")}
    assert len(before) == 5 and before == after


def test_the_command_line_dry_run_prints_shape_style_and_rows() -> None:
    out = io.StringIO()
    call_command("ingest", "indicators", str(HERE / "wide_by_period.xlsx"), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Trang / sheet 'Dân số': dạng ngang theo kỳ / wide by period" in text
    assert "Định dạng số: kiểu Việt Nam" in text
    resolved = "actual:population:duyxuyen-2019:20611:2022 = 9815.0"
    assert f"  Dân số!C13: population | Duy Hoa | 2022 → {resolved}" in text
    assert "tạo 78" in text and "dry run, nothing written" in text
    assert not IndicatorValue.objects.exists()


def test_excel_numbers_percent_cells_sections_and_a_second_total(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tổng hợp"
    sheet.append(["BIỂU TỔNG HỢP CHỈ TIÊU NĂM 2023"])
    sheet.append([])
    sheet.append(["TT", "Xã/phường/thị trấn", "Dân số trung bình", "Tỷ lệ hộ nghèo", "ĐVT"])
    sheet.append(["A", "Khu vực đồng bằng"])
    sheet.append([1, "Duy Phước", 10412, 0.0349, "người"])
    sheet.append([2, "Xã Duy Vinh (cũ)", 9647, "x", "người"])
    sheet.append(["B", "Khu vực ven biển"])
    sheet.append([3, "duy hai", 4788.0, 0.0512, "người"])
    sheet.append(["", "Cộng", 24847, None, ""])
    sheet.append(["", "Toàn huyện", 128053, 0.041, ""])
    sheet.append(["(*) Số liệu minh họa."])
    for row in (5, 6, 8, 10):
        sheet.cell(row, 4).number_format = "0.00%"
    path = tmp_path / "tong_hop.xlsx"
    book.save(path)
    report = ingest_file(system="indicators", path=path, source="thongke", progress=lambda _: None)
    assert (report.created, report.rejected) == (6, 0), report.lines()
    assert _values() == {
        "actual:population:duyxuyen-2019:20626:2023": (10412.0, "reported", ""),
        "actual:poverty_rate:duyxuyen-2019:20626:2023": (3.49, "reported", ""),
        "actual:population:duyxuyen-2019:20632:2023": (9647.0, "reported", ""),
        "actual:population:duyxuyen-2019:20638:2023": (4788.0, "reported", ""),
        "actual:poverty_rate:duyxuyen-2019:20638:2023": (5.12, "reported", ""),
        "actual:population:duyxuyen-2019:*:2023": (24847.0, "reported", ""),
    }  # the section headings A, B and the second total are skipped, "x" too
    notes = "\n".join(report.notes)
    assert "section rows skipped: 4, 7" in notes and "second totals row skipped" in notes
