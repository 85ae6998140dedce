"""The one upsert every system's records go through: by (source, external id), in bulk.

No model instance per row: new records stream to COPY as value tuples, stored ones are read as
tuples of the compared columns (geometries as hex EWKB) and compared with the row's values as
one tuple; only changed records become instances, for one bulk update of the changed columns.
"""

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

from gisioc.ingest.copy import Text, csv_line, field_text, geometry_text, lines_copy
from gisioc.ingest.models import IngestRun

Outcome = Literal["created", "updated", "unchanged"]


def values_equal(stored: object, given: object) -> bool:
    """Equal values; points compare by coordinates, not by object."""
    if isinstance(stored, GEOSGeometry) or isinstance(given, GEOSGeometry):
        return stored is not None and given is not None and stored.equals_exact(given, 1e-9)
    return stored == given


@dataclass(frozen=True)
class Table:
    """What the upsert needs of a record model, worked out once per model."""

    model: type[models.Model]
    fields: dict[str, models.Field]  # by attname and by name, concrete, not the key

    def field(self, name: str) -> models.Field:
        """The concrete field a value names (by name or attname)."""
        try:
            return self.fields[name]
        except KeyError:
            return self.model._meta.get_field(name)  # raises FieldDoesNotExist as before

    def stored_sql(self, names: tuple[str, ...]) -> str:
        """Id, external id and the named columns (geometries as hex EWKB) of a source's keys."""
        quote = connection.ops.quote_name
        cols = []
        for name in names:
            field = self.field(name)
            col = quote(field.column)
            cols.append(f"{col}::text" if isinstance(field, GeometryField) else col)
        return (
            f"SELECT id, external_id, {', '.join(cols)} FROM {quote(self.model._meta.db_table)} "
            "WHERE source = %s AND external_id = ANY(%s)"
        )


@cache
def _table(model: type[models.Model]) -> Table:
    fields: dict[str, models.Field] = {}
    for f in model._meta.concrete_fields:
        if not f.primary_key:
            fields[f.name] = fields[f.attname] = f
    return Table(model, fields)


def _given(table: Table, names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple]:
    """A row's values as the comparable tuple the stored query returns."""
    geo = [
        (i, geometry_text(f.srid))
        for i, n in enumerate(names)
        if isinstance(f := table.field(n), GeometryField)
    ]
    json_at = [i for i, n in enumerate(names) if isinstance(table.field(n), models.JSONField)]
    related = [
        i for i, n in enumerate(names) if table.field(n).is_relation and n != table.field(n).attname
    ]

    def given(values: dict[str, Any]) -> tuple:
        row = [values[n] for n in names]
        for i in related:
            row[i] = _pk(row[i])
        for i, text in geo:
            if row[i] is not None:
                row[i] = text(row[i]).upper()
        for i in json_at:
            row[i] = _json_same(row[i])
        return tuple(row)

    return given


def _json_same(value: object) -> object:
    """A JSON value as it comes back from the database (keys as text, tuples as lists)."""
    return None if value is None else json.loads(json.dumps(value, ensure_ascii=False))


def _stored(
    table: Table, names: tuple[str, ...], run: IngestRun, keys: list[str]
) -> dict[str, tuple[int, tuple]]:
    """Stored records of the run's source with these keys: key → (id, comparable tuple)."""
    json_at = [i for i, n in enumerate(names) if isinstance(table.field(n), models.JSONField)]
    with connection.cursor() as cursor:
        cursor.execute(table.stored_sql(names), [run.source, keys])
        found = {}
        for pk, key, *row in cursor.fetchall():
            for i in json_at:
                if isinstance(row[i], str):
                    row[i] = json.loads(row[i])
            found[key] = (pk, tuple(row))
    return found


def _changed(table: Table, names: tuple[str, ...], stored: tuple, given: tuple) -> list[str]:
    """Names of the values that differ (geometries within 1e-9, as `values_equal`)."""
    out = []
    for name, a, b in zip(names, stored, given, strict=True):
        if a == b:
            continue
        geometry = isinstance(table.field(name), GeometryField) and None not in (a, b)
        if geometry and GEOSGeometry(a).equals_exact(GEOSGeometry(b), 1e-9):
            continue
        out.append(name)
    return out


