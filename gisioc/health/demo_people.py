"""The health demo's facilities (where their patients live, how busy they are) and its
invented patients, new or coming back, with the identities real exports carry."""

import datetime as dt
import itertools
import json
import math
import random
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from gisioc.geo.demo import BOUNDARY_DATA
from gisioc.health import demo_catalog as c
from gisioc.indicators.demo_communes import REFORM, communes

TTYT_PER_DAY = 160  # visits on a working day at the district centre
CLINICS = (("PK-DX-01", "20599", 12.0, False), ("PK-DX-02", "20599", 9.0, True),
           ("PK-DX-03", "20635", 6.0, False))  # fmt: skip
VISIT_BANDS = (0.13, 0.13, 0.09, 0.21, 0.23, 0.21)  # of new patients, by age band
CHILD_BANDS = (0.6, 0.4, 0, 0, 0, 0)
POOL = 5000  # patients a facility remembers as seen before
NEW_CHRONIC = 0.08  # of chronic follow-ups, a patient not followed before


class Weighted:
    """Items drawn by weight; the cumulative weights are summed once."""

    def __init__(self, items: tuple, weights: list[float]) -> None:
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> Any:
        """One item."""
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


def weighted(pairs: tuple[tuple[Any, float], ...]) -> Weighted:
    """A table from (item, weight) pairs."""
    return Weighted(tuple(item for item, _ in pairs), [w for _, w in pairs])


@dataclass(frozen=True)
class Place:
    """A health facility of the demo: its kind, commune, visits a working day, patients' homes."""

    code: str
    kind: str  # ttyt, tram_y_te, phong_kham (the facility's subtype)
    commune: str  # old commune code
    per_day: float
    homes: Weighted = field(repr=False)
    children: bool = False  # the paediatric clinic

    def day_factor(self, day: dt.date, working: bool) -> float:
        """Visits on the day as a share of a working day's."""
        if working:
            return 1.0
        saturday = day.weekday() == 5
        if self.kind == "ttyt":
            return 0.45 if saturday else 0.25
        if self.kind == "phong_kham":
            return 0.9 if saturday else 0.4
        return 0.2


@cache
def _centres() -> dict[str, tuple[float, float]]:
    features = json.loads(
        (BOUNDARY_DATA / "duyxuyen_2019_communes.geojson").read_text(encoding="utf-8")
    )["features"]
    centres = {}
    for feature in features:
        points = list(_points(feature["geometry"]["coordinates"]))
        lon = sum(p[0] for p in points) / len(points)
        lat = sum(p[1] for p in points) / len(points)
        centres[feature["properties"]["code"]] = (lon, lat)
    return centres


def _points(coordinates: Any) -> Any:
    if isinstance(coordinates[0], int | float):
        yield coordinates
        return
    for part in coordinates:
        yield from _points(part)


def _km(a: str, b: str) -> float:
    (x1, y1), (x2, y2) = _centres()[a], _centres()[b]
    return math.hypot((x1 - x2) * 107.0, (y1 - y2) * 111.0)


def _homes(kind: str, commune: str) -> Weighted:
    people = {x.code: x.population(2025) for x in communes()}
    if kind == "tram_y_te":
        near = sorted((k for k in people if k != commune), key=lambda k: _km(commune, k))[:3]
        return weighted(((commune, 0.85), *((k, 0.05) for k in near)))
    pairs = [(k, n / (1 + _km(commune, k) / 4)) for k, n in people.items()]
    total = sum(w for _, w in pairs)
    outside = 0.03 if kind == "ttyt" else 0.01
    return weighted((*pairs, *((k, total * outside / len(c.ELSEWHERE)) for k in c.ELSEWHERE)))


@cache
def facilities() -> tuple[Place, ...]:
    """The district centre, the 13 stations and the 3 clinics, in that order."""
    places = [Place("TTYT-DX", "ttyt", "20599", TTYT_PER_DAY, _homes("ttyt", "20599"))]
    for x in communes():
        per_day = 3.0 + x.population(2025) / 2400
        places.append(
            Place(f"TYT-{x.code}", "tram_y_te", x.code, per_day, _homes("tram_y_te", x.code))
        )
    for code, commune, per_day, children in CLINICS:
        places.append(
            Place(code, "phong_kham", commune, per_day, _homes("phong_kham", commune), children)
        )
    return tuple(places)


