"""Writes of public services: upsert dossiers by (source, external id), in bulk."""

from typing import Any

from gisioc.ingest.models import IngestRun
from gisioc.ingest.systems import Outcome
from gisioc.ingest.upsert import records_upsert
from gisioc.public_services.models import Dossier


def dossiers_upsert(*, rows: list[dict[str, Any]], run: IngestRun) -> list[Outcome]:
    """Create or update dossiers of `run.source` by external id; outcomes in row order."""
    return records_upsert(model=Dossier, rows=rows, run=run)
