"""A view's real base tables, from the catalog, against the `source_tables` its model declares.

Tiles' data versions and caches key on `source_tables`: a table a view reads but its model
leaves out would give stale tiles, so every layer source that is a view is checked.
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

# Follow a view's rewrite rule, and the SQL-standard bodies of the functions it calls, down
# to tables; views and functions met on the way are followed in turn.
BASE_TABLES = """
WITH RECURSIVE reads(classid, objid) AS (
  SELECT 'pg_class'::regclass, %s::regclass::oid
  UNION
  SELECT d.refclassid, d.refobjid
  FROM reads r
  JOIN pg_depend d ON (
    (r.classid = 'pg_class'::regclass AND d.classid = 'pg_rewrite'::regclass
     AND d.objid IN (SELECT w.oid FROM pg_rewrite w WHERE w.ev_class = r.objid))
    OR (r.classid = 'pg_proc'::regclass AND d.classid = 'pg_proc'::regclass
        AND d.objid = r.objid))
  WHERE d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass)
    AND NOT (d.refclassid = r.classid AND d.refobjid = r.objid)
)
SELECT DISTINCT c.relname, false FROM reads r JOIN pg_class c ON c.oid = r.objid
WHERE r.classid = 'pg_class'::regclass AND c.relkind IN ('r', 'p')
UNION
-- Our functions with a body in quotes record nothing they read: name them to be rewritten.
SELECT DISTINCT p.proname, true FROM reads r JOIN pg_proc p ON p.oid = r.objid
JOIN pg_language l ON l.oid = p.prolang
WHERE r.classid = 'pg_proc'::regclass AND p.prosqlbody IS NULL
  AND l.lanname IN ('sql', 'plpgsql') AND left(p.proname, 7) = 'gisioc_'
"""


def view_base_tables(view: str, using: str = "default") -> tuple[set[str], set[str]]:
    """The tables a view reads, through other views and SQL-standard function bodies, and
    the functions on the way whose quoted bodies hide what they read."""
    with connections[using].cursor() as cursor:
        cursor.execute(BASE_TABLES, [view])
        rows = cursor.fetchall()
    return {n for n, opaque in rows if not opaque}, {n for n, opaque in rows if opaque}


def _views(using: str) -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT viewname FROM pg_views WHERE schemaname = current_schema()")
        return {name for (name,) in cursor.fetchall()}


def source_tables_mismatches(using: str = "default") -> list[str]:
    """One line per layer source view whose declared source_tables differ from what it reads."""
    from layers.registry import registry

    views = _views(using)
    problems = []
    for source in sorted({layer.source for layer in registry}):
        model = apps.get_model(source)
        view = model._meta.db_table
        if model._meta.managed or view not in views:
            continue
        declared = set(getattr(model, "source_tables", ()))
        real, opaque = view_base_tables(view, using)
        if opaque:
            problems.append(
                f"{source} ({view}): calls {', '.join(sorted(opaque))}, whose quoted bodies "
                "hide their tables (write them as RETURN or BEGIN ATOMIC)"
            )
        if declared != real:
            missing = ", ".join(sorted(real - declared)) or "—"
            extra = ", ".join(sorted(declared - real)) or "—"
            problems.append(f"{source} ({view}): source_tables lacks {missing}; needless {extra}")
    return problems


def source_tables_check(using: str = "default") -> None:
    """Raise when a layer's view reads tables its model does not declare (or the reverse)."""
    problems = source_tables_mismatches(using)
    if problems:
        raise ImproperlyConfigured("Layer views' source_tables are wrong:\n" + "\n".join(problems))
