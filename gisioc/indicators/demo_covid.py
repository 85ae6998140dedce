"""Daily Covid-19 figures of the 13 old communes, 2021-01-01 … 2022-12-31.

As Quảng Nam lived it: almost nothing in the first half of 2021; the Delta wave of
August–September 2021 small here (a few clusters, mass screening of pooled samples); a wave
after the reopening in late 2021; Omicron in February–April 2022 large (most of the year's
cases), then little as testing stopped. Vaccination from March 2021 (front line), the mass
campaign from August 2021, children 12–17 in November, boosters early 2022, children 5–11 in
spring and fourth doses in summer 2022. Deaths are rare after vaccination. Every day of
every commune has a row (0 is a report too).
"""

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from gisioc.indicators.demo_communes import communes

FIRST_DAY, LAST_DAY = dt.date(2021, 1, 1), dt.date(2022, 12, 31)
INDICATORS = ("covid_cases", "covid_recovered", "covid_deaths", "covid_tests", "covid_doses")


@dataclass(frozen=True)
class Wave:
    """A bump of daily district figures: its peak day, widths before and after, height, and
    how unevenly communes share it (a small wave is a few clusters)."""

    peak: dt.date
    rise_days: float
    fall_days: float
    height: float
    spread: float = 0.0

    def at(self, day: dt.date) -> float:
        """The wave's district figure on the day."""
        gap = (day - self.peak).days
        width = self.rise_days if gap < 0 else self.fall_days
        return self.height * math.exp(-0.5 * (gap / width) ** 2)


CASE_WAVES = (
    Wave(dt.date(2021, 8, 28), 9, 11, 2.2, spread=1.2),  # Delta
    Wave(dt.date(2021, 12, 18), 16, 16, 22, spread=0.5),  # after the reopening
    Wave(dt.date(2022, 3, 12), 14, 24, 330, spread=0.15),  # Omicron
)
DOSE_WAVES = (
    Wave(dt.date(2021, 9, 28), 22, 22, 3100),  # adults, first and second doses
    Wave(dt.date(2021, 11, 18), 10, 10, 900),  # children 12–17
    Wave(dt.date(2022, 1, 25), 22, 22, 1300),  # boosters
    Wave(dt.date(2022, 5, 10), 25, 25, 380),  # children 5–11
    Wave(dt.date(2022, 8, 5), 28, 28, 330),  # fourth doses
)
SCREENING = Wave(dt.date(2021, 8, 30), 15, 15, 2500)  # Delta: whole villages tested
FRONT_LINE = (dt.date(2021, 3, 8), dt.date(2021, 7, 31))  # health workers, police, teachers


def _rng(*key: object) -> random.Random:
    return random.Random("gisioc-demo-covid:" + ":".join(map(str, key)))


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method for small means, a normal one for large)."""
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _days() -> Iterator[dt.date]:
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += dt.timedelta(days=1)


def _background(day: dt.date) -> float:
    """District cases a day outside the waves: imported ones, then the endemic tail."""
    if day < dt.date(2022, 5, 1):
        return 0.03
    return 0.6 if day < dt.date(2022, 10, 1) else 0.2


def _tests(day: dt.date, cases: float) -> float:
    """District samples a day: screening at checkpoints, mass screening, then testing of the
    sick and their contacts (rapid tests included)."""
    if day < dt.date(2021, 5, 1):
        return 25
    if day < dt.date(2021, 8, 1):
        return 60
    if day < dt.date(2021, 10, 16):
        return 150 + SCREENING.at(day)
    if day < dt.date(2022, 1, 1):
        return 400 + 8 * cases
    if day < dt.date(2022, 5, 1):
        return 300 + 3 * cases
    return 40 - 30 * (day - dt.date(2022, 5, 1)).days / 245 + 3 * cases


def _doses(day: dt.date) -> float:
    if FRONT_LINE[0] <= day <= FRONT_LINE[1]:
        return 25.0 if day.weekday() < 5 else 0.0
    if day < FRONT_LINE[0]:
        return 0.0
    base = 20.0 if day >= dt.date(2022, 10, 1) else 0.0
    return base + sum(w.at(day) for w in DOSE_WAVES)


def _death_chance(day: dt.date) -> float:
    """The chance a case dies: none among the quarantined imported cases of early 2021, then
    before most people were vaccinated, then after."""
    if day < dt.date(2021, 7, 1):
        return 0.0
    if day < dt.date(2021, 10, 1):
        return 0.01
    return 0.004 if day < dt.date(2022, 1, 15) else 0.0006


def _recovery_days(rng: random.Random, day: dt.date) -> int:
    """Days to recovery: hospital discharge rules in 2021, seven days at home in 2022."""
    return rng.randint(14, 21) if day < dt.date(2022, 1, 1) else rng.randint(7, 10)


def covid_days() -> dict[tuple[str, dt.date], dict[str, int]]:
    """(old commune code, day) → indicator → value, for every commune and day."""
    towns = communes()
    people = {c.code: c.population(2021) for c in towns}
    total = sum(people.values())
    figures: dict[tuple[str, dt.date], dict[str, int]] = {}
    later: dict[tuple[str, dt.date], defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for commune in towns:
        code, share = commune.code, people[commune.code] / total
        weights = [math.exp(_rng("wave", i, code).gauss(0, w.spread) - w.spread**2 / 2)
                   for i, w in enumerate(CASE_WAVES)]  # fmt: skip
        for day in _days():
            rng = _rng(code, day)
            mean = sum(w.at(day) * k for w, k in zip(CASE_WAVES, weights, strict=True))
            mean = (mean + _background(day)) * share
            cases = _poisson(rng, mean)
            for _ in range(cases):
                if rng.random() < _death_chance(day):
                    later[code, day + dt.timedelta(days=rng.randint(5, 15))]["covid_deaths"] += 1
                else:
                    back = day + dt.timedelta(days=_recovery_days(rng, day))
                    later[code, back]["covid_recovered"] += 1
            sunday = 0.7 if day.weekday() == 6 else 1.0
            tests = _tests(day, mean / share) * share * sunday * rng.uniform(0.9, 1.1)
            sessions = rng.uniform(0.5, 1.5) * (0.5 if day.weekday() == 6 else 1.0)
            doses = _poisson(rng, _doses(day) * share * sessions)
            figures[code, day] = {
                "covid_cases": cases,
                "covid_tests": max(cases, _poisson(rng, tests)),
                "covid_doses": doses,
            }
    for key, values in figures.items():
        values["covid_recovered"] = later[key]["covid_recovered"]
        values["covid_deaths"] = later[key]["covid_deaths"]
    return figures
