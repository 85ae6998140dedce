"""The benchmark database, made from scratch when missing and left alone when present.

Steps, each checked and skipped when already done: the cluster and the database (scripts/pg.sh),
migrations, the national boundary file published as `vn-2025`, the table `bench_points`
(1,000,000 seeded points inside the communes in force) with its data-version triggers, and the
view `bench_communes` that tipg serves.
"""

import os
import subprocess
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("GISIOC_BENCH_DB", "gisioc_bench")  # a scratch database
SLUG = "vn-2025"
BOUNDARIES = (
    ROOT.parent / "shared" / "data" / "boundaries" / "vietnam_2025_communes_simplified.geojson"
)
POINTS = int(os.environ.get("GISIOC_BENCH_POINTS", 1_000_000))  # smoke runs ask for fewer
SEED = 42
# Bump when the recipe below changes: a table carrying another comment is rebuilt.
POINTS_RECIPE = f"gisioc bench points v3: {POINTS} points, seed {SEED}"
COMMUNES = "in_force AND level = 'commune'"  # what the registry layer admin-units shows


def socket_dir() -> str:
    """The PostgreSQL socket directory the project uses."""
    return os.environ.get("GISIOC_DB_HOST", str(ROOT / "var" / "run"))


def db_env(**extra: str) -> dict[str, str]:
    """The environment of a gisioc process on the benchmark database."""
    env = dict(os.environ)
    env.update(GISIOC_DB_NAME=DB_NAME, GISIOC_DB_HOST=socket_dir(), GISIOC_DEBUG="false")
    env.update(extra)
    return env


def connect() -> "psycopg2.extensions.connection":
    """A psycopg2 connection to the benchmark database (autocommit)."""
    conn = psycopg2.connect(host=socket_dir(), port=5432, dbname=DB_NAME, user="gisioc")
    conn.autocommit = True
    return conn


def _run(*args: str) -> None:
    """Run a set-up command; its output is shown only when it fails."""
    env = db_env(GISIOC_EXTRA_APPS="[]")
    proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")


def _gisioc(*args: str) -> None:
    _run(str(ROOT / ".venv" / "bin" / "gisioc"), *args)


def _scalar(conn: "psycopg2.extensions.connection", sql: str, params: tuple = ()) -> object:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return row[0] if row else None


def ensure_boundaries(conn: "psycopg2.extensions.connection", log) -> None:
    """Import and publish the national communes as vn-2025 unless already published."""
    status = _scalar(conn, "SELECT status FROM geo_boundaryversion WHERE slug = %s", (SLUG,))
    if status == "published":
        return
    if status is None:
        log(f"importing {BOUNDARIES.name} as {SLUG}")
        _gisioc("boundaries", "import", str(BOUNDARIES), "--slug", SLUG, "--name", "Việt Nam 2025")
    log(f"publishing {SLUG}")
    _gisioc("boundaries", "publish", SLUG)


POINTS_SQL = """
DROP TABLE IF EXISTS bench_points_new;
CREATE TABLE bench_points_new AS
WITH u AS (
  SELECT id, geom, (row_number() OVER (ORDER BY code) - 1)::int AS r FROM gisioc_units
  WHERE {communes}
), n AS (SELECT count(*)::int AS n FROM u),
p AS (
  SELECT u.id AS unit_id, u.r, (d).geom AS geom,
         row_number() OVER (PARTITION BY u.r ORDER BY (d).path[1]) AS k
  FROM u, n, LATERAL ST_Dump(ST_GeneratePoints(u.geom, ceil({points}::numeric / n.n)::int + 8,
                                               {seed})) d
),
-- Round k takes point k of every commune: keeping the first {points} ids drops part of the
-- last round only, so the points stay spread over all communes (ST_GeneratePoints may return
-- a few points fewer than asked for a thin polygon, hence the 8 spare ones).
q AS (SELECT p.*, row_number() OVER (ORDER BY p.k, p.r) AS id FROM p)
SELECT q.id::int AS id, q.unit_id::bigint AS unit_id,
       (ARRAY['school','health','camera','one_stop','agency'])[1 + ((q.k + q.r) % 5)] AS kind,
       q.geom::geometry(Point, 4326) AS geom
FROM q WHERE q.id <= {points};
ALTER TABLE bench_points_new ADD PRIMARY KEY (id);
CREATE INDEX bench_points_new_geom ON bench_points_new USING gist (geom);
CREATE INDEX bench_points_new_unit ON bench_points_new (unit_id);
DROP TABLE IF EXISTS bench_points;
ALTER TABLE bench_points_new RENAME TO bench_points;
ALTER INDEX bench_points_new_pkey RENAME TO bench_points_pkey;
ALTER INDEX bench_points_new_geom RENAME TO bench_points_geom_idx;
ALTER INDEX bench_points_new_unit RENAME TO bench_points_unit_idx;
COMMENT ON TABLE bench_points IS '{recipe}';
"""


