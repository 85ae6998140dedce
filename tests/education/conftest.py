"""Education fixtures: hand-counted school rows on the demo geography, own tiles."""

from pathlib import Path

import pytest

from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_rows

SOURCE = "truong-test"


def _grades(first: int, last: int, each: int) -> dict[str, int]:
    return {f"Khối {g}": each for g in range(first, last + 1)}


# Three schools in 2024-2025 (all in communes Thu Bồn took over on 2025-07-01) and one row
# of the year before; the KPIs in test_kpis.py are counted from these by hand.
ROWS: tuple[dict[str, object], ...] = (
    {"Mã trường": "TH-20611", "Tên trường": "Trường Tiểu học Duy Hòa", "Cấp học": "Tiểu học",
     "Loại hình": "Công lập", "Năm học": "2024-2025", "Số lớp": 10, "Tổng số học sinh": 300,
     "Học sinh nữ": 150, **_grades(1, 5, 60), "Số giáo viên": 14, "Cán bộ quản lý": 2,
     "Nhân viên": 5, "Quy mô thiết kế": 320, "Tỷ lệ chuyên cần (%)": "98", "Số học sinh bỏ học": 3,
     "Lên lớp": 290, "Hoàn thành chương trình": 58, "Đạt chuẩn quốc gia": "Đạt chuẩn mức 1"},
    {"Mã trường": "THCS-20611", "Tên trường": "Trường THCS Duy Hòa", "Cấp học": "THCS",
     "Loại hình": "Công lập", "Năm học": "2024 - 2025", "Số lớp": 5, "Tổng số học sinh": 200,
     "Học sinh nữ": 90, **_grades(6, 9, 50), "Số giáo viên": 10, "Tỷ lệ chuyên cần (%)": "96,0",
     "Số học sinh bỏ học": 2, "Lên lớp": 190, "Hoàn thành chương trình": 48,
     "Đạt chuẩn quốc gia": "Chưa đạt"},
    {"Mã trường": "MN-20605", "Tên trường": "Trường Mầm non Duy Phú", "Cấp học": "Mầm non",
     "Loại hình": "Công lập", "Năm học": "Năm học 2024-2025", "Số lớp": 3,
     "Tổng số học sinh": 100, "Học sinh nữ": 50, "Nhà trẻ": 10, "Mẫu giáo 3-4 tuổi": 30,
     "Mẫu giáo 4-5 tuổi": 30, "Mẫu giáo 5-6 tuổi": 30, "Số giáo viên": 6,
     "Hoàn thành chương trình": 30, "Đạt chuẩn quốc gia": "Mức 2"},
    {"Mã trường": "TH-20611", "Tên trường": "Trường Tiểu học Duy Hòa", "Cấp học": "Tiểu học",
     "Năm học": "2023-2024", "Số lớp": 10, "Tổng số học sinh": 280, "Số giáo viên": 14},
)  # fmt: skip


@pytest.fixture
def schools(geo: None) -> None:
    """The hand-counted rows, ingested."""
    rows = [RawRow(n, dict(row)) for n, row in enumerate(ROWS, start=1)]
    report = ingest_rows(system="education", rows=rows, source=SOURCE, progress=lambda _: None)
    assert (report.created, report.rejected, report.not_located) == (4, 0, 0), report.summary()


@pytest.fixture(autouse=True)
def private_tiles(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var
