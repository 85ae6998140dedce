"""One writer thread beside the reader: while PostgreSQL writes a chunk (the thread waits on
its socket, the GIL free), this process reads, normalises and places the next one.

The writer has its own database connection: it is used only outside any transaction (a dry
run or a caller's transaction keeps everything on one connection, in order, without it). One
chunk waits at most: memory stays bounded; chunks are written in order; an error in a write is
raised in the caller at its next hand-over or at the end.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection, connections


class Writer:
    """`write(fn, *args)` runs fn after the previous write, in a thread or (`threaded` False)
    at once; `done` is called in the caller after each write ends."""

    def __init__(self, *, threaded: bool, done: Callable[[], None]) -> None:
        self.threaded = threaded and not connection.in_atomic_block
        self.done = done
        self._pool: ThreadPoolExecutor | None = None
        self._pending: Future[Any] | None = None

    def __enter__(self) -> "Writer":
        if self.threaded:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer")
        return self

    def write(self, fn: Callable[..., Any], *args: Any) -> None:
        """Write one chunk (after the one before has been written)."""
        if self._pool is None:
            fn(*args)
            self.done()
            return
        self.wait()
        self._pending = self._pool.submit(fn, *args)

    def wait(self) -> None:
        """Until the chunk handed over last is written; its error, if any, raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()
            self.done()

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if self._pool is None:
            return
        try:
            if kind is None:
                self.wait()
            elif self._pending is not None:  # failing anyway: let the write end, keep our error
                self._pending.exception()
        finally:
            self._pool.submit(connections.close_all).result()  # the writer's own connection
            self._pool.shutdown(wait=True)
