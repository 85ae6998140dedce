"""Writes of the geography core: import and publish boundary versions, re-locate records."""

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from psycopg2.extras import execute_values

from gisioc.errors import Conflict, InvalidInput, NotFound, ValidationFailed
from gisioc.geo import validation
from gisioc.geo.models import AdminUnit, BoundaryVersion, Located
from gisioc.geo.readers import read_geofile
from gisioc.geo.text import fold, nfc, short_name

CODE_FIELDS = ("code", "ma", "ma_xa", "maxa", "ma_dvhc", "madvhc", "ma_don_vi", "id")
NAME_FIELDS = ("fullname", "full_name", "ten_xa", "tenxa", "ten", "ten_dvhc", "name")
AREA_FIELDS = ("areakm2", "area_km2", "dt_km2", "dtkm2", "dien_tich", "dientich")

Progress = Callable[[str], None]
OUTSIDE = "Ngoài mọi ranh giới hiệu lực / outside every boundary in force"


@dataclass(frozen=True)
class ImportOptions:
    """What `gisioc boundaries import` accepts besides the file."""

    name: str | None = None
    slug: str | None = None
    valid_from: dt.date = dt.date(2025, 7, 1)
    valid_to: dt.date | None = None
    source: str = ""
    code_field: str | None = None
    name_field: str | None = None
    area_field: str | None = None
    encoding: str | None = None
    crs: str | None = None
    level: str = AdminUnit.Level.COMMUNE
    approximate: bool = False
    area_tolerance: float = 0.15
    min_area_m2: float = 1000.0
    dry_run: bool = False


def _pick_field(
    columns: list[str], given: str | None, candidates: tuple[str, ...], what: str
) -> str | None:
    if given:
        if given not in columns:
            raise InvalidInput(
                f"Tệp không có trường {given}; các trường: {', '.join(columns)}.",
                f"The file has no field {given}; fields: {', '.join(columns)}.",
            )
        return given
    by_key = {c.lower(): c for c in columns}
    found = next((by_key[c] for c in candidates if c in by_key), None)
    if found is None and what != "area":
        raise InvalidInput(
            f"Không tìm thấy trường {what}; hãy chỉ rõ --{what}-field. "
            f"Các trường: {', '.join(columns)}.",
            f"No {what} field found; name it with --{what}-field. Fields: {', '.join(columns)}.",
        )
    return found


def _code_text(value: object) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _stage_rows(frame, options: ImportOptions) -> list[tuple]:
    columns = [c for c in frame.columns if c != "geometry"]
    code_f = _pick_field(columns, options.code_field, CODE_FIELDS, "code")
    name_f = _pick_field(columns, options.name_field, NAME_FIELDS, "name")
    area_f = _pick_field(columns, options.area_field, AREA_FIELDS, "area")
    rows = []
    for row_no, (record, geom) in enumerate(
        zip(frame[columns].to_dict("records"), frame.geometry, strict=True), start=1
    ):
        name = nfc(str(record[name_f])) if record[name_f] not in (None, "") else ""
        unit_type, short = short_name(name) if name else ("", "")
        area = record.get(area_f) if area_f else None
        props = {k: v for k, v in record.items() if isinstance(v, str | int | float | bool)}
        rows.append(
            (
                row_no,
                _code_text(record[code_f]),
                name,
                short,
                fold(short),
                unit_type.lower(),
                float(area) if area not in (None, "") and area == area else None,
                json.dumps(props, ensure_ascii=False, default=str),
                geom.wkb_hex if geom is not None and not geom.is_empty else None,
            )
        )
    return rows


