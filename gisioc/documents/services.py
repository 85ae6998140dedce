"""Writes of documents: upsert by (source, external id), in bulk."""

from typing import Any

from gisioc.documents.models import Document
from gisioc.ingest.models import IngestRun
from gisioc.ingest.systems import Outcome
from gisioc.ingest.upsert import records_upsert


def documents_upsert(*, rows: list[dict[str, Any]], run: IngestRun) -> list[Outcome]:
    """Create or update documents of `run.source` by external id; outcomes in row order."""
    return records_upsert(model=Document, rows=rows, run=run)
