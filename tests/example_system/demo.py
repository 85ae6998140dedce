"""The example system's demo: an inspection of each district high school every Tuesday, two
years up to the demo's snapshot; each is pending for two days, then passed or failed."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow
from gisioc.ingest.report import Progress
from gisioc.periods import VIETNAM
from tests.example_system.system import SYSTEM

SOURCE = SYSTEM.demo_source or ""
KEY = "demo-inspections-v1"  # change when the generator changes, so the demo loads again
FIRST_DAY, LAST_DAY = dt.date(2024, 11, 1), dt.date(2026, 10, 31)
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 30, tzinfo=VIETNAM)
SCHOOLS = ("THPT-SAONAM", "THPT-NGUYENHIEN", "THPT-LEHONGPHONG")  # in the demo facilities
CONCLUDED_AFTER = dt.timedelta(days=2)
HEADERS = ("Mã biên bản", "Trường", "Ngày kiểm tra", "Trạng thái")


@dataclass(frozen=True)
class Life:
    """An inspection from the day it is made on."""

    code: str
    school: str
    received: dt.datetime
    final: str  # 'Đạt' or 'Không đạt'

    def settled_by(self, moment: dt.datetime) -> bool:
        """Its result is known by `moment`."""
        return moment >= self.received + CONCLUDED_AFTER

    def status(self, moment: dt.datetime) -> str:
        """What the register says at `moment`."""
        return self.final if self.settled_by(moment) else "Chờ kết luận"


def row_as_of(life: Life, moment: dt.datetime) -> dict[str, object]:
    """The life's row, as the register's export writes it, at `moment`."""
    return dict(
        zip(
            HEADERS,
            (life.code, life.school, life.received.strftime("%d/%m/%Y %H:%M"), life.status(moment)),
            strict=True,
        )
    )


def inspection_lives(last: dt.date = LAST_DAY) -> Iterator[Life]:
    """The inspections to the `last` day, day by day, identical on every call."""
    day = FIRST_DAY
    while day <= last:
        if day.weekday() == 1:  # Tuesdays
            for n, school in enumerate(SCHOOLS, 1):
                received = dt.datetime.combine(day, dt.time(8 + n), VIETNAM)
                final = "Không đạt" if (day.toordinal() + n) % 5 == 0 else "Đạt"
                yield Life(f"KT-{day:%Y%m%d}-{n}", school, received, final)
        day += dt.timedelta(days=1)


def demo_inspection_rows() -> Iterator[RawRow]:
    """The demo rows as of SNAPSHOT."""
    for number, life in enumerate(inspection_lives(), 1):
        yield RawRow(number, row_as_of(life, SNAPSHOT))


def load(*, progress: Progress = print) -> None:
    """The example system's part of a demo load: once per generator version."""
    demo_ingest(
        system=SYSTEM.name,
        title="Kiểm tra / inspections",
        source=SOURCE,
        key=KEY,
        rows=demo_inspection_rows,
        progress=progress,
    )
