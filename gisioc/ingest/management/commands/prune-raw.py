"""`gisioc prune-raw [--days N]`: delete raw ingest rows past their retention."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings

from gisioc.commands import GisiocCommand
from gisioc.ingest.runs import pruned_line, raw_records_prune


class Command(GisiocCommand):
    help = (
        "Xóa dòng thô của các lượt nhập đã quá hạn lưu — delete the raw rows of ingest runs "
        "older than the retention (GISIOC_RAW_DAYS, 180 days); runs and their counts stay."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--days", type=int, default=settings.CONFIG.raw_days)

    def handle(self, *args: Any, **opts: Any) -> None:
        runs, rows = raw_records_prune(days=opts["days"])
        self.stdout.write(pruned_line(runs, rows, opts["days"]))