def ensure_points(conn: "psycopg2.extensions.connection", log) -> bool:
    """(Re)build bench_points unless the table carries this recipe's comment; True if built."""
    comment = None
    if _table_exists(conn, "public.bench_points"):
        comment = _scalar(
            conn, "SELECT obj_description('public.bench_points'::regclass, 'pg_class')"
        )
    if comment == POINTS_RECIPE:
        return False
    log(f"generating bench_points ({POINTS:,} points, seed {SEED})")
    sql = POINTS_SQL.format(communes=COMMUNES, points=POINTS, seed=SEED, recipe=POINTS_RECIPE)
    with conn.cursor() as cur:
        cur.execute(sql)  # one simple query: PostgreSQL runs it as one transaction
        cur.execute("VACUUM ANALYZE bench_points")
    return True


def _table_exists(conn: "psycopg2.extensions.connection", name: str) -> bool:
    return bool(_scalar(conn, "SELECT to_regclass(%s) IS NOT NULL", (name,)))


VIEW_SQL = f"""
CREATE OR REPLACE VIEW bench_communes AS
SELECT id, code, name, short_name, unit_type, level, version, area_km2, approximate, geom
FROM gisioc_units WHERE {COMMUNES};
"""


def migrate(conn: "psycopg2.extensions.connection") -> None:
    """Migrate the benchmark DB; the tile benchmark's view, which depends on gisioc_units,
    goes first (migrations may rebuild that view; `ensure` makes ours again)."""
    with conn.cursor() as cur:
        cur.execute("DROP VIEW IF EXISTS bench_communes")
    _gisioc("migrate", "--no-input", "-v", "0")


def ensure(log=print) -> bool:
    """Everything the benchmark reads, made when missing (idempotent); True if points rebuilt."""
    _run("bash", "scripts/pg.sh", "start")
    conn = connect()
    try:
        migrate(conn)
        ensure_boundaries(conn, log)
        rebuilt = ensure_points(conn, log)
        with conn.cursor() as cur:
            cur.execute(VIEW_SQL)
    finally:
        conn.close()
    return rebuilt


def install_triggers(*, bump: bool) -> None:
    """The data-version triggers on bench_points (needs Django; idempotent).

    A rebuilt table got its rows before it had triggers: one no-op update through them then
    bumps its data version, so nothing keyed on the old version (cluster grid, tile cache) is
    reused for the new rows.
    """
    from django.db import connection

    from tiles.versions import triggers_install

    triggers_install(tables=["bench_points"])
    if bump:
        with connection.cursor() as cur:
            cur.execute("UPDATE bench_points SET kind = kind WHERE id = 1")


def server_versions(conn: "psycopg2.extensions.connection") -> dict[str, str]:
    """PostgreSQL and PostGIS versions, for the record."""
    return {
        "postgresql": str(_scalar(conn, "SHOW server_version")),
        "postgis": str(_scalar(conn, "SELECT postgis_lib_version()")),
    }
