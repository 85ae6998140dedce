"""The pull loop: every due source in turn, each failure reported and retried at its next
interval, and once a day the raw rows past their retention pruned."""

import threading
from datetime import datetime

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from gisioc.errors import GisiocError
from gisioc.ingest.models import PullSource
from gisioc.ingest.pull.client import TIMEOUT
from gisioc.ingest.pull.services import BROKE, pull_run, pull_source_next
from gisioc.ingest.report import Progress
from gisioc.ingest.runs import pruned_line, raw_records_prune, runs_interrupted_close

MIN_WAIT = 5.0  # seconds between rounds, so a source that cannot start is not retried in a spin


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
    """Pull every due source, then sleep until the next is due, until `stop` is set; each
    round, close the runs whose process died; once a day, prune raw rows past their
    retention (GISIOC_RAW_DAYS).

    A failing source is reported and retried at its next interval; it never stops the others.
    Returns the number of pulls made.
    """
    pulls = 0
    pruned_on = None
    while not stop.is_set():
        if not connection.in_atomic_block:  # the loop outlives connections (database restarts)
            close_old_connections()
        for run_id in runs_interrupted_close():  # their process died (kill -9, a lost host)
            progress(f"Lượt nhập #{run_id} bị ngắt giữa chừng — run #{run_id} was interrupted")
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
            except Exception:  # logged with its trace by pull_run; the loop goes on
                progress(f"{pulled.source}: {' — '.join(BROKE)}")
                continue
            progress("\n".join(report.lines()[: 3 if report.message else 2]))
        now = timezone.now()
        waits = [
            (moment - now).total_seconds() if moment else 0.0
            for moment in map(pull_source_next, PullSource.objects.filter(active=True))
        ]
        stop.wait(max(MIN_WAIT, min([idle, *waits])))
    return pulls
