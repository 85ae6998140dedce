"""Reads of ingest runs: lists for staff, and a run's report rebuilt from what was stored;
which runs are still alive, and the closing of those whose process died.

A running run is held by its process with a PostgreSQL session advisory lock (class
`RUN_LOCK`, key the run's id), taken in the transaction that creates the run. The lock ends
with the process's connection, however it ends (kill -9, a lost host), so a run marked
running whose lock nobody holds was interrupted: the next run to start (any system, any
kind) marks it failed with `INTERRUPTED`, and a retried push of its batch may start again.
Its chunks committed before the interruption stay, each whole, with their counts.
"""

import contextlib
import datetime as dt
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from gisioc.errors import InvalidInput, NotFound
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.report import COUNTS, MAX_LISTED

FILTERS = ("system", "source", "kind", "status")
RUN_LOCK = 0x67_69_72_75  # advisory-lock class of running runs (key: the run's id)
INTERRUPTED = (
    "Bị ngắt giữa chừng (tiến trình dừng đột ngột); các phần đã ghi được giữ nguyên, hãy chạy lại",
    "Interrupted (its process stopped abruptly); the chunks stored are kept whole, run it again",
)
_ORPHANS = """
UPDATE ingest_ingestrun SET status = %(failed)s, finished_at = now(), message = %(message)s
WHERE status = %(running)s AND NOT EXISTS (
  SELECT 1 FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid = %(lock)s::oid AND l.objid = ingest_ingestrun.id::oid)
RETURNING id
"""


def run_held(*, run: IngestRun) -> None:
    """Mark the run as alive for as long as this connection lives (or `run_released`)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK, run.pk])


def run_released(*, run: IngestRun) -> None:
    """The run has ended; a lost connection has released it already."""
    with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK, run.pk])


def runs_interrupted_close() -> list[int]:
    """Mark failed the runs still `running` that no live process holds; their ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            _ORPHANS,
            {
                "failed": IngestRun.Status.FAILED,
                "running": IngestRun.Status.RUNNING,
                "message": " — ".join(INTERRUPTED),
                "lock": RUN_LOCK,
            },
        )
        return [row[0] for row in cursor.fetchall()]


def runs_list(*, filters: dict[str, str] | None = None) -> QuerySet[IngestRun]:
    """Runs, newest first, optionally narrowed by system, source, kind or status."""
    runs = IngestRun.objects.all()
    for name, value in (filters or {}).items():
        if name not in FILTERS:
            raise InvalidInput(f"Không lọc được theo {name}.", f"Cannot filter by {name}.")
        if value:
            runs = runs.filter(**{name: value})
    return runs.order_by("-started_at", "-id")


def run_get(*, run_id: int) -> IngestRun:
    """The run with this id, or NotFound."""
    run = IngestRun.objects.filter(pk=run_id).first()
    if run is None:
        raise NotFound(f"Không có lượt nhập #{run_id}.", f"No ingest run #{run_id}.")
    return run


def run_summary(*, run: IngestRun) -> dict[str, Any]:
    """A run's identity, status and counts."""
    return {
        "run": run.pk,
        "system": run.system,
        "source": run.source,
        "kind": run.kind,
        "file_name": run.file_name,
        "idempotency_key": run.idempotency_key,
        "status": run.status,
        "message": run.message,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "raw_pruned_at": run.details.get("raw_pruned_at"),  # its rows are gone after this
        **{name: getattr(run, name) for name in COUNTS},
    }


def raw_records_prune(*, days: int) -> tuple[int, int]:
    """Delete the raw rows of finished runs started more than `days` ago. The runs and their
    counts stay, marked with when their rows went. Returns (runs, rows) pruned."""
    if days < 1:
        raise InvalidInput("Số ngày phải từ 1 trở lên.", "Days must be 1 or more.")
    cutoff = timezone.now() - dt.timedelta(days=days)
    runs = (
        IngestRun.objects.filter(started_at__lt=cutoff)
        .exclude(status=IngestRun.Status.RUNNING)
        .exclude(details__has_key="raw_pruned_at")
    )
    pruned_runs = pruned_rows = 0
    for run in runs.order_by("started_at").iterator():
        with transaction.atomic():  # one run at a time: an interruption loses nothing
            deleted, _ = RawRecord.objects.filter(run=run).delete()
            run.details = {**run.details, "raw_pruned_at": timezone.now().isoformat()}
            run.save(update_fields=["details"])
        pruned_runs, pruned_rows = pruned_runs + 1, pruned_rows + deleted
    return pruned_runs, pruned_rows


def pruned_line(runs: int, rows: int, days: int) -> str:
    """What a prune did, in both languages."""
    return (
        f"Đã xóa {rows:,} dòng thô của {runs:,} lượt nhập cũ hơn {days} ngày — "
        f"pruned {rows:,} raw rows of {runs:,} runs older than {days} days."
    )


def run_report(*, run: IngestRun) -> dict[str, Any]:
    """The summary with each rejected row (row, field, reason) and each unlocated row.

    Built only from stored rows, so a retried push gets the very report of the first one.
    """
    records = RawRecord.objects.filter(run=run).order_by("row", "id")
    errors = [
        {"row": row, "code": code, "field": e.get("field", ""), "vi": e["vi"], "en": e["en"]}
        for row, code, row_errors in records.filter(outcome=RawRecord.Outcome.REJECTED).values_list(
            "row", "external_id", "errors"
        )[:MAX_LISTED]
        for e in row_errors
    ]
    unlocated = [
        {"row": row, "code": code, "reason": note}
        for row, code, note in records.exclude(outcome=RawRecord.Outcome.REJECTED)
        .exclude(note="")
        .values_list("row", "external_id", "note")[:MAX_LISTED]
    ]
    return run_summary(run=run) | {
        "columns": run.details.get("columns", {}),
        "notes": run.details.get("notes", []),  # how the reader read the file (number style…)
        "listed_at_most": MAX_LISTED,
        "errors": errors,
        "unlocated": unlocated,
    }
