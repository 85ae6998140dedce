"""The demo's rasters as grids: elevation and two flood depths in VN-2000, population in lon/lat.

Sampled from `demo_terrain` over the demo district's extent (boundary_data, no database), so
they are the same bytes on every machine. Elevation and floods use EPSG:5899, VN-2000 /
TM-3 107°45′: the grid of Đà Nẵng and the former Quảng Nam, in which the province's survey
and flood maps are delivered (and it shows the reprojection path on the demo). Population is
a 3″ (~90 m) lon/lat grid like WorldPop's, people per cell, each old commune's population
(the demo's `population` indicator) shared over it by `demo_terrain.settlement` so that the
exact (coverage-weighted) sum over each commune is its population.
"""

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine
from pyproj import Transformer
from shapely.geometry import shape

from gisioc.geo.demo import BOUNDARY_DATA
from gisioc.indicators.demo_communes import communes
from gisioc.rasters import demo_terrain as terrain

METRIC_CRS = "EPSG:5899"  # VN-2000 / TM-3 107-45 (Đà Nẵng, Quảng Nam)
LONLAT_CRS = "EPSG:4326"
ELEVATION_CELL = 30.0  # m, like SRTM / Copernicus GLO-30
POPULATION_CELL = 1 / 1200  # degrees: 3″, like WorldPop's 100 m grids
MARGIN_KM = 1.5  # around the district's bounding box
NODATA = -9999.0
FLOODS = (5, 20)  # return periods, years


@dataclass(frozen=True)
class Grid:
    """One band of float32 cells on a north-up grid."""

    data: np.ndarray
    transform: Affine
    crs: str
    nodata: float = NODATA

    def write(self, path: Path) -> Path:
        """A tiled, deflated GeoTIFF (the same bytes for the same grid)."""
        profile = {
            "driver": "GTiff",
            "width": self.data.shape[1],
            "height": self.data.shape[0],
            "count": 1,
            "dtype": "float32",
            "crs": self.crs,
            "transform": self.transform,
            "nodata": self.nodata,
            "tiled": True,
            "blockxsize": 256,
            "blockysize": 256,
            "compress": "deflate",
        }
        with rasterio.open(path, "w", **profile) as dst:
            dst.write(np.where(np.isnan(self.data), self.nodata, self.data).astype("float32"), 1)
        return path

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Lon/lat of every cell's centre."""
        rows, cols = np.indices(self.data.shape, dtype=np.float64)
        x, y = self.transform @ (cols + 0.5, rows + 0.5)
        if self.crs == LONLAT_CRS:
            return x, y
        return _to_lonlat(self.crs).transform(x, y)


@cache
def _to_lonlat(crs: str) -> Transformer:
    return Transformer.from_crs(crs, LONLAT_CRS, always_xy=True)


@cache
def district_features(version: str = "duyxuyen-2019") -> tuple[dict, ...]:
    """The demo version's commune features (GeoJSON dicts) from boundary_data."""
    name = {"duyxuyen-2019": "2019", "danang-2025": "2025"}[version]
    with (BOUNDARY_DATA / f"duyxuyen_{name}_communes.geojson").open(encoding="utf-8") as f:
        return tuple(json.load(f)["features"])


def _frame(crs: str, cell: float, scale: float) -> tuple[Affine, int, int]:
    """A grid of `cell × scale` cells over the district's bbox plus the margin, snapped."""
    union = shapely.union_all([shape(f["geometry"]) for f in district_features()])
    west, south, east, north = union.bounds
    dlon, dlat = MARGIN_KM / terrain.KM_LON, MARGIN_KM / terrain.KM_LAT
    west, south, east, north = west - dlon, south - dlat, east + dlon, north + dlat
    if crs != LONLAT_CRS:
        fwd = Transformer.from_crs(LONLAT_CRS, crs, always_xy=True)
        west, south, east, north = fwd.transform_bounds(west, south, east, north)
    size = cell * scale
    x0, y1 = np.floor(west / size) * size, np.ceil(north / size) * size
    width = int(np.ceil((east - x0) / size))
    height = int(np.ceil((y1 - south) / size))
    return Affine(size, 0, x0, 0, -size, y1), width, height


def _sampled(crs: str, cell: float, scale: float) -> tuple[Affine, np.ndarray, np.ndarray]:
    transform, width, height = _frame(crs, cell, scale)
    grid = Grid(np.zeros((height, width), np.float32), transform, crs)
    lon, lat = grid.centres()
    return transform, lon, lat


