"""Writes of the connector framework: run a file or a stream of rows through a system."""

import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from gisioc.errors import Conflict, GisiocError, InvalidInput
from gisioc.geo.facility_rows import RowError
from gisioc.ingest.copy import csv_line, lines_copy
from gisioc.ingest.locate import Locator
from gisioc.ingest.mapping import HeaderPlan, mapping_profile_check, mapping_profile_get
from gisioc.ingest.models import IngestRun, MappingProfile, RawRecord
from gisioc.ingest.pipeline import Writer
from gisioc.ingest.readers import BadRow, RawRow, Row, source_open
from gisioc.ingest.report import COUNTS, Progress, RunReport, columns_lines
from gisioc.ingest.runs import run_held, run_released, runs_interrupted_close
from gisioc.ingest.systems import FieldError, System, system_get
from gisioc.ingest.values import json_dumps, json_ready, json_text, text_storable, value_fault

CHUNK = 2_000  # rows per transaction: a failure loses at most one chunk's work, never the run
DETAILS = ("format", "encoding", "header_row", "profile", "columns", "notes")
LOOKAHEAD = 500  # records a stream is read ahead to find a required key its first lacks
# What a run or a row keeps when the database or the code failed: never the error's text
# (SQL, values, class names, paths), which goes to the log with the run's id.
REFUSED = FieldError(
    "",
    "cơ sở dữ liệu không nhận dòng này (giá trị quá dài, ngoài khoảng hoặc trùng)",
    "the database refused this row (a value too long, out of range or a duplicate)",
)
FAILED = (
    "Lỗi hệ thống khi nhập; dữ liệu đã ghi trước đó được giữ, hãy thử lại hoặc báo quản trị "
    "(lượt #{run})",
    "Internal error while ingesting; what was stored before is kept, retry or tell the "
    "administrator (run #{run})",
)
log = logging.getLogger(__name__)


def _batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Lists of `size` rows; when reading breaks, the rows read before it still come."""
    iterator = iter(rows)
    while True:
        batch: list[Row] = []
        try:
            for row in iterator:
                batch.append(row)
                if len(batch) == size:
                    break
        except GisiocError:
            if batch:
                yield batch
            raise
        if not batch:
            return
        yield batch


def _upsert(
    system: System, rows: list[dict[str, Any]], run: IngestRun, lines: list[str] | None
) -> list[Any]:
    """Outcomes of the chunk; if the database refuses it, row by row to find the culprits."""
    if not rows:
        return []
    try:
        with transaction.atomic():
            return system.upsert_lines(rows, run, lines)
    except DatabaseError:
        pass
    outcomes: list[Any] = []
    for values in rows:
        try:
            with transaction.atomic():
                outcomes.append(system.upsert_many([values], run)[0])
        except DatabaseError as exc:
            detail = str(exc).strip().splitlines()[:1]
            log.warning("ingest run #%s: row refused: %s %s", run.pk, type(exc).__name__, detail)
            outcomes.append(REFUSED)
    return outcomes


class _Raw:
    """A row's raw audit record until it is copied (no model instance per row). Its first
    columns are written as COPY text where the row is read (`head`), so the writer thread
    adds only what the write decides (errors, outcome, note)."""

    __slots__ = ("errors", "external_id", "head", "note", "outcome", "row")

    def __init__(self, row: int, external_id: str = "", raw: str = "{}") -> None:
        self.row, self.external_id = row, external_id
        self.head = csv_line((row, external_id, raw), _HEAD_TEXTS)  # raw: JSON text
        self.errors: list[dict[str, str]] = []
        self.outcome, self.note = "", ""


RAW_COLUMNS = ("row", "external_id", "raw", "run_id", "errors", "outcome", "note")
_HEAD_TEXTS = (str, str, str)
_TAIL_TEXTS = (str, json_dumps, str, str)


def _raw_copy(run: IngestRun, records: list[_Raw]) -> None:
    """COPY the chunk's raw records."""
    lines = [
        f"{r.head},{csv_line((run.pk, r.errors, r.outcome, r.note), _TAIL_TEXTS)}\n"
        for r in records
    ]
    if lines:
        lines_copy(table=RawRecord._meta.db_table, columns=RAW_COLUMNS, lines=lines)


