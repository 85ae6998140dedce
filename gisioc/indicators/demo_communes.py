"""The demo's communes: the 13 of Duy Xuyên (2019–2025), their land and their population.

Read from boundary_data alone (no database), so the generator runs anywhere. An old commune's
area is its share of the 2025 commune it joined times that commune's official area, as
boundary_data/derive.py drew it. The 2019 census total (126,686) is split over the communes in
proportion to area × the density of their terrain (`DENSITY`), by largest remainders.
"""

import csv
import datetime as dt
import json
import random
from dataclasses import dataclass
from functools import cache

from gisioc.geo.demo import BOUNDARY_DATA

OLD_VERSION, NEW_VERSION = "duyxuyen-2019", "danang-2025"
REFORM = dt.date(2025, 7, 1)
CENSUS_YEAR, CENSUS_POPULATION = 2019, 126_686  # Population and Housing Census, 1 April 2019

# People per km² relative to a midland commune: the town is the dense centre; the communes of
# the Thu Bồn delta and the coast are rice and fishing villages along the roads; Duy Phú is
# hills and forest (Mỹ Sơn), with few people.
DENSITY = {"town": 5.0, "plain": 2.2, "coast": 2.2, "midland": 1.0, "upland": 0.35}
TERRAIN = {
    "20599": "town",  # Thị trấn Nam Phước
    "20605": "upland",  # Duy Phú
    "20608": "plain",  # Duy Tân
    "20611": "midland",  # Duy Hòa
    "20614": "plain",  # Duy Châu
    "20617": "midland",  # Duy Trinh
    "20620": "midland",  # Duy Sơn
    "20623": "midland",  # Duy Trung
    "20626": "plain",  # Duy Phước
    "20629": "coast",  # Duy Thành
    "20632": "plain",  # Duy Vinh
    "20635": "coast",  # Duy Nghĩa
    "20638": "coast",  # Duy Hải
}
# Yearly growth of the population (natural increase less those leaving for Đà Nẵng and the
# industrial parks): the town grows, the hills barely; the district about 0.6 %.
GROWTH = {"town": 0.012, "plain": 0.0065, "coast": 0.006, "midland": 0.005, "upland": 0.002}


@dataclass(frozen=True)
class Commune:
    """A commune of 2019–2025 and the 2025 commune it joined (whole: every share is 1)."""

    code: str
    name: str
    new_code: str
    new_name: str
    area_km2: float
    terrain: str
    population_2019: int
    growth: float

    @property
    def town(self) -> bool:
        """Thị trấn Nam Phước, the district's town (no new rural criteria there)."""
        return self.terrain == "town"

    def population(self, year: int) -> int:
        """Average population of the year."""
        return round(self.population_2019 * (1 + self.growth) ** (year - CENSUS_YEAR))


def _official_areas() -> dict[str, float]:
    with (BOUNDARY_DATA / "duyxuyen_2025_communes.geojson").open(encoding="utf-8") as f:
        features = json.load(f)["features"]
    return {f["properties"]["code"]: f["properties"]["official_area_km2"] for f in features}


def _largest_remainders(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` into whole numbers that sum to it."""
    exact = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def density_weight(code: str, area_km2: float) -> float:
    """The share of the census population a commune of this area draws (before scaling)."""
    return area_km2 * DENSITY[TERRAIN[code]]


@cache
def communes() -> tuple[Commune, ...]:
    """The 13 old communes in code order."""
    official = _official_areas()
    with (BOUNDARY_DATA / "crosswalk_2025.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    areas = [float(r["area_share_of_new"]) * official[r["new_code"]] for r in rows]
    weights = [density_weight(r["old_code"], a) for r, a in zip(rows, areas, strict=True)]
    people = _largest_remainders(CENSUS_POPULATION, weights)
    found = []
    for r, area, population in zip(rows, areas, people, strict=True):
        terrain = TERRAIN[r["old_code"]]
        jitter = random.Random(f"gisioc-demo-indicators:growth:{r['old_code']}").uniform(-1, 1)
        found.append(
            Commune(
                r["old_code"], r["old_name"], r["new_code"], r["new_name"], round(area, 2),
                terrain, population, GROWTH[terrain] + jitter * 0.001,
            )
        )  # fmt: skip
    return tuple(sorted(found, key=lambda c: c.code))


def new_communes() -> dict[str, list[Commune]]:
    """The 4 communes of 2025 (code → the old communes it took over), in code order."""
    members: dict[str, list[Commune]] = {}
    for commune in communes():
        members.setdefault(commune.new_code, []).append(commune)
    return dict(sorted(members.items()))
