"""Derive approximate demo polygons for former Duy Xuyên district from vietnamadminunits facts."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from boundary_data.coverage import finish, raster_polygons, smooth_coverage
from boundary_data.facts import (
    CROSSWALK_FILE,
    DISTRICT,
    NEW_FILE,
    NEW_PROVINCE,
    OLD_FILE,
    OLD_PROVINCE,
    SOURCE,
    VERSIONS,
    VERSIONS_FILE,
    Facts,
    NewUnit,
    OldUnit,
    load_facts,
)
from boundary_data.raster import merge_fragments, tidy_mask

OUT_DIR = Path(__file__).resolve().parent
CELL_DEG = 0.00125
GRID_PAD_CELLS = 6
CLOSING_RADIUS_CELLS = 4
SIMPLIFY_TOLERANCE_DEG = 0.0025
BRIDGE_OFFSETS = tuple((r, c) for r in range(-2, 3) for c in range(-2, 3) if r * r + c * c <= 4)
SMOOTH_ROUNDS = 2
OUTER_ROUNDS = 6
WEIGHT_ITERATIONS = 300
AREA_TOLERANCE = 0.001
WGS84_A = 6378137.0
WGS84_E2 = 0.0066943799901413165


@dataclass(frozen=True)
class Grid:
    """A lon/lat raster of square-degree cells with local metric coordinates of cell centres."""

    col0: int
    row0: int
    x: np.ndarray
    y: np.ndarray
    cell_area: np.ndarray
    origin: tuple[float, float]
    scale: tuple[float, float]

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Project a lon/lat point to the grid's local metres."""
        return (lon - self.origin[0]) * self.scale[0], (lat - self.origin[1]) * self.scale[1]

    def cell_of(self, lon: float, lat: float) -> tuple[int, int]:
        """Return the (row, col) of the cell containing a lon/lat point."""
        return math.floor(lat / CELL_DEG) - self.row0, math.floor(lon / CELL_DEG) - self.col0


@dataclass(frozen=True)
class Derivation:
    """Derived old and new commune geometries (EPSG:4326, 6-decimal coordinates)."""

    facts: Facts
    old: dict[str, MultiPolygon]
    new: dict[str, MultiPolygon]


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Return (east, north) metres per degree on the WGS84 ellipsoid at a latitude."""
    s = math.sin(math.radians(lat))
    w = math.sqrt(1.0 - WGS84_E2 * s * s)
    east = math.radians(1.0) * WGS84_A / w * math.cos(math.radians(lat))
    return east, math.radians(1.0) * WGS84_A * (1.0 - WGS84_E2) / w**3


def build_grid(bounds: tuple[float, float, float, float]) -> Grid:
    """Build a padded raster of CELL_DEG cells covering the district bounding box."""
    col0 = math.floor(bounds[0] / CELL_DEG) - GRID_PAD_CELLS
    row0 = math.floor(bounds[1] / CELL_DEG) - GRID_PAD_CELLS
    cols = np.arange(col0, math.ceil(bounds[2] / CELL_DEG) + GRID_PAD_CELLS)
    rows = np.arange(row0, math.ceil(bounds[3] / CELL_DEG) + GRID_PAD_CELLS)
    origin = ((bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2)
    scale = metres_per_degree(origin[1])
    lon = (cols + 0.5) * CELL_DEG
    lat = (rows + 0.5) * CELL_DEG
    x, y = np.meshgrid((lon - origin[0]) * scale[0], (lat - origin[1]) * scale[1])
    row_area = np.array([metres_per_degree(v)[0] for v in lat]) * scale[1] * CELL_DEG**2
    cell_area = np.repeat(row_area[:, None], len(cols), axis=1)
    return Grid(col0, row0, x, y, cell_area, origin, scale)


def unit_costs(grid: Grid, units: tuple[OldUnit, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Return squared centroid distances scaled per quadrant by bbox extents, and bbox masks."""
    cost = np.empty((len(units), *grid.x.shape))
    inside = np.empty(cost.shape, dtype=bool)
    floor = CELL_DEG * grid.scale[1]
    for k, u in enumerate(units):
        cx, cy = grid.project(u.lon, u.lat)
        x0, y0 = grid.project(u.bounds[0], u.bounds[1])
        x1, y1 = grid.project(u.bounds[2], u.bounds[3])
        dx, dy = grid.x - cx, grid.y - cy
        hx = np.where(dx > 0, max(x1 - cx, floor), max(cx - x0, floor))
        hy = np.where(dy > 0, max(y1 - cy, floor), max(cy - y0, floor))
        cost[k] = (dx / hx) ** 2 + (dy / hy) ** 2
        inside[k] = (grid.x >= x0) & (grid.x <= x1) & (grid.y >= y0) & (grid.y <= y1)
    return cost, inside


