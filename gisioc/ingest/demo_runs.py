"""Demo data go in as any delivery does: one run per generator version, skipped when done.

Not named demo.py: `gisioc demo load` runs the `load` of every app's demo module.
"""

from collections.abc import Callable, Iterable

from gisioc.ingest.models import IngestRun
from gisioc.ingest.readers import RawRow
from gisioc.ingest.report import Progress
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.sources import source_purge


def demo_ingest(
    *,
    system: str,
    title: str,
    source: str,
    key: str,
    rows: Callable[[], Iterable[RawRow]],
    progress: Progress = print,
) -> None:
    """Ingest a system's demo rows once per `key` (the generator's version); say what came.

    A new version replaces the source's records, whose ids may have changed, and the pulls
    into it start again from the beginning of their feeds."""
    runs = IngestRun.objects.filter(source=source, idempotency_key=key)
    if runs.filter(status=IngestRun.Status.DONE).exists():
        progress(f"{title}: đã có / already loaded")
        return
    runs.delete()  # a failed or interrupted earlier attempt; its records are upserted again
    if IngestRun.objects.filter(source=source, kind=IngestRun.Kind.DEMO).exists():
        gone = source_purge(source=source, apply=True, stop_pull=False)
        progress(f"{title}: bỏ bản minh họa cũ / previous demo version removed ({gone.records:,})")
    report = ingest_rows(
        system=system,
        rows=rows(),
        source=source,
        kind=IngestRun.Kind.DEMO,
        idempotency_key=key,
        progress=lambda _: None,
    )
    progress(f"{title} ({report.seconds} s): {report.summary()}")
