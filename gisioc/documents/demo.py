"""Two deterministic years of incoming and outgoing documents of the Duy Xuyên agencies.

Until 2025-06-30 the district People's Committee and the 13 commune committees handle
documents; from 2025-07-01 the district is gone and the four new communes' committees take
over: new bodies, with their own codes and registers, seated in former communes. Rows are
written as a document-management export writes them (Vietnamese headers, dd/mm/yyyy dates)
and go through the ingest framework like a file. The statuses are as of SNAPSHOT; nothing
reads the clock.

Each document's handling is drawn once (`Life`), so its row can be written as of any later
moment too: the fake document-management software (`gisioc.documents.fake`) goes on
with the same generator after the demo's last day, and moves the demo's open documents on.
"""

import csv
import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gisioc import workdays
from gisioc.documents import demo_catalog as c
from gisioc.documents.system import SYSTEM
from gisioc.geo.demo import BOUNDARY_DATA
from gisioc.geo.demo_facilities import NEW_COMMITTEE, NEW_COMMUNE_SEATS
from gisioc.geo.services import Progress
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow
from gisioc.periods import VIETNAM

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-documents-v3"  # change when the generator changes, so the demo loads again
FIRST_DAY, LAST_DAY = dt.date(2024, 11, 1), dt.date(2026, 10, 31)  # as the dossiers demo
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 30, tzinfo=VIETNAM)
REFORM = c.REFORM
FIRST_MONTH_END = dt.date(2025, 8, 1)
WORKING_DAYS = 250
# Incoming documents a year, at the low end of what such bodies handle (outgoing: 40 %).
DISTRICT_PER_YEAR = 15_000
TOWN_PER_YEAR, COMMUNE_PER_YEAR = 3_600, 3_100  # before the reform; communes vary ±10 %
NEW_COMMUNE_PER_YEAR = 5_000  # the merged communes, with part of the district's former work
OUTGOING_SHARE = 0.4
LATE, SWITCH_LATE, STUCK = 0.035, 0.09, 0.002
ASSIGNED_WITHIN = dt.timedelta(days=2)  # a document still awaiting assignment is then handled
HEADERS = (
    "Mã văn bản", "Sổ văn bản", "Số đến", "Số, ký hiệu", "Ngày văn bản", "Loại văn bản",
    "Cơ quan ban hành", "Trích yếu", "Nơi nhận", "Cơ quan xử lý", "Đơn vị xử lý", "Ngày đến",
    "Hạn xử lý", "Ngày hoàn thành", "Trạng thái", "Độ khẩn",
)  # fmt: skip
SENDERS = {"district": c.TO_DISTRICT, "commune": c.TO_COMMUNE, "new_commune": c.TO_NEW_COMMUNE}
DEPARTMENTS = {
    "district": c.DISTRICT_DEPARTMENTS,
    "commune": c.COMMUNE_DEPARTMENTS,
    "new_commune": c.NEW_COMMUNE_DEPARTMENTS,
}


@dataclass(frozen=True)
class Agency:
    """A People's Committee handling documents over a span of days."""

    code: str  # its facility code
    name: str
    place: str  # 'xã Duy Phú', for the bodies named after it
    level: str  # district, commune or new_commune
    per_year: int
    first: dt.date
    last: dt.date = dt.date.max


def _agencies() -> list[Agency]:
    with (BOUNDARY_DATA / "crosswalk_2025.csv").open(encoding="utf-8") as f:
        old = [(r["old_code"], r["old_name"]) for r in csv.DictReader(f)]
    before = REFORM - dt.timedelta(days=1)
    agencies = [
        Agency("UBND-DX", "UBND huyện Duy Xuyên", "huyện Duy Xuyên", "district",
               DISTRICT_PER_YEAR, FIRST_DAY, before),
    ]  # fmt: skip
    for code, name in old:
        place = name[0].lower() + name[1:]
        town = name.startswith("Thị trấn")
        spread = random.Random(f"gisioc-demo-documents:{code}").uniform(0.9, 1.1)
        volume = round((TOWN_PER_YEAR if town else COMMUNE_PER_YEAR) * spread)
        agencies.append(
            Agency(f"UBND-{code}", f"UBND {place}", place, "commune", volume, FIRST_DAY, before)
        )
    for new_code, new_name, _ in NEW_COMMUNE_SEATS:
        place = f"xã {new_name}"
        agencies.append(
            Agency(NEW_COMMITTEE.format(code=new_code), f"UBND {place}", place, "new_commune",
                   NEW_COMMUNE_PER_YEAR, REFORM)
        )  # fmt: skip
    return agencies


def _at(day: dt.date, hour: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), VIETNAM) + dt.timedelta(hours=hour)


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{_day(moment.date())} {moment.hour:02d}:{moment.minute:02d}"