def _reject(record: _Raw, errors: list[FieldError], report: RunReport) -> None:
    errors = [FieldError(*map(text_storable, e)) for e in errors]
    record.outcome = RawRecord.Outcome.REJECTED
    record.errors = [{"field": e.field, "vi": e.vi, "en": e.en} for e in errors]
    report.rejected += 1
    report.add_errors(
        [RowError(record.row, e.field, e.vi, e.en, record.external_id) for e in errors]
    )


class Prepared(list[tuple[_Raw, dict[str, Any] | None, list[FieldError]]]):
    """A chunk's rows as `_prepare` leaves them, and the COPY lines of its good rows as new
    records (`System.new_lines`), written before the writer thread takes the chunk."""

    lines: list[str] | None = None


def _good(prepared: Prepared) -> list[dict[str, Any]]:
    return [values for _, values, errors in prepared if not errors and values is not None]


def _prepare(
    system: System, plan: HeaderPlan, chunk: list[Row], locator: Locator, run: IngestRun | None
) -> Prepared:
    """Each row's raw record and its normalised, located values, or why it is refused; reads
    the database (places) but writes nothing and counts nothing. With `run`, the good rows'
    COPY lines as its new records are written ahead."""
    prepared = Prepared()
    for raw in chunk:
        if isinstance(raw, BadRow):
            prepared.append((_Raw(raw.number), None, [FieldError("", raw.vi, raw.en)]))
            continue
        sent = plan.fields_of(raw.values)
        if system.screen is not None:
            sent = system.screen(sent)
            kept = {name: x for name, x in sent.items() if name not in system.private}
        else:
            kept = plan.kept(raw.values)
        values, errors = system.normalise(sent)
        key = str(values.get(system.key) or "")[:200]
        if not errors:
            system.locate(values, locator)
        prepared.append((_Raw(raw.number, key, json_text(kept)), values, errors))
    if run is not None:
        prepared.lines = system.new_lines(_good(prepared), run)
    return prepared


def _store(system: System, prepared: Prepared, run: IngestRun, report: RunReport) -> None:
    """Upsert a prepared chunk, count it, and keep every row's raw record."""
    records: list[_Raw] = []
    good: list[tuple[_Raw, dict[str, Any]]] = []
    for record, values, errors in prepared:
        report.received += 1
        records.append(record)
        if errors or values is None:
            _reject(record, errors, report)
        else:
            good.append((record, values))
    outcomes = _upsert(system, [values for _, values in good], run, prepared.lines)
    for (record, values), outcome in zip(good, outcomes, strict=True):
        if isinstance(outcome, FieldError):
            _reject(record, [outcome], report)
            continue
        record.outcome = outcome
        setattr(report, outcome, getattr(report, outcome) + 1)
        if not system.placed(values):
            record.note = str(values.get("locate_reason") or "")[:300]
            report.not_located += 1
            report.add_unlocated(record.row, record.external_id, record.note)
    _raw_copy(run, records)


def _write(system: System, prepared: Prepared, run: IngestRun, report: RunReport) -> None:
    """One prepared chunk in its own transaction, with the run's counts; if it fails, its
    counts are taken back with it."""
    before = {name: getattr(report, name) for name in COUNTS}
    try:
        with transaction.atomic():
            _commit_later()
            _store(system, prepared, run, report)
            _save_run(run, report)
    except Exception:
        for name, value in before.items():  # the chunk was rolled back: so are its counts
            setattr(report, name, value)
        raise


def _save_run(run: IngestRun, report: RunReport, *fields: str) -> None:
    for name in COUNTS:
        setattr(run, name, getattr(report, name))
    run.save(update_fields=[*COUNTS, *fields])


