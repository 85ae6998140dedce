"""The demo's yearly and school-year values and targets, commune by commune.

Each indicator is drawn on the 13 old communes for every year (`Latent`); years that end
before the 2025 reform are reported on them, later ones on the 4 new communes, combined from
their members as the catalogue says (sums, means weighted by population, labour force or
rice area, the least of the members for criteria met). The district's figure of an indicator
that has one (`demo_plans.PATHS`) is what the communes' values combine to, so the targets of
the plan are met or missed as written there.
"""

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from gisioc.indicators import demo_plans as plans
from gisioc.indicators.catalog import CATALOG
from gisioc.indicators.demo_communes import NEW_VERSION, OLD_VERSION, Commune, communes
from gisioc.indicators.demo_communes import new_communes as new_members

FIRST_YEAR = 2020
REFORM_YEAR = 2025  # the first year reported on the new communes (see `version_of_year`)
SPECS = {spec.code: spec for spec in CATALOG}
Values = dict[str, dict[int, float]]  # old commune code → year → value

# How communes differ from the district, by terrain (see demo_communes.TERRAIN). "scale":
# factors of the district's value; "logit": shifts of a percentage on the logit scale, so it
# stays below 100 %; then the noise (relative, or on the logit scale).
SHAPES: dict[str, tuple[str, dict[str, float], float]] = {
    "poverty_rate": ("scale", {"town": 0.35, "plain": 0.85, "coast": 1.0, "midland": 1.2,
                               "upland": 2.6}, 0.08),
    "near_poor_rate": ("scale", {"town": 0.5, "plain": 0.9, "coast": 1.0, "midland": 1.15,
                                 "upland": 1.8}, 0.08),
    "income_per_capita": ("scale", {"town": 1.28, "plain": 1.0, "coast": 1.02, "midland": 0.93,
                                    "upland": 0.78}, 0.03),
    "trained_labour": ("logit", {"town": 0.3, "plain": 0.05, "coast": 0.0, "midland": -0.07,
                                 "upland": -0.35}, 0.05),
    # Poor and upland households are insured by the state budget.
    "health_insurance": ("logit", {"town": 0.15, "plain": 0.0, "coast": -0.06,
                                   "midland": -0.05, "upland": 0.35}, 0.06),
    "clean_water": ("logit", {"town": 2.5, "plain": 0.15, "coast": 0.1, "midland": -0.3,
                              "upland": -0.8}, 0.08),
}  # fmt: skip
# Totals shared out by weight × terrain factor; the weight is the population unless named.
SHARES: dict[str, tuple[str, dict[str, float], float]] = {
    "jobs_created": ("labour_force", {"town": 1.1, "plain": 1.0, "coast": 1.0, "midland": 1.0,
                                      "upland": 0.8}, 0.12),
    "output_agriculture": ("area", {"town": 0.3, "plain": 1.0, "coast": 1.3, "midland": 0.8,
                                    "upland": 0.35}, 0.05),
    "output_industry": ("population", {"town": 2.5, "plain": 0.9, "coast": 0.7, "midland": 1.1,
                                       "upland": 0.5}, 0.06),
    "output_services": ("population", {"town": 2.2, "plain": 0.85, "coast": 1.25,
                                       "midland": 0.75, "upland": 1.1}, 0.06),
}  # fmt: skip
COMMUNE_TARGETS = (
    "poverty_rate", "income_per_capita", "jobs_created", "health_insurance", "clean_water",
)  # fmt: skip
PADDY = {"town": 0.12, "plain": 0.25, "coast": 0.12, "midland": 0.14, "upland": 0.05}
RICE_YIELD = {"town": 58.0, "plain": 61.0, "coast": 52.5, "midland": 57.5, "upland": 50.5}
# 2020: saline drought in spring; 2022: unseasonal rain at the winter–spring harvest.
RICE_YEAR = {2020: -1.5, 2021: 0.5, 2022: -2.2, 2023: 1.0, 2024: 1.2, 2025: 1.5, 2026: 1.8}
LABOUR_SHARE = {"town": 0.56, "plain": 0.585, "coast": 0.59, "midland": 0.58, "upland": 0.55}
BIRTH_RATE = {"town": 12.5, "plain": 13.5, "coast": 14.6, "midland": 13.8, "upland": 15.0}
DEATH_RATE = {"town": 6.2, "plain": 6.7, "coast": 6.5, "midland": 6.9, "upland": 7.6}
WASTE_KG_DAY = {"town": 0.75, "plain": 0.5, "coast": 0.55, "midland": 0.45, "upland": 0.4}
COLLECTED = {"town": 0.95, "plain": 0.62, "coast": 0.6, "midland": 0.5, "upland": 0.35}
SCHOOL_AGE = {"town": 0.205, "plain": 0.215, "coast": 0.228, "midland": 0.217, "upland": 0.232}
CRITERIA_2020 = {"plain": 19, "coast": 18, "midland": 16, "upland": 13}


