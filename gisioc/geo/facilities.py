"""Import facilities (schools, health, cameras, one-stop offices, agencies) and locate them."""

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.gis.geos import Point
from django.db import transaction

from gisioc.errors import InvalidInput
from gisioc.geo import selectors
from gisioc.geo.facility_files import facility_file_read
from gisioc.geo.facility_rows import (
    FacilityRow,
    RowError,
    facility_headers_check,
    facility_row_parse,
    header_map,
)
from gisioc.geo.geocoder import geocode
from gisioc.geo.models import Facility
from gisioc.geo.text import fold
from gisioc.ingest.readers import RawRow

Progress = Callable[[str], None]


@dataclass
class FacilityImportResult:
    """What an import did, row counts first, then each rejected and each unlocated row."""

    source: str
    dry_run: bool = False
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    not_located: int = 0
    errors: list[RowError] = field(default_factory=list)
    unlocated: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the CLI and the API."""
        return asdict(self)

    def summary(self) -> str:
        """One line of counts, Vietnamese then English."""
        return (
            f"nhận {self.received}, tạo {self.created}, cập nhật {self.updated}, "
            f"giữ nguyên {self.unchanged}, loại {self.rejected}, chưa định vị {self.not_located} "
            f"— received, created, updated, unchanged, rejected, not located"
            + (" (chạy thử, không ghi / dry run, nothing written)" if self.dry_run else "")
        )


def _same(a: object, b: object) -> bool:
    if isinstance(a, Point) or isinstance(b, Point):
        return a is not None and b is not None and a.equals_exact(b, 1e-9)
    return a == b


def facility_upsert(
    *, row: FacilityRow, on: dt.date, existing: Facility | None, closing: bool = True
) -> tuple[str, Facility]:
    """Locate a row and create or update its facility: 'created', 'updated' or 'unchanged'.
    Without `closing` (a file with no closing-date column) a closing date is left as it was.

    A place is located in the boundaries of the day (`locate_on` empty), and so re-located
    whenever a new version is published; a closed one in those of its last day open, the
    commune it served."""
    closed_on = row.closed_on if closing else existing.closed_on if existing else None
    last_day = closed_on - dt.timedelta(days=1) if closed_on and closed_on <= on else None
    location = geocode(on=last_day or on, lon=row.lon, lat=row.lat, address=row.address or None)
    values = {
        "kind": row.kind,
        "subtype": row.subtype,
        "name": row.name,
        "folded_name": fold(row.name),
        "address": row.address,
        "attributes": row.attributes,
        "active": True,
        "closed_on": closed_on,
        "locate_on": last_day,
        "geom": Point(row.lon, row.lat, srid=4326) if row.lon is not None else None,
        "unit_id": location.unit_id,
        "locate_method": location.method,
        "locate_confidence": location.confidence,
        "locate_reason": location.reason[:300],
    }
    if existing is None:
        return "created", Facility.objects.create(code=row.code, **values)
    changed = [k for k, v in values.items() if not _same(getattr(existing, k), v)]
    if not changed:
        return "unchanged", existing
    for key in changed:
        setattr(existing, key, values[key])
    existing.save(update_fields=changed)
    return "updated", existing


def _parse_all(
    raws: list[RawRow], mapping: dict[str, str], result: FacilityImportResult
) -> list[FacilityRow]:
    good: dict[str, FacilityRow] = {}
    for raw in raws:
        row, errors = facility_row_parse(raw=raw, mapping=mapping)
        if row is not None and row.code in good:
            first = good[row.code].number
            errors = [
                RowError(
                    raw.number,
                    "code",
                    f"trùng mã {row.code} với dòng {first}",
                    f"code {row.code} repeats row {first}",
                    row.code,
                )
            ]
        if errors:
            result.rejected += 1
            result.errors.extend(errors)
        else:
            good[row.code] = row
    return list(good.values())


def facility_rows_import(
    *, rows: list[RawRow], source: str, dry_run: bool = False, progress: Progress = print
) -> FacilityImportResult:
    """Validate, locate and upsert rows by code in one transaction; bad rows are only reported."""
    result = FacilityImportResult(source=source, dry_run=dry_run, received=len(rows))
    mapping = header_map(dict.fromkeys(h for raw in rows for h in raw.values))
    good = _parse_all(rows, mapping, result)
    closing = "closed_on" in mapping.values()
    on = selectors.vietnam_today()
    with transaction.atomic():
        existing = Facility.objects.in_bulk([r.code for r in good], field_name="code")
        for row in good:
            outcome, facility = facility_upsert(
                row=row, on=on, existing=existing.get(row.code), closing=closing
            )
            setattr(result, outcome, getattr(result, outcome) + 1)
            if facility.unit_id is None:
                result.not_located += 1
                result.unlocated.append(
                    {"row": row.number, "code": row.code, "reason": facility.locate_reason}
                )
        if dry_run:
            transaction.set_rollback(True)
    progress(f"{source}: {result.summary()}")
    return result


def facilities_import(
    *, path: Path, dry_run: bool = False, progress: Progress = print
) -> FacilityImportResult:
    """Import a CSV, XLSX, GeoJSON, zipped Shapefile or GeoPackage list of facilities."""
    facility_file = facility_file_read(path=path)
    missing = facility_headers_check(headers=facility_file.headers)
    if missing:
        have = ", ".join(facility_file.headers)
        raise InvalidInput(
            f"Tệp thiếu cột {', '.join(missing)}; các cột: {have}.",
            f"The file lacks column(s) {', '.join(missing)}; columns: {have}.",
        )
    progress(
        f"Đọc {len(facility_file.rows):,} dòng từ {path.name} ({facility_file.format}, "
        f"{facility_file.encoding}) — read {len(facility_file.rows):,} rows"
    )
    return facility_rows_import(
        rows=facility_file.rows, source=path.name, dry_run=dry_run, progress=progress
    )
