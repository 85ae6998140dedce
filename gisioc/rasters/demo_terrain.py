"""The demo's synthetic Thu Bồn valley as functions of lon/lat (no grid, no files, no database).

Every surface is evaluated at points, so a grid of any resolution or CRS samples the same
landscape: the river (a smooth meandering line west → east across the district's north, its
water at 3 m in the west falling to 1 m where it meets the sea east of Duy Nghĩa and Duy Hải),
a flat delta rising gently away from the river and the coast (5–15 m), the hills and mountains
of Duy Phú and Duy Sơn to the west and south-west (Mỹ Sơn, up to ~750 m), and sand dunes
along the coast. Shapes are Gaussian hills plus fBm value noise from a hashed lattice, seeded,
so the same point always gets the same height. Invented, not surveyed: a demo.
"""

import itertools

import numpy as np

SEED = 18  # issue 18
KM_LON, KM_LAT = 107.1, 110.6  # km per degree at 15.8° N
LON0, LAT0 = 108.0, 15.7  # origin of the km frame the noise is drawn in

# The river's centreline (lon, lat), about a kilometre inside the district's northern edge,
# smoothed into meanders; it reaches the sea at ~108.413 (Cửa Đại, south of Hội An).
RIVER = (
    (107.98, 15.796), (108.03, 15.799), (108.07, 15.804), (108.095, 15.818), (108.12, 15.834),
    (108.15, 15.843), (108.18, 15.842), (108.21, 15.836), (108.24, 15.829), (108.265, 15.843),
    (108.29, 15.852), (108.32, 15.851), (108.35, 15.850), (108.38, 15.857), (108.41, 15.865),
    (108.45, 15.873),
)  # fmt: skip
RIVER_WEST, RIVER_MOUTH = 108.06, 108.413
# Gaussian hills (lon, lat, height m, sigma km): the Mỹ Sơn massif in Duy Phú, the ridges
# along the southern edge (Duy Sơn, Duy Trung), low midland hills between the villages.
HILLS = (
    (108.082, 15.738, 560.0, 2.3), (108.110, 15.726, 330.0, 2.0), (108.065, 15.768, 260.0, 1.8),
    (108.100, 15.760, 140.0, 1.4), (108.160, 15.716, 260.0, 2.0), (108.200, 15.714, 180.0, 1.8),
    (108.240, 15.726, 90.0, 1.6), (108.150, 15.780, 35.0, 1.1), (108.215, 15.772, 28.0, 1.2),
    (108.262, 15.760, 45.0, 1.4),
)  # fmt: skip
# Low basins of the delta (lon, lat, depth m, sigma km): paddy fields that flood first.
BASINS = ((108.330, 15.842, 2.0, 1.3), (108.225, 15.822, 1.6, 1.5), (108.180, 15.828, 1.2, 1.1))
TOWN = (108.268, 15.836)  # Nam Phước, on the national road by the river
# Roads as (lon, lat) polylines: QL1A north–south through Nam Phước, ĐT610 along the valley
# south of the river, ĐT609 to the coast.
ROADS = (
    ((108.262, 15.74), (108.266, 15.80), (108.270, 15.86)),
    ((108.07, 15.792), (108.12, 15.818), (108.18, 15.823), (108.24, 15.816), (108.266, 15.822)),
    ((108.266, 15.832), (108.32, 15.836), (108.36, 15.838), (108.40, 15.842)),
)
# Flood water: how far above the river's normal level, west → east, per return period.
FLOOD_RISE = {5: (2.3, 1.7), 20: (3.8, 3.0)}  # m at RIVER_WEST, at RIVER_MOUTH
FLOOD_FALL = {5: 0.55, 20: 0.38}  # m the water surface falls per km away from the river


