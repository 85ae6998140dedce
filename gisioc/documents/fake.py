"""A local fake of the document-management software: a paginated JSON change feed of documents.

For the demo. It goes on with the demo's world: the same generator runs on after the demo's
last day, day after day while the fake runs, so the documents it receives continue the demo's
registers, and the demo's documents still open at its snapshot move on when their handling
ends. `catch_up(now)` publishes what has changed since. Keys are CamelCase, dates ISO, as such
APIs write them.
"""

import datetime as dt
from typing import Any

from gisioc.documents import demo
from gisioc.documents.system import SYSTEM
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake
from gisioc.ingest.values import date_value, datetime_value

FEED_PATH = "/api/vanban"
KEYS = {
    "Mã văn bản": "MaVanBan",
    "Sổ văn bản": "SoVanBan",
    "Số đến": "SoDen",
    "Số, ký hiệu": "SoKyHieu",
    "Ngày văn bản": "NgayVanBan",
    "Loại văn bản": "LoaiVanBan",
    "Cơ quan ban hành": "CoQuanBanHanh",
    "Trích yếu": "TrichYeu",
    "Nơi nhận": "NoiNhan",
    "Cơ quan xử lý": "CoQuanXuLy",
    "Đơn vị xử lý": "DonViXuLy",
    "Ngày đến": "NgayDen",
    "Hạn xử lý": "HanXuLy",
    "Ngày hoàn thành": "NgayHoanThanh",
    "Trạng thái": "TrangThai",
    "Độ khẩn": "DoKhan",
}
DATES = ("NgayVanBan", "HanXuLy")
MOMENTS = ("NgayDen", "NgayHoanThanh")


class FakeDocuments(FakeFeed):
    """The documents of the demo's agencies, as they stand at `as_of` and on."""

    path = FEED_PATH
    row_as_of = staticmethod(demo.row_as_of)

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        # The generator runs on past the demo's last day, one day at a time as days come.
        self.follow_coming(demo.document_lives(dt.date.max), published_at=demo.SNAPSHOT)
        self.catch_up(as_of)

    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A demo row as the software's API writes it."""
        record: dict[str, Any] = {KEYS[header]: value or None for header, value in row.items()}
        for key in DATES:
            record[key] = date_value(record[key]).isoformat() if record[key] else None
        for key in MOMENTS:
            record[key] = datetime_value(record[key]).isoformat() if record[key] else None
        return record


register_fake(SYSTEM.name, FakeDocuments)
