"""Two deterministic years of encounters at the Duy Xuyên health facilities.

The district health centre (TTYT-DX, 180 beds) sees 150–200 patients a working day and fewer
at weekends, admits about one in ten for four to seven days; each commune's health station
(TYT-<code>) sees a handful to fifteen a day; three private clinics fewer. Patients live
mostly in the facility's commune and its neighbours (the centre draws district-wide, a few
from outside); the chronic ones (hypertension, diabetes) come back month after month with the
same patient code. Dengue peaks in the rainy season (August–November), hand-foot-mouth in
spring and autumn in small children, influenza in winter, a measles cluster in early 2025.

Rows are written as the hospital software exports table XML1 (QĐ 130/QĐ-BYT): its tag names,
yyyymmddHHMM times, and the invented patients' names, ID card, insurance card, birth date,
address and phone, so the privacy screen works on the demo as on real files: none of those
is ever stored. Residence codes are those in force on the admitted day (the four new
communes' codes from 2025-07-01). Nothing reads the clock: statuses are as of SNAPSHOT, and
the fake hospital software (`gisioc.health.fake`) goes on with the same generator.
"""

import datetime as dt
import math
import random
from collections.abc import Iterator
from functools import lru_cache

from gisioc import workdays
from gisioc.geo.services import Progress
from gisioc.health import demo_catalog as c
from gisioc.health.demo_people import People, Person, Place, Weighted, facilities, weighted
from gisioc.health.demo_visit import Life, Visit, life_of, row_as_of
from gisioc.health.system import SYSTEM
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow
from gisioc.periods import VIETNAM

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-health-v1"  # change when the generator changes, so the demo loads again
FIRST_DAY, LAST_DAY = dt.date(2024, 11, 1), dt.date(2026, 10, 31)  # as the other demos
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 30, tzinfo=VIETNAM)
CHRONIC_SHARE = {"ttyt": 0.2, "tram_y_te": 0.3, "phong_kham": 0.05}
RETURNING = 0.25  # acute visits by someone seen before at the facility
DENGUE_HARD = ("20611", "20629")  # Duy Hòa and Duy Thành: the 2025 outbreak
MEASLES = ("20629", "20638")  # Duy Thành and Duy Hải, early 2025


@lru_cache(maxsize=4096)
def _bump(day: dt.date, peak: tuple[int, int], width: float) -> float:
    """A seasonal wave: 1 at its peak day of the year, falling off over `width` days."""
    gap = min(abs((day - dt.date(y, *peak)).days) for y in (day.year - 1, day.year, day.year + 1))
    return math.exp(-0.5 * (gap / width) ** 2)