def km(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points in a local km frame (x east, y north)."""
    return (lon - LON0) * KM_LON, (lat - LAT0) * KM_LAT


def _river_profile() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The centreline's latitude at dense longitudes, smoothed, and its slope in km/km."""
    lons = np.arange(107.97, 108.46, 0.0005)
    lats = np.interp(lons, [p[0] for p in RIVER], [p[1] for p in RIVER])
    kernel = np.exp(-0.5 * (np.arange(-72, 73) / 24.0) ** 2)
    padded = np.pad(lats, 72, mode="edge")
    smooth = np.convolve(padded, kernel / kernel.sum(), mode="valid")
    slope = np.gradient(smooth * KM_LAT, lons * KM_LON)
    return lons, smooth, slope


_PROFILE = _river_profile()


def river_lat(lon: np.ndarray) -> np.ndarray:
    """The river's centreline latitude at these longitudes."""
    return np.interp(lon, _PROFILE[0], _PROFILE[1])


def river_distance(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance to the river's centreline, km (across the local direction of the river)."""
    slope = np.interp(lon, _PROFILE[0], _PROFILE[2])
    return np.abs(lat - river_lat(lon)) * KM_LAT / np.sqrt(1 + slope**2)


def along(lon: np.ndarray) -> np.ndarray:
    """0 at the river's west end, 1 at its mouth."""
    return np.clip((lon - RIVER_WEST) / (RIVER_MOUTH - RIVER_WEST), 0, 1)


def river_level(lon: np.ndarray) -> np.ndarray:
    """The river's normal water level, m: 3 m in the west, 1 m at the sea."""
    return 3.0 - 2.0 * along(lon) ** 0.8


def channel_width(lon: np.ndarray) -> np.ndarray:
    """Half the river's width, km: ~120 m upstream widening to ~300 m at the mouth."""
    return 0.12 + 0.18 * along(lon) ** 1.5


def coast_distance(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Distance inland from the coastline, km (negative at sea)."""
    coast = 108.4115 + 0.15 * (15.845 - lat)
    return (coast - lon) * KM_LON


def _hash(i: np.ndarray, j: np.ndarray, seed: int) -> np.ndarray:
    """A value in [-1, 1] per integer lattice point (splitmix64 of its coordinates)."""
    h = i.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    h ^= j.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    h ^= np.uint64(seed * 0x165667B19E3779F9 % 2**64)
    h ^= h >> np.uint64(30)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    h ^= h >> np.uint64(27)
    h *= np.uint64(0x94D049BB133111EB)
    h ^= h >> np.uint64(31)
    return (h >> np.uint64(11)).astype(np.float64) / float(1 << 52) - 1.0


def _value_noise(u: np.ndarray, v: np.ndarray, seed: int) -> np.ndarray:
    """Smooth noise in [-1, 1]: lattice values blended with a quintic fade."""
    i, j = np.floor(u), np.floor(v)
    fu, fv = u - i, v - j
    fu, fv = fu**3 * (fu * (fu * 6 - 15) + 10), fv**3 * (fv * (fv * 6 - 15) + 10)
    i, j = i.astype(np.int64) + 4096, j.astype(np.int64) + 4096
    a, b = _hash(i, j, seed), _hash(i + 1, j, seed)
    c, d = _hash(i, j + 1, seed), _hash(i + 1, j + 1, seed)
    return (a + (b - a) * fu) * (1 - fv) + (c + (d - c) * fu) * fv


def fbm(x: np.ndarray, y: np.ndarray, *, scale_km: float, octaves: int, seed: int) -> np.ndarray:
    """Fractional Brownian motion: octaves of value noise, each half the size and amplitude."""
    total, norm, amp = np.zeros_like(x), 0.0, 1.0
    for o in range(octaves):
        size = scale_km / 2**o
        total += amp * _value_noise(x / size + 0.37 * o, y / size - 0.61 * o, SEED * 97 + seed + o)
        norm += amp
        amp *= 0.5
    return total / norm


def _gaussians(x: np.ndarray, y: np.ndarray, spots: tuple) -> np.ndarray:
    out = np.zeros_like(x)
    for lon, lat, height, sigma in spots:
        cx, cy = km(np.float64(lon), np.float64(lat))
        out += height * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma**2))
    return out


def elevation(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Ground height, m above sea level (NaN at sea); the river's cells hold its water level."""
    x, y = km(lon, lat)
    d_river, d_coast = river_distance(lon, lat), coast_distance(lon, lat)
    level = river_level(lon)
    # The delta: a little above the river at its banks, rising away from it and inland.
    rise = 0.7 + 2.2 * (1 - np.exp(-d_river / 2.5))
    inland = 7.0 * (1 - np.exp(-np.clip(d_coast, 0, None) / 25)) * (1 - np.exp(-d_river / 3))
    ground = level + rise + inland - _gaussians(x, y, BASINS) * np.exp(-d_river / 4)
    ground += 0.9 * fbm(x, y, scale_km=2.0, octaves=5, seed=1)
    # Hills and mountains, kept out of the valley floor, roughened in proportion.
    hills = _gaussians(x, y, HILLS) * (1 - np.exp(-((d_river / 2.2) ** 2)))
    rough = fbm(x, y, scale_km=4.0, octaves=6, seed=2)
    ground += hills * (1 + 0.35 * rough)
    # Sand dunes along the coast (Duy Hải, Duy Nghĩa), cut by the river's mouth.
    wavy = d_coast + 0.35 * fbm(x, y, scale_km=3.0, octaves=2, seed=5)
    ridge = np.exp(-(((wavy - 0.9) / 0.55) ** 2)) + 0.5 * np.exp(-(((wavy - 2.2) / 0.4) ** 2))
    dunes = ridge * (7.0 + 4.0 * fbm(x, y, scale_km=0.6, octaves=3, seed=3))
    ground += dunes * (1 - np.exp(-((d_river / 0.9) ** 2)))
    # The channel: the water level inside, a short bank up to the ground.
    half = channel_width(lon)
    bank = np.clip((d_river - half) / 0.09, 0, 1)
    out = level + (np.maximum(ground, level + 0.3) - level) * bank
    return np.where(d_coast < 0, np.nan, np.maximum(out, 0.4))


def flood_depth(lon: np.ndarray, lat: np.ndarray, years: int, ground: np.ndarray) -> np.ndarray:
    """Water depth, m, of the `years`-year flood (0 where dry, NaN at sea): the flood's water
    surface (the river's level plus the flood's rise, falling away from the river) less the
    ground. A rarer flood's surface is higher everywhere, so it covers the commoner one's."""
    west, east = FLOOD_RISE[years]
    surface = river_level(lon) + west + (east - west) * along(lon)
    surface = surface - FLOOD_FALL[years] * river_distance(lon, lat)
    return np.clip(surface - ground, 0, None)


def settlement(lon: np.ndarray, lat: np.ndarray, ground: np.ndarray) -> np.ndarray:
    """Where people live, a relative weight ≥ 0: low ground near the river, the roads and
    Nam Phước; nobody in the channel, on steep high ground or at sea."""
    x, y = km(lon, lat)
    d_river = river_distance(lon, lat)
    d_road = np.full_like(x, np.inf)
    for road in ROADS:
        d_road = np.minimum(d_road, _polyline_distance(x, y, road))
    tx, ty = km(np.float64(TOWN[0]), np.float64(TOWN[1]))
    town = 7.0 * np.exp(-((x - tx) ** 2 + (y - ty) ** 2) / (2 * 1.1**2))
    near = 0.35 + 2.2 * np.exp(-((d_river / 1.3) ** 2)) + 2.5 * np.exp(-((d_road / 0.45) ** 2))
    villages = np.clip(0.55 + fbm(x, y, scale_km=1.2, octaves=3, seed=4), 0.05, None)
    low = np.exp(-np.clip(np.nan_to_num(ground, nan=1e3) - 6, 0, None) / 18)
    weight = (near + town) * villages * low
    lived = (d_river > channel_width(lon) + 0.05) & (np.nan_to_num(ground, nan=1e3) < 90)
    return np.where(lived, weight, 0.0)


def _polyline_distance(x: np.ndarray, y: np.ndarray, line: tuple) -> np.ndarray:
    """Distance in km from each point to a (lon, lat) polyline."""
    out = np.full_like(x, np.inf)
    pts = [km(np.float64(lon), np.float64(lat)) for lon, lat in line]
    for (ax, ay), (bx, by) in itertools.pairwise(pts):
        dx, dy = bx - ax, by - ay
        t = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0, 1)
        out = np.minimum(out, np.hypot(x - ax - t * dx, y - ay - t * dy))
    return out
