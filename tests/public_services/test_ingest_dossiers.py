"""Dossier exports through `gisioc ingest`: profiles, idempotency, bad rows, personal data."""

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from gisioc.errors import NotFound
from gisioc.geo.models import Facility
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.services import ingest_file, mapping_profile_save
from gisioc.periods import VIETNAM
from gisioc.public_services.models import Dossier

pytestmark = pytest.mark.django_db
HEADERS = [
    "STT", "Số hồ sơ", "Mã TTHC", "Tên thủ tục hành chính", "Lĩnh vực", "Đơn vị tiếp nhận",
    "Hình thức nộp", "Họ tên người nộp", "Số điện thoại", "Số CCCD", "Email",
    "Địa chỉ người nộp", "Ngày nhận", "Hạn trả", "Ngày xử lý xong", "Ngày trả KQ",
    "Tình trạng", "Ghi chú nội bộ",
]  # fmt: skip
PROFILE = {
    "Tên thủ tục hành chính": "procedure_name",
    "Hạn trả": "due_at",
    "Ngày trả KQ": "returned_at",
    "Ghi chú nội bộ": None,
}
PERSONAL = ("Nguyễn Văn An", "0905123456", "049095000123", "an.nguyen@example.vn", "Trần Thị Bình")
LAND = ("1.004227.000.00.00.H15", "Đăng ký biến động quyền sử dụng đất", "Đất đai")
BIRTH = ("2.000488", "Đăng ký khai sinh", "Hộ tịch")


def _row(code, proc, office, received, address, status, due="", finished="", returned=""):
    who = ("Nguyễn Văn An", "0905123456", "049095000123", "an.nguyen@example.vn")
    return [
        None, code, *proc, office, "Trực tiếp", *who, address, received, due, finished,
        returned, status, "gọi lại cho bà Trần Thị Bình",
    ]  # fmt: skip


ROWS = [
    _row("DX-250616-0001", LAND, "MOTCUA-DX", dt.datetime(2025, 6, 16, 8, 30),
         "Thôn 2, xã Duy Phú, huyện Duy Xuyên, tỉnh Quảng Nam", "Đã trả kết quả",
         "20/06/2025 17:00", "19/06/2025 10:00", "20/06/2025 08:00"),
    _row("DX-250630-0007", BIRTH, "MOTCUA-DX", dt.datetime(2025, 6, 30, 16, 45),
         "xã Duy Hòa", "Đang giải quyết", "03/07/2025"),
    _row("20611-250701-0001", BIRTH, "HCC-20611", dt.datetime(2025, 7, 1, 7, 45),
         "Thôn 5, xã Duy Hòa, huyện Duy Xuyên", "Đã giải quyết", "01/07/2025 17:00",
         "01/07/2025 15:10"),
    _row("20635-250702-0003", LAND, "Trung tâm Phục vụ hành chính công xã Duy Nghĩa",
         dt.datetime(2025, 7, 2, 9, 0), "Phường Hải Châu, thành phố Đà Nẵng", "Đang giải quyết",
         "16/07/2025"),
    _row("X-250703-0001", BIRTH, "HCC-99999", dt.datetime(2025, 7, 3, 9, 0), None, "Mới tiếp nhận"),
    _row("20599-250704-0002", BIRTH, "HCC-20599", "04/07/2025 10:20", "thị trấn Nam Phước",
         "Đang giải quyết", "05/07/2025 17:00"),
]  # fmt: skip


def _xlsx(path: Path, rows: list[list]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["UBND THÀNH PHỐ ĐÀ NẴNG"])
    sheet.append(["DANH SÁCH HỒ SƠ TIẾP NHẬN", None, None, "Từ 01/06/2025 đến 31/07/2025"])
    sheet.append([])
    sheet.append(HEADERS)
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row[1:]])
    book.save(path)
    return path


@pytest.fixture
def export(tmp_path: Path, geo: None) -> Path:
    mapping_profile_save(system="public_services", name="igate-2025", mapping=PROFILE)
    return _xlsx(tmp_path / "ho_so_thang_6_7.xlsx", ROWS)


def _ingest(path: Path, **options) -> object:
    options.setdefault("profile", "igate-2025")
    return ingest_file(system="public_services", path=path, progress=lambda _: None, **options)


