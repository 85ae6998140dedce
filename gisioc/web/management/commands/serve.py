"""`gisioc serve`: the app under granian, as `make run`, the Docker image and the benchmarks
serve it."""

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

# A worker that has not stopped this long after being asked is killed: granian 2.8 workers can
# deadlock in their shutdown when a Ctrl-C reaches them and their master at once.
KILL_AFTER_S = 5
# The path without its query string: a search or a filter may carry a citizen's name.
ACCESS_LOG = '[%(time)s] %(addr)s "%(method)s %(path)s" %(status)d %(dt_ms).1f ms'


def serve_argv(
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    access_log: bool,
    app: str = "gisioc.wsgi:application",
) -> list[str]:
    """The granian command line that serves gisioc.wsgi (or another WSGI app, as a benchmark's
    bound does)."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--workers-kill-timeout",
        str(KILL_AFTER_S),
        "--log-level",
        "warning",
        *(["--access-log", "--access-log-fmt", ACCESS_LOG] if access_log else ["--no-access-log"]),
        app,
    ]


class Command(BaseCommand):
    help = (
        "Phục vụ ứng dụng (granian, WSGI) — serve the app with granian; defaults from "
        "GISIOC_HOST, GISIOC_PORT, GISIOC_WORKERS and GISIOC_THREADS."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        config = settings.CONFIG
        parser.add_argument("--host", default=config.host)
        parser.add_argument("--port", type=int, default=config.port)
        parser.add_argument("--workers", type=int, default=config.workers, help="processes")
        parser.add_argument("--threads", type=int, default=config.threads, help="per process")
        parser.add_argument("--access-log", action="store_true", help="log every request")

    def handle(self, *args: Any, **opts: Any) -> None:
        names = ("host", "port", "workers", "threads", "access_log")
        argv = serve_argv(**{name: opts[name] for name in names})
        sys.stdout.flush()
        os.execv(argv[0], argv)  # granian takes over this process: signals reach it directly
