"""The SQL of a rollup (gisioc.kpi_rollup), generated from its declaration: the two tables,
the statement triggers that keep them, their rebuild and check, and the read of a period."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gisioc.kpi_rollup import Rollup, Window

VN = "'Asia/Ho_Chi_Minh'"
# Records of a commune the reform split, placed by a point: the successor holding it decides
# (gisioc_record_unit_weight), so the rollup keeps that successor with the record's unit.
SPLIT = (
    "LEFT JOIN (SELECT DISTINCT old_unit_id FROM geo_unitcrosswalk "
    "WHERE area_share_of_old < 1) s ON s.old_unit_id = d.unit_id"
)
SUCC = (
    "CASE WHEN s.old_unit_id IS NOT NULL AND d.locate_method IN ('point', 'facility') "
    "AND d.geom IS NOT NULL THEN gisioc_point_successor(d.unit_id, d.geom) END"
)


def _ats(spec: Rollup) -> list[str]:
    return list(dict.fromkeys(c.at for c in spec.counters))


def events_sql(spec: Rollup, source: str, *, sign: int = 1, keys: bool, at: bool = False) -> str:
    """Per record of `source` (alias d) and instant: its unit, successor, keys, Vietnam day
    and counters (times `sign`); `at`: the instant too."""
    ids = [c.id for c in spec.counters]
    rows = []
    for instant in _ats(spec):
        cells = [
            f"CASE WHEN {c.when} THEN ({sign} * ({c.value}))::bigint ELSE 0 END"
            if c.at == instant
            else "0::bigint"
            for c in spec.counters
        ]
        rows.append(f"({instant}, {', '.join(cells)})")
    cols = ["d.unit_id", f"{SUCC} AS succ"]
    cols += [f"d.{k.column}" for k in spec.keys] if keys else []
    cols += [f"(e.at AT TIME ZONE {VN})::date AS day"] + [f"e.{i}" for i in ids]
    cols += ["e.at"] if at else []
    nonzero = " OR ".join(f"e.{i} <> 0" for i in ids)
    return (
        f"SELECT {', '.join(cols)} FROM {source} d {SPLIT}, "
        f"LATERAL (VALUES {', '.join(rows)}) e(at, {', '.join(ids)}) "
        f"WHERE e.at IS NOT NULL AND ({nonzero})"
    )


def _group_cols(spec: Rollup, keys: bool) -> list[str]:
    return ["unit_id", "succ", *([k.column for k in spec.keys] if keys else []), "day"]


def apply_sql(spec: Rollup, sources: list[tuple[str, int]]) -> str:
    """Add the events of the sources (transition tables, times their sign) to both tables:
    grouped once by the keyed table's columns, groups that cancel out left alone (an update
    of nothing counted), then summed again for the unit × day table."""
    keyed, plain = _group_cols(spec, True), _group_cols(spec, False)
    ids = [c.id for c in spec.counters]
    union = " UNION ALL ".join(events_sql(spec, src, sign=s, keys=True) for src, s in sources)
    sums = ", ".join(f"sum({i})::bigint AS {i}" for i in ids)
    sets = ", ".join(f"{i} = r.{i} + excluded.{i}" for i in ids)
    changed = " OR ".join(f"sum({i}) <> 0" for i in ids)

    def upsert(table: str, group: list[str], rows: str) -> str:
        return (
            f"INSERT INTO {table} AS r ({', '.join(group + ids)}) {rows} "
            f"ON CONFLICT ({', '.join(group)}) DO UPDATE SET {sets}"
        )

    each = f"SELECT {', '.join(keyed + ids)} FROM ev ORDER BY {', '.join(keyed)}"
    summed = (
        f"SELECT {', '.join(plain)}, {sums} FROM ev GROUP BY {', '.join(plain)} "
        f"ORDER BY {', '.join(plain)}"
    )
    return (
        f"WITH ev AS MATERIALIZED (SELECT {', '.join(keyed)}, {sums} FROM ({union}) x "
        f"GROUP BY {', '.join(keyed)} HAVING {changed}), "
        f"k AS ({upsert(spec.keyed, keyed, each)}) {upsert(spec.table, plain, summed)}"
    )


def tables_sql(spec: Rollup) -> str:
    """The two tables (made when missing) and their indexes."""
    out = []
    for keys in (False, True):
        table = spec.keyed if keys else spec.table
        cols = ["unit_id bigint", "succ bigint"]
        cols += [f"{k.column} {k.type}" for k in spec.keys] if keys else []
        cols += ["day date NOT NULL"] + [f"{c.id} bigint NOT NULL DEFAULT 0" for c in spec.counters]
        unique = ", ".join(_group_cols(spec, keys))
        out.append(
            f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(cols)}, "
            f"CONSTRAINT {table}_key UNIQUE NULLS NOT DISTINCT ({unique}));\n"
            f"CREATE INDEX IF NOT EXISTS {table}_unit_day ON {table} (unit_id, day);"
        )
    return "\n".join(out)


def triggers_sql(spec: Rollup) -> str:
    """Statement triggers on the records keeping both tables (COPY fires them too)."""
    t = spec.table
    ops = {
        "ins": ("INSERT", "REFERENCING NEW TABLE AS new_rows", [("new_rows", 1)]),
        "del": ("DELETE", "REFERENCING OLD TABLE AS old_rows", [("old_rows", -1)]),
        "upd": (
            "UPDATE",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            [("old_rows", -1), ("new_rows", 1)],
        ),
    }
    out = []
    for op, (event, refs, sources) in ops.items():
        body = apply_sql(spec, sources)
        out.append(
            f"CREATE OR REPLACE FUNCTION {t}_{op}() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
            f"BEGIN\n{body};\nRETURN NULL;\nEND $f$;\n"
            f"CREATE OR REPLACE TRIGGER {t}_{op} AFTER {event} ON {spec.records} {refs} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {t}_{op}();"
        )
    out.append(
        f"CREATE OR REPLACE FUNCTION {t}_trunc() RETURNS trigger LANGUAGE plpgsql AS $f$\n"
        f"BEGIN TRUNCATE {t}, {spec.keyed}; RETURN NULL; END $f$;\n"
        f"CREATE OR REPLACE TRIGGER {t}_trunc AFTER TRUNCATE ON {spec.records} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {t}_trunc();"
    )
    return "\n".join(out)


def install_sql(spec: Rollup) -> str:
    """Tables, triggers and a first build from the records (a migration runs it)."""
    return "\n".join([tables_sql(spec), triggers_sql(spec), rebuild_sql(spec)])


def drop_sql(spec: Rollup) -> str:
    """What `install_sql` made, dropped."""
    t = spec.table
    triggers = "\n".join(
        f"DROP TRIGGER IF EXISTS {t}_{op} ON {spec.records};\nDROP FUNCTION IF EXISTS {t}_{op}();"
        for op in ("ins", "del", "upd", "trunc")
    )
    return f"{triggers}\nDROP TABLE IF EXISTS {t}, {spec.keyed};"


def rebuild_sql(spec: Rollup) -> str:
    """Both tables emptied and filled from the records: the keyed one from their events,
    the unit × day one from it (plain inserts into empty tables, no upsert)."""
    ids = [c.id for c in spec.counters]
    sums = ", ".join(f"sum({i})::bigint" for i in ids)
    keyed, plain = _group_cols(spec, True), _group_cols(spec, False)
    events = events_sql(spec, spec.records, keys=True)
    return (
        f"TRUNCATE {spec.table}, {spec.keyed};\n"
        f"INSERT INTO {spec.keyed} ({', '.join(keyed + ids)}) SELECT {', '.join(keyed)}, {sums} "
        f"FROM ({events}) x GROUP BY {', '.join(keyed)};\n"
        f"INSERT INTO {spec.table} ({', '.join(plain + ids)}) SELECT {', '.join(plain)}, {sums} "
        f"FROM {spec.keyed} GROUP BY {', '.join(plain)};\n"
        f"ANALYZE {spec.table}, {spec.keyed};"
    )


def check_sql(spec: Rollup) -> str:
    """How many rows differ between the tables and fresh counts (rows of zeros aside)."""
    parts = []
    for keys in (False, True):
        table = spec.keyed if keys else spec.table
        group = _group_cols(spec, keys)
        ids = [c.id for c in spec.counters]
        cols = ", ".join(group + ids)
        fresh = (
            f"SELECT {', '.join(group)}, {', '.join(f'sum({i})::bigint' for i in ids)} "
            f"FROM ({events_sql(spec, spec.records, keys=keys)}) x GROUP BY {', '.join(group)}"
        )
        kept = f"SELECT {cols} FROM {table} WHERE {' OR '.join(f'{i} <> 0' for i in ids)}"
        parts.append(
            f"(SELECT count(*) FROM (({kept}) EXCEPT ALL ({fresh})) a) + "
            f"(SELECT count(*) FROM (({fresh}) EXCEPT ALL ({kept})) b)"
        )
    return "SELECT " + " + ".join(parts)


WINDOWS: dict[str, str] = {
    "period": "NOT x.part AND x.day >= %(start)s AND x.day < %(end)s",
    "before_start": "NOT x.part AND x.day < %(start)s",
    "before_cut": "(x.part OR x.day < %(cut_day)s)",
}


def _window(window: Window) -> str:
    return WINDOWS[window]


def read_sql(
    spec: Rollup,
    targets: list[int] | None,
    filters: Mapping[str, str],
    by: str | None,
    *,
    partial: bool,
) -> tuple[str, dict[str, Any]]:
    """The figures' sums over a period, per group `by` or in one row; the partial day (a
    cut in mid-day) from the records. Params beyond the filters' are the caller's."""
    from gisioc.kpi_rollup import Mean

    keys = bool(filters) or by is not None
    table = spec.keyed if keys else spec.table
    params: dict[str, Any] = {}
    where_x, where_d = ["x.day < %(end)s"], []
    if targets is not None:
        unit = (
            "{a}.unit_id IN (SELECT from_id FROM gisioc_unit_rollup "
            "WHERE unit_id = ANY(%(targets)s))"
        )
        where_x.append(unit.format(a="x"))
        where_d.append(unit.format(a="d"))
    for i, (param, value) in enumerate(sorted(filters.items())):
        cond = (spec.filters or {})[param].replace("%s", f"%(f{i})s")
        params[f"f{i}"] = value
        where_x.append(cond.format(a="x"))
        where_d.append(cond.format(a="d"))
    key_cols = [k.column for k in spec.keys] if keys else []
    cols = ", ".join(["x.unit_id", "x.succ", "x.day", *(f"x.{c}" for c in key_cols)])
    ids = ", ".join(f"x.{c.id}" for c in spec.counters)
    src = f"SELECT {cols}, false AS part, {ids} FROM {table} x WHERE {' AND '.join(where_x)}"
    if partial:
        records = (
            f"(SELECT * FROM {spec.records} d WHERE d.received_at < %(cut)s AND "
            "(d.received_at >= %(day_start)s OR d.finished_at IS NULL OR "
            f"d.finished_at >= %(day_start)s){''.join(' AND ' + w for w in where_d)})"
        )
        ev = events_sql(spec, records, keys=keys, at=True)
        src += (
            f" UNION ALL SELECT {cols}, true, {ids} FROM ({ev}) x "
            "WHERE x.at >= %(day_start)s AND x.at < %(cut)s"
        )
    # What a row's records count for in the targets (gisioc_record_weight, per unit and
    # successor: 0 for none); every record counts 1 when no units are asked.
    weights = (
        "SELECT r.from_id AS u0, s.succ0, least(1.0, sum(CASE WHEN r.share >= 1 OR s.succ0 = 0 "
        "THEN r.share ELSE (s.succ0 = r.unit_id)::int::float8 END))::float8 AS w "
        "FROM gisioc_unit_rollup r CROSS JOIN LATERAL (SELECT 0::bigint AS succ0 UNION ALL "
        "SELECT c.new_unit_id FROM geo_unitcrosswalk c WHERE c.old_unit_id = r.from_id) s "
        "WHERE r.unit_id = ANY(%(targets)s) GROUP BY r.from_id, s.succ0"
    )
    weight = "1" if targets is None else "w.w"
    sums = []
    for fid, how in spec.figures.items():
        if isinstance(how, Mean):
            period = _window("period")
            sums.append(f"sum(CASE WHEN {period} THEN x.{how.total} END) AS {fid}__total")
            sums.append(f"sum(CASE WHEN {period} THEN x.{how.count} END) AS {fid}__n")
            continue
        terms = " + ".join(
            f"{t.sign} * coalesce(sum({weight} * CASE WHEN {WINDOWS[t.window]} "
            f"THEN x.{t.counter} END), 0)"
            for t in how
        )
        sums.append(f"{terms} AS {fid}")
    select, group = ", ".join(sums), ""
    if by is not None:
        key, label = (spec.groups or {})[by]
        select = f"x.{key} AS k, {label} AS label, {select}"
        group = f" GROUP BY x.{key}"
    # No CTE: every name after FROM or JOIN is a table (tests/reliability/test_limits.py)
    if targets is None:
        sql = f"SELECT {select} FROM ({src}) x{group}"
    else:
        sql = (
            f"SELECT {select} FROM ({src}) x JOIN ({weights}) w ON w.u0 = x.unit_id "
            f"AND w.succ0 = coalesce(x.succ, 0) WHERE w.w > 0{group}"
        )
    return sql, params