def test_realistic_xlsx_with_a_mapping_profile(export: Path) -> None:
    report = _ingest(export)
    assert (report.status, report.format, report.header_row) == ("done", "xlsx", 4)
    assert (report.received, report.created, report.rejected, report.not_located) == (6, 6, 0, 1)
    assert report.columns["personal"] == ["Họ tên người nộp", "Số điện thoại", "Số CCCD", "Email"]
    assert report.columns["dropped"] == ["Ghi chú nội bộ"]
    assert report.columns["ignored"] == ["STT"]
    run = IngestRun.objects.get(pk=report.run_id)
    assert (run.status, run.created, run.profile, run.source) == (
        "done",
        6,
        "igate-2025",
        "public_services",
    )
    first = Dossier.objects.get(dossier_code="DX-250616-0001")
    assert first.procedure_code == "1.004227.000.00.00.H15"
    assert first.procedure_name == LAND[1] and first.field == "Đất đai"
    assert first.office.code == "MOTCUA-DX" and first.geom.equals(first.office.geom)
    assert first.channel == "truc_tiep" and first.status == "returned"
    assert first.received_at == dt.datetime(2025, 6, 16, 8, 30, tzinfo=VIETNAM)
    assert first.due_at == dt.datetime(2025, 6, 20, 10, 0, tzinfo=dt.UTC)
    assert first.returned_at == dt.datetime(2025, 6, 20, 1, 0, tzinfo=dt.UTC)
    assert first.external_id == first.dossier_code and first.run_id == run.pk
    # A bare due date is the end of that day.
    assert Dossier.objects.get(dossier_code="DX-250630-0007").due_at == dt.datetime(
        2025, 7, 3, 23, 59, 59, tzinfo=VIETNAM
    )


def test_records_locate_in_the_version_in_force_on_their_day(export: Path) -> None:
    _ingest(export)
    found = {
        d.dossier_code: (
            d.locate_on,
            d.unit and (d.unit.version.slug, d.unit.code),
            d.locate_method,
        )
        for d in Dossier.objects.select_related("unit__version")
    }
    assert found["DX-250616-0001"] == (dt.date(2025, 6, 16), ("duyxuyen-2019", "20605"), "address")
    # 16:45 on 30 June in Vietnam is still before the reform.
    assert found["DX-250630-0007"] == (dt.date(2025, 6, 30), ("duyxuyen-2019", "20611"), "address")
    # An old commune name after 1 July 2025 leads to its successor through the crosswalk.
    assert found["20611-250701-0001"] == (
        dt.date(2025, 7, 1),
        ("danang-2025", "20611"),
        "crosswalk",
    )
    # The applicant's address is outside the area: the office's commune, found by its name.
    assert found["20635-250702-0003"] == (dt.date(2025, 7, 2), ("danang-2025", "20635"), "facility")
    assert found["X-250703-0001"] == (dt.date(2025, 7, 3), None, "none")
    assert found["20599-250704-0002"][1] == ("danang-2025", "20599")
    fallback = Dossier.objects.get(dossier_code="20635-250702-0003")
    assert "counted in the office's commune" in fallback.locate_reason
    assert fallback.office == Facility.objects.get(code="HCC-20635")
    lost = Dossier.objects.get(dossier_code="X-250703-0001")
    assert lost.office is None and lost.office_code == "HCC-99999" and lost.geom is None
    assert "HCC-99999" in lost.locate_reason and "no applicant address" in lost.locate_reason


def test_personal_columns_are_never_stored(export: Path) -> None:
    report = _ingest(export)
    stored = json.dumps(
        [
            list(RawRecord.objects.values("raw", "errors", "note")),
            list(Dossier.objects.values()),
            list(IngestRun.objects.values("details", "message")),
        ],
        ensure_ascii=False,
        default=str,
    )
    for value in PERSONAL:
        assert value not in stored
    assert "Họ tên người nộp" not in json.dumps(
        list(RawRecord.objects.values("raw")), ensure_ascii=False
    )
    raw = RawRecord.objects.get(run=report.run_id, row=5).raw
    assert set(raw) == set(HEADERS) - {
        "Họ tên người nộp",
        "Số điện thoại",
        "Số CCCD",
        "Email",
        "Ghi chú nội bộ",
        "STT",  # feeds no field: raw rows keep mapped columns only
    }
    assert raw["Ngày nhận"] == "2025-06-16T08:30:00"  # kept as received, JSON-ready
    assert Dossier.personal_fields == frozenset()


def test_sending_the_same_file_again_changes_nothing(export: Path) -> None:
    _ingest(export)
    before = list(Dossier.objects.order_by("id").values())
    again = _ingest(export)
    assert (again.received, again.created, again.updated, again.unchanged) == (6, 0, 0, 6)
    assert list(Dossier.objects.order_by("id").values()) == before
    outcomes = set(RawRecord.objects.filter(run=again.run_id).values_list("outcome", flat=True))
    assert outcomes == {"unchanged"}
    assert IngestRun.objects.count() == 2