def boundary_import(
    *, path: Path, options: ImportOptions, progress: Progress = print
) -> tuple[BoundaryVersion | None, validation.Report]:
    """Read, validate and (unless dry-run or failing) store a file as a draft boundary version."""
    started = time.perf_counter()
    geofile = read_geofile(path, encoding=options.encoding, crs=options.crs)
    report = validation.Report(
        path.name,
        geofile.driver,
        geofile.source_crs,
        f"{geofile.encoding} ({geofile.encoding_note})",
        len(geofile.frame),
    )
    report.seconds["read"] = round(time.perf_counter() - started, 2)
    progress(
        f"Đọc {report.features:,} đơn vị từ {path.name} ({geofile.source_crs}, {report.encoding}) "
        f"— read in {report.seconds['read']} s"
    )
    slug = options.slug or slugify(options.name or path.stem)
    if BoundaryVersion.objects.filter(slug=slug).exists():
        raise Conflict(f"Phiên bản {slug} đã tồn tại.", f"Version {slug} already exists.")
    rows = _stage_rows(geofile.frame, options)
    with transaction.atomic(), connection.cursor() as cursor:
        validation.create_stage(cursor)
        execute_values(
            cursor.cursor,
            f"INSERT INTO {validation.STAGE} (row_no, code, name, short_name, folded_name, "
            "unit_type, declared_area_km2, properties, geom) VALUES %s",
            rows,
            template="(%s,%s,%s,%s,%s,%s,%s,%s::jsonb,ST_SetSRID(%s::geometry,4326))",
            page_size=500,
        )
        _validate(cursor, report, options, progress)
        if report.errors:
            raise ValidationFailed(
                f"Nhập thất bại: {len(report.errors)} lỗi; không ghi gì.",
                f"Import failed: {len(report.errors)} errors; nothing was written.",
                details=report.as_dict(),
            )
        if options.dry_run:
            transaction.set_rollback(True)
            return None, report
        version = BoundaryVersion.objects.create(
            slug=slug,
            name=options.name or path.stem,
            valid_from=options.valid_from,
            valid_to=options.valid_to,
            source=options.source or path.name,
            approximate=options.approximate,
            report=report.as_dict(),
        )
        cursor.execute(
            f"""INSERT INTO geo_adminunit (version_id, code, name, short_name, folded_name,
                      unit_type, level, geom, area_km2, declared_area_km2, properties)
                    SELECT %s, code, name, short_name, folded_name, unit_type, %s, fixed,
                           ST_Area(fixed::geography) / 1e6, declared_area_km2, properties
                    FROM {validation.STAGE} ORDER BY row_no""",
            [version.pk, options.level],
        )
    _mark_changes(version)
    report.seconds["total"] = round(time.perf_counter() - started, 2)
    version.report = report.as_dict()
    version.save(update_fields=["report"])
    return version, report


def _mark_changes(version: BoundaryVersion) -> None:
    """Flag each unit new, changed or same against the version in force the day before."""
    # Name, area (±0.5%) and centroid (±~50 m) tell a GIS officer what moved, cheaply even for
    # 3,321 national units; exact geometry comparison would cost minutes on GEOS 3.11.
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE geo_adminunit d SET change = CASE
                 WHEN c.id IS NULL THEN 'new'
                 WHEN c.name <> d.name OR abs(c.area_km2 - d.area_km2) > 0.005 * d.area_km2
                      OR ST_Distance(ST_Centroid(c.geom), ST_Centroid(d.geom)) > 0.0005
                 THEN 'changed' ELSE 'same' END
               FROM geo_adminunit d2 LEFT JOIN LATERAL (
                 SELECT u.id, u.name, u.area_km2, u.geom FROM geo_adminunit u
                 JOIN geo_boundaryversion v ON v.id = u.version_id
                 WHERE v.status = 'published' AND v.id <> %s AND u.code = d2.code
                   AND u.level = d2.level AND v.valid_from <= %s::date - 1
                   AND (v.valid_to IS NULL OR v.valid_to >= %s::date - 1)
                 ORDER BY v.published_at DESC LIMIT 1) c ON true
               WHERE d.id = d2.id AND d2.version_id = %s""",
            [version.pk, version.valid_from, version.valid_from, version.pk],
        )


def _validate(
    cursor, report: validation.Report, options: ImportOptions, progress: Progress
) -> None:
    steps = [
        ("attributes", lambda: validation.check_attributes(cursor, report)),
        ("geometry", lambda: validation.check_geometry(cursor, report)),
        ("areas", lambda: validation.check_areas(cursor, report, options.area_tolerance)),
        ("topology", lambda: validation.check_topology(cursor, report, options.min_area_m2)),
    ]
    for name, step in steps:
        started = time.perf_counter()
        step()
        report.seconds[name] = round(time.perf_counter() - started, 2)
        progress(f"Kiểm tra {name} — checked in {report.seconds[name]} s")


def boundary_publish(*, slug: str, progress: Progress = print) -> dict[str, object]:
    """Make a draft version current: close overlapping open versions and re-locate records."""
    try:
        version = BoundaryVersion.objects.get(slug=slug)
    except BoundaryVersion.DoesNotExist as exc:
        raise NotFound(f"Không có phiên bản {slug}.", f"No boundary version {slug}.") from exc
    if version.status == BoundaryVersion.Status.PUBLISHED:
        raise Conflict(
            f"Phiên bản {slug} đã được công bố.", f"Version {slug} is already published."
        )
    with transaction.atomic():
        closed = _close_superseded(version)
        version.status = BoundaryVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        relocated = records_relocate(version=version)
    progress(
        f"Đã công bố {version.slug}; định vị lại {sum(relocated.values()):,} bản ghi "
        f"— published, {sum(relocated.values()):,} records re-located"
    )
    return {"version": version.slug, "closed": closed, "relocated": relocated}


def _close_superseded(version: BoundaryVersion) -> list[str]:
    """End the validity of open published versions that the new one covers in space and time."""
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE geo_boundaryversion old SET valid_to = %s::date - 1
               WHERE old.status = 'published' AND old.valid_to IS NULL AND old.valid_from < %s
                 AND (SELECT ST_Extent(geom) FROM geo_adminunit WHERE version_id = old.id)
                     && (SELECT ST_Extent(geom) FROM geo_adminunit WHERE version_id = %s)
               RETURNING old.slug""",
            [version.valid_from, version.valid_from, version.pk],
        )
        return [slug for (slug,) in cursor.fetchall()]


