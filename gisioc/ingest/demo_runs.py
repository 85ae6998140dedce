"""Demo data go in as any delivery does: one run per generator version, skipped when done.

Not named demo.py: `gisioc demo load` runs the `load` of every app's demo module.
"""

from collections.abc import Callable, Iterable

from django.db import models, transaction

from gisioc.geo.facility_files import RawRow
from gisioc.ingest.models import IngestRun, PullSource
from gisioc.ingest.report import Progress
from gisioc.ingest.services import ingest_rows


def demo_ingest(
    *,
    system: str,
    title: str,
    source: str,
    key: str,
    rows: Callable[[], Iterable[RawRow]],
    model: type[models.Model],
    progress: Progress = print,
) -> None:
    """Ingest a system's demo rows once per `key` (the generator's version); say what came.

    A new version replaces the records of the source (`model` rows), whose ids may have
    changed, and the pulls into it start again from the beginning of their feeds."""
    runs = IngestRun.objects.filter(source=source, idempotency_key=key)
    if runs.filter(status=IngestRun.Status.DONE).exists():
        progress(f"{title}: đã có / already loaded")
        return
    runs.delete()  # a failed or interrupted earlier attempt; its records are upserted again
    older = IngestRun.objects.filter(source=source, kind=IngestRun.Kind.DEMO)
    if older.exists():
        with transaction.atomic():
            removed, _ = model.objects.filter(source=source).delete()
            older.delete()
            PullSource.objects.filter(source=source).update(cursor="")
        progress(f"{title}: bỏ bản minh họa cũ / previous demo version removed ({removed:,})")
    report = ingest_rows(
        system=system,
        rows=rows(),
        source=source,
        kind=IngestRun.Kind.DEMO,
        idempotency_key=key,
        progress=lambda _: None,
    )
    progress(f"{title} ({report.seconds} s): {report.summary()}")
