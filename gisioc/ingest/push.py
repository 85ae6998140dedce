"""Writes of the push connector: a keyed source's batch, where a retried batch is a no-op."""

import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError

from gisioc.errors import Conflict, Forbidden, InvalidInput, TooLarge
from gisioc.ingest.models import IngestRun, SourceKey
from gisioc.ingest.records import records_rows
from gisioc.ingest.runs import run_get, run_report, runs_interrupted_close
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.systems import System, system_get
from gisioc.ingest.values import storable, value_fault

MAX_RECORDS = 5_000
MAX_BATCH_KEY = 200  # IngestRun.idempotency_key
RETRY_WAIT = 10.0  # seconds a retry waits for the first attempt of its batch to finish
RETRY_POLL = 0.2
MAX_FAULTS = 100  # places named in a refusal; the sender fixes them and sends the batch again


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
    fault = value_fault(value)
    if fault is not None:
        raise InvalidInput(
            f"idempotency_key {fault.vi}.",
            f"idempotency_key {fault.en}.",
            field="idempotency_key",
        )
    return value.strip()


def _faults(records: list[object]) -> dict[str, list[tuple[str, str]]]:
    """Where the records hold what cannot be stored (NUL, lone surrogates, NaN, ±Infinity):
    'records[<row>].<column>' → reason, rows numbered from 1 as the run's report does."""
    found: dict[str, list[tuple[str, str]]] = {}
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            continue
        for column, value in record.items():
            fault = value_fault(column) or value_fault(value)
            if fault is not None:
                place = f"records[{number}].{storable(column)}"
                found[place] = [(fault.vi, fault.en)]
                if len(found) >= MAX_FAULTS:
                    return found
    return found


def _records(value: object) -> list[object]:
    """The records, refused whole when any value cannot be stored: nothing is written, and
    the batch's key stays free for the corrected batch."""
    if not isinstance(value, list):
        raise InvalidInput("Cần records là một mảng JSON.", "records must be a JSON array.")
    if len(value) > MAX_RECORDS:
        raise TooLarge(
            f"Lô có {len(value):,} bản ghi, tối đa {MAX_RECORDS:,}; hãy chia nhỏ.",
            f"The batch holds {len(value):,} records, at most {MAX_RECORDS:,}; split it.",
        )
    faults = _faults(value)
    if faults:
        places = ", ".join(list(faults)[:5]) + (" …" if len(faults) > 5 else "")
        raise InvalidInput(
            f"Lô có giá trị không lưu được (ký tự NUL, surrogate đứng lẻ, NaN/Infinity) ở "
            f"{places}; không dòng nào được ghi, hãy sửa rồi gửi lại với cùng idempotency_key.",
            f"The batch holds values that cannot be stored (NUL, lone surrogates, "
            f"NaN/Infinity) at {places}; nothing was written, fix them and send it again with "
            "the same idempotency_key.",
            fields=faults,
        )
    return value


def _earlier(source: str, batch_key: str) -> IngestRun | None:
    """The finished run of this batch, waiting a little for one still running.

    A failed run, or one whose process died (`runs_interrupted_close`), gives its key up so
    the batch can be sent again.
    """
    deadline = time.monotonic() + RETRY_WAIT
    while True:
        run = IngestRun.objects.filter(source=source, idempotency_key=batch_key).first()
        if run is None or run.status == IngestRun.Status.DONE:
            return run
        if run.status == IngestRun.Status.RUNNING and run.pk in runs_interrupted_close():
            run.refresh_from_db()
        if run.status == IngestRun.Status.FAILED:
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
