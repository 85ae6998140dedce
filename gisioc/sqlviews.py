"""SQL views and functions that live in `.sql` files beside their app, installed after migrate.

Every installed app whose package has a `sql/` folder owns the views and functions its files
create. On `post_migrate` they are dropped and created again from the files, geo first, then
the other apps in INSTALLED_APPS order, within an app in the order the files name each other,
and a file naming another app's view or function after that file. An app whose tables are
not all there (`migrate <app> zero`) is skipped. Migrations no longer create views; a view
taken out of the files needs a migration that drops it.
"""

import re
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

from django.apps import AppConfig, apps
from django.db import connections, transaction

FIRST = "geo"  # every system's views read geo's
CREATED = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(VIEW|FUNCTION)\s+(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class SqlFile:
    """One `.sql` file: its app, path, text and the views and functions it creates."""

    app: str
    path: Path
    text: str
    created: tuple[tuple[str, str], ...]  # (VIEW or FUNCTION, name) in the file's order

    @property
    def names(self) -> tuple[str, ...]:
        """Everything the file creates."""
        return tuple(name for _, name in self.created)

    @property
    def views(self) -> tuple[str, ...]:
        """The views the file creates."""
        return tuple(name for kind, name in self.created if kind == "VIEW")


def sql_apps() -> list[AppConfig]:
    """Installed apps with a `sql/` folder: geo first, then in INSTALLED_APPS order."""
    found = [a for a in apps.get_app_configs() if (Path(a.path) / "sql").is_dir()]
    return sorted(found, key=lambda a: a.label != FIRST)


def _read(app: AppConfig, path: Path) -> SqlFile:
    text = path.read_text(encoding="utf-8")
    created = tuple((kind.upper(), name) for kind, name in CREATED.findall(text))
    return SqlFile(app.label, path, text, created)


def sql_files(app: AppConfig) -> list[SqlFile]:
    """An app's files, each after the files whose views or functions it names."""
    files = [_read(app, p) for p in sorted((Path(app.path) / "sql").glob("*.sql"))]
    maker = {name: f for f in files for name in f.names}
    graph = {
        f.path: {
            maker[word].path
            for word in set(re.findall(r"\w+", f.text))
            if word in maker and maker[word] is not f
        }
        for f in files
    }
    order = list(TopologicalSorter(graph).static_order())
    return sorted(files, key=lambda f: order.index(f.path))


def files_ordered(files: list[SqlFile]) -> list[SqlFile]:
    """The files in their order, but each after any file (of any app) whose views or
    functions it names: a system's view may call another system's function."""
    maker = {name: f for f in files for name in f.names}
    needs = {
        f.path: {maker[w].path for w in set(re.findall(r"\w+", f.text)) if w in maker} - {f.path}
        for f in files
    }
    ordered: list[SqlFile] = []
    placed: set[Path] = set()
    while len(ordered) < len(files):
        ready = next((f for f in files if f.path not in placed and needs[f.path] <= placed), None)
        if ready is None:  # a cycle: keep the given order for the rest
            ready = next(f for f in files if f.path not in placed)
        ordered.append(ready)
        placed.add(ready.path)
    return ordered


def _migrated(app: AppConfig, tables: set[str]) -> bool:
    own = [m._meta.db_table for m in app.get_models() if m._meta.managed]
    return all(t in tables for t in own)


def views_install(using: str = "default") -> list[SqlFile]:
    """Drop the views and functions the files make, then create them again from the files."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    present = [(app, sql_files(app)) for app in sql_apps() if _migrated(app, tables)]
    installed = files_ordered([f for _, files in present for f in files])
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # Last made, first dropped: SQL-standard function bodies depend on what they read too.
        for f in reversed(installed):
            for kind, name in reversed(f.created):
                cursor.execute(f"DROP {kind} IF EXISTS {name}")
        for f in installed:
            cursor.execute(f.text)
    return installed


def views_install_and_check(using: str = "default", **kwargs: object) -> None:
    """The post_migrate receiver: install the views, then check the layers' source tables."""
    from gisioc.viewdeps import source_tables_check

    views_install(using)
    source_tables_check(using)
