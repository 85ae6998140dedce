"""One writer thread beside the reader: while PostgreSQL writes a chunk (the thread waits on
its socket, the GIL free), this process reads, normalises and places the next ones.

The writer has its own database connection: it is used only outside any transaction (a dry
run or a caller's transaction keeps everything on one connection, in order, without it). At
most DEPTH chunks wait: memory stays bounded; chunks are written in order; once a write fails
no later chunk is written, and its error is raised in the caller at its next hand-over or at
the end.
"""

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, connections

DEPTH = 2  # chunks handed over and not yet written: the reader runs on while one write is slow


class _Skipped(Exception):
    """A chunk not written because one before it failed."""


class Writer:
    """`write(fn, *args)` runs fn after the previous write, in a thread or (`threaded` False)
    at once; `done` is called in the caller after each write ends."""

    def __init__(self, *, threaded: bool, done: Callable[[], None]) -> None:
        self.threaded = threaded and not connection.in_atomic_block
        self.done = done
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future[Any]] = deque()
        self._failed = False

    def __enter__(self) -> "Writer":
        if self.threaded:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer")
        return self

    def write(self, fn: Callable[..., Any], *args: Any) -> None:
        """Write one chunk (after the ones before have been written)."""
        if self._pool is None:
            fn(*args)
            self.done()
            return
        while len(self._pending) >= DEPTH:
            self._wait_one()
        self._pending.append(self._pool.submit(self._run, fn, *args))

    def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._failed:  # in the writer thread, in order: a failed chunk stops the rest
            raise _Skipped
        try:
            return fn(*args)
        except BaseException:
            self._failed = True
            raise

    def _wait_one(self) -> None:
        self._pending[0].result()
        self._pending.popleft()
        self.done()

    def wait(self) -> None:
        """Until every chunk handed over is written; the first error, if any, raised here."""
        while self._pending:
            self._wait_one()

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                self.wait()
        finally:
            for pending in self._pending:  # failing anyway: let the writes end, keep our error
                pending.exception()
            self._pool.submit(connections.close_all).result()  # the writer's own connection
            self._pool.shutdown(wait=True)