class _Generator:
    """The seeded stream of encounters, day by day and facility by facility."""

    def __init__(self) -> None:
        self.rng = random.Random("gisioc-demo-health")
        self.facilities = facilities()
        self.people = People(self.rng)
        self.numbers: dict[str, int] = {}  # of the day, by facility
        self.tables: dict[tuple[str, str, bool], Weighted] = {}
        self.chronic = weighted(c.CHRONIC)
        self.dengue = weighted(c.DENGUE)
        self.outbreak: dict[tuple[str, int], float] = {}

    def _diagnoses(self, band: str, sex: str, children: bool) -> Weighted:
        key = (band, sex, children)
        if key not in self.tables:
            index = c.BANDS.index(band)
            found = [d for d in c.DIAGNOSES if d.sex in ("", sex) and d.weights[index] > 0]
            if children:
                found = [d for d in found if not d.code.startswith("O")]
            self.tables[key] = Weighted(tuple(found), [d.weights[index] for d in found])
        return self.tables[key]

    def _factor(self, commune: str, year: int) -> float:
        """How hard dengue hits a commune in a season (2025 a bad year in two communes)."""
        if (commune, year) not in self.outbreak:
            rng = random.Random(f"gisioc-demo-health-dengue:{commune}:{year}")
            hard = year == 2025 and commune in DENGUE_HARD
            self.outbreak[commune, year] = (3.0 if hard else 1.0) * rng.uniform(0.4, 1.6)
        return self.outbreak[commune, year]

    def _seasonal(self, day: dt.date, person: Person) -> str | None:
        """A seasonal disease the visit is for, if any."""
        rng, band = self.rng, person.band(day)
        young = band in ("0-4", "5-14")
        dengue = 0.003 + 0.035 * _bump(day, (10, 10), 32) * self._factor(person.home, day.year)
        if rng.random() < dengue * (0.6 if band == "0-4" else 1.0):
            return self.dengue.draw(rng)
        if young:
            hfmd = 0.004 + 0.05 * (_bump(day, (4, 10), 25) + 0.8 * _bump(day, (10, 20), 30))
            if rng.random() < hfmd * (1.0 if band == "0-4" else 0.25):
                return "B08.4"
            measles = dt.date(2025, 2, 10) <= day <= dt.date(2025, 4, 30)
            if measles and person.home in MEASLES and rng.random() < 0.03:
                return "B05.9"
        if band in ("0-4", "5-14", "15-24") and rng.random() < 0.006 * _bump(day, (3, 15), 35):
            return "B01.9"
        if rng.random() < 0.035 * _bump(day, (1, 25), 30):
            return "J10.1" if rng.random() < 0.15 else "J11.1"
        return None

    def _visit(self, place: Place, day: dt.date) -> tuple[Person, Visit]:
        rng = self.rng
        share = 0.0 if place.children else CHRONIC_SHARE[place.kind]
        if rng.random() < share:
            condition = self.chronic.draw(rng)
            person = self.people.chronic(place, condition, day)
            return person, Visit(condition, "Tái khám", c.CHRONIC_INPATIENT[condition], 0.1)
        person = self.people.visitor(place, day, returning=RETURNING)
        seasonal = self._seasonal(day, person)
        if seasonal:
            inpatient = c.SEASONAL_INPATIENT[seasonal]
            return person, Visit(seasonal, c.SEASONAL_REASON[seasonal], inpatient, 0.15)
        found = self._diagnoses(person.band(day), person.sex, place.kind != "ttyt").draw(rng)
        return person, Visit(found.code, found.reason, found.inpatient, found.emergency)

    def encounter(self, place: Place, day: dt.date) -> Life:
        """One visit to a facility on a day, from arrival to discharge."""
        person, visit = self._visit(place, day)
        self.numbers[place.code] = self.numbers.get(place.code, 0) + 1
        return life_of(self.rng, place, day, self.numbers[place.code], person, visit)

    def lives(self, last: dt.date) -> Iterator[Life]:
        """Every encounter to the `last` day, day by day and facility by facility."""
        day = FIRST_DAY
        while day <= last:
            self.numbers.clear()
            working = workdays.is_working(day)
            for place in self.facilities:
                mean = place.per_day * place.day_factor(day, working)
                if place.kind == "ttyt":
                    mean *= 1.08 if day.month in (12, 1, 2) else 1.0
                    mean *= 1 + 0.12 * _bump(day, (10, 10), 32)
                for _ in range(max(0, round(self.rng.gauss(mean, mean**0.5)))):
                    yield self.encounter(place, day)
            day += dt.timedelta(days=1)


def encounter_lives(last: dt.date = LAST_DAY) -> Iterator[Life]:
    """The encounters to the `last` day, identical on every call: the demo's to its last day."""
    return _Generator().lives(last)


def demo_encounter_rows() -> Iterator[RawRow]:
    """The demo rows (as of its snapshot: those admitted by then), identical on every call."""
    number = 0
    for life in encounter_lives():
        if life.received <= SNAPSHOT:
            number += 1
            yield RawRow(number, row_as_of(life, SNAPSHOT))


def load(*, progress: Progress = print) -> None:
    """The health part of `gisioc demo load`: once per generator version."""
    demo_ingest(
        system="health",
        title="Y tế / health",
        source=SOURCE,
        key=KEY,
        rows=demo_encounter_rows,
        progress=progress,
    )
