"""`gisioc ingest SYSTEM FILE`: read an export into a system and print the run report."""

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from gisioc.commands import GisiocCommand
from gisioc.ingest.services import CHUNK, ingest_file
from gisioc.ingest.systems import system_get, systems_list


class Command(GisiocCommand):
    help = (
        "Nhập tệp xuất từ hệ thống nguồn (CSV, XLSX, JSON, JSONL, GeoJSON) — import an export "
        "of a source system; re-sending a record updates it, never duplicates it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("system", help="e.g. public_services")
        parser.add_argument("file", type=Path, nargs="?")
        parser.add_argument("--source", help="Source system instance (default: the system name)")
        parser.add_argument("--profile", help="Column-mapping profile name")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="Print the report as JSON")
        parser.add_argument("--chunk-size", type=int, default=CHUNK, help="Rows per transaction")
        parser.add_argument("--fields", action="store_true", help="List the system's fields")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["fields"] or not opts["file"]:
            self._fields(opts["system"])
            return
        self._ingest(opts)

    def _fields(self, name: str) -> None:
        system = system_get(name)
        self.stdout.write(f"{system.name}: {system.title.vi} — {system.title.en}")
        for f in system.fields:
            need = "bắt buộc / required" if f.required else ""
            aliases = ", ".join(f.aliases)
            self.stdout.write(
                f"  {f.name:<18} {f.kind:<8} {need:<20} {f.title.vi}; cột / headers: {aliases}"
            )
        self.stdout.write(f"Hệ thống / systems: {', '.join(s.name for s in systems_list())}")

    def _ingest(self, opts: dict[str, Any]) -> None:
        out = self.stderr if opts["json"] else self.stdout
        report = ingest_file(
            system=opts["system"],
            path=opts["file"],
            source=opts["source"],
            profile=opts["profile"],
            dry_run=opts["dry_run"],
            chunk_size=max(1, opts["chunk_size"]),
            progress=out.write,
        )
        if opts["json"]:
            self.stdout.write(
                json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str)
            )
        else:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"{report.seconds} s")
        if report.status == "failed":
            raise CommandError(report.message)
