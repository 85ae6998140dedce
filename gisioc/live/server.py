"""The live server: the bus's events as Server-Sent Events (`GET /events`), `GET /health`.

One asyncio loop, no framework: a kept psycopg2 connection in autocommit LISTENs on the bus's
channel (its socket watched by the loop); each notification's rows are read once, framed once
and written to every client whose token admits them. A client whose unsent bytes pass
`BUFFER_MAX` for `BEHIND_S` (or past `BUFFER_HARD`) is dropped: it reconnects and catches up
from its last event id. If PostgreSQL goes
away the streams stay open; once it is back the rows committed meanwhile are sent.
"""

import asyncio
import contextlib
import json
import logging
import signal
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import psycopg2
from django.conf import settings
from django.db import connections

from gisioc.errors import GisiocError, MethodNotAllowed, NotFound, Unauthorized, Unavailable
from gisioc.live.bus import CHANNEL
from gisioc.live.tokens import Listener, token_read

log = logging.getLogger("gisioc.live")
PING_S = 15.0
RETRY_MS = 3000  # the browser's wait before it reconnects by itself
CATCH_UP_MAX = 1000
CATCH_UP_HOURS = 24
# Unsent bytes a client may hold: a burst (a catch-up, many events at once) may pass BUFFER_MAX
# for BEHIND_S seconds while the client reads it; longer, or past BUFFER_HARD, it is dropped.
BUFFER_MAX = 1024 * 1024
BUFFER_HARD = 32 * 1024 * 1024
BEHIND_S = 5.0
RECENT = 20_000  # ids already sent, remembered: commits may come out of id order
RECONNECT_S = 1.0
HEAD_MAX = 16 * 1024
APPLICATION = "gisioc-live"  # the LISTEN connection's name in pg_stat_activity
COLUMNS = "id, kind, at, unit_id, ST_X(geom), ST_Y(geom), roles, data::text FROM live_liveevent"


@dataclass(frozen=True)
class Event:
    """One row of the bus, framed once for every client."""

    id: int
    roles: frozenset[str] | None
    unit_id: int | None
    frame: bytes


def event_of(row: tuple) -> Event:
    """The SSE frame of a row of COLUMNS."""
    pk, kind, at, unit_id, lon, lat, roles, data = row
    body = {
        "id": pk,
        "kind": kind,
        "at": at.isoformat(),
        "unit_id": unit_id,
        "lon": lon,
        "lat": lat,
        "data": json.loads(data) if data else {},
    }
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    frame = f"id: {pk}\nevent: {kind}\ndata: {text}\n\n".encode()
    return Event(pk, None if roles is None else frozenset(roles), unit_id, frame)


@dataclass(eq=False)
class Client:
    """One open stream."""

    writer: asyncio.StreamWriter
    listener: Listener
    skip: set[int] = field(default_factory=set)  # sent by the catch-up before the bus had them
    behind_since: float | None = None  # since when more than BUFFER_MAX waits for it

    def send(self, data: bytes) -> bool:
        """Queue bytes; False (and the client dropped) when it has fallen too far behind."""
        transport = self.writer.transport
        if transport.is_closing():
            return False
        waiting = transport.get_write_buffer_size()
        if waiting <= BUFFER_MAX:
            self.behind_since = None
        elif self.behind_since is None:
            self.behind_since = time.monotonic()
        if waiting > BUFFER_HARD or (
            self.behind_since is not None and time.monotonic() - self.behind_since > BEHIND_S
        ):
            log.info("live: a client fell %d bytes behind; dropped", waiting)
            transport.abort()
            return False
        self.writer.write(data)
        return True


