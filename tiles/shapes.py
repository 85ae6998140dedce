"""Generalised shapes of admin units: a boundary version's units simplified as one coverage.

Simplifying each polygon on its own (ST_Simplify per feature) moves a border one way in one
commune and another way in its neighbour: gaps and overlaps, and every border drawn twice with
different vertices. Here each level of a published version is first cleaned into an exact
coverage (shared edges with identical vertices; the source files' edges often differ by a few
metres), then simplified once per zoom band with GEOS's coverage simplifier, which simplifies
each shared edge once. A band's tolerance is about a pixel at its zoom, so the shapes look the
same as the raw ones and tiles carry far fewer vertices. Tiles of layers that declare
`generalised` read the band of their zoom; a unit without shapes is drawn from its raw geometry.

Overview bands (a national tile, units a few pixels wide) are cleaned from the coordinates
snapped to a quarter pixel: the slivers and gaps between neighbours' borders close, which
leaves the simplifier few nodes to keep (a unit smaller than that grid has no shape there).
"""

import time

import shapely
from django.db import connection, transaction
from psycopg2.extras import execute_values

TOP = 12  # the band of every zoom from 12 up: the cleaned coverage, not simplified
OVERVIEW = (3, 5, 6, 7)  # z0–4 draw band 3 (2 px at z4: every unit of Vietnam in one tile)
BANDS = (*OVERVIEW, 8, 9, 10, 11, TOP)
PIXEL_DEG = 360.0 / 512  # a 512-pixel tile's pixel, in degrees of longitude, at zoom 0


def band(z: int) -> int:
    """The band a tile at zoom z draws."""
    return max([b for b in BANDS if b <= z] or [BANDS[0]])


def tolerance(b: int) -> float:
    """The coverage simplifier's tolerance of a band: a pixel at its zoom (0: none)."""
    return 0.0 if b >= TOP else PIXEL_DEG / 2**b


def _levels(cursor, version_id: int) -> list[str]:
    cursor.execute(
        "SELECT DISTINCT level FROM geo_adminunit WHERE version_id = %s ORDER BY level",
        [version_id],
    )
    return [row[0] for row in cursor.fetchall()]


def _coverage(cursor, version_id: int, level: str) -> tuple[list[int], "shapely.Geometry"]:
    cursor.execute(
        "SELECT id, ST_AsBinary(geom) FROM geo_adminunit "
        "WHERE version_id = %s AND level = %s ORDER BY id",
        [version_id, level],
    )
    rows = cursor.fetchall()
    return [r[0] for r in rows], shapely.from_wkb([bytes(r[1]) for r in rows])


def _band(geoms, cleaned, b: int):
    if b >= TOP:
        return cleaned
    if b in OVERVIEW:
        snapped = shapely.set_precision(geoms, tolerance(b) / 4)
        return shapely.coverage_simplify(shapely.coverage_clean(snapped), tolerance(b))
    return shapely.coverage_simplify(cleaned, tolerance(b))


def _rows(ids: list[int], geoms) -> list[tuple[int, int, bytes]]:
    """(unit, band, WKB) of every band; a unit the cleaning emptied keeps no shapes."""
    cleaned = shapely.coverage_clean(geoms)
    rows = []
    for b in BANDS:
        for unit, shape in zip(ids, _band(geoms, cleaned, b), strict=True):
            if not shape.is_empty:
                rows.append((unit, b, shapely.to_wkb(shape, include_srid=False)))
    return rows


def build(version_id: int) -> dict[str, float]:
    """(Re)build the shapes of a version's units, every level and band; counts and seconds."""
    started = time.perf_counter()
    units = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM tiles_unitshape s USING geo_adminunit u "
            "WHERE s.unit_id = u.id AND u.version_id = %s",
            [version_id],
        )
        for level in _levels(cursor, version_id):
            ids, geoms = _coverage(cursor, version_id, level)
            units += len(ids)
            execute_values(
                cursor.cursor,
                "INSERT INTO tiles_unitshape (unit_id, band, geom) VALUES %s",
                _rows(ids, geoms),
                template="(%s, %s, ST_Multi(ST_SetSRID(ST_GeomFromWKB(%s), 4326)))",
                page_size=500,
            )
    return {"units": units, "seconds": round(time.perf_counter() - started, 1)}


def build_missing() -> list[tuple[str, dict[str, float]]]:
    """Build the shapes of every published version that has none (versions made before)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT v.id, v.slug FROM geo_boundaryversion v WHERE v.status = 'published'
               AND NOT EXISTS (SELECT 1 FROM tiles_unitshape s JOIN geo_adminunit u
                               ON u.id = s.unit_id WHERE u.version_id = v.id)
               ORDER BY v.id"""
        )
        versions = cursor.fetchall()
    return [(slug, build(version_id)) for version_id, slug in versions]
