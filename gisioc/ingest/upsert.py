"""The one upsert every system's records go through: by (source, external id), in bulk."""

from typing import Any, Literal

from django.contrib.gis.geos import GEOSGeometry
from django.db import models

from gisioc.ingest.copy import objects_copy
from gisioc.ingest.models import IngestRun

Outcome = Literal["created", "updated", "unchanged"]


def values_equal(stored: object, given: object) -> bool:
    """Equal values; points compare by coordinates, not by object."""
    if isinstance(stored, GEOSGeometry) or isinstance(given, GEOSGeometry):
        return stored is not None and given is not None and stored.equals_exact(given, 1e-9)
    return stored == given


def records_upsert(
    *, model: type[models.Model], rows: list[dict[str, Any]], run: IngestRun
) -> list[Outcome]:
    """Create or update records of `run.source` by external id, in order; one bulk write each.

    New records go in through COPY, changed ones through one bulk update of the changed
    columns. A row repeating an earlier row's id in the same batch updates it, as if sent later.
    """
    keys = {values["external_id"] for values in rows}
    stored = {
        r.external_id: r for r in model.objects.filter(source=run.source, external_id__in=keys)
    }
    created: dict[str, models.Model] = {}
    updated: dict[str, models.Model] = {}
    columns: set[str] = set()
    outcomes: list[Outcome] = []
    for values in rows:
        key = values["external_id"]
        record = created.get(key) or stored.get(key)
        if record is None:
            created[key] = model(source=run.source, run=run, **values)
            outcomes.append("created")
            continue
        changed = [n for n, value in values.items() if not values_equal(getattr(record, n), value)]
        if not changed:
            outcomes.append("unchanged")
            continue
        for name in changed:
            setattr(record, name, values[name])
        record.run = run
        if key not in created:  # a new record is written whole, with its latest values
            updated[key] = record
            columns.update(changed)
        outcomes.append("updated")
    objects_copy(objects=list(created.values()))
    if updated:
        fields = sorted({model._meta.get_field(name).name for name in columns} | {"run"})
        model.objects.bulk_update(updated.values(), fields, batch_size=500)
    return outcomes
