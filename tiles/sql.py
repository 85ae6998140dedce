"""The one SQL statement that renders a registered layer's tile with ST_AsMVT."""

from dataclasses import dataclass

from layers.registry import Layer
from tiles import shapes

EXTENT = 4096
BUFFER = 64
WORLD_M = 40_075_016.685_578_5
CLUSTER_CELLS = 8  # a tile is split into 8 × 8 cluster cells (64 px at 512 px tiles)
MAX_ZOOM = 24
Filters = tuple[tuple[str, object], ...]  # (field, typed value) pairs a request applies
Scope = tuple[int, ...] | None  # admin unit ids a scoped user may see; None: all


@dataclass(frozen=True)
class TileQuery:
    """Everything that decides a tile's bytes (and so its cache key and ETag)."""

    layer: Layer
    z: int
    x: int
    y: int
    filters: Filters = ()
    scope: Scope = None

    @property
    def clustered(self) -> bool:
        """Points aggregated into grid clusters at this zoom."""
        return self.layer.cluster_below is not None and self.z < self.layer.cluster_below


def source_conditions(
    layer: Layer, filters: Filters, scope: Scope
) -> tuple[list[str], list[object]]:
    """WHERE conditions on the source (alias s): fixed conditions, filters and the scope."""
    conditions: list[str] = []
    params: list[object] = []
    for name, value in layer.where:
        conditions.append(f"s.{layer.column(name)} = %s")
        params.append(value)
    given = dict(filters)
    for flt in layer.filters:
        value = given.get(flt.name, flt.default)
        if value is None:
            continue
        conditions.append(f"s.{layer.column(flt.field)} {flt.lookup} %s")
        params.append(value)
    if scope is not None and layer.unit_field:
        conditions.append(f"s.{layer.column(layer.unit_field)} = ANY(%s)")
        params.append(list(scope))
    return conditions or ["TRUE"], params


def _conditions(q: TileQuery) -> tuple[list[str], list[object]]:
    conditions, params = source_conditions(q.layer, q.filters, q.scope)
    return [f"s.{q.layer.column(q.layer.geom_field)} && b.env4326", *conditions], params


def _bounds(q: TileQuery, margin: float) -> tuple[str, list[object]]:
    # The margin kept inside the world: ST_TileEnvelope's own margin wraps past 180° on a
    # tile at the antimeridian (z1-z2 over Vietnam), and the box in degrees turns inside out.
    return (
        "WITH b AS (SELECT ST_TileEnvelope(%s, %s, %s) AS env, "
        "ST_Transform(ST_ClipByBox2D(ST_Expand(ST_TileEnvelope(%s, %s, %s), %s), "
        "ST_TileEnvelope(0, 0, 0)), 4326) AS env4326)",
        [q.z, q.x, q.y, q.z, q.x, q.y, margin * WORLD_M / 2**q.z],
    )


# Statements by layer object, zoom, filters and scope: only the tile's z/x/y parameters (the
# first six, the tile envelope's) differ between tiles of one zoom, so the text is built once.
_STATEMENTS: dict[tuple, tuple[Layer, str, list[object]]] = {}
_STATEMENTS_MAX = 4096


def tile_sql(q: TileQuery) -> tuple[str, list[object]]:
    """SQL and parameters returning one bytea: the tile (with a labels layer if declared)."""
    key = (id(q.layer), q.z, q.filters, q.scope)
    entry = _STATEMENTS.get(key)
    if entry is None or entry[0] is not q.layer:  # a layer replaced (tests) is built again
        if len(_STATEMENTS) >= _STATEMENTS_MAX:
            _STATEMENTS.clear()
        entry = _STATEMENTS[key] = (q.layer, *_tile_sql(q))
    _layer, sql, params = entry
    return sql, [q.z, q.x, q.y, q.z, q.x, q.y, *params[6:]]


