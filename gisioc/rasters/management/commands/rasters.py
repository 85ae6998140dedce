"""`gisioc rasters add|list|remove|zonal`: how a GIS officer maintains raster layers."""

import importlib
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from gisioc.commands import GisiocCommand
from gisioc.rasters import services
from gisioc.rasters.models import Raster


def _zonal_cli() -> Any:
    """Zonal statistics' own arguments and handler (gisioc/rasters/zonal_cli.py)."""
    return importlib.import_module("gisioc.rasters.zonal_cli")


class Command(GisiocCommand):
    help = "Thêm, liệt kê, xóa lớp raster; thống kê vùng — raster layers and zonal statistics."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Register a GeoTIFF (any CRS) as a raster layer")
        add.add_argument("file", type=Path)
        add.add_argument("--kind", required=True, choices=Raster.Kind.values)
        add.add_argument("--name", help="Layer id (default: from the file name)")
        add.add_argument("--title-vi", default="")
        add.add_argument("--title-en", default="")
        add.add_argument("--unit-vi", default="")
        add.add_argument("--unit-en", default="")
        add.add_argument("--crs", help="CRS when the file declares none, e.g. EPSG:5899")
        add.add_argument("--staff-only", action="store_true", help="Not for the public")
        add.add_argument("--visible", action="store_true", help="Shown when the map opens")
        sub.add_parser("list", help="List raster layers")
        remove = sub.add_parser("remove", help="Delete a raster layer and its file")
        remove.add_argument("name")
        _zonal_cli().add_arguments(sub.add_parser("zonal", help="Zonal statistics per unit"))

    def _add(self, opts: dict[str, Any]) -> None:
        raster = services.raster_add(
            path=opts["file"],
            kind=opts["kind"],
            name=opts["name"],
            title_vi=opts["title_vi"],
            title_en=opts["title_en"],
            unit_vi=opts["unit_vi"],
            unit_en=opts["unit_en"],
            crs=opts["crs"],
            public=not opts["staff_only"],
            visible=opts["visible"],
            progress=self.stdout.write,
        )
        stats = raster.stats
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã thêm lớp / added {raster.name} (phiên bản / version {raster.version}): "
                f"{raster.width} × {raster.height} ô/cells, {raster.crs_name}, "
                f"min {stats.get('min', '—')}, max {stats.get('max', '—')} — "
                f"/tiles/{raster.name}/{{z}}/{{x}}/{{y}}.png"
            )
        )

    def _list(self, opts: dict[str, Any]) -> None:
        rasters = Raster.objects.all()
        if not rasters:
            self.stdout.write("Chưa có lớp raster — no raster layers (gisioc rasters add FILE).")
        for r in rasters:
            who = "" if r.public else " [cán bộ/staff]"
            self.stdout.write(
                f"{r.name:<24} {r.kind:<12} {r.width:>6} × {r.height:<6} {r.crs_name:<12} "
                f"{r.version}  {r.title['vi']}{who}"
            )

    def _remove(self, opts: dict[str, Any]) -> None:
        services.raster_remove(name=opts["name"])
        self.stdout.write(f"Đã xóa / removed {opts['name']}")

    def _zonal(self, opts: dict[str, Any]) -> None:
        _zonal_cli().handle(opts, self.stdout)
