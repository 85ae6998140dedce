"""Scheduled pulls: per-system adapters read a source's HTTP API from a cursor into a run.

A puller yields pages of records changed since a cursor; each page says where the next pull
would start once it and the pages before it are stored. The cursor moves only when the whole
run succeeds, so a failed pull is simply repeated (re-sent records come back "unchanged").
"""

import contextlib
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from gisioc.errors import Conflict, GisiocError, InvalidInput, NotFound
from gisioc.ingest.keys import source_name_check
from gisioc.ingest.models import IngestRun, PullSource
from gisioc.ingest.readers import RawRow
from gisioc.ingest.records import record_row
from gisioc.ingest.report import Progress, RunReport
from gisioc.ingest.runs import pruned_line, raw_records_prune
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.systems import system_get

TIMEOUT = 30.0  # seconds without a byte from the source before a pull gives up
MAX_RESPONSE = 64 * 1024 * 1024
LOCK_CLASS = 0x67_69_6F_63  # advisory-lock namespace: one pull of a source at a time
USER_AGENT = "gisioc-pull/1"
MIN_WAIT = 5.0  # seconds between rounds, so a source that cannot start is not retried in a spin


class SourceUnavailable(GisiocError):
    """The source's API could not be read: unreachable, an HTTP error, a timeout, bad JSON."""

    status = 502
    code = "source_unavailable"


@dataclass(frozen=True)
class Page:
    """Records of one response, and the cursor after them."""

    records: list[Any]
    cursor: str


class Puller(Protocol):
    """A source's adapter: pages of records changed since `cursor`, read from `url`."""

    def pages(self, *, url: str, cursor: str, timeout: float) -> Iterator[Page]:
        """Pages in order; raises SourceUnavailable when the source cannot be read."""
        ...


_pullers: dict[str, Puller] = {}
_discovered = threading.Event()


def register_puller(system: str, puller: Puller) -> Puller:
    """Declare the adapter that pulls records of a system (from its app's `pull` module)."""
    _pullers[system] = puller
    return puller


def puller_get(system: str) -> Puller:
    """The system's adapter; NotFound naming the systems that have one."""
    if not _discovered.is_set():
        autodiscover_modules("pull")
        _discovered.set()
    if system not in _pullers:
        known = ", ".join(sorted(_pullers)) or "—"
        raise NotFound(
            f"Hệ thống {system} chưa có bộ kéo dữ liệu; có: {known}.",
            f"System {system} has no pull adapter; these do: {known}.",
        )
    return _pullers[system]