def _process(
    system: System,
    plan: HeaderPlan,
    rows: Iterable[Row],
    run: IngestRun,
    report: RunReport,
    *,
    chunk_size: int,
    progress: Progress,
    threaded: bool = False,
) -> None:
    """Every chunk prepared here and written in turn (`threaded`: by a writer thread while
    the next is prepared). New records' COPY lines are written ahead here while the chunks
    written last were mostly new (a first import), not while they were not (a re-import)."""
    started = time.perf_counter()
    locator = Locator()
    if system.start is not None:
        system.start()
    ahead, counted = [True], [0, 0]  # created, received when the last write ended

    def done() -> None:
        created, received = report.created - counted[0], report.received - counted[1]
        counted[:] = [report.created, report.received]
        ahead[0] = created * 2 >= received
        seconds = time.perf_counter() - started
        progress(
            f"  {report.received:,} dòng / rows — {report.received / max(seconds, 1e-6):,.0f} "
            f"dòng/giây / rows/s"
        )

    with Writer(threaded=threaded, done=done) as writer:
        for chunk in _batches(rows, chunk_size):
            with transaction.atomic():  # a rule's failed query spoils nothing around it
                prepared = _prepare(system, plan, chunk, locator, run if ahead[0] else None)
            writer.write(_write, system, prepared, run, report)


