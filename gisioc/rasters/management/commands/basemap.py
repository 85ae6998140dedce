"""`gisioc basemap add FILE | list | remove NAME | activate NAME`: the offline basemap."""

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from gisioc.commands import GisiocCommand
from gisioc.rasters.basemap import (
    basemap_activate,
    basemap_add,
    basemap_deactivate,
    basemap_list,
    basemap_remove,
)
from gisioc.rasters.models import Basemap

MB = 1 << 20


def _size(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size >= MB else f"{size / 1024:,.0f} KB"


def describe(basemap: Basemap) -> str:
    """One line about a basemap."""
    mark = "*" if basemap.active else " "
    return (
        f"{mark} {basemap.name:<24} {basemap.format:<7} {basemap.tile_type:<4} "
        f"{basemap.schema:<12} z{basemap.minzoom}–{basemap.maxzoom} "
        f"{_size(basemap.size)}  v{basemap.version}  {basemap.title}"
    )


class Command(GisiocCommand):
    help = (
        "Bản đồ nền ngoại tuyến (PMTiles/MBTiles) — the offline basemap: add, list, remove, "
        "activate."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Add a PMTiles (v3) or MBTiles archive and draw it")
        add.add_argument("file", type=Path)
        add.add_argument("--name", help="Its name (default: from the file name)")
        add.add_argument("--title", default="", help="A title people read")
        add.add_argument("--inactive", action="store_true", help="Add it without drawing it")
        sub.add_parser("list", help="List the basemaps (* = the one drawn)")
        rm = sub.add_parser("remove", help="Remove a basemap and its file")
        rm.add_argument("name")
        act = sub.add_parser("activate", help="Draw this basemap under the map")
        act.add_argument("name")
        sub.add_parser("deactivate", help="Draw no basemap archive")

    def _progress(self) -> Any:
        state = {"last": 0.0}

        def show(done: int, total: int) -> None:
            now = time.monotonic()
            if total < 64 * MB or (now - state["last"] < 1 and done < total):
                return
            state["last"] = now
            self.stderr.write(
                f"  chép / copying {done / MB:,.0f} / {total / MB:,.0f} MB ({done / total:.0%})"
            )

        return show

    def _add(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        self.stdout.write(f"Kiểm tra / checking {path} …")
        basemap = basemap_add(
            path=path,
            name=opts["name"],
            title=opts["title"],
            activate=not opts["inactive"],
            progress=self._progress(),
        )
        self.stdout.write(describe(basemap))
        state = (
            "đang hiển thị dưới bản đồ / drawn under the map"
            if basemap.active
            else "chưa bật / not drawn (gisioc basemap activate)"
        )
        self.stdout.write(self.style.SUCCESS(f"Đã thêm bản đồ nền / basemap added: {state}."))

    def _list(self, opts: dict[str, Any]) -> None:
        basemaps = basemap_list()
        if not basemaps:
            self.stdout.write("Chưa có bản đồ nền nào / no basemap yet (gisioc basemap add FILE).")
        for basemap in basemaps:
            self.stdout.write(describe(basemap))

    def _remove(self, opts: dict[str, Any]) -> None:
        basemap_remove(name=opts["name"])
        self.stdout.write(f"Đã xoá / removed {opts['name']}.")

    def _activate(self, opts: dict[str, Any]) -> None:
        self.stdout.write(describe(basemap_activate(name=opts["name"])))

    def _deactivate(self, opts: dict[str, Any]) -> None:
        basemap_deactivate()
        self.stdout.write("Không vẽ bản đồ nền nào / no basemap drawn.")
