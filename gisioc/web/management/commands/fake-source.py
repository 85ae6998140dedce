"""`gisioc fake-source serve`: local fakes of the provincial systems' change feeds, for the demo:
the one-stop software's dossiers and the document-management software's documents."""

import datetime as dt
import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from gisioc.documents import demo as documents_demo
from gisioc.documents.fake_source import FakeDocuments
from gisioc.ingest.fake_feed import FakeFeed, demo_base, fake_server, feed_url
from gisioc.periods import VIETNAM
from gisioc.public_services import demo
from gisioc.public_services.fake_source import FakeOneStop


class Command(BaseCommand):
    help = (
        "Chạy phần mềm một cửa và quản lý văn bản giả lập (nguồn kéo cho bản minh họa) — serve "
        "fakes of the one-stop software's dossier feed and the document-management software's "
        "document feed, for the demo's scheduled pulls."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Serve the feed until Ctrl-C or SIGTERM")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, default=8765)
        serve.add_argument(
            "--days",
            type=int,
            help="Working days of new dossiers after the demo (default: every one, on and on)",
        )
        serve.add_argument(
            "--per-day", type=int, default=demo.PER_DAY, help="Dossiers per working day"
        )
        serve.add_argument(
            "--tick", type=float, default=60.0, help="Seconds between catching up (0: never)"
        )
        serve.add_argument("--verbose", action="store_true", help="Log every request")

    def handle(self, *args: Any, **opts: Any) -> None:
        now = dt.datetime.now(VIETNAM)
        base = demo_base()
        dossiers = FakeOneStop(days=opts["days"], per_day=opts["per_day"], base=base, as_of=now)
        documents = FakeDocuments(as_of=now, base=base)
        fakes: tuple[FakeFeed, ...] = (dossiers, documents)
        server = fake_server(*fakes, host=opts["host"], port=opts["port"], verbose=opts["verbose"])
        stop = threading.Event()

        def ticking() -> None:
            while opts["tick"] > 0 and not stop.wait(opts["tick"]):
                moment = dt.datetime.now(VIETNAM)
                for fake in fakes:
                    moved = fake.catch_up(moment)
                    self.stdout.write(f"{fake.path}: chuyển trạng thái / moved on {len(moved)}")

        def shut(signum: int, frame: FrameType | None) -> None:
            stop.set()
            for fake in fakes:
                fake.released.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, shut)
        signal.signal(signal.SIGINT, shut)
        threading.Thread(target=ticking, daemon=True).start()
        self.stdout.write(
            f"Phần mềm một cửa giả lập / fake one-stop software: {len(dossiers.records()):,} "
            f"hồ sơ / dossiers at {feed_url(server, dossiers)}\n"
            f"Phần mềm quản lý văn bản giả lập / fake document management: "
            f"{len(documents.records()):,} văn bản / documents at {feed_url(server, documents)}\n"
            f"Kéo về / pull them with: gisioc pull add public_services {demo.SOURCE} "
            f"{feed_url(server, dossiers)} --every 1\n"
            f"                         gisioc pull add documents {documents_demo.SOURCE} "
            f"{feed_url(server, documents)} --every 1"
        )
        try:
            server.serve_forever()
        finally:
            server.server_close()
        self.stdout.write("Đã dừng / stopped.")
