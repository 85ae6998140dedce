"""Writes of documents: upsert by (source, external id), in bulk."""

from typing import Any

from django.contrib.gis.geos import GEOSGeometry

from gisioc.documents.models import Document
from gisioc.ingest.copy import objects_copy
from gisioc.ingest.models import IngestRun
from gisioc.ingest.systems import Outcome


def _equal(stored: object, given: object) -> bool:
    """Equal values; points compare by coordinates, not by object."""
    if isinstance(stored, GEOSGeometry) or isinstance(given, GEOSGeometry):
        return stored is not None and given is not None and stored.equals_exact(given, 1e-9)
    return stored == given


def documents_upsert(*, rows: list[dict[str, Any]], run: IngestRun) -> list[Outcome]:
    """Create or update the documents of `run.source` by external id; one bulk write of each.

    Outcomes come in row order. A later row with the same id as an earlier one in the batch
    updates it, as if it had been sent afterwards.
    """
    ids = {row["external_id"] for row in rows}
    stored = {
        doc.external_id: doc
        for doc in Document.objects.filter(source=run.source, external_id__in=ids)
    }
    created: dict[str, Document] = {}
    updated: dict[str, Document] = {}
    columns: set[str] = set()
    outcomes: list[Outcome] = []
    for row in rows:
        key = row["external_id"]
        doc = created.get(key) or stored.get(key)
        if doc is None:
            created[key] = Document(source=run.source, run=run, **row)
            outcomes.append("created")
            continue
        changed = [name for name, value in row.items() if not _equal(getattr(doc, name), value)]
        if not changed:
            outcomes.append("unchanged")
            continue
        for name in changed:
            setattr(doc, name, row[name])
        doc.run = run
        if key not in created:  # a new document is written whole, with its latest values
            updated[key] = doc
            columns.update(changed)
        outcomes.append("updated")
    objects_copy(objects=list(created.values()))
    if updated:
        fields = sorted({Document._meta.get_field(name).name for name in columns} | {"run"})
        Document.objects.bulk_update(updated.values(), fields, batch_size=500)
    return outcomes
