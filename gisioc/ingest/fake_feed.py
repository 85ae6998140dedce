"""Local fakes of the provincial systems' change feeds, for the demo and the tests.

A fake holds records by id and appends every change to a log; `?since=<seq>` lists the
versions after `seq` oldest first, so the pages of one `since` never shift while they are
read (the protocol `gisioc.ingest.pull.feed.ChangeFeedPuller` reads). A system's fake follows the
lives of its demo records (a life knows its row at any moment) and `catch_up(moment)`
publishes those whose status has changed by then; lives still to come (an endless generator,
day by day) join as their days arrive, so a fake left running goes on day after day. One
server can serve several fakes, each at its own path. Tests flip `fail_status` or `delay` to
make a fake misbehave. A system's `fake` module registers its fake (`register_fake`);
`gisioc fake-source` serves every one registered and adds the demo's pulls from them.
"""

import contextlib
import datetime as dt
import json
import math
import threading
import urllib.parse
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Protocol, Self

from gisioc.periods import VIETNAM, vietnam_date
from gisioc.registries import Registry

MAX_PAGE_SIZE = 200
STATUS = "Trạng thái"  # the status column of every demo export


class Life(Protocol):
    """A demo record from its receipt on."""

    received: dt.datetime

    @property
    def code(self) -> str: ...

    def settled_by(self, moment: dt.datetime) -> bool:
        """Nothing more happens to the record after `moment`."""
        ...


