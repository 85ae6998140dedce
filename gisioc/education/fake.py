"""A local fake of the school management software: a paginated JSON change feed of the
schools' figures for the school year under way, for the demo and the tests.

The demo holds the school years up to 2025-2026, each as reported at its end. The software
publishes the school year running at any moment from the same generator (`demo.school_row`):
a first version at the end of September, then a new one at each month's end (attendance
and drop-outs so far), the last on 31 May with promotion and completion. A fake left running
goes on month after month, school year after school year. Keys are CamelCase Vietnamese, as
such APIs write them.
"""

import datetime as dt
from typing import Any

from gisioc.education import demo
from gisioc.education.system import SYSTEM
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake
from gisioc.periods import VIETNAM

FEED_PATH = "/api/csdl-nganh"
KEYS = {
    "Mã trường": "MaTruong",
    "Tên trường": "TenTruong",
    "Cấp học": "CapHoc",
    "Loại hình": "LoaiHinh",
    "Năm học": "NamHoc",
    "Số lớp": "SoLop",
    "Tổng số học sinh": "TongSoHocSinh",
    "Học sinh nữ": "HocSinhNu",
    "Số giáo viên": "SoGiaoVien",
    "Cán bộ quản lý": "CanBoQuanLy",
    "Nhân viên": "NhanVien",
    "Quy mô thiết kế": "QuyMoThietKe",
    "Tỷ lệ chuyên cần (%)": "TyLeChuyenCan",
    "Học sinh dân tộc thiểu số": "HocSinhDanTocThieuSo",
    "Đạt chuẩn quốc gia": "DatChuanQuocGia",
    "Số học sinh bỏ học": "SoHocSinhBoHoc",
    "Lên lớp": "LenLop",
    "Hoàn thành chương trình": "HoanThanhChuongTrinh",
    "Ngày báo cáo": "NgayBaoCao",
}
GROUP_KEYS = {"Nhà trẻ": "NhaTre", "Mẫu giáo 3-4 tuổi": "MauGiaoBe", "Mẫu giáo 4-5 tuổi":
              "MauGiaoNho", "Mẫu giáo 5-6 tuổi": "MauGiaoLon"}  # fmt: skip
FIRST_LIVE_START = demo.LAST_START + 1  # the demo has the years before


def published_at(start: int, months: int) -> dt.datetime:
    """When the version after `months` months of the school year is published: 17:00 on
    the month's last day (31 May for the ninth)."""
    day = dt.date(start + 1, 5, 31) if months >= 9 else demo.month_end(start, months)
    return dt.datetime.combine(day, dt.time(17), VIETNAM)


class FakeSchools(FakeFeed):
    """The schools' figures of each school year after the demo's, month by month."""

    path = FEED_PATH

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        self._published: set[tuple[int, int]] = set()  # (start, months)
        self.catch_up(as_of)

    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A row as the software's API writes it: CamelCase keys, ISO dates, grades by key."""
        record: dict[str, Any] = {}
        for header, value in row.items():
            if header in KEYS:
                record[KEYS[header]] = value
            elif header in GROUP_KEYS:
                record[GROUP_KEYS[header]] = value
            else:  # 'Khối 6' → 'Khoi_6'
                record[header.replace("Khối ", "Khoi_")] = value
        day = dt.datetime.strptime(str(row["Ngày báo cáo"]), "%d/%m/%Y").date()
        record["NgayBaoCao"] = day.isoformat()
        return record

    def catch_up(self, moment: dt.datetime) -> list[str]:
        """Publish every monthly version due by `moment`; the record ids published."""
        moved: list[str] = []
        with self._lock:
            start = FIRST_LIVE_START
            while published_at(start, 1) <= moment:
                for months in range(1, 10):
                    due = published_at(start, months)
                    if due > moment or (start, months) in self._published:
                        continue
                    self._published.add((start, months))
                    for school in demo.schools():
                        code = f"{school.code}:{start}-{start + 1}"
                        self.append(
                            code, self.record(demo.school_row(school, start, months=months))
                        )
                        moved.append(code)
                start += 1
        return moved


register_fake(SYSTEM.name, FakeSchools)
