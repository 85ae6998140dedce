"""Point clusters from base grids summed once per data version.

Grouping a million points per tile is seconds of work at zoom 5; summing the base cells of
the tile instead is milliseconds. Base grids at zooms 7 and 10 have 8 × 8 cells per tile and
align with every lower zoom's cells, so a tile sums whole cells of the nearest base zoom at or
above its own, exactly as clustering the points on the fly would group them.
"""

import time

from django.db import connection, transaction

from layers.registry import Layer
from tiles.sql import CLUSTER_CELLS, EXTENT, WORLD_M, TileQuery, source_conditions

BASE_ZOOMS = (7, 10)  # the finest is built from points, coarser ones from it
FINEST = max(BASE_ZOOMS)
FINEST_CELL_M = WORLD_M / 2**FINEST / CLUSTER_CELLS
HALF_WORLD = WORLD_M / 2


def base_zoom(z: int) -> int:
    """The base grid a tile at zoom z sums."""
    return min(b for b in BASE_ZOOMS if b >= z)


def usable(q: TileQuery) -> bool:
    """Whether this tile can come from the base grid: clustered, low zoom, choice filters only."""
    kinds = {f.name: f.kind for f in q.layer.filters}
    return q.clustered and q.z <= FINEST and all(kinds[n] == "choice" for n, _ in q.filters)


def _dimensions(layer: Layer) -> list[tuple[str, str]]:
    return [(f.name, layer.column(f.field)) for f in layer.filters if f.kind == "choice"]


# The version a layer's base cells were built from (param: the layer id): a scalar subquery a
# tile's statement reads beside the layer's version, in the same snapshot.
BUILT_SQL = "(SELECT version FROM tiles_clusterbuild WHERE layer_id = %s)"


def build(layer: Layer, version: str) -> None:
    """Rebuild the layer's base cells unless they are of `version`; one builder at a time."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext('gisioc-cluster-' || %s))", [layer.id]
        )
        cursor.execute("SELECT version FROM tiles_clusterbuild WHERE layer_id = %s", [layer.id])
        row = cursor.fetchone()
        if row and row[0] == version:
            return
        started = time.perf_counter()
        conditions, params = source_conditions(layer, (), None)
        geom = f"ST_Transform(s.{layer.column(layer.geom_field)}, 3857)"
        dims = _dimensions(layer)
        keys = "jsonb_build_object(" + ", ".join(f"'{n}', s.{c}" for n, c in dims) + ")"
        unit = f"s.{layer.column(layer.unit_field)}" if layer.unit_field else "NULL::bigint"
        cursor.execute("DELETE FROM tiles_clustercell WHERE layer_id = %s", [layer.id])
        cursor.execute(
            f"""INSERT INTO tiles_clustercell
                  (layer_id, zoom, cx, cy, keys, unit_id, n, sum_x, sum_y)
                SELECT %s, {FINEST}, floor((ST_X(g) + {HALF_WORLD!r}) / {FINEST_CELL_M!r})::int,
                       floor((ST_Y(g) + {HALF_WORLD!r}) / {FINEST_CELL_M!r})::int,
                       keys, unit, count(*), sum(ST_X(g)), sum(ST_Y(g))
                FROM (SELECT {geom} AS g, {keys} AS keys, {unit} AS unit
                      FROM {layer.model._meta.db_table} s
                      WHERE {" AND ".join(conditions)}
                        AND s.{layer.column(layer.geom_field)} IS NOT NULL) p
                GROUP BY 3, 4, keys, unit""",
            [layer.id, *params],
        )
        for coarser in sorted(set(BASE_ZOOMS) - {FINEST}):
            step = 2 ** (FINEST - coarser)  # cell indices are ≥ 0, so / floors
            cursor.execute(
                f"""INSERT INTO tiles_clustercell
                      (layer_id, zoom, cx, cy, keys, unit_id, n, sum_x, sum_y)
                    SELECT layer_id, {coarser}, cx / {step}, cy / {step}, keys, unit_id,
                           sum(n), sum(sum_x), sum(sum_y)
                    FROM tiles_clustercell WHERE layer_id = %s AND zoom = {FINEST}
                    GROUP BY layer_id, cx / {step}, cy / {step}, keys, unit_id""",
                [layer.id],
            )
        cursor.execute(
            """INSERT INTO tiles_clusterbuild (layer_id, version, built_at, seconds)
               VALUES (%s, %s, now(), %s) ON CONFLICT (layer_id)
               DO UPDATE SET version = EXCLUDED.version, built_at = now(),
                             seconds = EXCLUDED.seconds""",
            [layer.id, version, time.perf_counter() - started],
        )


def tile_sql(q: TileQuery) -> tuple[str, list[object]]:
    """One statement summing the base cells of a low-zoom tile into its clusters."""
    base = base_zoom(q.z)
    factor = 2 ** (base - q.z)  # base cells per cluster cell at this zoom
    span = CLUSTER_CELLS * factor  # base cells per tile side
    x0 = q.x * span
    y0 = (2**q.z - q.y - 1) * span  # base rows count from the south
    conditions = ["layer_id = %s", f"zoom = {base}", "cx >= %s", "cx < %s", "cy >= %s", "cy < %s"]
    # One cluster cell of margin, so clusters in the tile buffer match their own tile's.
    params: list[object] = [
        q.layer.id,
        x0 - factor,
        x0 + span + factor,
        y0 - factor,
        y0 + span + factor,
    ]
    for name, value in q.filters:
        conditions.append("keys ->> %s = %s")
        params += [name, str(value)]
    if q.scope is not None and q.layer.unit_field:
        conditions.append("unit_id = ANY(%s)")
        params.append(list(q.scope))
    sql = f"""
        WITH c AS (
          SELECT sum(n)::int AS count,
                 ST_SetSRID(ST_MakePoint(sum(sum_x) / sum(n), sum(sum_y) / sum(n)), 3857) AS g
          FROM tiles_clustercell WHERE {" AND ".join(conditions)}
          GROUP BY floor(cx::float / {factor}), floor(cy::float / {factor}))
        SELECT ST_AsMVT(t, %s, {EXTENT}, 'geom') FROM (
          SELECT count, ST_AsMVTGeom(g, ST_TileEnvelope(%s, %s, %s), {EXTENT},
                                     {EXTENT // CLUSTER_CELLS}, true) AS geom
          FROM c) t WHERE t.geom IS NOT NULL"""
    return sql, [*params, q.layer.id, q.z, q.x, q.y]
