"""`gisioc kpi-rollups rebuild|check`: the KPI rollups (gisioc.kpi_rollup) made again from the
records after a load with triggers off, or compared with them."""

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError

from gisioc import kpi_rollup
from gisioc.commands import GisiocCommand
from gisioc.kpis import kpi_sets


class Command(GisiocCommand):
    help = "Rebuild the KPI rollups from the records, or check them against the records."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["rebuild", "check"])

    def _sets(self) -> list[Any]:
        return [s for s in kpi_sets if s.rollup is not None]

    def _rebuild(self, opts: dict[str, Any]) -> None:
        for kpi_set in self._sets():
            t0 = time.perf_counter()
            kpi_rollup.rollup_rebuild(kpi_set.rollup)
            self.stdout.write(f"{kpi_set.record}: {time.perf_counter() - t0:.1f} s")

    def _check(self, opts: dict[str, Any]) -> None:
        wrong = {s.record: kpi_rollup.rollup_check(s.rollup) for s in self._sets()}
        for record, n in wrong.items():
            self.stdout.write(f"{record}: {n} rows differ")
        if any(wrong.values()):
            raise CommandError(
                "Bảng tổng hợp KPI sai; chạy `gisioc kpi-rollups rebuild`. / "
                "A KPI rollup is wrong; run `gisioc kpi-rollups rebuild`."
            )