class Bus:
    """The LISTEN connection, what it has sent, and the clients it sends to."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.conn: Any = None
        self.fd = -1
        self.clients: set[Client] = set()
        self.sent: OrderedDict[int, None] = OrderedDict()
        self.high = 0  # the highest id sent (or present when the server started)
        self.events = 0
        self.reconnecting: asyncio.Task | None = None

    # The database side.
    def connect(self) -> None:
        """Open the connection and LISTEN; raises psycopg2.Error when the database is away."""
        params = connections["default"].get_connection_params()
        conn = psycopg2.connect(**params, application_name=APPLICATION)
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        self.conn, self.fd = conn, conn.fileno()  # fileno() fails once the connection died
        self.loop.add_reader(self.fd, self._readable)

    def start(self) -> None:
        """Connect and start after the newest event (retrying in the background if away)."""
        try:
            self.connect()
            self.high = self._query("SELECT coalesce(max(id), 0) FROM live_liveevent")[0][0]
            self.drain()
        except psycopg2.Error as exc:
            log.warning("live: database not reachable (%s); retrying", type(exc).__name__)
            self._lost()

    @property
    def up(self) -> bool:
        """Whether the LISTEN connection is open."""
        return self.conn is not None and not self.conn.closed

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def _readable(self) -> None:
        try:
            self.conn.poll()
            self.drain()
        except psycopg2.Error as exc:
            log.warning("live: database connection lost (%s)", type(exc).__name__)
            self._lost()

    def drain(self) -> None:
        """Send the rows of every notification received so far. A query reads notifications
        that arrived meanwhile into `notifies` without the socket turning readable again, so
        this runs after every query until none is left."""
        while self.conn is not None and self.conn.notifies:
            ids = sorted({int(n.payload) for n in self.conn.notifies if n.payload.isdigit()})
            self.conn.notifies.clear()
            fresh = [i for i in ids if i not in self.sent]
            if fresh:
                rows = self._query(f"SELECT {COLUMNS} WHERE id = ANY(%s) ORDER BY id", (fresh,))
                self.fan_out([event_of(r) for r in rows])

    def _lost(self) -> None:
        if self.conn is not None:
            self._lost_quietly()
        self.conn = None
        if self.reconnecting is None or self.reconnecting.done():
            self.reconnecting = self.loop.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        while True:
            await asyncio.sleep(RECONNECT_S)
            try:
                self.connect()
                rows = self._query(
                    f"SELECT {COLUMNS} WHERE id > %s ORDER BY id LIMIT %s",
                    (self.high, CATCH_UP_MAX * 5),
                )
            except psycopg2.Error:
                if self.conn is not None:
                    self._lost_quietly()
                continue
            log.info("live: database back; %d events missed meanwhile", len(rows))
            self.fan_out([event_of(r) for r in rows])
            try:
                self.drain()
            except psycopg2.Error:
                self._lost_quietly()
                continue
            return

    def _lost_quietly(self) -> None:
        with contextlib.suppress(ValueError, OSError):  # the socket may be gone already
            self.loop.remove_reader(self.fd)
        with contextlib.suppress(psycopg2.Error):
            self.conn.close()
        self.conn = None

    # The clients' side.
    def fan_out(self, events: list[Event]) -> None:
        """Send each event (once) to every client it admits."""
        for event in events:
            if event.id in self.sent:
                continue
            self.sent[event.id] = None
            if len(self.sent) > RECENT:
                self.sent.popitem(last=False)
            self.high = max(self.high, event.id)
            self.events += 1
            for client in list(self.clients):
                if event.id in client.skip:
                    client.skip.discard(event.id)
                elif client.listener.admits(event.roles, event.unit_id):
                    client.send(event.frame)

    def catch_up(self, client: Client, last: int | None) -> None:
        """Send what the client missed after `last` (at most CATCH_UP_MAX, CATCH_UP_HOURS)."""
        if last is None:
            return
        rows = self._query(
            f"SELECT * FROM (SELECT {COLUMNS} WHERE id > %s "
            f"AND at > now() - make_interval(hours => %s) ORDER BY id DESC LIMIT %s) t "
            "ORDER BY id",
            (last, CATCH_UP_HOURS, CATCH_UP_MAX),
        )
        for row in rows:
            event = event_of(row)
            if event.id not in self.sent:
                client.skip.add(event.id)  # the bus will hear of it: not twice
            if client.listener.admits(event.roles, event.unit_id):
                client.send(event.frame)

    def ping(self) -> None:
        """A comment to every client (keeps proxies and the browser from timing out)."""
        for client in list(self.clients):
            client.send(b": ping\n\n")

    def close(self) -> None:
        """Close every stream and the connection."""
        for client in list(self.clients):
            client.writer.transport.close()
        if self.reconnecting:
            self.reconnecting.cancel()
        if self.conn is not None:
            self._lost_quietly()


@dataclass
class Request:
    """The parts of an HTTP request the server reads."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]

    def param(self, name: str) -> str | None:
        """The first value of a query parameter."""
        values = self.query.get(name)
        return values[0] if values else None

    @property
    def english(self) -> bool:
        """Whether the client asks for English (errors are Vietnamese first otherwise)."""
        return self.headers.get("accept-language", "vi")[:2].lower() == "en"


