"""`gisioc tile-shapes [--all]`: build the generalised tile shapes of published versions."""

from argparse import ArgumentParser
from typing import Any

from django.db import connection

from gisioc.commands import GisiocCommand
from tiles import shapes


class Command(GisiocCommand):
    help = (
        "Dựng hình đơn giản hoá theo mức thu phóng cho các phiên bản ranh giới đã công bố "
        "— build the per-zoom generalised shapes (shared borders kept shared) of published "
        "boundary versions that have none (publishing builds them; this is for older ones)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--all", action="store_true", help="rebuild every published version")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["all"]:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id, slug FROM geo_boundaryversion WHERE status = 'published'"
                )
                built = [(slug, shapes.build(pk)) for pk, slug in cursor.fetchall()]
        else:
            built = shapes.build_missing()
        for slug, done in built:
            self.stdout.write(f"{slug}: {done['units']:,} units in {done['seconds']} s")
        if not built:
            self.stdout.write("Không có gì để dựng — every published version has its shapes.")
