"""Writes of the push connector: a keyed source's batch, where a retried batch is a no-op."""

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.utils import timezone

from gisioc.errors import Conflict, Forbidden, InvalidInput, TooLarge
from gisioc.ingest.models import IngestRun, SourceKey
from gisioc.ingest.records import records_rows
from gisioc.ingest.runs import run_get, run_report
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.systems import System, system_get

MAX_RECORDS = 5_000
MAX_BATCH_KEY = 200  # IngestRun.idempotency_key
RETRY_WAIT = 10.0  # seconds a retry waits for the first attempt of its batch to finish
RETRY_POLL = 0.2
STALE = dt.timedelta(hours=1)  # a batch "running" this long died with its process


@dataclass(frozen=True)
class PushResult:
    """The run's report, and whether it is the report of an earlier push of the same batch."""

    report: dict[str, Any]
    replayed: bool


def push_target_check(*, key: SourceKey, system: str) -> System:
    """The system a key pushes to: NotFound when unknown, Forbidden when not the key's."""
    spec = system_get(system)
    if key.system != spec.name:
        raise Forbidden(
            f"Khóa {key.prefix} chỉ được gửi vào hệ thống {key.system}, không phải {spec.name}.",
            f"Key {key.prefix} may push to system {key.system} only, not {spec.name}.",
        )
    return spec


def _batch_key(value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_BATCH_KEY:
        raise InvalidInput(
            f"Cần idempotency_key là chuỗi 1–{MAX_BATCH_KEY} ký tự, riêng cho mỗi lô.",
            f"idempotency_key must be a string of 1–{MAX_BATCH_KEY} characters, one per batch.",
        )
    return value.strip()


def _records(value: object) -> list[object]:
    if not isinstance(value, list):
        raise InvalidInput("Cần records là một mảng JSON.", "records must be a JSON array.")
    if len(value) > MAX_RECORDS:
        raise TooLarge(
            f"Lô có {len(value):,} bản ghi, tối đa {MAX_RECORDS:,}; hãy chia nhỏ.",
            f"The batch holds {len(value):,} records, at most {MAX_RECORDS:,}; split it.",
        )
    return value


def _earlier(source: str, batch_key: str) -> IngestRun | None:
    """The finished run of this batch, waiting a little for one still running.

    A failed or abandoned run gives its key up so the batch can be sent again.
    """
    deadline = time.monotonic() + RETRY_WAIT
    while True:
        run = IngestRun.objects.filter(source=source, idempotency_key=batch_key).first()
        if run is None or run.status == IngestRun.Status.DONE:
            return run
        stale = run.started_at < timezone.now() - STALE
        if run.status == IngestRun.Status.FAILED or stale:
            run.details = {**run.details, "released_idempotency_key": batch_key}
            run.idempotency_key = None
            run.save(update_fields=["idempotency_key", "details"])
            return None
        if time.monotonic() >= deadline:
            raise Conflict(
                f"Lô {batch_key} đang được xử lý (lượt #{run.pk}); hãy gửi lại sau.",
                f"Batch {batch_key} is still being processed (run #{run.pk}); retry later.",
            )
        time.sleep(RETRY_POLL)


def batch_push(
    *, key: SourceKey, system: str, idempotency_key: object, records: object
) -> PushResult:
    """Ingest a pushed batch once per (source, idempotency key); a retry gets the first report."""
    spec = push_target_check(key=key, system=system)
    batch_key = _batch_key(idempotency_key)
    rows = list(records_rows(_records(records)))
    earlier = _earlier(key.source, batch_key)
    if earlier is not None:
        return PushResult(run_report(run=earlier), replayed=True)
    try:
        report = ingest_rows(
            system=spec.name,
            rows=rows,
            source=key.source,
            kind=IngestRun.Kind.PUSH,
            idempotency_key=batch_key,
            progress=lambda _: None,
        )
    except (Conflict, IntegrityError) as exc:
        # The same batch, pushed at the same moment, got its run in first.
        earlier = _earlier(key.source, batch_key)
        if earlier is None:
            raise Conflict(
                f"Lô {batch_key} vừa được gửi đồng thời và chưa xong; hãy gửi lại.",
                f"Batch {batch_key} was sent at the same time and did not finish; send it again.",
            ) from exc
        return PushResult(run_report(run=earlier), replayed=True)
    return PushResult(run_report(run=run_get(run_id=report.run_id or 0)), replayed=False)