@lru_cache(maxsize=2)
def _ground(scale: float) -> tuple[Affine, np.ndarray, np.ndarray, np.ndarray]:
    """The metric grid's cell centres and their ground height (shared by elevation and the
    floods: the costliest surface is drawn once per load)."""
    transform, lon, lat = _sampled(METRIC_CRS, ELEVATION_CELL, scale)
    ground = terrain.elevation(lon, lat)
    for array in (lon, lat, ground):
        array.flags.writeable = False
    return transform, lon, lat, ground


def elevation_grid(scale: float = 1.0) -> Grid:
    """Ground height, m (nodata at sea), 30 m cells × scale, VN-2000."""
    transform, _, _, ground = _ground(scale)
    return Grid(ground.astype(np.float32), transform, METRIC_CRS)


def flood_grid(years: int, scale: float = 1.0) -> Grid:
    """Depth of the `years`-year flood, m: 0 where dry, nodata at sea (the elevation's grid)."""
    transform, lon, lat, ground = _ground(scale)
    depth = terrain.flood_depth(lon, lat, years, ground)
    depth = np.where(np.isnan(ground), np.nan, np.round(depth, 2))
    return Grid(depth.astype(np.float32), transform, METRIC_CRS)


def coverage(grid: Grid, features: tuple[dict, ...]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per feature, (flat cell indices, the fraction of each cell it covers), exactly as
    exactextract measures it (the zonal statistics' own rule)."""
    from exactextract import exact_extract
    from exactextract.raster import NumPyRasterSource

    height, width = grid.data.shape
    west, north = grid.transform.c, grid.transform.f
    east, south = grid.transform @ (width, height)
    source = NumPyRasterSource(np.zeros(grid.data.shape), west, south, east, north)
    found = exact_extract(source, list(features), ["cell_id", "coverage"], output="geojson")
    return [
        (np.asarray(f["properties"]["cell_id"]), np.asarray(f["properties"]["coverage"]))
        for f in found
    ]


def population_year() -> int:
    """The year the population grid is drawn for: the demo's latest."""
    from gisioc.indicators.demo import SNAPSHOT

    return SNAPSHOT.year


def population_grid(scale: float = 1.0, year: int | None = None) -> Grid:
    """People per cell (3″ × scale, lon/lat): each old commune's population of the year
    spread by settlement weight, its exact zonal sum equal to the population. A cell on a
    boundary belongs partly to each side; the commune's factors solve the small linear system
    Σ_d a_d Σ_cells w f_c f_d = P_c, so the coverage-weighted sums come out exact."""
    year = year or population_year()
    transform, lon, lat = _sampled(LONLAT_CRS, POPULATION_CELL, scale)
    ground = terrain.elevation(lon, lat)
    weight = terrain.settlement(lon, lat, ground).ravel()
    grid = Grid(np.zeros(lon.shape, np.float32), transform, LONLAT_CRS)
    features = district_features()
    people = {c.code: c.population(year) for c in communes()}
    target = np.array([people[f["properties"]["code"]] for f in features], dtype=np.float64)
    cover = coverage(grid, features)
    for cells, frac in cover:  # a commune with no settled cell: its lowest ground
        if not (weight[cells] * frac).sum():
            low = cells[np.argsort(ground.ravel()[cells])[: max(1, cells.size // 10)]]
            weight[low] = 1.0
    n = len(features)
    full = [np.zeros(weight.size) for _ in range(n)]
    for k, (cells, frac) in enumerate(cover):
        full[k][cells] = frac
    system = np.array(
        [[float((weight * full[c] * full[d]).sum()) for d in range(n)] for c in range(n)]
    )
    factors = np.linalg.solve(system, target)
    cells = weight * sum(a * f for a, f in zip(factors, full, strict=True))
    data = cells.reshape(lon.shape)
    data = np.where(np.isnan(ground), np.nan, data)  # the sea: no one, and no data
    return Grid(data.astype(np.float32), transform, LONLAT_CRS)


def zonal_sums(grid: Grid, features: tuple[dict, ...]) -> list[float]:
    """Each feature's exact sum over the grid (coverage-weighted; nodata cells count 0)."""
    flat = np.nan_to_num(grid.data.ravel().astype(np.float64))
    return [float((flat[cells] * frac).sum()) for cells, frac in coverage(grid, features)]