def _tile_sql(q: TileQuery) -> tuple[str, list[object]]:
    if q.clustered:
        return _cluster_sql(q)
    layer, gen = q.layer, q.layer.generalised
    overview = gen is not None and q.z < gen.overview_below
    properties = [p for p in layer.properties if not overview or p in gen.overview]
    geom = f"s.{layer.column(layer.geom_field)}"
    conditions, params = _conditions(q)
    props = "".join(f', s.{layer.column(p)} AS "{p}"' for p in properties)
    labels_drawn = layer.labels and not overview
    label = f', s.{layer.column(layer.labels)} AS "label"' if labels_drawn else ""
    shape, join = geom, ""
    if layer.geometry != "point":
        # About half a screen pixel at this zoom: invisible, and far fewer vertices to clip.
        shape = f"ST_Simplify({geom}, {360.0 / 2**q.z / EXTENT * 4!r})"
    if gen is not None:  # the units' shared borders, simplified once (raw: no shapes yet)
        join = (
            f" LEFT JOIN tiles_unitshape g ON g.unit_id = s.{layer.column(gen.unit)}"
            f" AND g.band = {shapes.band(q.z)}"
        )
        shape = f"coalesce(g.geom, {shape})"
    with_sql, with_params = _bounds(q, BUFFER / EXTENT)
    features = (
        f"f AS (SELECT s.{layer.column(layer.id_field)} AS id{props}{label}, {geom} AS raw, "
        f"ST_AsMVTGeom(ST_Transform({shape}, 3857), b.env, {EXTENT}, {BUFFER}, true) AS geom "
        f"FROM {layer.model._meta.db_table} s{join}, b WHERE {' AND '.join(conditions)} "
        f"LIMIT {layer.max_features})"
    )
    columns = "".join(f', "{p}"' for p in properties)
    main = (
        f"(SELECT ST_AsMVT(t, '{layer.id}', {EXTENT}, 'geom', 'id') FROM "
        f"(SELECT id{columns}, geom FROM f WHERE geom IS NOT NULL) t)"
    )
    if not labels_drawn:
        return f"{with_sql}, {features} SELECT {main}", [*with_params, *params]
    labels = (
        f"(SELECT ST_AsMVT(l, '{layer.id}-labels', {EXTENT}, 'geom') FROM "
        f"(SELECT f.id, f.label, ST_AsMVTGeom(ST_Transform(ST_PointOnSurface(f.raw), 3857), "
        f"b.env, {EXTENT}, 0, true) AS geom FROM f, b WHERE f.geom IS NOT NULL) l "
        "WHERE l.geom IS NOT NULL)"
    )
    return f"{with_sql}, {features} SELECT {main} || coalesce({labels}, '')", [
        *with_params,
        *params,
    ]


def _cluster_sql(q: TileQuery) -> tuple[str, list[object]]:
    layer = q.layer
    geom = f"s.{layer.column(layer.geom_field)}"
    conditions, params = _conditions(q)
    cell = WORLD_M / 2**q.z / CLUSTER_CELLS
    # The margin holds whole neighbouring cells, so a cluster drawn in the buffer is the same
    # cluster its own tile draws.
    with_sql, with_params = _bounds(q, 1 / CLUSTER_CELLS)
    sql = (
        f"{with_sql}, p AS (SELECT ST_Transform({geom}, 3857) AS g "
        f"FROM {layer.model._meta.db_table} s, b WHERE {' AND '.join(conditions)}), "
        f"c AS (SELECT count(*)::int AS count, ST_Centroid(ST_Collect(g)) AS g FROM p "
        # floor, not ST_SnapToGrid's rounding: cells must align with tile edges.
        f"GROUP BY floor(ST_X(g) / {cell!r}), floor(ST_Y(g) / {cell!r})) "
        f"SELECT ST_AsMVT(t, '{layer.id}', {EXTENT}, 'geom') FROM "
        f"(SELECT count, ST_AsMVTGeom(c.g, b.env, {EXTENT}, {EXTENT // CLUSTER_CELLS}, true) "
        "AS geom FROM c, b) t WHERE t.geom IS NOT NULL"
    )
    return sql, [*with_params, *params]


def tile_for(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The x, y of the Web Mercator tile holding (lon, lat) at zoom z."""
    import math

    n = 2**z
    lat = max(min(lat, 85.0511287798), -85.0511287798)
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)
