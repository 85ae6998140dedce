"""Writes of public services: upsert dossiers by (source, external id), in bulk."""

from typing import Any

from django.contrib.gis.geos import GEOSGeometry

from gisioc.ingest.copy import objects_copy
from gisioc.ingest.models import IngestRun
from gisioc.ingest.systems import Outcome
from gisioc.public_services.models import Dossier


def _same(a: object, b: object) -> bool:
    if isinstance(a, GEOSGeometry) or isinstance(b, GEOSGeometry):
        return a is not None and b is not None and a.equals_exact(b, 1e-9)
    return a == b


def dossiers_upsert(*, rows: list[dict[str, Any]], run: IngestRun) -> list[Outcome]:
    """Create or update dossiers of `run.source` by external id, in order; one bulk write each.

    A row repeating an earlier row's id in the same batch updates it, as if sent later.
    """
    keys = {values["external_id"] for values in rows}
    existing = {
        d.external_id: d for d in Dossier.objects.filter(source=run.source, external_id__in=keys)
    }
    new: dict[str, Dossier] = {}
    changed: dict[str, Dossier] = {}
    fields: set[str] = set()
    outcomes: list[Outcome] = []
    for values in rows:
        key = values["external_id"]
        current = new.get(key) or existing.get(key)
        if current is None:
            new[key] = Dossier(source=run.source, run=run, **values)
            outcomes.append("created")
            continue
        differing = [
            name for name, value in values.items() if not _same(getattr(current, name), value)
        ]
        if not differing:
            outcomes.append("unchanged")
            continue
        for name in differing:
            setattr(current, name, values[name])
        current.run = run
        if key not in new:
            changed[key] = current
            fields.update(differing)
        outcomes.append("updated")
    objects_copy(objects=list(new.values()))
    if changed:
        columns = sorted({Dossier._meta.get_field(name).name for name in fields} | {"run"})
        Dossier.objects.bulk_update(changed.values(), columns, batch_size=500)
    return outcomes