def _day(day: dt.date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


class _Weighted:
    """Items drawn by weight; the cumulative weights are summed once."""

    def __init__(self, items: tuple, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> Any:
        """One item."""
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


@dataclass(frozen=True)
class Life:
    """A document from its receipt on: what the software would show of it at any moment."""

    values: dict[str, object] = field(repr=False)  # the row but its completion and status
    received: dt.datetime
    done: dt.datetime | None  # when handled (None: never, or never to be: withdrawn, issued)
    final: str  # its status once done, or for good; "" when it stays open
    waiting: bool  # awaits assignment during its first days (else it is being handled)

    @property
    def code(self) -> str:
        """Its record id."""
        return str(self.values["Mã văn bản"])

    def status(self, moment: dt.datetime) -> str:
        """Its status at `moment`."""
        if self.final and (self.done is None or self.done <= moment):
            return self.final
        fresh = moment - self.received < ASSIGNED_WITHIN
        return "Chờ xử lý" if self.waiting and fresh else "Đang xử lý"

    def settled_by(self, moment: dt.datetime) -> bool:
        """Nothing more happens to the document after `moment`."""
        return self.status(moment) == self.status(dt.datetime.max.replace(tzinfo=VIETNAM))


def row_as_of(life: Life, moment: dt.datetime) -> dict[str, object]:
    """The document's row as the software shows it at `moment` (not before its receipt)."""
    done = life.done if life.done is not None and life.done <= moment else None
    changing = {"Ngày hoàn thành": _when(done), "Trạng thái": life.status(moment)}
    return {header: changing.get(header, life.values.get(header)) for header in HEADERS}


class _Generator:
    """The demo rows of one run: a seeded random stream and the registers' running numbers."""

    def __init__(self) -> None:
        self.rng = random.Random("gisioc-demo-documents")
        self.agencies = _agencies()
        self.communes = [a.place for a in self.agencies if a.level == "commune"]
        self.numbers: Counter[tuple[str, ...]] = Counter()
        self.kinds_in = _Weighted(c.KINDS, [k.incoming for k in c.KINDS])
        self.kinds_out = _Weighted(c.KINDS, [k.outgoing for k in c.KINDS])
        self.urgencies = _Weighted(tuple(u for u, _ in c.URGENCY), [w for _, w in c.URGENCY])
        self.departments = {
            level: _Weighted(items, [w for *_, w in items]) for level, items in DEPARTMENTS.items()
        }
        self.senders: dict[tuple[str, bool], _Weighted] = {}

    def _next(self, *register: str) -> int:
        self.numbers[register] += 1
        return self.numbers[register]

    def _topic(self, day: dt.date) -> str:
        seasonal = [t for first, last, t in c.SEASONAL_TOPICS if first <= day <= last]
        if seasonal and self.rng.random() < 0.25:
            return self.rng.choice(seasonal)
        topic = self.rng.choice(c.TOPICS)
        return topic.format(year=day.year, next_year=day.year + 1, month=day.month)

    def _department(self, agency: Agency) -> tuple[str, str]:
        name, part, _ = self.departments[agency.level].draw(self.rng)
        return name, part

    def _sender(self, agency: Agency, day: dt.date) -> c.Sender:
        key = (agency.level, day >= c.DEPARTMENTS_MERGED)  # the only day senders change
        if key not in self.senders:
            valid = tuple(s for s in SENDERS[agency.level] if s.first <= day <= s.last)
            self.senders[key] = _Weighted(valid, [s.weight for s in valid])
        return self.senders[key].draw(self.rng)

    def _handling(
        self, day: dt.date, received: dt.datetime, due: dt.date | None
    ) -> tuple[dt.datetime | None, str, bool]:
        """When the document is done, its status once done if the snapshot shows it done
        (or withdrawn), and whether it awaits assignment if the snapshot shows it fresh."""
        rng = self.rng
        if rng.random() < 0.003:
            return None, "Thu hồi", False
        if due is None:  # for information or follow-up: filed within days
            done = _at(workdays.after(day, min(int(rng.expovariate(0.5)), 20)), 16)
        elif day >= REFORM and rng.random() < STUCK:
            done = None  # forgotten in someone's queue
        else:
            switch = REFORM <= day < REFORM + dt.timedelta(days=60)
            if rng.random() < (SWITCH_LATE if switch else LATE):
                done_day = workdays.after(due, rng.randint(1, 12))
            else:
                done_day = day + dt.timedelta(days=rng.randint(0, max((due - day).days, 0)))
            done = _at(done_day, rng.uniform(8, 17))
        if done is not None:
            done = max(done, received + dt.timedelta(minutes=30))
        if done is None or done > SNAPSHOT:
            fresh = SNAPSHOT - received < ASSIGNED_WITHIN
            return done, "", fresh and rng.random() < 0.5
        return done, "Đã xử lý" if due is not None or rng.random() < 0.5 else "Lưu", False

    def incoming(self, agency: Agency, day: dt.date) -> Life:
        """A document received by the agency on the day."""
        rng = self.rng
        sender = self._sender(agency, day)
        kind = self.kinds_in.draw(rng)
        urgency = self.urgencies.draw(rng)
        dated = day - dt.timedelta(days=rng.choice((0, 0, 1, 1, 2, 3)))
        share = dated.timetuple().tm_yday / 366
        number = max(1, round(sender.per_year * share * rng.uniform(0.9, 1.0)))
        if kind.symbol:
            symbol = f"{number}/{kind.symbol}-{sender.org}"
        else:
            sub = f"-{rng.choice(sender.subs)}" if sender.subs else ""
            symbol = f"{number}/{sender.org}{sub}"
        due = None
        if rng.random() < kind.with_due:
            due = workdays.after(day, rng.choice(c.DUE_DAYS[urgency]))
        received = _at(day, rng.uniform(7.5, 17))
        done, final, waiting = self._handling(day, received, due)
        arrival = self._next(agency.code, "den", str(day.year))
        department, _ = self._department(agency)
        issuer = sender.name.format(commune=agency.place, any_commune=rng.choice(self.communes))
        code = f"{agency.code}/DEN/{day.year}/{arrival:05d}"
        values = (
            code, "Văn bản đến", arrival, symbol, _day(dated), kind.name, issuer,
            f"{kind.lead} {self._topic(day)}", "", agency.code, department, _when(received),
            _day(due), None, None, urgency,
        )  # fmt: skip
        if done is not None and not final:  # done after the snapshot: filed or handled?
            after = random.Random(f"gisioc-demo-documents-after:{code}")
            final = "Đã xử lý" if due is not None or after.random() < 0.5 else "Lưu"
        return Life(dict(zip(HEADERS, values, strict=True)), received, done, final, waiting)

    def outgoing(self, agency: Agency, day: dt.date) -> Life:
        """A document the agency issued on the day."""
        rng = self.rng
        kind = self.kinds_out.draw(rng)
        department, part = self._department(agency)
        number = self._next(agency.code, "di", kind.symbol, str(day.year))
        if kind.symbol:
            symbol = f"{number}/{kind.symbol}-UBND"
        else:  # a commune's letters carry no department before the reform
            symbol = f"{number}/UBND" if agency.level == "commune" else f"{number}/UBND-{part}"
        register = self._next(agency.code, "di", str(day.year))
        issued = _at(day, rng.uniform(8, 17))
        status = "Thu hồi" if rng.random() < 0.002 else "Đã ban hành"
        values = (
            f"{agency.code}/DI/{day.year}/{register:05d}", "Văn bản đi", "", symbol, _day(day),
            kind.name, agency.name, f"{kind.lead} {self._topic(day)}",
            c.RECIPIENTS[agency.level], agency.code, department, _when(issued), "", None, None,
            "Thường",
        )  # fmt: skip
        return Life(dict(zip(HEADERS, values, strict=True)), issued, None, status, False)

    def lives(self, last: dt.date) -> Iterator[Life]:
        """Every document to the `last` day, day by day and agency by agency."""
        day = FIRST_DAY
        while day <= last:
            if workdays.is_working(day):
                season = c.SEASON.get(day.month, 1.0)
                for agency in self.agencies:
                    if not agency.first <= day <= agency.last:
                        continue
                    # The new communes took on a wave of guidance in their first month.
                    wave = 1.3 if agency.first == REFORM and day < FIRST_MONTH_END else 1.0
                    mean = agency.per_year / WORKING_DAYS * season * wave
                    for _ in range(max(0, round(self.rng.gauss(mean, mean**0.5)))):
                        yield self.incoming(agency, day)
                    mean *= OUTGOING_SHARE
                    for _ in range(max(0, round(self.rng.gauss(mean, mean**0.5)))):
                        yield self.outgoing(agency, day)
            day += dt.timedelta(days=1)


def document_lives(last: dt.date = LAST_DAY) -> Iterator[Life]:
    """The documents to the `last` day, identical on every call: the demo's to its last day."""
    return _Generator().lives(last)


def demo_document_rows() -> Iterator[RawRow]:
    """The demo rows (as of its snapshot), identical on every call."""
    for number, life in enumerate(document_lives(), start=1):
        yield RawRow(number, row_as_of(life, SNAPSHOT))


def load(*, progress: Progress = print) -> None:
    """The documents part of `gisioc demo load`: once per generator version."""
    demo_ingest(
        system="documents",
        title="Văn bản / documents",
        source=SOURCE,
        key=KEY,
        rows=demo_document_rows,
        progress=progress,
    )