def _rng(*key: object) -> random.Random:
    return random.Random("gisioc-demo-indicators:" + ":".join(map(str, key)))


def _logit(p: float) -> float:
    return math.log(p / (100 - p))


def _percent(x: float) -> float:
    return 100 / (1 + math.exp(-x))


def _mean(values: dict[str, float], weights: dict[str, float]) -> float:
    return sum(values[c] * weights[c] for c in values) / sum(weights[c] for c in values)


def _levelled(raw: dict[str, float], weights: dict[str, float], goal: float, mode: str):
    """`raw` moved so its weighted mean is `goal`: scaled, or shifted on the logit scale."""
    if mode == "scale":
        ratio = goal / _mean(raw, weights)
        return {c: v * ratio for c, v in raw.items()}
    low, high = -10.0, 10.0
    for _ in range(60):
        mid = (low + high) / 2
        if _mean({c: _percent(v + mid) for c, v in raw.items()}, weights) < goal:
            low = mid
        else:
            high = mid
    return {c: _percent(v + low) for c, v in raw.items()}


@dataclass
class Latent:
    """Every indicator on the old communes for every year, with the plan's commune targets."""

    years: range
    actual: dict[str, Values] = field(default_factory=dict)
    target: dict[str, Values] = field(default_factory=dict)

    def put(self, indicator: str, code: str, year: int, value: float, kind: str = "actual") -> None:
        """Set one value."""
        store = self.actual if kind == "actual" else self.target
        store.setdefault(indicator, {}).setdefault(code, {})[year] = value

    def of(self, indicator: str, year: int) -> dict[str, float]:
        """The old communes' values of a year."""
        return {
            c: by_year[year] for c, by_year in self.actual[indicator].items() if year in by_year
        }


def _people(latent: Latent, commune: Commune, year: int) -> None:
    code, terrain = commune.code, commune.terrain
    rng = _rng("people", code, year)
    people = commune.population(year)
    latent.put("population", code, year, people)
    latent.put("school_age_population", code, year, school_age_population(commune, year))
    if year < FIRST_YEAR:
        return
    births = round(people * (BIRTH_RATE[terrain] - 0.25 * (year - 2019) + rng.gauss(0, 0.5)) / 1000)
    latent.put("births", code, year, births)
    birth_rate = 1000 * births / people
    latent.put("birth_rate", code, year, birth_rate)
    covid = {2021: 0.3, 2022: 0.4}.get(year, 0.0)
    deaths = DEATH_RATE[terrain] + 0.12 * (year - 2019) + covid + rng.gauss(0, 0.3)
    latent.put("natural_increase", code, year, birth_rate - deaths)
    share = LABOUR_SHARE[terrain] - 0.0015 * (year - 2019) + rng.gauss(0, 0.004)
    latent.put("labour_force", code, year, round(people * share))
    kg = WASTE_KG_DAY[terrain] * (1 + 0.02 * (year - 2020))
    collected = min(0.98, COLLECTED[terrain] + (0.005 if commune.town else 0.05) * (year - 2020))
    tonnes = people * kg * 365 / 1000 * collected * rng.uniform(0.97, 1.03)
    latent.put("waste_collected", code, year, tonnes)
    decline = (1 - 0.007) ** (year - 2020)
    area = commune.area_km2 * 100 * 2 * PADDY[terrain] * decline * rng.uniform(0.98, 1.02)
    latent.put("rice_area", code, year, area)
    latent.put("rice_yield", code, year,
               RICE_YIELD[terrain] + RICE_YEAR[year] + rng.gauss(0, 0.9))  # fmt: skip


def school_age_population(commune: Commune, year: int) -> int:
    """People aged 3–17 of the commune in the year: about a fifth of the population, a little
    less each year as fewer children are born (the education demo's pupils follow it)."""
    share = SCHOOL_AGE[commune.terrain] * (1 - 0.008 * (year - 2019))
    return round(
        commune.population(year)
        * share
        * _rng("school-age", commune.code, year).uniform(0.99, 1.01)
    )


