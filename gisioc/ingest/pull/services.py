"""Pull sources (add, list, stop, when next) and one pull run; the cursor moves only on success."""

import contextlib
import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from gisioc.errors import Conflict, InvalidInput, NotFound
from gisioc.ingest.keys import source_name_check
from gisioc.ingest.models import IngestRun, PullSource
from gisioc.ingest.pull.client import TIMEOUT, url_check
from gisioc.ingest.pull.registry import puller_get
from gisioc.ingest.readers import RawRow
from gisioc.ingest.records import record_row
from gisioc.ingest.report import Progress, RunReport
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.systems import system_get

LOCK_CLASS = 0x67_69_6F_63  # advisory-lock namespace: one pull of a source at a time
BROKE = (
    "Lỗi hệ thống khi kéo; con trỏ giữ nguyên, lần kéo sau đọc lại từ đó (chi tiết trong nhật ký)",
    "Internal error while pulling; the cursor stays, the next pull reads again from it "
    "(details in the server log)",
)
log = logging.getLogger(__name__)


def pull_source_add(
    *, system: str, source: str, url: str, every_minutes: int, reset: bool = False
) -> PullSource:
    """Add a source to pull, or change its URL and interval (its cursor kept unless `reset`)."""
    name = system_get(system).name
    puller_get(name)
    source = source_name_check(system=name, source=source)
    if every_minutes < 1:
        raise InvalidInput("Chu kỳ tối thiểu 1 phút.", "The interval is 1 minute at least.")
    pulled, created = PullSource.objects.get_or_create(
        source=source,
        defaults={"system": name, "url": url_check(url), "every_minutes": every_minutes},
    )
    if not created:
        pulled.url, pulled.every_minutes, pulled.active = url_check(url), every_minutes, True
        if reset:
            pulled.cursor = ""
        pulled.save(update_fields=["url", "every_minutes", "active", "cursor"])
    return pulled


def pull_sources_list() -> list[PullSource]:
    """Every configured pull source."""
    return list(PullSource.objects.select_related("last_run"))


def pull_source_next(pulled: PullSource) -> datetime | None:
    """When the source is next due; None when it has never run (due now)."""
    if pulled.last_started_at is None:
        return None
    return pulled.last_started_at + timedelta(minutes=pulled.every_minutes)


@contextlib.contextmanager
def _only_one(pulled: PullSource) -> Iterator[None]:
    """A session lock (across the run's transactions) so one source is pulled once at a time."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, pulled.pk])
        if not cursor.fetchone()[0]:
            raise Conflict(
                f"Nguồn {pulled.source} đang được kéo ở nơi khác.",
                f"Source {pulled.source} is being pulled elsewhere.",
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, pulled.pk])


def _source_get(source: str) -> PullSource:
    pulled = PullSource.objects.filter(source=source).first()
    if pulled is None:
        known = ", ".join(PullSource.objects.values_list("source", flat=True)) or "—"
        raise NotFound(
            f"Không có nguồn kéo {source}; có: {known}.",
            f"No pull source {source}; known: {known}.",
        )
    return pulled


def pull_source_stop(*, source: str) -> PullSource:
    """Pull a source no more (its runs and cursor kept; `pull_source_add` resumes it)."""
    pulled = _source_get(source)
    pulled.active = False
    pulled.save(update_fields=["active"])
    return pulled


def pull_run(*, source: str, timeout: float = TIMEOUT, progress: Progress = print) -> RunReport:
    """Pull a source once now: one run; the cursor moves only when the run succeeds."""
    pulled = _source_get(source)
    puller = puller_get(pulled.system)
    with _only_one(pulled):
        pulled.last_started_at = timezone.now()
        pulled.save(update_fields=["last_started_at"])
        state = {"cursor": pulled.cursor, "pages": 0}

        def rows() -> Iterator[RawRow]:
            number = 0
            for page in puller.pages(url=pulled.url, cursor=pulled.cursor, timeout=timeout):
                for record in page.records:
                    number += 1
                    yield record_row(number, record)
                state["cursor"], state["pages"] = page.cursor, state["pages"] + 1
                progress(
                    f"  trang / page {state['pages']}: {len(page.records):,} bản ghi / records"
                )

        progress(f"Kéo / pulling {pulled.source} ← {pulled.url} (từ / since '{pulled.cursor}')")
        try:
            report = ingest_rows(
                system=pulled.system,
                rows=rows(),
                source=pulled.source,
                kind=IngestRun.Kind.PULL,
                progress=progress,
            )
        except Exception:
            log.exception("pull of source %s failed", pulled.source)
            _pull_end(pulled, None, " — ".join(BROKE), None)
            raise
        _pull_end(pulled, report, report.message, state)
    return report


def _pull_end(
    pulled: PullSource, report: RunReport | None, error: str, state: dict[str, Any] | None
) -> None:
    done = report is not None and report.status == IngestRun.Status.DONE
    if report is not None and report.run_id and state is not None:
        run = IngestRun.objects.get(pk=report.run_id)
        run.details = {
            **run.details,
            "url": pulled.url,
            "cursor_from": pulled.cursor,
            "cursor_to": state["cursor"] if done else pulled.cursor,
            "pages": state["pages"],
        }
        run.save(update_fields=["details"])
    if done and state is not None:
        pulled.cursor = state["cursor"]
    pulled.last_finished_at = timezone.now()
    pulled.last_status = PullSource.Status.DONE if done else PullSource.Status.FAILED
    pulled.last_error = "" if done else error
    pulled.last_run_id = report.run_id if report is not None else pulled.last_run_id
    pulled.save(
        update_fields=["cursor", "last_finished_at", "last_status", "last_error", "last_run"]
    )