def request_parse(head: bytes) -> Request | None:
    """The request line and headers, or None when they are not HTTP."""
    try:
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
    except ValueError:
        return None
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    url = urlsplit(target)
    return Request(method, url.path, parse_qs(url.query), headers)


def cors_headers(request: Request) -> list[str]:
    """Access-Control headers for a page of the app (same host, or an allowed host)."""
    origin = request.headers.get("origin")
    if not origin:
        return []
    hostname = urlsplit(origin).hostname or ""
    own = urlsplit("//" + request.headers.get("host", "")).hostname or ""
    if hostname != own and hostname not in settings.ALLOWED_HOSTS:
        return []
    return [
        f"Access-Control-Allow-Origin: {origin}",
        "Access-Control-Allow-Credentials: true",
        "Access-Control-Allow-Headers: Last-Event-ID, Cache-Control",
        "Vary: Origin",
    ]


REASONS = {200: "OK", 204: "No Content", 401: "Unauthorized", 404: "Not Found",
           405: "Method Not Allowed", 400: "Bad Request", 503: "Service Unavailable"}  # fmt: skip


def _head(status: int, request: Request | None, extra: list[str]) -> bytes:
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}", *extra]
    lines += cors_headers(request) if request else []
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def json_answer(
    status: int, body: dict[str, Any], request: Request | None, extra: tuple[str, ...] = ()
) -> bytes:
    """A whole JSON answer (the connection closes after it)."""
    data = json.dumps(body, ensure_ascii=False).encode()
    head = [
        "Content-Type: application/json",
        f"Content-Length: {len(data)}",
        "Cache-Control: no-store",
        "Connection: close",
        *extra,
    ]
    return _head(status, request, head) + data


def error_answer(exc: GisiocError, request: Request | None) -> bytes:
    """Our one error shape (gisioc.errors), with a request id of its own."""
    body = exc.as_dict("en" if request and request.english else "vi")
    body["request_id"] = uuid.uuid4().hex
    extra = tuple(f"{k}: {v}" for k, v in exc.headers.items())
    return json_answer(exc.status, body, request, extra)


NO_PAGE = NotFound("Không có trang này.", "No such page.")
NOT_ALLOWED = MethodNotAllowed("Chỉ nhận GET.", "Only GET is answered.")
BAD_TOKEN = Unauthorized(
    "Mã truy cập luồng trực tuyến không hợp lệ hoặc đã hết hạn; hãy lấy mã mới ở /api/live/.",
    "The live stream's token is invalid or expired; get a new one from /api/live/.",
)


