"""Turn a labelled raster into a smooth, edge-matched polygon coverage on a 6-decimal grid."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon

Polygonal = Polygon | MultiPolygon


def round6(geom: shapely.Geometry) -> shapely.Geometry:
    """Round all coordinates to 6 decimals."""
    return shapely.transform(geom, lambda c: np.round(c, 6))


def raster_polygons(
    labels: np.ndarray, count: int, origin: tuple[int, int], cell: float
) -> list[Polygonal]:
    """Union the cells of each label into polygons whose shared edges have identical vertices."""
    out = []
    for k in range(count):
        rows, cols = np.nonzero(labels == k)
        rows, cols = rows + origin[0], cols + origin[1]
        boxes = shapely.box(
            np.round(cols * cell, 6),
            np.round(rows * cell, 6),
            np.round((cols + 1) * cell, 6),
            np.round((rows + 1) * cell, 6),
        )
        out.append(round6(shapely.segmentize(shapely.union_all(boxes), cell * 1.01)))
    if not shapely.coverage_is_valid(out):
        raise ValueError("raster polygons do not form a coverage")
    return out


def chaikin(coords: np.ndarray, rounds: int) -> np.ndarray:
    """Cut the corners of an open polyline, keeping its end points fixed."""
    for _ in range(rounds):
        if len(coords) < 3:
            break
        a, b = coords[:-1], coords[1:]
        cut = np.empty((2 * len(a), 2))
        cut[0::2] = 0.75 * a + 0.25 * b
        cut[1::2] = 0.25 * a + 0.75 * b
        coords = np.vstack([coords[:1], cut[1:-1], coords[-1:]])
    return coords


def smooth_coverage(polygons: list[Polygonal], tolerance: float, rounds: int) -> list[Polygonal]:
    """Simplify a coverage, round its shared edges with Chaikin cuts and rebuild the faces."""
    simple = shapely.coverage_simplify(polygons, tolerance)
    merged = shapely.line_merge(shapely.union_all(shapely.boundary(simple)))
    edges = [
        round6(LineString(chaikin(shapely.get_coordinates(line), rounds)))
        for line in shapely.get_parts(merged)
    ]
    faces = shapely.get_parts(shapely.polygonize(edges))
    owner = [int(np.argmax(shapely.area(shapely.intersection(f, simple)))) for f in faces]
    if sorted(set(owner)) != list(range(len(polygons))):
        raise ValueError("smoothing lost a polygon")
    return [
        shapely.union_all([f for f, k in zip(faces, owner, strict=True) if k == i])
        for i in range(len(polygons))
    ]


def finish(geom: Polygonal) -> MultiPolygon:
    """Round to 6 decimals, orient per RFC 7946 and wrap as a MultiPolygon."""
    geom = shapely.orient_polygons(round6(geom))
    if not geom.is_valid or geom.is_empty:
        raise ValueError("derived geometry is invalid")
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])
