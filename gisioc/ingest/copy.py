"""Insert many new rows with PostgreSQL COPY: several times faster than bulk_create."""

import datetime as dt
import io
import json
from collections.abc import Sequence

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, models


def _cell(field: models.Field, value: object) -> str:
    """A value as COPY's CSV reads it: NULL unquoted and empty, anything else quoted."""
    if value is None:
        return ""
    if isinstance(field, GeometryField) and isinstance(value, GEOSGeometry):
        if value.srid is None:
            value = GEOSGeometry(value.wkb, srid=field.srid)
        text = value.hexewkb.decode()
    elif isinstance(field, models.JSONField):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dt.date | dt.datetime):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "t" if value else "f"
    else:
        text = str(value)
    return '"' + text.replace('"', '""') + '"'


def objects_copy(*, objects: Sequence[models.Model]) -> int:
    """COPY unsaved instances of one model into its table (ids come from the sequence)."""
    if not objects:
        return 0
    meta = type(objects[0])._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    # Every value is quoted, so '' stays '' and only an unquoted empty field means NULL.
    buffer = io.StringIO(
        "".join(
            ",".join(_cell(f, getattr(obj, f.attname)) for f in fields) + "\n" for obj in objects
        )
    )
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN "
            "WITH (FORMAT csv)",
            buffer,
        )
    return len(objects)