def fit_weights(
    cost: np.ndarray, area: np.ndarray, goal: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Scale weights until each unit's cells with cost/weight <= 1 (lowest wins) reach its goal."""
    weights = weights.copy()
    for _ in range(WEIGHT_ITERATIONS):
        ratio = cost / weights[:, None]
        labels = np.where(ratio.min(axis=0) <= 1.0, ratio.argmin(axis=0), len(goal))
        got = np.bincount(labels, weights=area, minlength=len(goal) + 1)[:-1]
        if np.abs(got / goal - 1.0).max() < AREA_TOLERANCE:
            break
        weights *= np.clip(goal / np.maximum(got, 1.0), 0.5, 2.0) ** 0.8
    return weights


def sibling_links(facts: Facts, grid: Grid) -> list[tuple[set[int], int, int]]:
    """Return minimum-spanning-tree links between the old members of each new commune."""
    index = {u.code: k for k, u in enumerate(facts.old)}
    xy = [grid.project(u.lon, u.lat) for u in facts.old]
    links = []
    for n in facts.new:
        group = {index[c] for c in n.members}
        tree, rest = [index[n.members[0]]], [index[c] for c in n.members[1:]]
        while rest:
            pairs = [(math.dist(xy[i], xy[j]), i, j) for i in tree for j in rest]
            _, i, j = min(pairs)
            links.append((group, i, j))
            tree.append(j)
            rest.remove(j)
    return links


def link_path(grid: Grid, a: OldUnit, b: OldUnit) -> list[tuple[int, int]]:
    """Return the 4-connected raster cells along the segment between two centroids."""
    steps = 8 * math.ceil(math.dist((a.lon, a.lat), (b.lon, b.lat)) / CELL_DEG)
    path = [grid.cell_of(a.lon, a.lat)]
    for t in np.linspace(0.0, 1.0, steps)[1:]:
        r, c = grid.cell_of(a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat))
        if (r, c) != path[-1]:
            if r != path[-1][0] and c != path[-1][1]:
                path.append((path[-1][0], c))
            path.append((r, c))
    return path


def bridge_siblings(labels: np.ndarray, links: list[tuple[set[int], int, list]]) -> np.ndarray:
    """Relabel cells on each sibling link outside the group with the last sibling passed."""
    labels = labels.copy()
    for group, start, path in links:
        current = start
        for r, c in path:
            if labels[r, c] in group:
                current = int(labels[r, c])
                continue
            labels[r, c] = current
            for dr, dc in BRIDGE_OFFSETS:
                if labels[r + dr, c + dc] not in group:
                    labels[r + dr, c + dc] = current
    return labels


