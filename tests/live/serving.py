"""`gisioc live serve` as a real process on the test database, and a bare SSE client.

Used by tests/live and by the e2e tests (the `live_bus` fixture of tests/e2e/conftest.py).
"""

import contextlib
import json
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.processes import free_port, serving


@dataclass(frozen=True)
class LiveProcess:
    """A running live server."""

    port: int
    log: Path

    @property
    def url(self) -> str:
        """The stream's URL."""
        return f"http://127.0.0.1:{self.port}/events"


@contextlib.contextmanager
def live_serving(folder: Path, *, jobs: bool = False) -> Iterator[LiveProcess]:
    """`gisioc live serve` on a free port reading the test database (the one Django uses now)."""
    from django.db import connection

    port = free_port()
    env = {**os.environ, "GISIOC_DB_NAME": connection.settings_dict["NAME"]}
    argv = [sys.executable, "-m", "gisioc.cli", "live", "serve", "--port", str(port)]
    log = folder / "live.log"
    with serving(argv + ([] if jobs else ["--no-jobs"]), env=env, port=port, log=log):
        yield LiveProcess(port, log)


class Stream:
    """One SSE connection read on the bare socket: status, headers, then events."""

    def __init__(
        self,
        port: int,
        token: str,
        *,
        last: int | None = None,
        last_header: int | None = None,
        origin: str | None = None,
        timeout: float = 10.0,
        receive_buffer: int | None = None,
    ) -> None:
        target = f"/events?token={quote(token)}" + (f"&last={last}" if last is not None else "")
        lines = [f"GET {target} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Accept: text/event-stream"]
        if last_header is not None:
            lines.append(f"Last-Event-ID: {last_header}")
        if origin:
            lines.append(f"Origin: {origin}")
        self.sock = socket.socket()
        if receive_buffer:  # before connecting: the window it offers stays this small
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        head = self._until(b"\r\n\r\n", timeout).decode("latin-1").split("\r\n")
        self.status = int(head[0].split(" ")[1])
        self.headers = {
            k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)
        }

    def _until(self, mark: bytes, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while mark not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"nothing more in {timeout} s")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("stream closed")
            self.buffer += chunk
        block, _, self.buffer = self.buffer.partition(mark)
        return block

    def body(self, timeout: float = 5.0) -> dict:
        """The JSON body of a refused stream (Content-Length)."""
        size = int(self.headers["content-length"])
        deadline = time.monotonic() + timeout
        while len(self.buffer) < size and time.monotonic() < deadline:
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            self.buffer += self.sock.recv(65536)
        return json.loads(self.buffer[:size])

    def event(self, timeout: float = 5.0) -> dict:
        """The next event (comments and retry hints skipped): {id, event, data}."""
        deadline = time.monotonic() + timeout
        while True:
            block = self._until(b"\n\n", max(0.0, deadline - time.monotonic())).decode()
            fields: dict[str, str] = {}
            for line in block.split("\n"):
                name, _, value = line.partition(": ")
                if name and not line.startswith(":"):
                    fields[name] = value
            if "data" in fields:
                return {
                    "id": int(fields["id"]),
                    "event": fields.get("event"),
                    "data": json.loads(fields["data"]),
                }

    def events_until(self, sentinel_id: int, timeout: float = 5.0) -> list[dict]:
        """Events up to and including the one with `sentinel_id`."""
        got = []
        deadline = time.monotonic() + timeout
        while not got or got[-1]["id"] != sentinel_id:
            got.append(self.event(max(0.0, deadline - time.monotonic())))
        return got

    def close(self) -> None:
        """Hang up."""
        self.sock.close()
