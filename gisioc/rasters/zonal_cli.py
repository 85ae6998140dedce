"""`gisioc rasters zonal NAME`: a raster's statistics per commune, printed and stored as
indicator values (`--dry-run` prints them and writes nothing)."""

from argparse import ArgumentParser
from typing import Any

from gisioc.rasters.services import raster_get
from gisioc.rasters.zonal import UnitStat, version_in_force
from gisioc.rasters.zonal_store import ZonalReport, year_now, zonal_run

COLUMNS = (
    ("code", "Mã/code", 8),
    ("name", "Đơn vị/unit", 26),
    ("area_km2", "km²", 9),
    ("covered_area_km2", "phủ/covered", 11),
    ("sum", "tổng/sum", 12),
    ("mean", "TB/mean", 10),
    ("max", "max", 9),
    ("share_above", "% > ngưỡng", 10),
)


def add_arguments(parser: ArgumentParser) -> None:
    """The sub-command's arguments."""
    parser.add_argument("name", help="The raster layer's name")
    parser.add_argument(
        "--version",
        dest="boundary_version",
        default="",
        help="Boundary version slug, past or current (default: the version in force today)",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        help="Share of area above this value (default: 0.5 for flood depth, 2 for hazard class)",
    )
    parser.add_argument("--period", default="", help="Period of the values (default: this year)")
    parser.add_argument(
        "--indicators",
        default="",
        help="Measures to store, comma-separated (sum, density, share, mean, max; default: all)",
    )
    parser.add_argument("--dry-run", action="store_true", help="Compute and print only")


def _cell(stat: UnitStat, key: str, width: int) -> str:
    value = getattr(stat, key)
    if value is None:
        return "—".rjust(width)
    if isinstance(value, str):
        return value[:width].ljust(width)
    if key == "share_above":
        return f"{100 * value:,.1f}".rjust(width)
    places = 0 if abs(value) >= 1000 else 2
    return f"{value:,.{places}f}".rjust(width)


def table_lines(report: ZonalReport) -> list[str]:
    """The statistics as a fixed-width table, one line per unit."""
    lines = [" ".join(title[:width].ljust(width) for _, title, width in COLUMNS)]
    for stat in report.stats:
        lines.append(" ".join(_cell(stat, key, width) for key, _, width in COLUMNS))
    return lines


def handle(options: dict[str, Any], stdout: Any) -> None:
    """Compute, print and (unless a dry run) store the raster's statistics."""
    raster = raster_get(options["name"])
    version = options.get("boundary_version") or version_in_force()
    wanted = [i.strip() for i in (options.get("indicators") or "").split(",") if i.strip()]
    report = zonal_run(
        raster=raster,
        version=version,
        period=options.get("period") or year_now(),
        threshold=options.get("threshold"),  # NaN or infinity: refused by the computation
        indicators=wanted or None,
        dry_run=options.get("dry_run", False),
        progress=stdout.write,
    )
    for line in table_lines(report):
        stdout.write(line)
    head = (
        f"{report.raster} × {report.version}, kỳ/period {report.period}: "
        f"{report.reached}/{report.units} xã có dữ liệu / communes reached"
    )
    if report.threshold is not None:
        head += f"; ngưỡng/threshold {report.threshold:g}"
    stdout.write(head)
    codes = ", ".join(report.indicators)
    if report.dry_run:
        stdout.write(f"Chạy thử, không lưu / dry run, nothing stored (indicators: {codes})")
        return
    stdout.write(
        f"Đã lưu / stored {report.stored} giá trị/values ({report.created} mới/new, "
        f"{report.updated} cập nhật/updated, {report.unchanged} như cũ/unchanged, "
        f"{report.removed} bỏ/removed) — chỉ tiêu/indicators: {codes}"
    )