def allocate(
    grid: Grid, cost: np.ndarray, inside: np.ndarray, targets: np.ndarray, facts: Facts
) -> np.ndarray:
    """Label raster cells with unit indices (-1 outside) so unit areas match their targets."""
    seeds = [grid.cell_of(u.lon, u.lat) for u in facts.old]
    seed_index = tuple(np.array(seeds).T)
    seed_mask = np.zeros(grid.x.shape, dtype=bool)
    seed_mask[seed_index] = True
    links = [
        (group, i, link_path(grid, facts.old[i], facts.old[j]))
        for group, i, j in sibling_links(facts, grid)
    ]
    reach = inside.any(axis=0)
    clipped = np.where(inside, cost, np.inf)
    fill_cost = np.where(reach, clipped, cost)
    goal, weights = targets.copy(), np.ones(len(targets))
    labels = np.full(grid.x.shape, -1)
    for _ in range(OUTER_ROUNDS):
        weights = fit_weights(clipped[:, reach], grid.cell_area[reach], goal, weights)
        core = (clipped / weights[:, None, None]).min(axis=0) <= 1.0
        domain = tidy_mask(core, seed_mask, CLOSING_RADIUS_CELLS)
        labels = np.where(domain, (fill_cost / weights[:, None, None]).argmin(axis=0), -1)
        labels[seed_index] = np.arange(len(seeds))
        labels = merge_fragments(bridge_siblings(merge_fragments(labels, seeds), links), seeds)
        got = np.bincount(
            labels[labels >= 0], weights=grid.cell_area[labels >= 0], minlength=len(goal)
        )
        if np.abs(got / targets - 1.0).max() < AREA_TOLERANCE:
            break
        goal *= targets / got
    return labels


def area_targets(facts: Facts, grid: Grid) -> np.ndarray:
    """Split each new commune's official area among its members in proportion to bbox area."""
    bbox = {}
    for u in facts.old:
        x0, y0 = grid.project(u.bounds[0], u.bounds[1])
        x1, y1 = grid.project(u.bounds[2], u.bounds[3])
        bbox[u.code] = (x1 - x0) * (y1 - y0)
    share = {}
    for n in facts.new:
        total = sum(bbox[c] for c in n.members)
        share.update({c: n.area_km2 * 1e6 * bbox[c] / total for c in n.members})
    return np.array([share[u.code] for u in facts.old])


def derive(facts: Facts | None = None) -> Derivation:
    """Derive the old commune coverage and the new communes as exact dissolves of it."""
    facts = facts or load_facts()
    grid = build_grid(facts.district_bounds)
    cost, inside = unit_costs(grid, facts.old)
    labels = allocate(grid, cost, inside, area_targets(facts, grid), facts)
    cells = raster_polygons(labels, len(facts.old), (grid.row0, grid.col0), CELL_DEG)
    smooth = smooth_coverage(cells, SIMPLIFY_TOLERANCE_DEG, SMOOTH_ROUNDS)
    old = {u.code: finish(g) for u, g in zip(facts.old, smooth, strict=True)}
    new = {n.code: finish(shapely.union_all([old[c] for c in n.members])) for n in facts.new}
    for u in facts.old:
        if not old[u.code].contains(shapely.Point(u.lon, u.lat)):
            raise ValueError(f"centroid of {u.code} fell outside its polygon")
    if any(len(g.geoms) != 1 for g in (*old.values(), *new.values())):
        raise ValueError("a derived commune is not a single polygon")
    return Derivation(facts, old, new)


def local_area_m2(geom: Polygon | MultiPolygon) -> float:
    """Return the area in m² on a local ellipsoidal equirectangular projection."""
    east, north = metres_per_degree(shapely.centroid(geom).y)
    return shapely.transform(geom, lambda c: c * np.array([east, north])).area


def feature(code: str, props: dict[str, object], geom: MultiPolygon) -> dict[str, object]:
    """Wrap properties and a geometry as an approximate GeoJSON feature."""
    props = {**props, "approximate": True, "source": SOURCE}
    return {"type": "Feature", "id": code, "properties": props, "geometry": mapping(geom)}


def old_feature(unit: OldUnit, geom: MultiPolygon) -> dict[str, object]:
    """Build the GeoJSON feature of a pre-2025 commune."""
    props = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "unit_type": unit.unit_type,
        "level": "commune",
        "parent_code": DISTRICT[0],
        "parent_name": DISTRICT[1],
        "province_code": OLD_PROVINCE[0],
        "province_name": OLD_PROVINCE[1],
    }
    return feature(unit.code, props, geom)


