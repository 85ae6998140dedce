"""`gisioc fake-source serve|pulls`: local fakes of the source systems' change feeds, for the
demo: every system's registered fake (`register_fake` in its `fake` module), each at its path,
and the demo's pulls from them into each system's `demo_source`."""

import datetime as dt
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from gisioc.commands import GisiocCommand
from gisioc.ingest.fake_feed import FakeFeed, demo_base, fake_server, fakes, feed_url
from gisioc.ingest.pull.services import pull_source_add
from gisioc.periods import VIETNAM
from gisioc.systems import SystemSpec, system_get


class Command(GisiocCommand):
    help = (
        "Chạy phần mềm nguồn giả lập của các hệ thống (nguồn kéo cho bản minh họa) — serve "
        "fakes of the source systems' change feeds, or add the demo's scheduled pulls from them."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Serve the feeds until Ctrl-C or SIGTERM")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8765)
        serve.add_argument(
            "--days",
            type=int,
            help="Working days of new dossiers after the demo (default: every one, on and on)",
        )
        serve.add_argument(
            "--per-day", type=int, help="Dossiers per working day (default: the demo's)"
        )
        serve.add_argument(
            "--tick", type=float, default=60.0, help="Seconds between catching up (0: never)"
        )
        serve.add_argument("--verbose", action="store_true", help="Log every request")
        pulls = sub.add_parser(
            "pulls", help="Add (or resume) the pull of each fake into its system's demo source"
        )
        pulls.add_argument("--host", default="127.0.0.1")
        pulls.add_argument("--port", type=int, default=8765)
        pulls.add_argument("--every", type=int, default=1, help="Minutes between pulls")

    def _pulls(self, opts: dict[str, Any]) -> None:
        for system, feed in fakes.items():
            source = _spec(system).demo_source
            if source is None:
                continue
            url = f"http://{opts['host']}:{opts['port']}{feed.path}"
            pull_source_add(system=system, source=source, url=url, every_minutes=opts["every"])
            self.stdout.write(f"gisioc pull add {system} {source} {url} --every {opts['every']}")

    def _serve(self, opts: dict[str, Any]) -> None:
        now, base = dt.datetime.now(VIETNAM), demo_base()
        options = {"days": opts["days"], "per_day": opts["per_day"]}
        served: dict[str, FakeFeed] = {
            system: feed.for_demo(as_of=now, base=base, options=options)
            for system, feed in fakes.items()
        }
        server = fake_server(
            *served.values(), host=opts["host"], port=opts["port"], verbose=opts["verbose"]
        )
        stop = threading.Event()

        def ticking() -> None:
            while opts["tick"] > 0 and not stop.wait(opts["tick"]):
                moment = dt.datetime.now(VIETNAM)
                for fake in served.values():
                    moved = fake.catch_up(moment)
                    self.stdout.write(f"{fake.path}: chuyển trạng thái / moved on {len(moved)}")

        def shut(signum: int, frame: FrameType | None) -> None:
            stop.set()
            for fake in served.values():
                fake.released.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, shut)
        signal.signal(signal.SIGINT, shut)
        threading.Thread(target=ticking, daemon=True).start()
        for system, fake in served.items():
            spec = _spec(system)
            plural = spec.records[0].plural if spec.records else spec.title
            self.stdout.write(
                f"{spec.title.vi} giả lập / fake {spec.title.en}: {len(fake.records()):,} "
                f"{plural.vi} / {plural.en} at {feed_url(server, fake)}"
            )
        self.stdout.write("Kéo về / pull them with: gisioc fake-source pulls --port <port>")
        try:
            server.serve_forever()
        finally:
            server.server_close()
        self.stdout.write("Đã dừng / stopped.")


def _spec(system: str) -> SystemSpec:
    spec = system_get(system)
    if spec is None:  # a fake is registered by its system's own `fake` module
        raise LookupError(f"Fake feed of an undeclared system {system!r}")
    return spec