@cache
def commune_names() -> dict[str, tuple[str, str]]:
    """Old commune code → (its name, the code of the 2025 commune it joined)."""
    return {x.code: (x.name, x.new_code) for x in communes()}


@dataclass(frozen=True)
class Person:
    """An invented patient of one facility, with what a hospital record holds of them."""

    patient_code: str  # MA_BN
    sex: str
    born: dt.date
    home: str  # old commune code, or a code outside the district
    name: str
    id_card: str
    card: str  # insurance card number, '' when uninsured
    address: str
    phone: str

    def band(self, day: dt.date) -> str:
        """The age band on a day."""
        years = (
            day.year - self.born.year - ((day.month, day.day) < (self.born.month, self.born.day))
        )
        return next(
            (b for b, (_, top) in zip(c.BANDS, c.BAND_YEARS, strict=True) if years <= top), "65+"
        )

    def residence(self, day: dt.date) -> str:
        """The commune code as written on the day: the 2025 commune's from the reform on."""
        named = commune_names().get(self.home)
        return named[1] if named and day >= REFORM else self.home


class People:
    """Each facility's patients: those seen before (any visit) and its chronic ones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: dict[str, list[Person]] = {}
        self.followed: dict[tuple[str, str], list[Person]] = {}
        self.count: dict[str, int] = {}
        self.family = weighted(c.FAMILY)

    def _new(self, place: Place, day: dt.date, bands: tuple[float, ...]) -> Person:
        rng = self.rng
        band = rng.choices(range(len(c.BANDS)), weights=bands)[0]
        first, last = c.BAND_YEARS[band]
        born = day - dt.timedelta(days=rng.randint(first * 365 + 1, last * 365 + 364))
        sex = "f" if rng.random() < (0.5 if band < 2 else 0.55) else "m"
        home = place.homes.draw(rng)
        self.count[place.code] = number = self.count.get(place.code, 0) + 1
        insured = band == 0 or rng.random() < (0.55 if place.kind == "phong_kham" else 0.93)
        card = ""
        if insured:
            prefix = rng.choice(c.CARD_PREFIXES[c.BANDS[band]])
            card = f"{prefix}49{rng.randint(0, 9_999_999_999):010d}"
        named = commune_names().get(home)
        where = f"xã {named[0].split(' ', 1)[1]}" if named else "tỉnh Quảng Nam"
        return Person(
            patient_code=f"{place.code}-{number:06d}",
            sex=sex,
            born=born,
            home=home,
            name=f"{self.family.draw(rng)} {rng.choice(c.MIDDLE[sex])} {rng.choice(c.GIVEN[sex])}",
            id_card=f"0499{born.year % 100:02d}{rng.randint(0, 999_999):06d}",
            card=card,
            address=f"Thôn {rng.randint(1, 9)}, {where}",
            phone=f"09{rng.randint(0, 99_999_999):08d}",
        )

    def _remember(self, place: Place, person: Person) -> None:
        seen = self.seen.setdefault(place.code, [])
        if len(seen) < POOL:
            seen.append(person)
        else:
            seen[self.rng.randrange(POOL)] = person

    def visitor(self, place: Place, day: dt.date, *, returning: float) -> Person:
        """Someone coming for an acute complaint: seen before, or new."""
        seen = self.seen.get(place.code)
        if seen and self.rng.random() < returning:
            return self.rng.choice(seen)
        person = self._new(place, day, CHILD_BANDS if place.children else VISIT_BANDS)
        self._remember(place, person)
        return person

    def chronic(self, place: Place, condition: str, day: dt.date) -> Person:
        """A patient followed for a long-term condition: mostly one followed already."""
        followed = self.followed.setdefault((place.code, condition), [])
        if followed and self.rng.random() >= NEW_CHRONIC:
            return self.rng.choice(followed)
        person = self._new(place, day, (0, 0, 0, 0.1, 0.45, 0.45))
        followed.append(person)
        self._remember(place, person)
        return person