def new_feature(unit: NewUnit, geom: MultiPolygon) -> dict[str, object]:
    """Build the GeoJSON feature of a 2025 commune."""
    props = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "unit_type": "xã",
        "level": "commune",
        "parent_code": None,
        "parent_name": None,
        "province_code": NEW_PROVINCE[0],
        "province_name": NEW_PROVINCE[1],
        "official_area_km2": unit.area_km2,
    }
    return feature(unit.code, props, geom)


def feature_collection_text(features: list[dict[str, object]]) -> str:
    """Serialize features as a FeatureCollection with one feature per line."""
    body = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
    return '{"type": "FeatureCollection", "features": [\n' + body + "\n]}\n"


def rounded_shares(values: list[float], places: int = 4) -> list[int]:
    """Round fractions of sum(values) to integer units of 10**-places summing exactly to 1."""
    unit = 10**places
    exact = [v / sum(values) * unit for v in values]
    shares = [math.floor(e) for e in exact]
    order = sorted(range(len(values)), key=lambda i: (shares[i] - exact[i], i))
    for i in order[: unit - sum(shares)]:
        shares[i] += 1
    return shares


def crosswalk_text(result: Derivation) -> str:
    """Build the old-to-new crosswalk CSV with area shares."""
    names = {u.code: u.name for u in result.facts.old}
    rows = []
    for n in result.facts.new:
        areas = [local_area_m2(result.old[c]) for c in n.members]
        for code, share in zip(n.members, rounded_shares(areas), strict=True):
            rows.append((code, names[code], n.code, n.name, "1.0000", f"{share / 10**4:.4f}"))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["old_code", "old_name", "new_code", "new_name", "area_share_of_old", "area_share_of_new"]
    )
    writer.writerows(sorted(rows))
    return buf.getvalue()


def output_texts(result: Derivation) -> dict[str, str]:
    """Return the text of every generated data file keyed by file name."""
    facts = result.facts
    return {
        OLD_FILE: feature_collection_text([old_feature(u, result.old[u.code]) for u in facts.old]),
        NEW_FILE: feature_collection_text([new_feature(n, result.new[n.code]) for n in facts.new]),
        CROSSWALK_FILE: crosswalk_text(result),
        VERSIONS_FILE: json.dumps({"versions": VERSIONS}, ensure_ascii=False, indent=2) + "\n",
    }


def write_all(out_dir: Path = OUT_DIR, result: Derivation | None = None) -> list[Path]:
    """Derive (unless given) and write all data files into out_dir."""
    texts = output_texts(result or derive())
    paths = []
    for name, text in texts.items():
        path = Path(out_dir) / name
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def area_report(result: Derivation) -> str:
    """Return a Markdown table of derived EPSG:32649 areas versus targets and official areas."""
    import geopandas as gpd

    facts = result.facts
    codes = [u.code for u in facts.old] + [n.code for n in facts.new]
    geoms = [result.old[u.code] for u in facts.old] + [result.new[n.code] for n in facts.new]
    km2 = gpd.GeoSeries(geoms, crs=4326).to_crs(32649).area.to_numpy() / 1e6
    targets = area_targets(facts, build_grid(facts.district_bounds)) / 1e6
    reference = list(targets) + [n.area_km2 for n in facts.new]
    names = [u.name for u in facts.old] + [n.name for n in facts.new]
    kinds = ["2019 (target)"] * len(facts.old) + ["2025 (official)"] * len(facts.new)
    lines = [
        "| unit | code | version | reference km² | derived km² | diff |",
        "|---|---|---|---|---|---|",
    ]
    for row in zip(names, codes, kinds, reference, km2, strict=True):
        name, code, kind, ref, got = row
        lines.append(f"| {name} | {code} | {kind} | {ref:.2f} | {got:.2f} | {got / ref - 1:+.1%} |")
    return "\n".join(lines)


def main() -> None:
    """Regenerate the data files in boundary_data/ and print the area report."""
    start = time.perf_counter()
    result = derive()
    paths = write_all(OUT_DIR, result)
    elapsed = time.perf_counter() - start
    for path in paths:
        print(f"wrote {path}")
    print(f"derivation and writing took {elapsed:.2f} s", file=sys.stderr)
    print(area_report(result))


if __name__ == "__main__":
    main()
