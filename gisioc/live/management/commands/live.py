"""`gisioc live serve`: the live bus as Server-Sent Events, and the apps' periodic jobs."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings

from gisioc.commands import GisiocCommand


class Command(GisiocCommand):
    help = (
        "Máy chủ cập nhật trực tuyến (Server-Sent Events) và các việc định kỳ — serve the live "
        "bus's events to open maps and run the apps' periodic jobs (live_jobs.py)."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        config = settings.CONFIG
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Serve /events and /health until Ctrl-C or SIGTERM")
        serve.add_argument("--host", default=config.host)
        serve.add_argument("--port", type=int, default=config.live_port)
        serve.add_argument("--no-jobs", action="store_true", help="Do not run the periodic jobs")

    def _serve(self, opts: dict[str, Any]) -> None:
        from gisioc.live.server import serve

        serve(opts["host"], opts["port"], with_jobs=not opts["no_jobs"])
