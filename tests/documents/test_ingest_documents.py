"""Document registers through the ingest framework: Vietnamese headers, updates, bad rows."""

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from gisioc.documents.ingest import document_type_of
from gisioc.documents.models import Document
from gisioc.ingest.models import RawRecord
from gisioc.ingest.services import ingest_file
from gisioc.periods import VIETNAM

pytestmark = pytest.mark.django_db
# An incoming register as a document-management system exports it; no "incoming" column:
# the arrival number (số đến) says so.
HEADERS = [
    "STT", "Số đến", "Ngày đến", "Số, ký hiệu", "Ngày văn bản", "Loại văn bản",
    "Cơ quan ban hành", "Trích yếu", "Cơ quan xử lý", "Đơn vị xử lý chính", "Hạn xử lý",
    "Ngày hoàn thành", "Tình trạng xử lý", "Độ khẩn", "Số điện thoại liên hệ", "Ghi chú",
]  # fmt: skip
PHONE = "0905123456"
PROVINCE, CITY = "UBND tỉnh Quảng Nam", "UBND thành phố Đà Nẵng"
ROWS = [
    [1201, dt.datetime(2025, 6, 16, 8, 30), "125/UBND-KTN", "13/06/2025", "Công văn", PROVINCE,
     "V/v rà soát hộ nghèo", "UBND-DX", "Phòng Tài chính - Kế hoạch", "20/06/2025",
     "19/06/2025 10:00", "Đã xử lý", "Khẩn"],
    [1215, "30/06/2025 16:45", "45/QĐ-UBND", "27/06/2025", None, PROVINCE,
     "Về việc giải quyết đơn của bà Trần Thị Bình", "UBND-20611", "Văn phòng - Thống kê",
     "10/07/2025", None, "Đang xử lý", None],
    [15, "01/07/2025 07:45", "12/KH-UBND", "30/06/2025", "Kế hoạch", CITY,
     "Kế hoạch vận hành chính quyền hai cấp", "UBND xã Duy Hòa", "Văn phòng HĐND và UBND",
     None, None, "Chờ xử lý", "Hỏa tốc"],
    [16, "02/07/2025 09:00", "88/SNV-CQĐP", "01/07/2025", "Công văn",
     "Sở Nội vụ thành phố Đà Nẵng", "V/v biên chế", "UBND-99999", "Phòng Kinh tế",
     "15/07/2025", None, "Đang xử lý", "Thường"],
    # Bad rows: a date that is none, done without a date, due before arrival, no symbol,
    # an outgoing status on an incoming document.
    [17, "hôm qua", "89/SNV-CQĐP", None, "Công văn", CITY, "V/v", "UBND-20611", None, None,
     None, "Đang xử lý", None],
    [18, "03/07/2025 08:00", "90/STC-NS", None, "Công văn", CITY, "V/v", "UBND-20611", None,
     None, None, "Đã xử lý", None],
    [19, "03/07/2025 08:00", "91/STC-NS", None, "Công văn", CITY, "V/v", "UBND-20611", None,
     "01/07/2025", None, "Đang xử lý", None],
    [20, "03/07/2025 08:00", None, None, "Công văn", CITY, "V/v", "UBND-20611", None, None,
     None, "Đang xử lý", None],
    [21, "03/07/2025 08:00", "92/STC-NS", None, "Công văn", CITY, "V/v", "UBND-20611", None,
     None, None, "Đã ban hành", None],
]  # fmt: skip
GOOD = 4


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["ỦY BAN NHÂN DÂN"])
    sheet.append(["SỔ VĂN BẢN ĐẾN", None, None, "Từ 01/06/2025 đến 31/07/2025"])
    sheet.append([])
    sheet.append(HEADERS)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row, PHONE, "ghi chú nội bộ"])
    book.save(path)
    return path


@pytest.fixture
def register(tmp_path: Path, geo: None) -> Path:
    return _xlsx(tmp_path / "so_van_ban_den.xlsx", ROWS)


def _ingest(path: Path) -> object:
    return ingest_file(system="documents", path=path, source="vnpt-ioffice", progress=lambda _: 0)


def test_a_register_maps_by_its_vietnamese_headers_alone(register: Path) -> None:
    report = _ingest(register)
    assert (report.status, report.format, report.header_row) == ("done", "xlsx", 4)
    assert (report.received, report.created, report.rejected, report.not_located) == (9, 4, 5, 1)
    assert report.columns["personal"] == ["Số điện thoại liên hệ"]
    assert report.columns["ignored"] == ["STT", "Ghi chú"]
    assert "Đơn vị xử lý chính → assignee_unit" in report.columns["field"]
    first = Document.objects.get(number_symbol="125/UBND-KTN")
    assert (first.direction, first.doc_type, first.status, first.urgency) == (
        "incoming",
        "cong_van",
        "completed",
        "khan",
    )
    assert first.arrival_number == "1201" and first.issuer == PROVINCE
    assert first.agency.code == "UBND-DX" and first.geom.equals(first.agency.geom)
    assert first.received_at == dt.datetime(2025, 6, 16, 8, 30, tzinfo=VIETNAM)
    assert (first.document_date, first.due_on) == (dt.date(2025, 6, 13), dt.date(2025, 6, 20))
    assert first.completed_at == dt.datetime(2025, 6, 19, 10, 0, tzinfo=VIETNAM)
    assert first.external_id == "UBND-DX|incoming|125/UBND-KTN|2025-06-13|1201"
    # No type given: the symbol's QĐ says it is a decision.
    assert Document.objects.get(number_symbol="45/QĐ-UBND").doc_type == "quyet_dinh"
    stored = json.dumps(
        [list(RawRecord.objects.values("raw")), list(Document.objects.values())],
        ensure_ascii=False,
        default=str,
    )
    assert PHONE not in stored and "Số điện thoại liên hệ" not in stored


