"""A local fake of the provincial one-stop software: a paginated JSON change feed of dossiers.

For the demo and the tests. Its own dossiers come from the demo generator, received on the
working days after the demo's last day. By default they are served as just received, all open,
and `advance` moves some a step on (in progress → finished → result returned), as the real
software would between two pulls. Given `as_of`, the fake goes on with the demo's world
instead: the demo's dossiers that moved on after its snapshot, and its own dossiers as they
stand at that moment; `catch_up(now)` then publishes what has changed since. Keys are
CamelCase as such APIs write them, personal columns included (the ingest drops those). The
feed itself is `gisioc.ingest.fake_feed`'s.
"""

import datetime as dt
import random
from collections.abc import Iterator, Mapping
from typing import Any, Self

from gisioc import workdays
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake
from gisioc.ingest.values import datetime_value
from gisioc.public_services import demo
from gisioc.public_services.system import SYSTEM

FEED_PATH = "/api/hoso"
FIRST_DAY = demo.LAST_DAY + dt.timedelta(days=1)
KEYS = {
    "Mã hồ sơ": "MaHoSo",
    "Mã thủ tục": "MaTTHC",
    "Tên thủ tục": "TenTTHC",
    "Lĩnh vực": "LinhVuc",
    "Nơi tiếp nhận": "DonViTiepNhan",
    "Hình thức nộp": "KenhTiepNhan",
    "Mức độ": "MucDo",
    "Ngày tiếp nhận": "NgayTiepNhan",
    "Ngày hẹn trả": "NgayHenTra",
    "Ngày hoàn thành": "NgayKetThucXuLy",
    "Ngày trả kết quả": "NgayTraKetQua",
    "Trạng thái": "TrangThaiHoSo",
    "Số lần bổ sung": "SoLanBoSung",
    "Địa chỉ": "DiaChiNguoiNop",
    "Thanh toán trực tuyến": "ThanhToanTrucTuyen",
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương")
GIVEN = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Hải", "Thị Hoa", "Quốc Khánh")
OPEN = ("Mới tiếp nhận", "Đang giải quyết", "Chờ bổ sung", "Tạm dừng")
FINISHED, RETURNED = "Đã giải quyết", "Đã trả kết quả"


def _iso(text: object) -> str | None:
    return datetime_value(text).isoformat() if text else None


def _record(row: dict[str, object], number: int, rng: random.Random) -> dict[str, Any]:
    """A demo row as the software's API writes it, with the applicant's (fake) name and phone."""
    record: dict[str, Any] = {KEYS[header]: value for header, value in row.items()}
    for key in ("NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTraKetQua"):
        record[key] = _iso(record[key])
    record["ThanhToanTrucTuyen"] = record["ThanhToanTrucTuyen"] == "Có"
    record["ChuHoSo"] = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
    record["SoDienThoai"] = f"09{number:08d}"
    return record


class FakeOneStop(FakeFeed):
    """The one-stop software's dossiers; `advance` moves some on in the tests' mode."""

    path = FEED_PATH
    row_as_of = staticmethod(demo.row_as_of)

    def __init__(
        self,
        *,
        days: int | None = 5,
        per_day: int = 40,
        base: int = 0,
        max_page: int = MAX_PAGE_SIZE,
        as_of: dt.datetime | None = None,
    ) -> None:
        super().__init__(base=base, max_page=max_page)
        self._people = random.Random("gisioc-fake-motcua-people")  # names and phones
        own = _own_lives(days, per_day)
        if as_of is None:
            for life in own:
                self.publish(life.code, demo.row_as_of(life, life.received))
            return
        self.follow(demo.demo_lives(), published_at=demo.SNAPSHOT)
        self.follow_coming(own)
        self.catch_up(as_of)

    @classmethod
    def for_demo(cls, *, as_of: dt.datetime, base: int, options: Mapping[str, Any]) -> Self:
        """The demo's dossiers as of `as_of` and the fake's own, `per_day` (default the
        demo's) each working day for `days` (default: on and on)."""
        per_day = options.get("per_day")
        per_day = demo.PER_DAY if per_day is None else per_day
        return cls(days=options.get("days"), per_day=per_day, base=base, as_of=as_of)

    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A demo row as the software's API writes it, with the applicant's (fake) name and
        phone."""
        return _record(row, len(self._current) + 1, self._people)

    def advance(self, count: int) -> list[str]:
        """Move the `count` oldest movable dossiers one step on; their codes."""
        moved: list[str] = []
        with self._lock:
            for number, record in enumerate(self._current.values()):
                if len(moved) >= count:
                    break
                received = dt.datetime.fromisoformat(record["NgayTiepNhan"])
                if record["TrangThaiHoSo"] in OPEN:
                    finished = received + dt.timedelta(days=1 + number % 4, hours=2)
                    changes = {"TrangThaiHoSo": FINISHED, "NgayKetThucXuLy": finished.isoformat()}
                elif record["TrangThaiHoSo"] == FINISHED:
                    finished = dt.datetime.fromisoformat(record["NgayKetThucXuLy"])
                    returned = finished + dt.timedelta(hours=3)
                    changes = {"TrangThaiHoSo": RETURNED, "NgayTraKetQua": returned.isoformat()}
                else:
                    continue
                self.append(record["MaHoSo"], record | changes)
                moved.append(record["MaHoSo"])
        return moved


def _own_lives(days: int | None, per_day: int) -> Iterator[demo.Life]:
    """The fake's own dossiers, `per_day` each working day after the demo's last, for `days`
    working days (None: on and on), drawn by the demo generator's own code."""
    rng = random.Random("gisioc-fake-motcua")
    communes = demo._communes()
    day, left = FIRST_DAY, days
    while left is None or left > 0:
        if workdays.is_working(day):
            yield from (demo._life(rng, day, seq, communes) for seq in range(1, per_day + 1))
            left = None if left is None else left - 1
        day += dt.timedelta(days=1)


register_fake(SYSTEM.name, FakeOneStop)