class FakeFeed(ABC):
    """In-memory records with a change log, following the lives of demo records. A system's
    fake says how its API writes a row (`record`) and, when it follows lives, how a life reads
    at a moment (`row_as_of`); a fake without lives publishes through `append` itself."""

    path: ClassVar[str]  # where a server serves this feed
    # The life's row, as the demo export writes it, at a moment (fakes that follow lives).
    row_as_of: Callable[[Any, dt.datetime], dict[str, object]]

    def __init__(self, *, base: int = 0, max_page: int = MAX_PAGE_SIZE) -> None:
        self._lock = threading.Lock()
        self._log: list[dict[str, Any]] = []
        self._current: dict[str, dict[str, Any]] = {}
        self.base = base  # sequence numbers start after it (a restarted fake moves on)
        self.max_page = max_page
        self.fail_status: int | None = None
        self.fail_from_page = 1
        self.delay = 0.0
        self.released = threading.Event()
        # Records whose row may still change, and the status last published of each.
        self._followed: list[Life] = []
        self._shown: dict[str, object] = {}
        # Lives still to come, in order of day, and the first of them already drawn.
        self._coming: Iterator[Life] = iter(())
        self._coming_published_at: dt.datetime | None = None
        self._drawn: Life | None = None

    @classmethod
    def for_demo(cls, *, as_of: dt.datetime, base: int, options: Mapping[str, Any]) -> Self:
        """The fake `gisioc fake-source serve` runs: the demo's world as of `as_of`, its
        sequence after `base`; `options` are the command's (`days`, `per_day`: None unless
        given), for the fakes that use them."""
        return cls(as_of=as_of, base=base)  # type: ignore[call-arg]

    @abstractmethod
    def record(self, row: dict[str, object]) -> dict[str, Any]:
        """A row as the system's API writes it."""

    def follow(self, lives: Iterable[Life], *, published_at: dt.datetime | None = None) -> None:
        """Follow lives from now on. With `published_at`, the source already holds the rows
        of those received by then as of that moment (the demo's snapshot): of those, only the
        ones not settled then are followed."""
        for life in lives:
            if published_at is None or life.received > published_at:
                self._followed.append(life)
            elif not life.settled_by(published_at):
                self._followed.append(life)
                self._shown[life.code] = self.row_as_of(life, published_at)[STATUS]

    def follow_coming(
        self, lives: Iterator[Life], *, published_at: dt.datetime | None = None
    ) -> None:
        """Follow lives, in order of day and maybe endless, as their days arrive in
        `catch_up` (`published_at` as in `follow`)."""
        self._coming, self._coming_published_at, self._drawn = lives, published_at, None

    def _arrive(self, day: dt.date) -> None:
        arrived = []
        while (life := self._drawn or next(self._coming, None)) is not None:
            if vietnam_date(life.received) > day:
                self._drawn = life
                break
            self._drawn = None
            arrived.append(life)
        self.follow(arrived, published_at=self._coming_published_at)

    def publish(self, code: str, row: dict[str, object]) -> None:
        """Append a version of a record."""
        self._shown[code] = row[STATUS]
        self.append(code, self.record(row))

    def append(self, code: str, record: dict[str, Any]) -> None:
        """Append a version of a record, as the system's API writes it."""
        self._current[code] = record
        self._log.append(dict(record))

    @property
    def head(self) -> int:
        """The sequence number of the latest change."""
        return self.base + len(self._log)

    def records(self) -> list[dict[str, Any]]:
        """Every record as it stands."""
        with self._lock:
            return [dict(r) for r in self._current.values()]

    def catch_up(self, moment: dt.datetime) -> list[str]:
        """Publish the followed records received, or moved on, by `moment`; their codes."""
        moved: list[str] = []
        with self._lock:
            self._arrive(vietnam_date(moment))
            followed = []
            for life in self._followed:
                if life.received <= moment:
                    row = self.row_as_of(life, moment)
                    if self._shown.get(life.code) != row[STATUS]:
                        self.publish(life.code, row)
                        moved.append(life.code)
                if not life.settled_by(moment):
                    followed.append(life)
            self._followed = followed
        return moved

    def feed(self, *, since: int, page: int, size: int) -> dict[str, Any]:
        """One page of the versions after `since`, oldest first."""
        size = max(1, min(size, self.max_page))
        with self._lock:
            start = max(0, since - self.base)
            after = self._log[start:]
            chunk = after[(page - 1) * size : page * size]
            last = self.base + start + (page - 1) * size + len(chunk)
        return {
            "data": chunk,
            "page": page,
            "pageSize": size,
            "total": len(after),
            "totalPages": math.ceil(len(after) / size),
            "cursor": str(last if chunk else since),
        }


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        fake = self.server.fakes.get(url.path.rstrip("/"))
        if fake is None:
            self._send(404, {"error": "not found", "path": url.path})
            return
        query = urllib.parse.parse_qs(url.query)
        try:
            since = int(query.get("since", ["0"])[0] or 0)
            page = max(1, int(query.get("page", ["1"])[0]))
            size = int(query.get("pageSize", [str(MAX_PAGE_SIZE)])[0])
        except ValueError:
            self._send(400, {"error": "since, page and pageSize are whole numbers"})
            return
        if fake.delay:
            fake.released.wait(fake.delay)
        if fake.fail_status and page >= fake.fail_from_page:
            self._send(fake.fail_status, {"error": HTTPStatus(fake.fail_status).phrase})
            return
        self._send(200, fake.feed(since=since, page=page, size=size))

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fakes: dict[str, FakeFeed], verbose: bool):
        super().__init__(address, _Handler)
        self.fakes, self.verbose = fakes, verbose

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a timed-out pull) is not an error of the fake."""


def fake_server(
    *fakes: FakeFeed, host: str = "127.0.0.1", port: int = 0, verbose: bool = False
) -> _Server:
    """An HTTP server for the fakes, each at its path (port 0 picks a free one); call
    serve_forever on it."""
    return _Server((host, port), {fake.path: fake for fake in fakes}, verbose)


def feed_url(server: ThreadingHTTPServer, fake: FakeFeed) -> str:
    """A fake's feed URL on a running server."""
    host, port = server.server_address[:2]
    return f"http://{host}:{port}{fake.path}"


@contextlib.contextmanager
def fake_serving(fake: FakeFeed, *, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the fake on a free port in a thread for the block; yields the feed URL."""
    server = fake_server(fake, host=host)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield feed_url(server, fake)
    finally:
        fake.released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def demo_base() -> int:
    """A sequence start that grows with the clock (µs), so a restarted fake is pulled afresh."""
    return int(dt.datetime.now(VIETNAM).timestamp() * 1_000_000)


fakes = Registry[type[FakeFeed]]("Fake feed")


def register_fake(system: str, feed: type[FakeFeed]) -> type[FakeFeed]:
    """Declare a system's fake source (from its `fake` module); served at `feed.path`, built
    by `feed.for_demo`."""
    return fakes.add(system, feed)
