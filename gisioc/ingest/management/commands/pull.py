"""`gisioc pull add|list|run|loop`: scheduled pulls from the source systems' HTTP APIs."""

import signal
import threading
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from gisioc.commands import GisiocCommand
from gisioc.ingest.pull.client import TIMEOUT
from gisioc.ingest.pull.loop import pull_loop
from gisioc.ingest.pull.services import (
    pull_run,
    pull_source_add,
    pull_source_next,
    pull_source_stop,
    pull_sources_list,
)


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M:%S") if moment else "—"


class Command(GisiocCommand):
    help = (
        "Kéo dữ liệu định kỳ từ API của hệ thống nguồn — pull records from source systems' "
        "HTTP APIs on a schedule; the cursor moves only after a pull succeeds."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Thêm hoặc sửa nguồn kéo — add or change a pull source")
        add.add_argument("system", help="e.g. public_services")
        add.add_argument("source", help="Source system instance, e.g. motcua-tinh")
        add.add_argument("url", help="The source's feed, e.g. http://127.0.0.1:8765/api/hoso")
        add.add_argument("--every", type=int, default=15, help="Minutes between pulls")
        add.add_argument("--reset", action="store_true", help="Start again from the beginning")
        stop = sub.add_parser("stop", help="Thôi kéo một nguồn — stop pulling a source")
        stop.add_argument("source")
        sub.add_parser("list", help="Các nguồn kéo — the pull sources")
        run = sub.add_parser("run", help="Kéo một nguồn ngay — pull one source now")
        run.add_argument("source")
        run.add_argument("--timeout", type=float, default=TIMEOUT, help="Seconds per request")
        loop = sub.add_parser("loop", help="Kéo mọi nguồn đến hạn, lặp lại — pull what is due")
        loop.add_argument("--timeout", type=float, default=TIMEOUT, help="Seconds per request")

    def _add(self, opts: dict[str, Any]) -> None:
        pulled = pull_source_add(
            system=opts["system"],
            source=opts["source"],
            url=opts["url"],
            every_minutes=opts["every"],
            reset=opts["reset"],
        )
        self.stdout.write(
            f"Nguồn kéo / pull source {pulled.system}/{pulled.source} ← {pulled.url}, "
            f"mỗi / every {pulled.every_minutes} phút / min, con trỏ / cursor '{pulled.cursor}'"
        )

    def _stop(self, opts: dict[str, Any]) -> None:
        pulled = pull_source_stop(source=opts["source"])
        self.stdout.write(
            f"Đã thôi kéo / no longer pulling {pulled.source} (con trỏ / cursor "
            f"'{pulled.cursor}' giữ lại / kept; 'gisioc pull add' kéo lại / resumes)"
        )

    def _list(self, opts: dict[str, Any]) -> None:
        sources = pull_sources_list()
        if not sources:
            self.stdout.write("Chưa có nguồn kéo — no pull sources yet (gisioc pull add …).")
        for pulled in sources:
            state = {"done": "xong / done", "failed": "THẤT BẠI / FAILED"}.get(
                pulled.last_status, "chưa chạy / never run"
            )
            active = "" if pulled.active else " (tắt / inactive)"
            upcoming = _when(pull_source_next(pulled)) if pulled.last_started_at else "ngay / now"
            self.stdout.write(
                f"{pulled.source}{active}: {pulled.system} ← {pulled.url}, mỗi / every "
                f"{pulled.every_minutes} phút / min\n"
                f"  con trỏ / cursor '{pulled.cursor}'; lần cuối / last "
                f"{_when(pulled.last_started_at)} {state}; lượt / run "
                f"#{pulled.last_run_id or '—'}; kế tiếp / next {upcoming}"
            )
            if pulled.last_error:
                self.stdout.write(f"  lỗi / error: {pulled.last_error}")

    def _run(self, opts: dict[str, Any]) -> None:
        report = pull_run(
            source=opts["source"], timeout=opts["timeout"], progress=self.stdout.write
        )
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(f"{report.seconds} s")
        if report.status != "done":
            raise CommandError(report.message or "THẤT BẠI / FAILED")

    def _loop(self, opts: dict[str, Any]) -> None:
        stop = threading.Event()

        def shut(signum: int, frame: FrameType | None) -> None:
            self.stdout.write("Dừng sau lượt đang chạy / stopping after the current pull…")
            stop.set()
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: now

        signal.signal(signal.SIGTERM, shut)
        signal.signal(signal.SIGINT, shut)
        self.stdout.write("Kéo định kỳ / pulling on schedule (Ctrl-C dừng / stops)")
        pulls = pull_loop(stop=stop, timeout=opts["timeout"], progress=self.stdout.write)
        self.stdout.write(f"Đã dừng sau {pulls} lượt kéo / stopped after {pulls} pulls.")
