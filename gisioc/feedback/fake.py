"""A local fake of the intake hub that gathers reports from the app, the 1022 hotline, Zalo,
Facebook, the chatbot and e-mail: a paginated JSON change feed of new reports.

For the demo. It goes on with the demo's world: the demo's generator runs on after its last
day, day after day while the fake runs, so the reports received since the snapshot up to now
are there when it starts and new ones keep arriving (a few an hour, at the demo's channel mix
and season; `catch_up(now)` publishes those received since). Records are written as such a
hub's API writes them (CamelCase keys, ISO times, the reporter's name and phone among them:
the adapter keeps those on the report, never in the raw audit rows). A report is sent once;
its handling is ours: the demo's pull moves the reports on (`gisioc.feedback.pull`).
"""

import datetime as dt
from typing import Any

from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.demo_lives import SNAPSHOT, Generator, Life
from gisioc.feedback.demo_world import communes_read
from gisioc.feedback.models import Report
from gisioc.feedback.system import SYSTEM
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, STATUS, FakeFeed, register_fake

FEED_PATH = "/api/phananh"
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


def row_as_of(life: Life, moment: dt.datetime) -> dict[str, object]:
    """The report as the hub holds it: as sent, whatever the moment."""
    return {**life.values, STATUS: "received"}


class FakeIntake(FakeFeed):
    """The reports received after the demo's snapshot, as of `as_of` and on."""

    path = FEED_PATH
    row_as_of = staticmethod(row_as_of)

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        # The generator runs on past the demo's last day, one day at a time as days come.
        self.follow_coming(
            Generator(communes_read()).lives(last=dt.date.max), published_at=SNAPSHOT
        )
        self.catch_up(as_of)

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


register_fake(SYSTEM.name, FakeIntake)
