"""`gisioc camera-fake serve`: the demo's fake cameras (gisioc/cameras/fake.py): their
streams over HTTP and a sender pushing AI events and heartbeats into the app's push API."""

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings

from gisioc.cameras.fake import CameraServer, Sender, push_key
from gisioc.cameras.streams import media_port, streams_dir
from gisioc.commands import GisiocCommand


class Command(GisiocCommand):
    help = (
        "Chạy camera giả lập của bản minh họa — the demo's fake cameras: their streams, and "
        "AI events and heartbeats pushed to the app."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        serve = sub.add_parser("serve", help="Serve the streams and push until Ctrl-C/SIGTERM")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, help="Streams' port (default GISIOC_FAKE_PORT+1)")
        serve.add_argument("--app", help="The app's base URL (default: GISIOC_HOST/GISIOC_PORT)")
        serve.add_argument("--no-push", action="store_true", help="Serve the streams only")

    def _serve(self, opts: dict[str, Any]) -> None:
        port = opts["port"] or media_port()
        server = CameraServer((opts["host"], port), streams_dir())
        sender = None
        if not opts["no_push"]:
            host = settings.CONFIG.host.replace("0.0.0.0", "127.0.0.1")
            app = (opts["app"] or f"http://{host}:{settings.CONFIG.port}").rstrip("/")
            sender = Sender(url=f"{app}/api/ingest/cameras/batches/", key=push_key())
            threading.Thread(target=sender.run, daemon=True).start()
            self.stdout.write(f"Gửi sự kiện, nhịp tim tới / pushing events, heartbeats to {app}")

        def shut(signum: int, frame: FrameType | None) -> None:
            server.stopping.set()
            if sender is not None:
                sender.stop.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

        signal.signal(signal.SIGTERM, shut)
        signal.signal(signal.SIGINT, shut)
        self.stdout.write(f"Camera giả lập / fake cameras at http://{opts['host']}:{port}/cameras/")
        try:
            server.serve_forever()
        finally:
            server.server_close()
        self.stdout.write(f"Đã dừng / stopped ({sender.sent if sender else 'no push'}).")