def test_documents_are_placed_at_their_agency_in_the_version_of_their_day(register: Path):
    _ingest(register)
    found = {
        d.number_symbol: (
            d.locate_on,
            d.unit and (d.unit.version.slug, d.unit.code),
            d.locate_method,
        )
        for d in Document.objects.select_related("unit__version")
    }
    assert found["125/UBND-KTN"] == (dt.date(2025, 6, 16), ("duyxuyen-2019", "20599"), "facility")
    # 16:45 on 30 June is still before the reform: Xã Duy Hòa; the next day it is Thu Bồn.
    assert found["45/QĐ-UBND"] == (dt.date(2025, 6, 30), ("duyxuyen-2019", "20611"), "facility")
    assert found["12/KH-UBND"] == (dt.date(2025, 7, 1), ("danang-2025", "20611"), "facility")
    assert found["88/SNV-CQĐP"] == (dt.date(2025, 7, 2), None, "none")
    lost = Document.objects.get(number_symbol="88/SNV-CQĐP")
    assert lost.agency is None and lost.agency_code == "UBND-99999" and lost.geom is None
    assert "no agency 'UBND-99999'" in lost.locate_reason


def test_bad_rows_are_reported_with_row_field_and_reason(register: Path) -> None:
    report = _ingest(register)
    assert [(e.row, e.field) for e in report.errors] == [
        (9, "received_at"),
        (10, "completed_at"),
        (11, "due_on"),
        (12, "number_symbol"),
        (13, "status"),
    ]
    assert "hôm qua" in report.errors[0].vi and "due before received" in report.errors[2].en
    assert report.errors[3].en == "Number and symbol is missing"
    assert Document.objects.count() == GOOD
    rejected = RawRecord.objects.get(run=report.run_id, row=13)
    assert rejected.outcome == "rejected" and rejected.raw["Tình trạng xử lý"] == "Đã ban hành"


def test_sending_the_register_again_changes_nothing(register: Path) -> None:
    _ingest(register)
    before = list(Document.objects.order_by("id").values())
    again = _ingest(register)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, GOOD, 5)
    assert list(Document.objects.order_by("id").values()) == before


def test_a_status_update_flows_through(register: Path, tmp_path: Path) -> None:
    first = _ingest(register)
    rows = [list(r) for r in ROWS]
    rows[1][10], rows[1][11] = "08/07/2025 15:20", "Hoàn thành"  # 45/QĐ-UBND is done
    report = _ingest(_xlsx(tmp_path / "update.xlsx", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, GOOD - 1)
    doc = Document.objects.get(number_symbol="45/QĐ-UBND")
    assert (doc.status, doc.run_id) == ("completed", report.run_id)
    assert doc.completed_at == dt.datetime(2025, 7, 8, 15, 20, tzinfo=VIETNAM)
    assert Document.objects.get(number_symbol="125/UBND-KTN").run_id == first.run_id
    assert Document.objects.count() == GOOD


def test_an_outgoing_register_without_a_received_column(geo: None, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Nơi nhận", "Mã cơ quan", "Trạng thái"]
    )
    sheet.append(["7/UBND", "04/07/2025", "V/v báo cáo", "UBND thành phố", "UBND-20611", ""])
    sheet.append(["8/TTr-UBND", "05/07/2025", "Đề nghị", "Sở Nội vụ", "UBND-20611", "Hoàn thành"])
    book.save(tmp_path / "di.xlsx")
    report = _ingest(tmp_path / "di.xlsx")
    assert (report.created, report.rejected) == (2, 0), report.errors
    letters = {d.number_symbol: d for d in Document.objects.all()}
    assert {d.direction for d in letters.values()} == {"outgoing"}  # they name recipients
    assert {d.status for d in letters.values()} == {"issued"}
    assert (letters["7/UBND"].doc_type, letters["8/TTr-UBND"].doc_type) == ("cong_van", "to_trinh")
    assert letters["7/UBND"].received_at == dt.datetime(2025, 7, 4, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("given", "symbol", "expected"),
    [
        ("", "125/UBND-VP", "cong_van"),
        ("", "15/UBND", "cong_van"),
        ("", "45/2025/QĐ-UBND", "quyet_dinh"),
        ("", "3/HD-SNV", "huong_dan"),
        ("", "3/HĐ-UBND", "khac"),  # a contract, not guidance
        ("", "không số", "khac"),
        ("Giấy mời", "5/UBND-VP", "giay_moi"),
        ("Văn bản chuyên ngành", "5/UBND-VP", "khac"),
    ],
)
def test_the_type_comes_from_the_row_or_the_symbol(given: str, symbol: str, expected: str):
    assert document_type_of(given=given, symbol=symbol) == expected