class LiveServer:
    """The HTTP side: accepts streams, answers /health, pings, shuts down cleanly."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.started = time.time()
        self.bus: Bus | None = None
        self.server: asyncio.Server | None = None
        self.stopping: asyncio.Event | None = None
        self.jobs: Any = None

    async def run(self, *, ready: Any = None) -> None:
        """Serve until SIGTERM/SIGINT (or `stop()`)."""
        loop = asyncio.get_running_loop()
        self.stopping = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(RuntimeError, ValueError):  # not the main thread: stop()
                loop.add_signal_handler(sig, self.stopping.set)
        self.bus = Bus(loop)
        self.bus.start()
        self.server = await asyncio.start_server(
            self._handle, self.host, self.port, limit=HEAD_MAX, backlog=1024
        )
        self.port = self.server.sockets[0].getsockname()[1]
        pinger = loop.create_task(self._pings())
        if ready:
            ready(self)
        try:
            await self.stopping.wait()
        finally:
            pinger.cancel()
            self.server.close()
            self.bus.close()
            await asyncio.sleep(0)  # let the handlers see their streams closed

    def stop(self) -> None:
        """Ask a running server to stop (thread-safe)."""
        if self.stopping is not None and self.bus is not None:
            self.bus.loop.call_soon_threadsafe(self.stopping.set)

    async def _pings(self) -> None:
        while True:
            await asyncio.sleep(PING_S)
            self.bus.ping()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = None
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            request = request_parse(head)
            if request is None:
                return
            if request.method == "OPTIONS":
                writer.write(_head(204, request, ["Content-Length: 0", "Connection: close"]))
            elif request.method not in ("GET", "HEAD"):
                writer.write(error_answer(NOT_ALLOWED, request))
            elif request.path == "/events":
                await self._stream(request, reader, writer)
                return
            elif request.path == "/health":
                writer.write(json_answer(200 if self.bus.up else 503, self.health(), request))
            else:
                writer.write(error_answer(NO_PAGE, request))
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    def health(self) -> dict[str, Any]:
        """What a script or a test reads of the server."""
        from gisioc.live.jobs import JOBS

        return {
            "ok": self.bus.up,
            "database": self.bus.up,
            "clients": len(self.bus.clients),
            "last_id": self.bus.high,
            "events": self.bus.events,
            "uptime_s": round(time.time() - self.started, 1),
            "jobs": {job.name: job.state() for job in JOBS},
        }

    async def _stream(
        self, request: Request, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        listener = token_read(request.param("token") or "")
        if listener is None:
            writer.write(error_answer(BAD_TOKEN, request))
            await writer.drain()
            return
        last = _last_id(request)
        if not self.bus.up and last is not None:
            away = Unavailable(
                "Máy chủ trực tuyến chưa kết nối được cơ sở dữ liệu; thử lại sau.",
                "The live server cannot reach its database yet; try again shortly.",
                headers={"Retry-After": "3"},
            )
            writer.write(error_answer(away, request))
            await writer.drain()
            return
        head = [
            "Content-Type: text/event-stream; charset=utf-8",
            "Cache-Control: no-store",
            "X-Accel-Buffering: no",  # nginx: pass each event at once
            "Connection: keep-alive",
        ]
        writer.write(_head(200, request, head) + f"retry: {RETRY_MS}\n\n".encode())
        client = Client(writer, listener)
        self.bus.clients.add(client)
        if self.bus.up:
            try:
                self.bus.catch_up(client, last)
                self.bus.drain()
            except psycopg2.Error:
                self.bus._lost()
        try:
            while await reader.read(1024):  # a client sends nothing more; EOF when it goes
                pass
        except (ConnectionError, OSError):
            pass
        finally:
            self.bus.clients.discard(client)


def _last_id(request: Request) -> int | None:
    raw = request.headers.get("last-event-id") or request.param("last")
    if raw is None or not raw.strip().isdigit() or len(raw.strip()) > 18:
        return None
    return int(raw.strip())


def serve(host: str, port: int, *, with_jobs: bool = True) -> None:
    """Run the live server (and the jobs of every installed app) until SIGTERM/SIGINT."""
    from gisioc.live.jobs import JobRunner, jobs_discover

    runner = None
    if with_jobs:
        modules = jobs_discover()
        runner = JobRunner().start()
        log.info("live: jobs %s from %s", [j.name for j in runner.jobs], modules)
    server = LiveServer(host, port)

    def ready(s: LiveServer) -> None:
        print(f"gisioc live: http://{host}:{s.port}/events  (health: /health)", flush=True)

    try:
        asyncio.run(server.run(ready=ready))
    finally:
        if runner:
            runner.stop()
    print("gisioc live: đã dừng / stopped.", flush=True)
