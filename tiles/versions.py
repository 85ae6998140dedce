"""Install the version triggers on every table a layer reads, and read layers' versions."""

from collections.abc import Iterable

from django.db import connection

from gisioc.geo.selectors import vietnam_today
from layers.registry import Layer, registry

TRIGGERS = (
    ("ins", "INSERT", "NEW TABLE AS new_rows", "gisioc_bump_new"),
    ("upd", "UPDATE", "NEW TABLE AS new_rows", "gisioc_bump_new"),
    ("del", "DELETE", "OLD TABLE AS old_rows", "gisioc_bump_old"),
)


def source_tables() -> list[str]:
    """Every table any registered layer reads, sorted."""
    return sorted({table for layer in registry for table in layer.tables()})


def triggers_install(*, tables: Iterable[str] | None = None) -> list[str]:
    """Create (or replace) the bump triggers on the tables; idempotent."""
    tables = list(tables) if tables is not None else source_tables()
    with connection.cursor() as cursor:
        for table in tables:
            for suffix, event, referencing, function in TRIGGERS:
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER gisioc_version_{suffix} AFTER {event} ON {table} "
                    f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER gisioc_version_trunc AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION gisioc_bump_any()"
            )
    return tables


# The counters of a layer's tables (param: their sorted names) joined as layer_versions joins
# them: a scalar subquery, so a tile's statement reads its version in its own snapshot.
COUNTERS_SQL = (
    "(SELECT string_agg(coalesce(v.version, 0)::text, '.' ORDER BY t.i) "
    "FROM unnest(%s::text[]) WITH ORDINALITY AS t(name, i) "
    "LEFT JOIN tiles_tableversion v ON v.table_name = t.name)"
)


def counters_param(layer: Layer) -> list[str]:
    """COUNTERS_SQL's parameter for a layer."""
    return list(layer.tables())


def dated(layer: Layer, counters: str) -> str:
    """A layer's version from its counters; a layer counted against today adds the day
    (the day gisioc_today() says)."""
    return counters + (f"-{vietnam_today().isoformat()}" if layer.today else "")


def layer_versions(layers: Iterable[Layer]) -> dict[str, str]:
    """Each layer's data version: its tables' counters joined, in one query."""
    layers = list(layers)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, version FROM tiles_tableversion WHERE table_name = ANY(%s)",
            [sorted({t for layer in layers for t in layer.tables()})],
        )
        counters = dict(cursor.fetchall())
    return {
        layer.id: dated(layer, ".".join(str(counters.get(t, 0)) for t in counters_param(layer)))
        for layer in layers
    }
