"""Periodic jobs the live server runs: `job_register(name, every_s, fn)` in an app's
`live_jobs.py`; one worker thread runs each job on its own schedule.

A job takes no arguments and runs in the worker thread with Django's connection of that thread
(closed after a failure, so the next run opens a fresh one). A failure is logged to
`gisioc.live`, never fatal: the job runs again at its next time.
"""

import heapq
import importlib
import importlib.util
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import close_old_connections, connection

from gisioc.registries import Registry

log = logging.getLogger("gisioc.live")
MODULE = "live_jobs"


@dataclass
class Job:
    """A registered job and what its runs gave so far."""

    name: str
    every_s: float
    fn: Callable[[], object]
    runs: int = 0
    failures: int = 0
    last_error: str = ""
    last_ms: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def state(self) -> dict[str, object]:
        """Counts for /health (the error's class only: its text may hold anything)."""
        return {
            "every_s": self.every_s,
            "runs": self.runs,
            "failures": self.failures,
            "last_error": self.last_error,
            "last_ms": round(self.last_ms, 1),
        }


JOBS: Registry[Job] = Registry("live job")


def job_register(name: str, every_s: float, fn: Callable[[], object]) -> Job:
    """Run `fn()` every `every_s` seconds in the live server (first run one period after start)."""
    if every_s <= 0:
        raise ValueError(f"live job {name!r}: every_s must be positive")
    return JOBS.add(name, Job(name=name, every_s=float(every_s), fn=fn))


def jobs_discover() -> list[str]:
    """Import every installed app's `live_jobs` module; the modules imported."""
    found = []
    for app in apps.get_app_configs():
        name = f"{app.name}.{MODULE}"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
            found.append(name)
    return found


def job_run(job: Job) -> bool:
    """Run a job once in this thread; whether it succeeded (a failure is logged, not raised)."""
    t0 = time.perf_counter()
    with job.lock:
        job.runs += 1
        try:
            close_old_connections()
            job.fn()
            return True
        except Exception as exc:  # a failing job must never stop the others
            job.failures += 1
            job.last_error = type(exc).__name__
            log.exception("live job %s failed", job.name)
            try:
                connection.close()  # a broken connection is not reused by the next run
            except Exception:
                log.warning("live job %s: closing its connection failed too", job.name)
            return False
        finally:
            job.last_ms = (time.perf_counter() - t0) * 1000


class JobRunner:
    """One worker thread running every given job on its own schedule until stopped."""

    def __init__(self, jobs: list[Job] | None = None) -> None:
        self.jobs = list(JOBS) if jobs is None else jobs
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="gisioc-live-jobs", daemon=True)

    def start(self) -> "JobRunner":
        """Start the worker (returns at once)."""
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to stop and wait for the job it runs to end."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout)

    def _loop(self) -> None:
        now = time.monotonic()
        queue = [(now + job.every_s, i, job) for i, job in enumerate(self.jobs)]
        heapq.heapify(queue)
        try:
            while queue and not self.stopping.is_set():
                due, i, job = queue[0]
                if self.stopping.wait(max(0.0, due - time.monotonic())):
                    break
                heapq.heapreplace(queue, (max(due + job.every_s, time.monotonic()), i, job))
                job_run(job)
        finally:
            connection.close()