def _url_check(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(
            f"Địa chỉ nguồn phải là http(s)://…: {url}",
            f"The source URL must be http(s)://…: {url}",
        )
    return url.strip()


def http_json(url: str, *, params: dict[str, object], timeout: float) -> Any:
    """GET `url` with query `params` as JSON; every failure is a SourceUnavailable in vi/en."""
    query = urllib.parse.urlencode({k: v for k, v in params.items() if v not in (None, "")})
    full = f"{_url_check(url)}{'&' if '?' in url else '?'}{query}" if query else url
    request = urllib.request.Request(
        full, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as exc:
        raise SourceUnavailable(
            f"Nguồn trả lỗi HTTP {exc.code} ({exc.reason}) cho {full}",
            f"The source answered HTTP {exc.code} ({exc.reason}) for {full}",
        ) from exc
    except TimeoutError as exc:
        raise _timed_out(full, timeout) from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(full, timeout) from exc
        raise SourceUnavailable(
            f"Không kết nối được nguồn {full}: {exc.reason}",
            f"Cannot reach the source {full}: {exc.reason}",
        ) from exc
    except OSError as exc:  # e.g. the connection reset mid-body
        raise SourceUnavailable(
            f"Mất kết nối với nguồn {full}: {exc}", f"Lost the connection to {full}: {exc}"
        ) from exc
    if len(body) > MAX_RESPONSE:
        raise SourceUnavailable(
            f"Trang trả về quá lớn (> {MAX_RESPONSE // 1024 // 1024} MB): {full}",
            f"The response is too large (> {MAX_RESPONSE // 1024 // 1024} MB): {full}",
        )
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceUnavailable(
            f"Nguồn trả về không phải JSON: {full}", f"The source did not answer JSON: {full}"
        ) from exc


def _timed_out(url: str, timeout: float) -> SourceUnavailable:
    return SourceUnavailable(
        f"Quá thời gian chờ nguồn ({timeout:g} giây): {url}",
        f"Timed out after {timeout:g} s waiting for the source: {url}",
    )


FEED_PAGE_SIZE = 500


def _feed_page(body: object, url: str) -> tuple[list[object], str, int]:
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise SourceUnavailable(
            f"Nguồn trả về JSON không đúng dạng (thiếu 'data'): {url}",
            f"The source answered JSON of an unexpected shape (no 'data'): {url}",
        )
    try:
        pages = int(body.get("totalPages") or 0)
    except (TypeError, ValueError) as exc:
        raise SourceUnavailable(
            f"'totalPages' không hợp lệ từ {url}", f"Invalid 'totalPages' from {url}"
        ) from exc
    return body["data"], str(body.get("cursor") or ""), pages


class ChangeFeedPuller:
    """Reads a paginated change feed, the protocol of the provincial systems' sync APIs.

    The feed lists record versions changed after a sequence number, oldest first:
    `GET <url>?since=<cursor>&page=<n>&pageSize=<k>` →
    `{"data": [{…}, …], "page": n, "pageSize": k, "totalPages": m, "cursor": "<seq>"}`, where
    `cursor` is the sequence number of the page's last entry. The `since` set only grows at
    its end, so its pages stay put while we read them.
    """

    def pages(self, *, url: str, cursor: str, timeout: float) -> Iterator[Page]:
        """Pages from the first to the last the source reports, each with its cursor."""
        number, last = 1, cursor
        while True:
            body = http_json(
                url,
                params={"since": cursor or "0", "page": number, "pageSize": FEED_PAGE_SIZE},
                timeout=timeout,
            )
            records, after, pages = _feed_page(body, url)
            if records and after in ("", last):
                raise SourceUnavailable(
                    f"Trang {number} của {url} không tiến con trỏ ('{after}')",
                    f"Page {number} of {url} does not move the cursor ('{after}')",
                )
            last = after or last
            yield Page(records, last)
            if not records or number >= pages:
                return
            number += 1


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
        defaults={"system": name, "url": _url_check(url), "every_minutes": every_minutes},
    )
    if not created:
        pulled.url, pulled.every_minutes, pulled.active = _url_check(url), every_minutes, True
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
        except Exception as exc:
            _pull_end(pulled, None, f"{type(exc).__name__}: {exc}", None)
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


def pull_sources_due(*, now: datetime) -> list[PullSource]:
    """Active sources whose interval has passed since their last pull began."""
    return [
        pulled
        for pulled in PullSource.objects.filter(active=True)
        if (pull_source_next(pulled) or now) <= now
    ]


def pull_loop(
    *,
    stop: threading.Event,
    timeout: float = TIMEOUT,
    idle: float = 60.0,
    progress: Progress = print,
) -> int:
    """Pull every due source, then sleep until the next is due, until `stop` is set; once a
    day, prune raw rows past their retention (GISIOC_RAW_DAYS).

    A failing source is reported and retried at its next interval; it never stops the others.
    Returns the number of pulls made.
    """
    pulls = 0
    pruned_on = None
    while not stop.is_set():
        if not connection.in_atomic_block:  # the loop outlives connections (database restarts)
            close_old_connections()
        if pruned_on != timezone.localdate():
            pruned_on = timezone.localdate()
            days = settings.CONFIG.raw_days
            runs, rows = raw_records_prune(days=days)
            if runs:
                progress(pruned_line(runs, rows, days))
        for pulled in pull_sources_due(now=timezone.now()):
            if stop.is_set():
                break
            pulls += 1
            try:
                report = pull_run(source=pulled.source, timeout=timeout, progress=lambda _: None)
            except GisiocError as exc:
                progress(f"{pulled.source}: {exc.both()}")
                continue
            except Exception as exc:
                progress(f"{pulled.source}: {type(exc).__name__}: {exc}")
                continue
            progress("\n".join(report.lines()[: 3 if report.message else 2]))
        now = timezone.now()
        waits = [
            (moment - now).total_seconds() if moment else 0.0
            for moment in map(pull_source_next, PullSource.objects.filter(active=True))
        ]
        stop.wait(max(MIN_WAIT, min([idle, *waits])))
    return pulls
