"""The load: N threads share one deterministic request sequence, bounded in count and time.

Runs in its own process (`python -m bench.drive < spec.json > results.json`), so the harness
and the servers do not share its interpreter; it still competes for the same 2 cores.

Two kinds of client:
  http — one keep-alive HTTP/1.1 connection per thread, to 127.0.0.1 only, Accept-Encoding:
         gzip; a server that closes the connection gets a new one. Requests are written and
         answers read on the bare socket: http.client's header parsing added ~0.2 ms to every
         request (warm-cache p50 0.7 against 0.5 ms), a cost of the client, not the server.
  sql  — one psycopg2 connection per thread running each tile's captured statement(s) (see
         bench/floor.py) and fetching the bytes: the floor, no HTTP and no Python rendering.
"""

import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

LOOPBACK = "127.0.0.1"
HTTP_TIMEOUT = 120.0  # seconds; a slower answer counts as an error
OK = (200, 204)


class Sequence:
    """Hands out request numbers 0..total-1 until the deadline; thread-safe."""

    def __init__(self, total: int, seconds: float) -> None:
        self.total = total
        self.deadline = time.perf_counter() + seconds
        self._next = 0
        self._lock = threading.Lock()
        self.truncated = False

    def take(self) -> int | None:
        """The next request number, or None when done or out of time."""
        with self._lock:
            if self._next >= self.total:
                return None
            if time.perf_counter() >= self.deadline:
                self.truncated = True
                return None
            i, self._next = self._next, self._next + 1
            return i


Request = Callable[[int], tuple[int, int]]  # request number -> (status, bytes)


def _http_client(port: int, paths: list[str]) -> Callable[[], Request]:
    wire = [
        f"GET {p} HTTP/1.1\r\nHost: {LOOPBACK}:{port}\r\nAccept-Encoding: gzip\r\n\r\n".encode()
        for p in paths
    ]

    def factory() -> Request:
        sock: list[socket.socket | None] = [None]
        buf = bytearray()

        def need(n: int) -> None:  # at least n bytes in buf
            while len(buf) < n:
                chunk = sock[0].recv(1 << 18)
                if not chunk:
                    raise ConnectionResetError("the server closed the connection")
                buf.extend(chunk)

        def until(mark: bytes) -> int:  # the index of mark in buf, reading on until it comes
            while (at := buf.find(mark)) < 0:
                need(len(buf) + 1)
            return at

        def exchange(i: int) -> tuple[int, int, bool]:
            sock[0].sendall(wire[i % len(wire)])
            end = until(b"\r\n\r\n")
            status_line, *lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
            del buf[: end + 4]
            fields = {}
            for line in lines:
                name, _, value = line.partition(":")
                fields[name.strip().lower()] = value.strip().lower()
            status, close = int(status_line.split(" ", 2)[1]), fields.get("connection") == "close"
            if status in (204, 304):
                return status, 0, close
            if fields.get("transfer-encoding") == "chunked":
                size = 0
                while True:
                    eol = until(b"\r\n")
                    n = int(bytes(buf[:eol]).split(b";")[0], 16)
                    need(eol + n + 4)
                    del buf[: eol + n + 4]
                    if not n:
                        return status, size, close
                    size += n
            length = int(fields["content-length"])
            need(length)
            del buf[:length]
            return status, length, close

        def request(i: int) -> tuple[int, int]:
            for attempt in (0, 1):
                if sock[0] is None:
                    sock[0] = socket.create_connection((LOOPBACK, port), timeout=HTTP_TIMEOUT)
                    sock[0].setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    buf.clear()
                try:
                    status, size, close = exchange(i)
                except (ConnectionResetError, BrokenPipeError):
                    sock[0].close()
                    sock[0] = None
                    if attempt:  # a fresh connection failed too: a real error
                        raise
                    continue  # the server closed an idle keep-alive connection: retry once
                if close:
                    sock[0].close()
                    sock[0] = None
                return status, size
            raise AssertionError("unreachable")

        return request

    return factory


def _sql_client(dsn: dict[str, Any], tiles: list[list[list[Any]]]) -> Callable[[], Request]:
    import psycopg2

    def factory() -> Request:
        conn = psycopg2.connect(**dsn)
        conn.autocommit = True
        cur = conn.cursor()

        def request(i: int) -> tuple[int, int]:
            size = 0
            for sql, params in tiles[i % len(tiles)]:  # one statement per tile, by design
                cur.execute(sql, params)
                row = cur.fetchone()
                size += len(row[0]) if row and row[0] is not None else 0
            return (200 if size else 204), size

        return request

    return factory


def drive(
    factory: Callable[[], Request],
    *,
    concurrency: int,
    requests: int,
    seconds: float,
    after: Callable[[], None] = lambda: None,
) -> dict[str, Any]:
    """`concurrency` threads, each with its own `factory()` client (made before the clock
    starts, `after()` when done), take request numbers until `requests` or `seconds` run out;
    per request: [number, status, latency ms, bytes, error or None]."""
    seq = Sequence(requests, seconds)
    results: list[list[Any]] = []
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)  # clients connected before the clock

    def worker() -> None:
        try:
            request = factory()
        except Exception as exc:
            with lock:
                results.append([-1, 0, 0.0, 0, f"connect: {exc!r}"])
            ready.wait()
            return
        ready.wait()
        while (i := seq.take()) is not None:
            t0 = time.perf_counter()
            try:
                status, size = request(i)
                error = None if status in OK else f"HTTP {status}"
            except Exception as exc:
                status, size, error = 0, 0, repr(exc)[:200]
            ms = (time.perf_counter() - t0) * 1000.0
            with lock:
                results.append([i, status, ms, size, error])
        after()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    ready.wait()
    start = time.perf_counter()
    seq.deadline = start + seconds
    for t in threads:
        t.join()
    return {
        "wall_s": time.perf_counter() - start,
        "truncated": seq.truncated,
        "load_1min": round(os.getloadavg()[0], 2),
        "results": sorted(results),
    }


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Drive one level described by a spec (HTTP paths on a port, or SQL statements)."""
    if spec["kind"] == "http":
        factory = _http_client(spec["port"], spec["paths"])
    else:
        factory = _sql_client(spec["dsn"], spec["statements"])
    return drive(
        factory,
        concurrency=spec["concurrency"],
        requests=spec["requests"],
        seconds=spec["seconds"],
    )


def main() -> None:
    """Read a spec as JSON on stdin, write the results as JSON on stdout."""
    spec = json.load(sys.stdin)
    json.dump(run(spec), sys.stdout)


if __name__ == "__main__":
    main()