def _commit_later() -> None:
    """A chunk's commit does not wait for its WAL to reach the disk (the run's last write,
    `_finish`, does, and with it every chunk before): a crash of the process loses nothing
    committed; only a crash of the database server's machine may lose the last chunks of a
    run still running, which then reads as interrupted and is run again (idempotent)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")


def _finish(run: IngestRun, report: RunReport, status: str, message: str = "") -> None:
    report.status, report.message = status, message
    run.status, run.message, run.finished_at = status, message, timezone.now()
    _save_run(run, report, "status", "message", "finished_at")


@contextlib.contextmanager
def _written(dry_run: bool) -> Iterator[None]:
    """Nothing at all is kept of a dry run: one transaction, rolled back."""
    if not dry_run:
        yield
        return
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _start(system: System, report: RunReport, kind: str, key: str | None) -> IngestRun:
    """A new run, held by this process until it ends (runs whose process died are closed)."""
    runs_interrupted_close()
    if key and IngestRun.objects.filter(source=report.source, idempotency_key=key).exists():
        raise Conflict(
            f"Lô {key} của nguồn {report.source} đã được nhận.",
            f"Batch {key} of source {report.source} was already received.",
        )
    with transaction.atomic():  # held before anyone can see it running
        run = IngestRun.objects.create(
            system=system.name,
            source=report.source,
            kind=kind,
            file_name=report.file_name,
            profile=report.profile,
            idempotency_key=key,
        )
        run_held(run=run)
    return run


def _run(
    system: System,
    report: RunReport,
    open_rows: Callable[[HeaderPlan], Iterable[Row]],
    *,
    kind: str,
    key: str | None,
    chunk_size: int,
    progress: Progress,
) -> RunReport:
    """Start a run, read through `open_rows(plan)`, and always end it done or failed."""
    started = time.perf_counter()
    profile = (
        mapping_profile_get(system=system.name, name=report.profile) if report.profile else None
    )
    plan = HeaderPlan(system, profile)
    with _written(report.dry_run):
        run = _start(system, report, kind, key)
        report.run_id = None if report.dry_run else run.pk
        try:
            rows = open_rows(plan)
            run.details = json_ready({k: getattr(report, k) for k in DETAILS})
            run.save(update_fields=["details"])
            for line in columns_lines(report):
                progress(line)
            _process(
                system,
                plan,
                rows,
                run,
                report,
                chunk_size=chunk_size,
                progress=progress,
                threaded=kind == IngestRun.Kind.FILE,
            )
        except GisiocError as exc:
            _finish(run, report, IngestRun.Status.FAILED, exc.both())
        except Exception:
            log.exception("ingest run #%s failed", run.pk)
            vi, en = (text.format(run=run.pk) for text in FAILED)
            _finish(run, report, IngestRun.Status.FAILED, f"{vi} — {en}")
            raise
        else:
            _finish(run, report, IngestRun.Status.DONE)
        finally:
            run_released(run=run)
    report.seconds = round(time.perf_counter() - started, 2)
    return report


def ingest_file(
    *,
    system: str,
    path: Path,
    source: str | None = None,
    profile: str | None = None,
    dry_run: bool = False,
    chunk_size: int = CHUNK,
    progress: Progress = print,
) -> RunReport:
    """Read a CSV, XLSX, JSON, JSON lines or GeoJSON file into a system; one run, logged."""
    spec = system_get(system)
    for field, vi, value in (("source", "nguồn", source), ("profile", "hồ sơ ánh xạ", profile)):
        if value_fault(value) is not None:  # e.g. undecodable bytes on the command line
            raise InvalidInput(f"Tên {vi} không hợp lệ.", f"Invalid {field} name.", field=field)
    name = text_storable(path.name)
    report = RunReport(spec.name, source or spec.name, name, dry_run=dry_run, profile=profile or "")

    def open_rows(plan: HeaderPlan) -> Iterable[Row]:
        opened = (spec.open_file or source_open)(path=path, known=plan.known)
        report.format, report.encoding, report.header_row, report.notes = (
            opened.format,
            opened.encoding,
            opened.header_row,
            opened.notes,
        )
        report.columns = plan.columns(opened.headers)
        _require(spec, plan, opened.headers)
        where = f", dòng tiêu đề / header row {opened.header_row}" if opened.header_row else ""
        progress(f"Đọc / reading {name} ({opened.format}, {opened.encoding}{where})")
        return opened.rows

    return _run(
        spec,
        report,
        open_rows,
        kind=IngestRun.Kind.FILE,
        key=None,
        chunk_size=chunk_size,
        progress=progress,
    )


def ingest_rows(
    *,
    system: str,
    rows: Iterable[RawRow],
    source: str,
    kind: str = IngestRun.Kind.PUSH,
    idempotency_key: str | None = None,
    dry_run: bool = False,
    chunk_size: int = CHUNK,
    progress: Progress = print,
) -> RunReport:
    """Run rows keyed by header (a pushed batch, a pull, the demo) through a system."""
    spec = system_get(system)
    report = RunReport(spec.name, source, dry_run=dry_run, format="rows")

    def open_rows(plan: HeaderPlan) -> Iterable[Row]:
        # Records need not all carry the same keys: a batch in hand (a push) is checked on
        # the keys of all its records; a stream (a pull) on its first record, read on (up to
        # LOOKAHEAD records) while a required key is missing. So a record without a required
        # key is rejected alone, and only a key no record carries fails the run.
        rest: Iterator[RawRow] = iter(())
        if isinstance(rows, Sequence):
            first = list(rows)
        else:
            rest, first = iter(rows), []
            for row in rest:
                first.append(row)
                if len(first) >= LOOKAHEAD or not plan.missing(_headers(first)):
                    break
        headers = _headers(first)
        report.columns = plan.columns(headers)
        if first:
            _require(spec, plan, headers)
        return itertools.chain(first, rest)

    return _run(
        spec,
        report,
        open_rows,
        kind=kind,
        key=idempotency_key,
        chunk_size=chunk_size,
        progress=progress,
    )


def _headers(rows: Iterable[RawRow]) -> list[str]:
    return list(dict.fromkeys(h for row in rows for h in row.values))


def _require(system: System, plan: HeaderPlan, headers: list[str]) -> None:
    personal = [h for h in headers if plan.role(h)[0] == "personal"]
    if system.refuse_personal and personal:
        named = ", ".join(personal)
        raise InvalidInput(
            f"Không nhận: cột {named} là dữ liệu cá nhân; {system.title.vi} chỉ nhận số liệu "
            "tổng hợp, không nhận danh sách từng người. Bỏ cột đó rồi gửi lại.",
            f"Refused: column {named} holds personal data; {system.title.en} takes aggregate "
            "figures only, never lists of people. Remove the column and send again.",
        )
    missing = plan.missing(headers)
    if missing:
        have = ", ".join(headers) or "—"
        raise InvalidInput(
            f"Thiếu cột cho trường bắt buộc {', '.join(missing)}; các cột: {have}.",
            f"No column for required field(s) {', '.join(missing)}; columns: {have}.",
        )


def mapping_profile_save(
    *, system: str, name: str, mapping: dict[str, str | None], description: str = ""
) -> MappingProfile:
    """Create or replace a column-mapping profile after checking its target fields."""
    mapping_profile_check(system=system_get(system), mapping=mapping)
    profile, _ = MappingProfile.objects.update_or_create(
        system=system, name=name, defaults={"mapping": mapping, "description": description}
    )
    return profile
