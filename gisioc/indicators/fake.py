"""A local fake of the statistics office's reporting portal: a paginated JSON change feed of
indicator values, for the demo and the tests.

It goes on from the demo's snapshot, the year-end report of 30/11/2026: the portal holds that
report's estimates for the current year (ước thực hiện), and on the day the official figures
are due (31 March of the next year) it publishes them, revised a little, as reported values,
which replace the estimates. Keys are CamelCase Vietnamese, as such portals write them.
"""

import datetime as dt
import random
from typing import Any

from gisioc.indicators import demo
from gisioc.indicators.system import SYSTEM
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake
from gisioc.periods import VIETNAM

FEED_PATH = "/api/chitieu"
KEYS = {
    "indicator": "MaChiTieu",
    "unit": "MaDonVi",
    "version": "PhienBan",
    "period": "KyBaoCao",
    "value": "GiaTri",
    "kind": "Loai",
    "status": "TrangThai",
    "note": "GhiChu",
}
REPORT_AT = dt.datetime.combine(demo.SNAPSHOT, dt.time(16), VIETNAM)  # the year-end report
OFFICIAL = "Số liệu chính thức (Chi cục Thống kê công bố)"


def official_at(period: str) -> dt.datetime:
    """When a year's official figures are published: 31 March of the next year, 8:00."""
    return dt.datetime(int(period[:4]) + 1, 3, 31, 8, tzinfo=VIETNAM)


def _revised(row: dict[str, Any]) -> dict[str, Any]:
    """The official figure of an estimate: within ±1.5 % of it, the same on every run."""
    rng = random.Random(f"gisioc-fake-indicators:{row['indicator']}:{row['unit']}:{row['period']}")
    value = row["value"] * (1 + rng.uniform(-0.015, 0.015))
    value = round(value) if isinstance(row["value"], int) else round(value, 2)
    return {**row, "value": value, "status": "reported", "note": OFFICIAL}


class FakeStatistics(FakeFeed):
    """The estimates of the demo's year-end report, and the official figures when due."""

    path = FEED_PATH

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        self._estimates = [r for r in demo.demo_indicator_rows() if r["status"] == "estimated"]
        self._published: set[tuple[str, bool]] = set()
        self.catch_up(as_of)

    def record(self, row: dict[str, Any]) -> dict[str, Any]:
        """A value as the portal's API writes it."""
        return {KEYS[key]: row[key] if row[key] != "" else None for key in KEYS}

    def catch_up(self, moment: dt.datetime) -> list[str]:
        """Publish the report, then each official figure whose day has come; their codes."""
        moved = []
        with self._lock:
            for row in self._estimates:
                code = f"{row['kind']}:{row['indicator']}:{row['unit']}:{row['period']}"
                for official, due in ((False, REPORT_AT), (True, official_at(row["period"]))):
                    if due <= moment and (code, official) not in self._published:
                        self._published.add((code, official))
                        self.append(code, self.record(_revised(row) if official else row))
                        moved.append(code)
        return moved


register_fake(SYSTEM.name, FakeStatistics)
