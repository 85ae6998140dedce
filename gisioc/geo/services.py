"""Writes of the geography core: import and publish boundary versions, re-locate records."""

import datetime as dt
import re
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
from gisioc.geo.boundary_rows import stage_rows
from gisioc.geo.models import AdminUnit, BoundaryVersion, Located
from gisioc.geo.readers import read_geofile
from gisioc.geo.text import fold

Progress = Callable[[str], None]
OUTSIDE = "Ngoài mọi ranh giới hiệu lực / outside every boundary in force"
NAME_LENGTH = BoundaryVersion._meta.get_field("name").max_length
SLUG_LENGTH = BoundaryVersion._meta.get_field("slug").max_length
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what <slug:…> in a URL matches
_UNSTORABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


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


def _version_fields(options: ImportOptions, label: str) -> tuple[str, str]:
    """The new version's slug and name, checked before anything is read."""
    name = options.name or Path(label).stem[:NAME_LENGTH]
    slug = options.slug or slugify(fold(name))[:SLUG_LENGTH].strip("-")
    texts = {"name": name, "slug": slug, "source": options.source, "file": label}
    if bad := next((k for k, v in texts.items() if _UNSTORABLE.search(v)), None):
        raise InvalidInput(
            f"{bad} có ký tự không hợp lệ (NUL hoặc ký tự điều khiển).",
            f"{bad} holds an invalid character (NUL or a control character).",
            field=bad,
        )
    if len(name) > NAME_LENGTH:
        raise InvalidInput(
            f"Tên phiên bản dài quá {NAME_LENGTH} ký tự.",
            f"The version name is longer than {NAME_LENGTH} characters.",
            field="name",
        )
    if not slug or len(slug) > SLUG_LENGTH or not SLUG.fullmatch(slug):
        raise InvalidInput(
            f"Mã phiên bản (slug) {slug[:40]!r} không hợp lệ: chữ không dấu, số, '-' và '_', "
            f"tối đa {SLUG_LENGTH} ký tự.",
            f"The version slug {slug[:40]!r} is invalid: ASCII letters, digits, '-' and '_', "
            f"at most {SLUG_LENGTH} characters.",
            field="slug",
        )
    if options.valid_to and options.valid_to < options.valid_from:
        raise InvalidInput(
            "Ngày hết hiệu lực trước ngày bắt đầu.",
            "valid_to is before valid_from.",
            field="valid_to",
        )
    if BoundaryVersion.objects.filter(slug=slug).exists():
        raise Conflict(f"Phiên bản {slug} đã tồn tại.", f"Version {slug} already exists.")
    return slug, name


def boundary_import(
    *, path: Path, options: ImportOptions, progress: Progress = print, label: str | None = None
) -> tuple[BoundaryVersion | None, validation.Report]:
    """Read, validate and (unless dry-run or failing) store a file as a draft boundary version,
    all in one transaction. `label` names the file in messages (an upload's own name)."""
    started = time.perf_counter()
    label = label or path.name
    slug, name = _version_fields(options, label)
    geofile = read_geofile(path, encoding=options.encoding, crs=options.crs, label=label)
    report = validation.Report(
        label,
        geofile.driver,
        geofile.source_crs,
        f"{geofile.encoding} ({geofile.encoding_note})",
        len(geofile.frame),
    )
    report.seconds["read"] = round(time.perf_counter() - started, 2)
    progress(
        f"Đọc {report.features:,} đơn vị từ {label} ({geofile.source_crs}, {report.encoding}) "
        f"— read in {report.seconds['read']} s"
    )
    rows = stage_rows(
        geofile,
        report,
        code_field=options.code_field,
        name_field=options.name_field,
        area_field=options.area_field,
    )
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
            errors = len(report.errors)
            raise ValidationFailed(
                f"Nhập thất bại: {errors:,} lỗi; không ghi gì.",
                f"Import failed: {errors:,} error{'s' if errors > 1 else ''}; nothing was written.",
                details=report.as_dict(),
            )
        if options.dry_run:
            transaction.set_rollback(True)
            return None, report
        version = BoundaryVersion.objects.create(
            slug=slug,
            name=name,
            valid_from=options.valid_from,
            valid_to=options.valid_to,
            source=options.source or label,
            approximate=options.approximate,
        )
        cursor.execute(
            f"""INSERT INTO geo_adminunit (version_id, code, name, short_name, folded_name,
                      unit_type, level, geom, area_km2, declared_area_km2, properties, change)
                    SELECT %s, code, name, short_name, folded_name, unit_type, %s, fixed,
                           area_km2, declared_area_km2, properties, change
                    FROM {validation.STAGE} ORDER BY row_no""",
            [version.pk, options.level],
        )
        report.seconds["total"] = round(time.perf_counter() - started, 2)
        version.report = report.as_dict()
        version.save(update_fields=["report"])
    return version, report


def _validate(
    cursor, report: validation.Report, options: ImportOptions, progress: Progress
) -> None:
    steps = [
        ("attributes", lambda: validation.check_attributes(cursor, report)),
        ("geometry", lambda: validation.check_geometry(cursor, report)),
        ("areas", lambda: validation.check_areas(cursor, report, options.area_tolerance)),
        ("topology", lambda: validation.check_topology(cursor, report, options.min_area_m2)),
        (
            "changes",
            lambda: validation.compare_with_in_force(
                cursor, report, valid_from=options.valid_from, level=options.level
            ),
        ),
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
        from tiles.shapes import build as shapes_build  # tiles builds on geo, not geo on tiles

        shapes_build(version.pk)  # what its tiles draw: borders shared at every zoom
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