def _shaped(latent: Latent, indicator: str) -> None:
    """A district path shared over the communes by their terrain, and its commune targets."""
    mode, profile, noise = SHAPES[indicator]
    weight = SPECS[indicator].weight or "population"
    path, targets = plans.PATHS[indicator], plans.TARGETS[indicator]
    for year in latent.years:
        weights = latent.of(weight, year)
        base = {}
        for commune in communes():
            f = profile[commune.terrain]
            base[commune.code] = path[year] * f if mode == "scale" else _logit(path[year]) + f
        expected = _levelled(base, weights, path[year], mode)
        drawn = {}
        for code, value in base.items():
            e = _rng(indicator, code, year).gauss(0, noise)
            drawn[code] = value * (1 + e) if mode == "scale" else value + e
        for code, value in _levelled(drawn, weights, path[year], mode).items():
            latent.put(indicator, code, year, value)
            if indicator not in COMMUNE_TARGETS:
                continue
            if mode == "scale":
                goal = expected[code] * targets[year] / path[year]
            else:
                lift = _logit(targets[year]) - _logit(path[year])
                goal = _percent(_logit(expected[code]) + lift)
            latent.put(indicator, code, year, goal, kind="target")


def _shared(latent: Latent, indicator: str) -> None:
    """A district total shared over the communes, summing to it; commune targets alike."""
    by, profile, noise = SHARES[indicator]
    path, targets = plans.PATHS[indicator], plans.TARGETS[indicator]
    whole = SPECS[indicator].decimals == 0
    for year in latent.years:
        weights = {
            c.code: (c.area_km2 if by == "area" else latent.of(by, year)[c.code])
            * profile[c.terrain]
            for c in communes()
        }
        drawn = {c: w * (1 + _rng(indicator, c, year).gauss(0, noise)) for c, w in weights.items()}
        total = sum(drawn.values())
        values = {c: path[year] * w / total for c, w in drawn.items()}
        if whole:
            values = dict(zip(values, _split(round(path[year]), list(drawn.values())), strict=True))
        for code, value in values.items():
            latent.put(indicator, code, year, value)
            if indicator in COMMUNE_TARGETS:
                goal = targets[year] * weights[code] / sum(weights.values())
                latent.put(indicator, code, year, round(goal, -1) if whole else goal, "target")


def _split(total: int, weights: list[float]) -> list[int]:
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: parts[i] - exact[i])[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _criteria(latent: Latent, commune: Commune) -> None:
    """New rural criteria met (of 19), rising to all 19, with the plan's yearly aim."""
    if commune.town:
        return  # a town is judged by urban standards, not the new rural ones
    rng = _rng("criteria", commune.code)
    met = min(19, CRITERIA_2020[commune.terrain] + rng.choice((-1, 0, 0, 1)))
    aim = min(19, met + rng.choice((0, 1)))
    for year in latent.years:
        if year > FIRST_YEAR:
            aim = min(19, met + 2)
            met = min(19, met + rng.choice((0, 1, 1, 2)))
        latent.put("new_rural_criteria", commune.code, year, aim, "target")
        latent.put("new_rural_criteria", commune.code, year, met)


def latent_draw(last_year: int) -> Latent:
    """Every yearly indicator on the old communes, 2019 (population only) to `last_year`."""
    latent = Latent(range(FIRST_YEAR, last_year + 1))
    for commune in communes():
        for year in range(2019, last_year + 1):
            _people(latent, commune, year)
        _criteria(latent, commune)
    for indicator in SHAPES:
        _shaped(latent, indicator)
    for indicator in SHARES:
        _shared(latent, indicator)
    return latent


def combined(latent: Latent, indicator: str, year: int, members: list[Commune], kind: str):
    """A new commune's value from its members', as the catalogue combines the indicator
    (None when a member lacks one, or for criteria when none has any)."""
    store = latent.actual if kind == "actual" else latent.target
    values = [store.get(indicator, {}).get(c.code, {}).get(year) for c in members]
    spec = SPECS[indicator]
    if spec.combine == "none":
        have = [v for v in values if v is not None]
        return min(have) if have else None
    if any(v is None for v in values):
        return None
    if spec.combine == "sum":
        return sum(values)
    weights = [latent.actual[spec.weight or "population"][c.code][year] for c in members]
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


Emit = Callable[..., None]


def version_of_year(year: int) -> str:
    """The version a year's values are reported on: the one in force at the year's end. The
    year 2025 is the new communes': they compiled its figures (the old ones no longer exist
    when a yearly report is due) from the records they took over on 1 July."""
    return OLD_VERSION if year < REFORM_YEAR else NEW_VERSION


def units_of_year(year: int) -> Iterator[tuple[str, list[Commune]]]:
    """(unit code, the old communes it covers) for the version of the year."""
    if year < REFORM_YEAR:
        for commune in communes():
            yield commune.code, [commune]
    else:
        yield from new_members().items()
