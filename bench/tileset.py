"""The fixed, seeded list of tiles every target is asked for (kept in bench/urls.json).

A third are district tiles (Duy Xuyên, z10–z16: tiles whose centre lies in the district's
bounding box), two thirds national tiles (z5–z14, at a random point inside a randomly chosen
commune of Vietnam), half of each on `admin-units` (3,321 communes) and half on `bench-points`
(1,000,000 points). The order is shuffled once, so any prefix is a fair mix (--quick uses one).
"""

import datetime as dt
import json
import math
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import db

URLS_FILE = Path(__file__).resolve().parent / "urls.json"
SEED = 20251
LAYERS = ("admin-units", "bench-points")
DISTRICT = (108.04, 15.71, 108.41, 15.87)  # Duy Xuyên: lon/lat min, max
VIETNAM = (102.1, 8.4, 109.5, 23.4)
DISTRICT_ZOOMS = range(10, 17)
NATION_ZOOMS = range(5, 15)
# Where tipg finds the same rows (views/tables made by bench/db.py).
TIPG_COLLECTIONS = {"admin-units": "public.bench_communes", "bench-points": "public.bench_points"}


@dataclass(frozen=True)
class Tile:
    """One requested tile."""

    group: str  # district | nation
    layer: str
    z: int
    x: int
    y: int

    def gisioc_path(self) -> str:
        """The path on our tile endpoint."""
        return f"/tiles/{self.layer}/{self.z}/{self.x}/{self.y}.mvt"

    def tipg_path(self) -> str:
        """The same tile on tipg's OGC Tiles endpoint."""
        collection = TIPG_COLLECTIONS[self.layer]
        return f"/collections/{collection}/tiles/WebMercatorQuad/{self.z}/{self.x}/{self.y}"


def _tile_for(lon: float, lat: float, z: int) -> tuple[int, int]:
    from tiles.sql import tile_for

    return tile_for(lon, lat, z)


def _tile_centre(z: int, x: int, y: int) -> tuple[float, float]:
    n = 2**z
    lon = (x + 0.5) / n * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / n))))
    return lon, lat


def _inside(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def district_candidates(z: int) -> list[tuple[int, int]]:
    """Tiles at zoom z whose centre lies in the district box (the box's centre tile if none)."""
    x0, y1 = _tile_for(DISTRICT[0], DISTRICT[1], z)
    x1, y0 = _tile_for(DISTRICT[2], DISTRICT[3], z)
    tiles = [
        (x, y)
        for x in range(x0, x1 + 1)
        for y in range(y0, y1 + 1)
        if _inside(*_tile_centre(z, x, y), DISTRICT)
    ]
    if not tiles:
        tiles = [_tile_for((DISTRICT[0] + DISTRICT[2]) / 2, (DISTRICT[1] + DISTRICT[3]) / 2, z)]
    return tiles


def _pick_unique(rng: random.Random, make, seen: set[Tile], tries: int = 20) -> Tile:
    tile = make()
    for _ in range(tries):
        if tile not in seen:
            break
        tile = make()
    seen.add(tile)
    return tile


def _district(rng: random.Random, count: int, seen: set[Tile]) -> list[Tile]:
    zooms = list(DISTRICT_ZOOMS)
    candidates = {z: district_candidates(z) for z in zooms}
    out = []
    for i in range(count):
        layer, z = LAYERS[i % 2], zooms[(i // 2) % len(zooms)]

        def make(layer: str = layer, z: int = z) -> Tile:
            return Tile("district", layer, z, *rng.choice(candidates[z]))

        out.append(_pick_unique(rng, make, seen))
    return out


def _random_point(cur, rng: random.Random, units: list[int]) -> tuple[float, float]:
    while True:
        unit = rng.choice(units)
        cur.execute(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT (ST_Dump(ST_GeneratePoints(geom, 1, %s))).geom"
            " AS p FROM bench_communes WHERE id = %s) s",
            (rng.randint(1, 2**31 - 1), unit),
        )
        row = cur.fetchone()
        if row and _inside(row[0], row[1], VIETNAM):
            return row


def _nation(rng: random.Random, count: int, seen: set[Tile]) -> list[Tile]:
    zooms = list(NATION_ZOOMS)
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT id FROM bench_communes ORDER BY code")
            units = [r[0] for r in cur.fetchall()]
            out = []
            for i in range(count):
                layer, z = LAYERS[i % 2], zooms[(i // 2) % len(zooms)]

                def make(cur=cur, layer: str = layer, z: int = z) -> Tile:
                    return Tile("nation", layer, z, *_tile_for(*_random_point(cur, rng, units), z))

                out.append(_pick_unique(rng, make, seen))
    finally:
        conn.close()
    return out


def generate(total: int = 300, seed: int = SEED) -> list[Tile]:
    """A new seeded list: total // 3 district tiles, the rest national, shuffled."""
    rng = random.Random(seed)
    seen: set[Tile] = set()
    district = total // 3
    tiles = _district(rng, district, seen) + _nation(rng, total - district, seen)
    rng.shuffle(tiles)
    head = {
        "seed": seed,
        "generated": dt.date.today().isoformat(),
        "data": f"boundary version {db.SLUG}; {db.POINTS_RECIPE}",
    }
    lines = ",\n".join(f"  {json.dumps(asdict(t))}" for t in tiles)
    URLS_FILE.write_text(json.dumps(head, indent=1)[:-2] + f',\n "tiles": [\n{lines}\n ]\n}}\n')
    return tiles


def load() -> list[Tile]:
    """The stored list."""
    return [Tile(**t) for t in json.loads(URLS_FILE.read_text())["tiles"]]