def records_upsert(
    *,
    model: type[models.Model],
    rows: list[dict[str, Any]],
    run: IngestRun,
    lines: list[str] | None = None,
) -> list[Outcome]:
    """Create or update records of `run.source` by external id, in order; one bulk write each.

    New records go in through COPY, changed ones through one bulk update of the changed
    columns. A row repeating an earlier row's id in the same batch updates it, as if sent later.
    `lines`, from `new_lines` of the same rows, are their COPY lines written beforehand.
    """
    if not rows:
        return []
    groups = [list(g) for _, g in itertools.groupby(rows, key=lambda values: values.keys())]
    if len(groups) > 1:  # rows naming other values: each run of alike rows in turn
        return [o for group in groups for o in records_upsert(model=model, rows=group, run=run)]
    if lines is not None and len(lines) != len(rows):
        lines = None
    table = _table(model)
    names = tuple(n for n in rows[0] if n != "external_id")
    given = _given(table, names)
    stored = _stored(table, names, run, list({values["external_id"] for values in rows}))
    created: dict[str, tuple[dict[str, Any], tuple | None, int]] = {}
    updated: dict[str, tuple[int, dict[str, Any]]] = {}
    columns: set[str] = set()
    outcomes: list[Outcome] = []
    for at, values in enumerate(rows):
        key = values["external_id"]
        if key not in created and key not in stored:
            created[key] = (values, None, at)  # compared only if the batch names it again
            outcomes.append("created")
            continue
        now = given(values)
        if key in created:
            first, compared, was = created[key]
            if compared is None:
                created[key] = (first, given(first), was)
            if created[key][1] != now:
                created[key] = (values, now, at)  # a new record is written whole, latest values
                outcomes.append("updated")
            else:
                outcomes.append("unchanged")
            continue
        pk, before = stored[key]
        changed = [] if before == now else _changed(table, names, before, now)
        if not changed:
            outcomes.append("unchanged")
            continue
        stored[key] = (pk, now)
        merged = updated[key][1] | values if key in updated else values
        updated[key] = (pk, merged)
        columns.update(changed)
        outcomes.append("updated")
    if lines is None:
        _create(table, names, run, [values for values, _, _ in created.values()])
    elif created:
        columns_, _ = _layout(table, names, run)
        chosen = [lines[at] for _, _, at in created.values()]
        lines_copy(table=model._meta.db_table, columns=columns_, lines=chosen)
    if updated:
        fields = sorted({table.field(name).name for name in columns} | {"run"})
        objs = [model(pk=pk, run=run, **values) for pk, values in updated.values()]
        model.objects.bulk_update(objs, fields, batch_size=500)
    return outcomes


def _default(field: models.Field) -> object:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def new_lines(
    *, model: type[models.Model], rows: list[dict[str, Any]], run: IngestRun
) -> list[str]:
    """Each row's COPY line as a new record (for `records_upsert`'s `lines`): written where
    the rows are read, so a writer thread only streams them; [] when rows name other values."""
    if not rows or any(values.keys() != rows[0].keys() for values in rows):
        return []
    table = _table(model)
    _, line = _layout(table, tuple(n for n in rows[0] if n != "external_id"), run)
    return [line(values) for values in rows]


def _create(
    table: Table, names: tuple[str, ...], run: IngestRun, rows: list[dict[str, Any]]
) -> int:
    """COPY new records (see `_layout`)."""
    if not rows:
        return 0
    columns, line = _layout(table, names, run)
    lines_copy(table=table.model._meta.db_table, columns=columns, lines=map(line, rows))
    return len(rows)


def _layout(
    table: Table, names: tuple[str, ...], run: IngestRun
) -> tuple[list[str], Callable[[dict[str, Any]], str]]:
    """Columns of new records, and a row's COPY line: the given values, the source and run,
    and every other column's default (a column with a database default is left to it)."""
    given = ("external_id", *names)
    fixed: dict[str, object] = {"source": run.source, "run_id": run.pk}
    per_row: list[models.Field] = []
    seen = {table.field(n).attname for n in given}
    for attname, field in table.fields.items():
        if attname != field.attname or attname in seen or attname in fixed:
            continue
        if field.db_default is not NOT_PROVIDED:
            continue
        if (
            callable(field.default)
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            per_row.append(field)
        else:
            fixed[attname] = field.get_default()
    fields = [table.field(n) for n in given]
    texts: list[Text] = [field_text(f) for f in fields]
    texts += [field_text(table.fields[a]) for a in fixed] + [field_text(f) for f in per_row]
    columns = [f.column for f in fields] + [table.fields[a].column for a in fixed]
    columns += [f.column for f in per_row]
    tail = tuple(fixed.values())
    related = [i for i, n in enumerate(given) if fields[i].is_relation and n != fields[i].attname]

    def line(values: dict[str, Any]) -> str:
        out = [values[n] for n in given]
        for i in related:
            out[i] = _pk(out[i])
        return csv_line((*out, *tail, *[_default(f) for f in per_row]), texts) + "\n"

    return columns, line


def _pk(value: object) -> object:
    """A related instance given for a foreign key stands for its id."""
    return value.pk if isinstance(value, models.Model) else value
