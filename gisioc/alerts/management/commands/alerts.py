"""`gisioc alerts evaluate`: evaluate every enabled rule once (for cron), deliveries included."""

from argparse import ArgumentParser
from typing import Any

from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.commands import GisiocCommand


class Command(GisiocCommand):
    help = "Đánh giá các quy tắc cảnh báo — evaluate the alert rules once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["evaluate"])

    def _evaluate(self, opts: dict[str, Any]) -> None:
        outcome = alerts_evaluate(wait=True)
        self.stdout.write(
            f"Cảnh báo mới {len(outcome.fired)}, đang còn {outcome.active}, đã hết "
            f"{outcome.resolved}, quy tắc lỗi {len(outcome.failed)} — new alerts "
            f"{len(outcome.fired)}, active {outcome.active}, resolved {outcome.resolved}, "
            f"rules failed {len(outcome.failed)}"
        )
