"""The load: N threads share one deterministic request sequence, bounded in count and time.

Runs in its own process (`python -m bench.drive < spec.json > results.json`), so the harness
and the servers do not share its interpreter; it still competes for the same 2 cores.

Two kinds of client:
  http — one keep-alive HTTP/1.1 connection per thread (http.client), to 127.0.0.1 only,
         Accept-Encoding: gzip; a server that closes the connection gets a new one.
  sql  — one psycopg2 connection per thread running each tile's captured statement(s) (see
         bench/floor.py) and fetching the bytes: the floor, no HTTP and no Python rendering.
"""

import http.client
import json
import os
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
    def factory() -> Request:
        conn: list[http.client.HTTPConnection | None] = [None]
        headers = {"Accept-Encoding": "gzip", "Connection": "keep-alive"}

        def request(i: int) -> tuple[int, int]:
            for attempt in (0, 1):
                if conn[0] is None:
                    conn[0] = http.client.HTTPConnection(LOOPBACK, port, timeout=HTTP_TIMEOUT)
                try:
                    conn[0].request("GET", paths[i % len(paths)], headers=headers)
                    resp = conn[0].getresponse()
                    body = resp.read()
                except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                    conn[0].close()
                    conn[0] = None
                    if attempt:  # a fresh connection failed too: a real error
                        raise
                    continue  # the server closed an idle keep-alive connection: retry once
                if resp.getheader("Connection", "").lower() == "close" or resp.will_close:
                    conn[0].close()
                    conn[0] = None
                return resp.status, len(body)
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
