"""The ingest benchmark's database and file, made when missing and left alone when present.

The database is a scratch one of its own (`gisioc_bench_ingest`, or GISIOC_BENCH_INGEST_DB),
made and migrated with bench/db.py's helpers, holding only the Duy Xuyên demo geography: the two
boundary versions, the crosswalk and the facilities. The file is the public-services demo
generator repeated `copies` times, each copy's dossier codes suffixed with its number, written as
a one-stop export would be (UTF-8 with BOM, Vietnamese headers); it carries its recipe beside it.
"""

import csv
import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path

from bench import db

NAME = os.environ.get("GISIOC_BENCH_INGEST_DB", "gisioc_bench_ingest")  # a scratch database
SOURCE = "bench-motcua"  # the source the benchmark imports as
OUT_DIR = db.ROOT / "var" / "bench"
RECIPE_VERSION = 1  # bump when the file's recipe below changes

Log = Callable[[str], None]


def use_database() -> None:
    """Point bench/db.py's helpers (connect, db_env, the servers) at this benchmark's database.

    They read `db.DB_NAME` when called, so the tile benchmark's `gisioc_bench` is never touched.
    """
    db.DB_NAME = NAME


def ensure(var_dir: Path, log: Log) -> None:
    """The cluster and the database, Django in this process, and the migrations it lacks."""
    log(f"database: {NAME} (created and migrated when needed)")
    db._run("bash", "scripts/pg.sh", "start")
    os.environ.update(db.db_env(GISIOC_VAR_DIR=str(var_dir), GISIOC_EXTRA_APPS="[]"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")
    import django
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    django.setup()
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        log("migrating")
        db._gisioc("migrate", "--no-input", "-v", "0")  # as `make` does, post_migrate included


def ensure_geography(log: Log) -> None:
    """The demo boundaries (two versions and the crosswalk) and facilities (needs Django)."""
    from gisioc.geo.demo import boundaries_demo_load
    from gisioc.geo.demo_facilities import facilities_demo_load

    loaded = boundaries_demo_load(progress=lambda _: None)
    if loaded:
        log(f"loaded the demo boundaries {', '.join(loaded)}")
    facilities_demo_load()


def use_smoke_database() -> None:
    """A smoke run's database: the one named by GISIOC_BENCH_INGEST_DB, else the default's
    name with `_smoke`, so a smoke run never empties a full run's."""
    global NAME
    if "GISIOC_BENCH_INGEST_DB" not in os.environ:
        NAME = f"{NAME}_smoke"


def csv_path(copies: int, limit: int | None = None) -> Path:
    """Where the file of `copies` copies of the demo (its first `limit` rows) lives."""
    return OUT_DIR / f"ingest-dossiers-x{copies}{f'-first{limit}' if limit else ''}.csv"


def _recipe(copies: int, limit: int | None) -> dict[str, object]:
    from gisioc.public_services import demo

    return {"version": RECIPE_VERSION, "copies": copies, "generator": demo.KEY, "limit": limit}


def ensure_csv(copies: int, log: Log, limit: int | None = None) -> tuple[Path, int]:
    """The file and its number of data rows; rewritten when missing or of another recipe."""
    from gisioc.public_services.demo import HEADERS, demo_dossier_rows

    path = csv_path(copies, limit)
    meta = path.with_suffix(".json")
    recipe = _recipe(copies, limit)
    if path.exists() and meta.exists():
        known = json.loads(meta.read_text())
        if known.get("recipe") == recipe:
            return path, int(known["rows"])
    log(f"writing {path.relative_to(db.ROOT)}: the demo dossiers × {copies}")
    path.parent.mkdir(parents=True, exist_ok=True)
    code = HEADERS.index("Mã hồ sơ")
    rows = 0
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        for copy in range(1, copies + 1):
            for raw in itertools.islice(demo_dossier_rows(), limit):
                cells = [raw.values[h] for h in HEADERS]
                cells[code] = f"{cells[code]}-{copy:02d}"
                out.writerow(cells)
                rows += 1
    tmp.replace(path)
    meta.write_text(json.dumps({"recipe": recipe, "rows": rows}) + "\n")
    return path, rows


def reset() -> None:
    """Empty the dossiers, the ingest runs and their raw records (needs Django)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("TRUNCATE public_services_dossier, ingest_rawrecord, ingest_ingestrun CASCADE")


def vacuum_analyze() -> None:
    """What autovacuum would do after a big load, done now so plans and timings are stable."""
    from django.db import connection

    with connection.cursor() as cur:
        for table in ("public_services_dossier", "ingest_rawrecord"):
            cur.execute(f"VACUUM ANALYZE {table}")
