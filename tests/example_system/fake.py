"""A fake of the example system's register: its change feed goes on with the demo's world,
new inspections each Tuesday and results two days later."""

import datetime as dt
from typing import Any

from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake
from gisioc.periods import VIETNAM
from tests.example_system import demo
from tests.example_system.system import SYSTEM

KEYS = {"Mã biên bản": "MaBienBan", "Trường": "MaTruong", "Ngày kiểm tra": "NgayKiemTra"}


class FakeInspections(FakeFeed):
    """The register's inspections as they stand at `as_of`, and on."""

    path = "/api/kiemtra"
    row_as_of = staticmethod(demo.row_as_of)

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        self.follow_coming(demo.inspection_lives(dt.date.max), published_at=demo.SNAPSHOT)
        self.catch_up(as_of)

    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A row as the register's API writes it: CamelCase keys, ISO times."""
        at = dt.datetime.strptime(str(row["Ngày kiểm tra"]), "%d/%m/%Y %H:%M")
        return {
            **{KEYS[k]: v for k, v in row.items() if k in KEYS},
            "NgayKiemTra": at.replace(tzinfo=VIETNAM).isoformat(),
            "KetQua": row["Trạng thái"],
        }


register_fake(SYSTEM.name, FakeInspections)