def located_models() -> list[type[Located]]:
    """Every concrete model placed on the map through the Located base."""
    return [m for m in apps.get_models() if issubclass(m, Located)]


def records_relocate(*, version: BoundaryVersion) -> dict[str, int]:
    """Re-locate the records dated within `version` in the version in force at their date."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in located_models():
            table = model._meta.db_table
            # Records placed by their point (or not yet placed) are placed again by the point.
            cursor.execute(
                f"""WITH located AS (
                      SELECT id, unit, CASE WHEN unit IS NULL THEN %s ELSE '' END AS reason
                      FROM (SELECT id,
                              gisioc_locate_point(geom, coalesce(locate_on, gisioc_today())) AS unit
                            FROM {table}
                            WHERE geom IS NOT NULL
                              AND locate_method IN ('point', 'facility', 'none')
                              AND coalesce(locate_on, gisioc_today())
                                  BETWEEN %s AND coalesce(%s, 'infinity'::date)) AS found)
                    UPDATE {table} t SET unit_id = located.unit, locate_reason = located.reason,
                      locate_method = CASE WHEN located.unit IS NULL THEN 'none'
                                           WHEN t.locate_method = 'none' THEN 'point'
                                           ELSE t.locate_method END
                    FROM located WHERE t.id = located.id
                      AND (t.unit_id IS DISTINCT FROM located.unit
                           OR t.locate_reason <> located.reason)""",
                [OUTSIDE, version.valid_from, version.valid_to],
            )
            counts[model._meta.label] = cursor.rowcount
            # Records placed by address keep their commune, carried to its successor in the new
            # version when the crosswalk gives a clear one (most of the old unit's area).
            cursor.execute(
                f"""UPDATE {table} t SET unit_id = c.new_unit_id, locate_method = 'crosswalk'
                    FROM geo_unitcrosswalk c JOIN geo_adminunit n ON n.id = c.new_unit_id
                    WHERE c.old_unit_id = t.unit_id AND n.version_id = %s
                      AND c.area_share_of_old >= 0.5
                      AND t.locate_method IN ('address', 'crosswalk')
                      AND coalesce(t.locate_on, gisioc_today())
                          BETWEEN %s AND coalesce(%s, 'infinity'::date)""",
                [version.pk, version.valid_from, version.valid_to],
            )
            counts[model._meta.label] += cursor.rowcount
    return counts