def test_a_status_update_flows_through(export: Path, tmp_path: Path) -> None:
    _ingest(export)
    rows = [list(r) for r in ROWS]
    rows[1][16], rows[1][14], rows[1][15] = "Đã trả kết quả", "02/07/2025 09:00", "02/07/2025 10:00"
    report = _ingest(_xlsx(tmp_path / "update.xlsx", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    dossier = Dossier.objects.get(dossier_code="DX-250630-0007")
    assert dossier.status == "returned" and dossier.run_id == report.run_id
    assert dossier.finished_at == dt.datetime(2025, 7, 2, 9, 0, tzinfo=VIETNAM)
    assert Dossier.objects.count() == 6
    record = RawRecord.objects.get(run=report.run_id, external_id="DX-250630-0007")
    assert record.outcome == "updated"


BAD_CSV = "\ufeffMã hồ sơ;Mã thủ tục;Nơi tiếp nhận;Ngày tiếp nhận;Ngày hẹn trả;" + (
    """Ngày hoàn thành;Trạng thái;Địa chỉ
HS-1;2.000488;HCC-20611;02/07/2025 08:00;03/07/2025;02/07/2025 15:00;Đã giải quyết;xã Thu Bồn
HS-2;2.000488;HCC-20611;31/02/2025 08:00;;;Mới tiếp nhận;xã Thu Bồn
HS-3;2.000488;HCC-20611;02/07/2025 08:00;;;Đang ngủ;xã Thu Bồn
HS-4;2.000488;HCC-20611;02/07/2025 08:00;01/07/2025;;Đang giải quyết;xã Thu Bồn
;2.000488;HCC-20611;02/07/2025 08:00;;;Đang giải quyết;xã Thu Bồn
HS-6;1.004227;HCC-20599;03/07/2025 08:00;;;Tạm dừng;xã Nam Phước
HS-7;2.000488;HCC-20611;02/07/2025 08:00;;;Đã giải quyết;xã Thu Bồn
HS-8;2.000488;HCC-20611;02/07/2025 08:00;;03/07/2025 08:00;Đang giải quyết;xã Thu Bồn
"""
)


def test_bad_rows_are_reported_and_good_rows_kept(geo: None, tmp_path: Path) -> None:
    path = tmp_path / "hs.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    report = ingest_file(system="public_services", path=path, progress=lambda _: None)
    assert (report.received, report.created, report.rejected) == (8, 2, 6)
    assert [(e.row, e.field) for e in report.errors] == [
        (3, "received_at"),
        (4, "status"),
        (5, "due_at"),
        (6, "dossier_code"),
        (8, "finished_at"),
        (9, "status"),
    ]
    assert "31/02/2025" in report.errors[0].vi and "Đang ngủ" in report.errors[1].en
    assert set(Dossier.objects.values_list("dossier_code", flat=True)) == {"HS-1", "HS-6"}
    rejected = RawRecord.objects.get(run=report.run_id, row=4)
    assert rejected.outcome == "rejected" and rejected.raw["Trạng thái"] == "Đang ngủ"
    assert rejected.errors == [
        {"field": "status", "vi": "giá trị không hợp lệ: Đang ngủ", "en": "unknown value: Đang ngủ"}
    ]


def test_the_command_prints_the_report(geo: None, tmp_path: Path) -> None:
    path = tmp_path / "hs.csv"
    path.write_text(BAD_CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("ingest", "public_services", str(path), "--source", "motcua-dn", stdout=out)
    text = out.getvalue()
    assert "Đọc / reading hs.csv (csv, utf-8 (BOM), dòng tiêu đề / header row 1)" in text
    assert "nhận 8, tạo 2, cập nhật 0, giữ nguyên 0, loại 6" in text
    assert (
        "LỖI / ERROR dòng/row 3 mã/id HS-2 [received_at]: ngày giờ không hợp lệ: 31/02/2025" in text
    )
    assert "LỖI / ERROR dòng/row 6 [dossier_code]: thiếu Mã hồ sơ — Dossier code is missing" in text
    assert set(Dossier.objects.values_list("source", flat=True)) == {"motcua-dn"}
    out = io.StringIO()
    call_command(
        "ingest",
        "public_services",
        str(path),
        "--source",
        "motcua-dn",
        "--json",
        stdout=out,
        stderr=io.StringIO(),
    )
    body = json.loads(out.getvalue())
    assert (body["unchanged"], body["rejected"], body["errors"][0]["row"]) == (2, 6, 3)


def test_dry_run_writes_nothing(export: Path) -> None:
    counts = (Dossier.objects.count(), IngestRun.objects.count(), RawRecord.objects.count())
    report = _ingest(export, dry_run=True)
    assert (report.created, report.not_located, report.run_id, report.dry_run) == (6, 1, None, True)
    assert (Dossier.objects.count(), IngestRun.objects.count(), RawRecord.objects.count()) == counts
    assert "dry run, nothing written" in report.summary()


def test_a_file_without_a_required_column_fails_the_run_loudly(geo: None, tmp_path: Path) -> None:
    path = tmp_path / "no_status.csv"
    path.write_text(
        "Mã hồ sơ,Mã thủ tục,Ngày tiếp nhận\nHS-1,2.000488,02/07/2025\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="status"):
        call_command("ingest", "public_services", str(path), stdout=io.StringIO())
    run = IngestRun.objects.get()
    assert run.status == "failed" and "status" in run.message and run.finished_at
    assert not Dossier.objects.exists()


def test_unknown_profile_or_system(geo: None, export: Path) -> None:
    with pytest.raises(NotFound, match="igate-2024"):
        _ingest(export, profile="igate-2024")
    with pytest.raises(CommandError, match="No system transport"):
        call_command("ingest", "transport", str(export), stdout=io.StringIO())
    assert not IngestRun.objects.exists()
