"""`gisioc boundaries import|publish|list`: how a GIS officer maintains boundary versions."""

import datetime as dt
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from gisioc.commands import GisiocCommand
from gisioc.errors import ValidationFailed
from gisioc.geo import selectors, services
from gisioc.geo.models import AdminUnit, BoundaryVersion
from gisioc.geo.validation import Report


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


CHANGES = {"new": "mới / new", "changed": "đổi / changed", "same": "giữ / same"}


def _km2(value: float | None) -> str:
    return f"{value:,.2f}" if value is not None else "—"


def _change(unit: dict[str, Any]) -> str:
    what = [
        f"tên/name ← {unit['previous_name']}" if unit["name_changed"] else "",
        "ranh giới/geometry" if unit["geometry_changed"] else "",
    ]
    detail = "; ".join(w for w in what if w)
    return CHANGES.get(unit["change"], unit["change"] or "") + (f" ({detail})" if detail else "")


def print_units(data: dict[str, Any], write) -> None:
    """Every unit read: code, name as decoded, measured and declared km², what changed."""
    units = data.get("units") or []
    against = ", ".join(data.get("compared_with") or []) or "—"
    counts = ", ".join(f"{CHANGES.get(k, k)} {n:,}" for k, n in (data.get("changes") or {}).items())
    write(f"Đơn vị đã đọc / units read (so với / against: {against}): {counts}")
    if not units:
        return
    code_w = max(7, *(len(u["code"] or "") for u in units))
    name_w = min(40, max(12, *(len(u["name"] or "") for u in units)))
    write(
        f"  {'dòng/row':>8}  {'mã/code':<{code_w}}  {'tên/name':<{name_w}}  "
        f"{'km²':>10}  {'khai báo/declared':>17}  {'lệch/diff':>9}  thay đổi/change"
    )
    for unit in units:
        area, declared = unit["area_km2"], unit["declared_area_km2"]
        diff = f"{(area - declared) / declared:+.1%}" if area is not None and declared else ""
        write(
            f"  {unit['row']:>8}  {unit['code'] or '—':<{code_w}}  "
            f"{(unit['name'] or '—')[:name_w]:<{name_w}}  {_km2(area):>10}  "
            f"{_km2(declared) if declared is not None else '':>17}  {diff:>9}  {_change(unit)}"
        )


def print_report(report: Report | dict[str, Any], write) -> None:
    """Human-readable validation report: every unit, then errors and warnings, the summary."""
    data = report.as_dict() if isinstance(report, Report) else report
    write(
        f"Tệp / file: {data['file']} ({data['driver']}, {data['source_crs']}, {data['encoding']})"
    )
    write(f"Đơn vị / units: {data['features']:,}")
    print_units(data, write)
    for finding in data["findings"]:
        label = "LỖI / ERROR  " if finding["severity"] == "error" else "CẢNH BÁO / WARNING"
        where = " ".join(
            p
            for p in (
                f"dòng/row {finding['row']}" if finding["row"] else "",
                f"mã/code {finding['code']}" if finding["code"] else "",
            )
            if p
        )
        write(f"  {label} [{finding['check']}] {where}: {finding['vi']} — {finding['en']}")
    for check, summary in data["summary"].items():
        write(
            f"  {check}: {summary['count']:,} ({summary['total_m2']:,.0f} m²), "
            f"{summary['count_at_least_min_area']:,} ≥ {summary['min_area_m2']:,.0f} m²"
        )
    write(f"Tổng / total: {data['errors']} lỗi / errors, {data['warnings']} cảnh báo / warnings")


class Command(GisiocCommand):
    help = "Nhập, kiểm tra và công bố ranh giới — import, validate and publish boundary versions."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Import a GeoJSON, zipped Shapefile or GeoPackage as a draft"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--name", help="Version name, e.g. 'Đà Nẵng 2025–'")
        imp.add_argument("--slug")
        imp.add_argument("--valid-from", type=_date, default=dt.date(2025, 7, 1))
        imp.add_argument("--valid-to", type=_date)
        imp.add_argument("--source", default="")
        imp.add_argument("--code-field")
        imp.add_argument("--name-field")
        imp.add_argument(
            "--area-field", help="Declared area in km², compared with the measured one"
        )
        imp.add_argument("--encoding", help="Text encoding of a .dbf without .cpg, e.g. cp1258")
        imp.add_argument("--crs", help="CRS when the file declares none, e.g. EPSG:5899")
        imp.add_argument("--level", choices=AdminUnit.Level.values, default="commune")
        imp.add_argument("--area-tolerance", type=float, default=0.15)
        imp.add_argument(
            "--min-area-m2",
            type=float,
            default=1000.0,
            help="Overlaps and gaps smaller than this are counted, not listed",
        )
        imp.add_argument(
            "--dry-run", action="store_true", help="Validate and report; write nothing"
        )
        imp.add_argument("--json", action="store_true", help="Print the report as JSON")
        pub = sub.add_parser("publish", help="Make a draft version current and re-locate records")
        pub.add_argument("version")
        sub.add_parser("list", help="List boundary versions")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"_{opts['action']}")(opts)
        except ValidationFailed as exc:
            self._emit_report(exc.details, opts)
            raise CommandError(exc.both()) from exc

    def _emit_report(self, report: dict[str, Any], opts: dict[str, Any]) -> None:
        if opts.get("json"):
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            print_report(report, self.stdout.write)

    def _import(self, opts: dict[str, Any]) -> None:
        fields = {
            k: opts[k]
            for k in (
                "name",
                "slug",
                "valid_from",
                "valid_to",
                "source",
                "code_field",
                "name_field",
                "area_field",
                "encoding",
                "crs",
                "level",
                "area_tolerance",
                "min_area_m2",
                "dry_run",
            )
        }
        progress = self.stderr.write if opts["json"] else self.stdout.write
        version, report = services.boundary_import(
            path=opts["file"], options=services.ImportOptions(**fields), progress=progress
        )
        self._emit_report(report.as_dict(), opts)
        if version is None:
            self.stdout.write("Chạy thử: không ghi gì — dry run: nothing written.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo bản nháp {version.slug} ({report.features:,} đơn vị, "
                    f"{report.seconds['total']} s) — draft created; publish with: "
                    f"gisioc boundaries publish {version.slug}"
                )
            )

    def _publish(self, opts: dict[str, Any]) -> None:
        result = services.boundary_publish(slug=opts["version"], progress=self.stdout.write)
        if result["closed"]:
            self.stdout.write(f"Kết thúc hiệu lực / closed: {', '.join(result['closed'])}")

    def _list(self, opts: dict[str, Any]) -> None:
        today = selectors.vietnam_today()
        in_force = set(selectors.versions_in_force(on=today).values_list("slug", flat=True))
        for v in BoundaryVersion.objects.all():
            units = v.units.count()
            mark = "*" if v.slug in in_force else " "
            approx = " ~gần đúng/approximate" if v.approximate else ""
            self.stdout.write(
                f"{mark} {v.slug:<28} {v.status:<9} {v.valid_from} → {v.valid_to or '…'} "
                f"{units:>6,} units  {v.name}{approx}"
            )
