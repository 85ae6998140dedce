"""`gisioc facilities import|list`: how a GIS officer loads schools, clinics, cameras, offices."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.db.models import Count

from gisioc.commands import GisiocCommand
from gisioc.geo import selectors
from gisioc.geo.facilities import FacilityImportResult, facilities_import
from gisioc.geo.models import Facility


def print_rows(result: FacilityImportResult, write) -> None:
    """Each rejected row, then each unlocated one; the counts come through `progress`."""
    for error in result.errors:
        code = f" mã/code {error.code}" if error.code else ""
        write(f"  LỖI / ERROR dòng/row {error.row}{code} [{error.field}]: {error.vi} — {error.en}")
    for row in result.unlocated:
        write(
            f"  CHƯA ĐỊNH VỊ / NOT LOCATED dòng/row {row['row']} mã/code {row['code']}: "
            f"{row['reason']}"
        )


class Command(GisiocCommand):
    help = "Nhập và liệt kê cơ sở — import and list facilities (schools, health, cameras, offices)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import a CSV, XLSX, GeoJSON, zipped Shapefile or GPKG")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="Check and report; write nothing")
        imp.add_argument("--json", action="store_true", help="Print the result as JSON")
        lst = sub.add_parser("list", help="Count facilities per kind and admin unit")
        lst.add_argument("--kind", choices=Facility.Kind.values)

    def _import(self, opts: dict[str, Any]) -> None:
        progress = self.stderr.write if opts["json"] else self.stdout.write
        result = facilities_import(path=opts["file"], dry_run=opts["dry_run"], progress=progress)
        if opts["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            print_rows(result, self.stdout.write)

    def _list(self, opts: dict[str, Any]) -> None:
        counts = (
            selectors.facilities_list(kind=opts["kind"])
            .values("kind", "unit__code", "unit__name", "unit__version__slug")
            .annotate(count=Count("id"))
            .order_by("kind", "unit__version__slug", "unit__code")
        )
        total = 0
        for row in counts:
            unit = (
                f"{row['unit__name']} ({row['unit__code']}, {row['unit__version__slug']})"
                if row["unit__code"]
                else "chưa định vị / not located"
            )
            self.stdout.write(f"{row['kind']:<9} {row['count']:>6,}  {unit}")
            total += row["count"]
        self.stdout.write(f"Tổng / total: {total:,}")
