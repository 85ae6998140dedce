"""Servers started as real processes by the tests, and stopped whatever the test does."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(
    argv: list[str], *, env: dict[str, str], port: int, log: Path, seconds: float = 90
) -> Iterator[subprocess.Popen]:
    """`argv` run from the checkout in its own process group, its output in `log`, yielded
    once `port` accepts connections (failing with the log's tail if it dies or never does);
    stopped with SIGTERM to the group when the block ends."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=5).connect()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(f"{argv} is not serving on {port}:\n{log.read_text()[-3000:]}")
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):  # the test may have stopped it already
            os.killpg(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) is not None


@contextlib.contextmanager
def gisioc_serving(
    folder: Path, *, threads: int = 2, access_log: bool = False
) -> Iterator[tuple[int, Path, subprocess.Popen]]:
    """`gisioc serve` on a free port, reading the test database, its var/ in `folder`;
    yields the port, the log and the process (as `serving` does)."""
    from django.db import connection

    port = free_port()
    env = {
        **os.environ,
        "GISIOC_DB_NAME": connection.settings_dict["NAME"],
        "GISIOC_VAR_DIR": str(folder),
        "GISIOC_THREADS": str(threads),
    }
    argv = [sys.executable, "-m", "gisioc.cli", "serve", "--port", str(port)]
    log = folder / "serve.log"
    with serving(argv + ["--access-log"] * access_log, env=env, port=port, log=log) as proc:
        yield port, log, proc


def answer_to_head(port: int, head: str) -> tuple[int, bytes]:
    """Send a request's head alone (its body never follows) and read the answer: a server
    that read the body first would time out here."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode())
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        return answer.status, answer.read()
