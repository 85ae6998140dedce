"""Insert many new rows with PostgreSQL COPY: several times faster than bulk_create."""

import datetime as dt
import io
import json
from collections.abc import Callable, Sequence

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, models

Text = Callable[[object], str]


def _text(field: models.Field) -> Text:
    """How a field's non-null values are written for COPY, decided once per field."""
    if isinstance(field, GeometryField):

        def geometry(value: object) -> str:
            if isinstance(value, GEOSGeometry) and value.srid is None:
                value = GEOSGeometry(value.wkb, srid=field.srid)
            return value.hexewkb.decode() if isinstance(value, GEOSGeometry) else str(value)

        return geometry
    if isinstance(field, models.JSONField):
        return lambda value: json.dumps(value, ensure_ascii=False)
    if isinstance(field, models.BooleanField):
        return lambda value: "t" if value else "f"
    if isinstance(field, models.DateField):  # DateTimeField too
        return lambda value: value.isoformat() if isinstance(value, dt.date) else str(value)
    return str


def objects_copy(*, objects: Sequence[models.Model]) -> int:
    """COPY unsaved instances of one model into its table (ids come from the sequence)."""
    if not objects:
        return 0
    meta = type(objects[0])._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    writers = [(f.attname, _text(f)) for f in fields]

    # Every value is quoted, so '' stays '' and only an unquoted empty field means NULL.
    def line(obj: models.Model) -> str:
        values = obj.__dict__
        return ",".join(
            "" if (v := values[name]) is None else '"' + text(v).replace('"', '""') + '"'
            for name, text in writers
        )

    buffer = io.StringIO("".join(line(obj) + "\n" for obj in objects))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN "
            "WITH (FORMAT csv)",
            buffer,
        )
    return len(objects)
