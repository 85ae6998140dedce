"""A local fake of the hospital software: a paginated JSON change feed of encounters.

For the demo. It goes on with the demo's world: the same generator runs on after the demo's
last day, day after day while the fake runs, so new encounters keep arriving at the district's
facilities, and the patients still in hospital at the demo's snapshot are discharged when their
stay ends. `catch_up(now)` publishes what has changed since. Records carry table XML1's tag
names (QĐ 130/QĐ-BYT) as the hospitals' APIs write them, patients' identities included: the
health system's screen keeps none of them.
"""

import datetime as dt
from typing import Any

from gisioc.health import demo
from gisioc.health.demo_visit import STATUS
from gisioc.health.system import SYSTEM
from gisioc.ingest.fake_feed import MAX_PAGE_SIZE, FakeFeed, register_fake

FEED_PATH = "/api/his/xml1"


class FakeHospital(FakeFeed):
    """The encounters of the demo's facilities, as they stand at `as_of` and on."""

    path = FEED_PATH
    row_as_of = staticmethod(demo.row_as_of)

    def __init__(self, *, as_of: dt.datetime, base: int = 0, max_page: int = MAX_PAGE_SIZE):
        super().__init__(base=base, max_page=max_page)
        # The generator runs on past the demo's last day, one day at a time as days come.
        self.follow_coming(demo.encounter_lives(dt.date.max), published_at=demo.SNAPSHOT)
        self.catch_up(as_of)

    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A demo row as the software's API writes it: XML1 tags, blanks as null."""
        kept = (item for item in row.items() if item[0] != STATUS)
        return {key: (None if value == "" else value) for key, value in kept}


register_fake(SYSTEM.name, FakeHospital)
