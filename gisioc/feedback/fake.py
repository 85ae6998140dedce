"""A local fake of the intake hub that gathers reports from the app, the 1022 hotline, Zalo,
Facebook, the chatbot and e-mail: a paginated JSON change feed of new reports.

For the demo: while it runs (`make run`), new reports keep arriving, received now, a few a
minute at most (the last hour's few are there when it starts), at the demo's channel mix and
season, placed in today's communes, written as such a hub's API writes them (CamelCase keys,
ISO times, the reporter's name and phone among them: the adapter keeps those on the report,
never in the raw audit rows). It publishes only new reports: their handling is done here,
not at the sender.
"""

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any, Self

from gisioc.feedback import demo_catalog as c
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.demo_lives import Generator
from gisioc.feedback.demo_world import communes_read
from gisioc.feedback.models import Report
from gisioc.feedback.system import SYSTEM
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake
from gisioc.periods import VIETNAM

FEED_PATH = "/api/phananh"
PER_MINUTE = 1.0  # on average; the demo's real rate is ~300 a month, too slow to watch
MOST_AT_ONCE = 4  # a catch-up after a long pause publishes no more than this
BACKLOG = 5  # reports of the last hour the hub holds when it starts
KEYS = {
    "external_id": "MaTinNhan",
    "category": "LinhVuc",
    "title": "TieuDe",
    "description": "NoiDung",
    "channel": "Kenh",
    "received_at": "ThoiGian",
    "call_at": "ThoiGianGoi",
    "lon": "KinhDo",
    "lat": "ViDo",
    "address": "DiaChi",
    "reporter_name": "HoTen",
    "reporter_phone": "SoDienThoai",
    "reporter_email": "Email",
    "anonymous": "AnDanh",
}


class FakeIntake(FakeFeed):
    """New reports from `as_of` on, drawn by the demo's generator (seeded by `base`)."""

    path = FEED_PATH

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        self.generator = Generator(communes_read(), seed=f"gisioc-fake-feedback:{base}")
        self.clock = random.Random(f"gisioc-fake-feedback-clock:{base}")
        self.last = as_of
        self.count = 0
        # The hub holds the reports of the last hour when it starts.
        earlier = sorted(self.clock.uniform(1, 60) for _ in range(BACKLOG))
        for minutes in reversed(earlier):
            self._publish(as_of - dt.timedelta(minutes=minutes))

    @classmethod
    def for_demo(cls, *, as_of: dt.datetime, base: int, options: Mapping[str, Any]) -> Self:
        """The fake `gisioc fake-source serve` runs: reports from now on."""
        return cls(as_of=as_of, base=base)

    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A report as the hub's API writes it: labels for category and channel, ISO times."""
        record: dict[str, Any] = {}
        for name, key in KEYS.items():
            value = row[name]
            if name == "category":
                value = BY_CODE[str(value)].title.vi
            elif name == "channel":
                value = Report.Channel(value).label.split(" / ")[0]
            elif isinstance(value, dt.datetime):
                value = value.isoformat()
            record[key] = None if value == "" else value
        return record

    def catch_up(self, moment: dt.datetime) -> list[str]:
        """Publish the reports received since the last catch-up (a few at most); their ids."""
        with self._lock:
            minutes = max(0.0, (moment - self.last).total_seconds() / 60)
            if minutes == 0:
                return []
            self.last = moment
            count = min(MOST_AT_ONCE, self._poisson(PER_MINUTE * minutes))
            return [self._publish(moment) for _ in range(count)]

    def _publish(self, moment: dt.datetime) -> str:
        values = self._values(moment)
        self.append(values["external_id"], self.record(values))
        return values["external_id"]

    def _poisson(self, mean: float) -> int:
        count, total = 0, self.clock.expovariate(1.0)
        while total < mean and count < MOST_AT_ONCE:
            count += 1
            total += self.clock.expovariate(1.0)
        return count

    def _values(self, moment: dt.datetime) -> dict[str, Any]:
        day = moment.astimezone(VIETNAM).date()
        weights = [m * c.SEASON.get(code, {}).get(day.month, 1.0) for code, m in c.MONTHLY.items()]
        category = self.clock.choices(list(c.MONTHLY), weights=weights)[0]
        received = moment.astimezone(VIETNAM).replace(microsecond=0)
        values = self.generator.life(received, category).values
        self.count += 1
        prefix = c.PREFIX[values["channel"]]
        values["external_id"] = f"{prefix}-{received:%y%m%d%H%M%S}-{self.count:03d}"
        return values


register_fake(SYSTEM.name, FakeIntake)
