"""Validation of a staged boundary file in PostGIS; produces the import report."""

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db.backends.utils import CursorWrapper

from gisioc.geo.models import AdminUnit

STAGE = "gisioc_boundary_stage"
# The stage's text columns as long as geo_adminunit holds them.
LENGTHS = [
    ("code", "code_too_long", AdminUnit._meta.get_field("code").max_length, "Mã", "Code"),
    ("name", "name_too_long", AdminUnit._meta.get_field("name").max_length, "Tên", "Name"),
    (
        "unit_type",
        "type_too_long",
        AdminUnit._meta.get_field("unit_type").max_length,
        "Loại đơn vị",
        "Unit type",
    ),
]
LIST_LIMIT = 50
METRES_PER_DEGREE = 111_320.0


@dataclass
class Finding:
    """One line of the report: an error blocks the import, a warning does not."""

    severity: str
    check: str
    vi: str
    en: str
    row: int | None = None
    code: str | None = None
    area_m2: float | None = None


@dataclass
class Report:
    """What an import found, in the order a GIS officer reads it."""

    file: str
    driver: str
    source_crs: str
    encoding: str
    features: int = 0
    findings: list[Finding] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    # Every unit read, against the version in force the day before (`compared_with`).
    units: list[dict[str, Any]] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)
    compared_with: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Findings that stop the import."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Findings reported but not blocking."""
        return [f for f in self.findings if f.severity == "warning"]

    def add(self, severity: str, check: str, vi: str, en: str, **where: Any) -> None:
        """Record one finding."""
        self.findings.append(Finding(severity, check, vi, en, **where))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, stored on the draft version."""
        return asdict(self) | {"errors": len(self.errors), "warnings": len(self.warnings)}


def create_stage(cursor: CursorWrapper) -> None:
    """A temporary table that disappears with the transaction."""
    cursor.execute(f"DROP TABLE IF EXISTS {STAGE}")
    cursor.execute(
        f"""CREATE TEMP TABLE {STAGE} (
            row_no integer PRIMARY KEY, code text, name text, short_name text,
            folded_name text, unit_type text, declared_area_km2 double precision,
            properties jsonb, geom geometry(Geometry, 4326), fixed geometry(MultiPolygon, 4326),
            area_km2 double precision, change text, previous_name text, previous_version text,
            name_changed boolean, geometry_changed boolean
        ) ON COMMIT DROP"""
    )


def check_attributes(cursor: CursorWrapper, report: Report) -> None:
    """Missing, too long and duplicate codes; missing and too long names."""
    cursor.execute(f"SELECT row_no FROM {STAGE} WHERE coalesce(code, '') = '' ORDER BY row_no")
    for (row,) in cursor.fetchall():
        report.add("error", "missing_code", "Thiếu mã đơn vị", "Missing unit code", row=row)
    for column, check, limit, vi, en in LENGTHS:
        cursor.execute(
            f"SELECT row_no, code FROM {STAGE} WHERE length({column}) > %s ORDER BY row_no",
            [limit],
        )
        for row, code in cursor.fetchall():
            report.add(
                "error",
                check,
                f"{vi} dài quá {limit} ký tự",
                f"{en} longer than {limit} characters",
                row=row,
                code=code[:limit] + "…" if column == "code" else code,
            )
    cursor.execute(
        f"""SELECT code, array_agg(row_no ORDER BY row_no) FROM {STAGE}
            WHERE coalesce(code, '') <> '' GROUP BY code HAVING count(*) > 1 ORDER BY code"""
    )
    for code, rows in cursor.fetchall():
        rows_text = ", ".join(map(str, rows))
        report.add(
            "error",
            "duplicate_code",
            f"Mã {code} trùng ở các dòng {rows_text}",
            f"Code {code} repeats on rows {rows_text}",
            row=rows[0],
            code=code,
        )
    cursor.execute(
        f"SELECT row_no, code FROM {STAGE} WHERE coalesce(name, '') = '' ORDER BY row_no"
    )
    for row, code in cursor.fetchall():
        report.add(
            "error", "missing_name", "Thiếu tên đơn vị", "Missing unit name", row=row, code=code
        )


def check_geometry(cursor: CursorWrapper, report: Report) -> None:
    """Empty, non-polygonal and invalid geometry; invalid ones are repaired when possible."""
    cursor.execute(
        f"""SELECT row_no, code,
              CASE WHEN geom IS NULL OR ST_IsEmpty(geom) THEN 'empty'
                   WHEN ST_Dimension(geom) <> 2 THEN 'type:' || GeometryType(geom)
                   WHEN NOT ST_IsValid(geom) THEN 'invalid:' || ST_IsValidReason(geom) END
            FROM {STAGE} ORDER BY row_no"""
    )
    out_of_range = {f.row for f in report.findings if f.check == "coordinates"}
    for row, code, problem in cursor.fetchall():
        if problem == "empty" and row in out_of_range:
            continue
        if problem == "empty":
            report.add(
                "error",
                "empty_geometry",
                "Hình học rỗng hoặc thiếu",
                "Empty or missing geometry",
                row=row,
                code=code,
            )
        elif problem and problem.startswith("type:"):
            kind = problem[5:]
            report.add(
                "error",
                "not_polygon",
                f"Hình học không phải vùng ({kind})",
                f"Geometry is not a polygon ({kind})",
                row=row,
                code=code,
            )
        elif problem:
            report.add(
                "warning",
                "repaired",
                f"Hình học không hợp lệ, đã sửa: {problem[8:]}",
                f"Invalid geometry repaired: {problem[8:]}",
                row=row,
                code=code,
            )
    cursor.execute(
        f"""UPDATE {STAGE} SET fixed = ST_Multi(ST_CollectionExtract(
              CASE WHEN ST_IsValid(geom) THEN geom
                   ELSE ST_MakeValid(geom, 'method=structure') END, 3))
            WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom) AND ST_Dimension(geom) = 2"""
    )
    cursor.execute(f"UPDATE {STAGE} SET area_km2 = ST_Area(fixed::geography) / 1e6")
    cursor.execute(
        f"SELECT row_no, code FROM {STAGE} WHERE fixed IS NOT NULL AND ST_IsEmpty(fixed)"
    )
    for row, code in cursor.fetchall():
        report.add(
            "error",
            "unrepairable",
            "Hình học không sửa được (diện tích bằng 0)",
            "Geometry cannot be repaired (no area left)",
            row=row,
            code=code,
        )


def check_areas(cursor: CursorWrapper, report: Report, tolerance: float) -> None:
    """Units whose measured area is far from the area the file declares."""
    cursor.execute(
        f"""SELECT row_no, code, area_km2, declared_area_km2 FROM {STAGE}
            WHERE declared_area_km2 > 0 AND abs(area_km2 - declared_area_km2)
                  > %s * declared_area_km2 ORDER BY row_no""",
        [tolerance],
    )
    for row, code, area, declared in cursor.fetchall():
        report.add(
            "warning",
            "area_mismatch",
            f"Diện tích đo {area:.2f} km² lệch xa diện tích khai báo {declared:.2f} km²",
            f"Measured area {area:.2f} km² is far from the declared {declared:.2f} km²",
            row=row,
            code=code,
            area_m2=area * 1e6,
        )


def _m2(geoms: np.ndarray) -> np.ndarray:
    """Areas in m² of small lon/lat polygons (local equirectangular scale; <0.5% off)."""
    lat = np.radians(shapely.get_y(shapely.centroid(geoms)))
    return shapely.area(geoms) * METRES_PER_DEGREE**2 * np.cos(lat)


def _labels(geoms: np.ndarray) -> list[str]:
    points = shapely.point_on_surface(geoms)
    return [
        f"{y:.5f}, {x:.5f}"
        for x, y in zip(shapely.get_x(points), shapely.get_y(points), strict=True)
    ]


def check_topology(cursor: CursorWrapper, report: Report, min_area_m2: float) -> None:
    """Overlaps between units and gaps (holes) inside the coverage, with their areas."""
    # GEOS 3.13 in shapely runs this an order of magnitude faster than PostGIS 3.3's GEOS 3.11.
    cursor.execute(
        f"SELECT code, ST_AsBinary(fixed) FROM {STAGE} WHERE fixed IS NOT NULL "
        "AND NOT ST_IsEmpty(fixed) ORDER BY row_no"
    )
    rows = cursor.fetchall()
    codes = [code for code, _ in rows]
    geoms = shapely.from_wkb([bytes(wkb) for _, wkb in rows])
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    left, right = left[pairs], right[pairs]
    shared = shapely.intersection(geoms[left], geoms[right])
    areas = _m2(shared) if len(shared) else np.array([])
    order = np.argsort(-areas)
    overlaps = [
        (f"{codes[left[i]]} × {codes[right[i]]}", float(areas[i])) for i in order if areas[i] > 0
    ]
    _summarise(
        report,
        "overlap",
        overlaps,
        min_area_m2,
        "Chồng lấn giữa {} : {:,.0f} m²",
        "Overlap between {}: {:,.0f} m²",
    )
    parts = shapely.get_parts(shapely.union_all(geoms)) if len(geoms) else np.array([])
    holes = [shapely.Polygon(ring) for part in parts for ring in part.interiors]
    hole_geoms = np.array(holes, dtype=object)
    hole_areas = _m2(hole_geoms) if holes else np.array([])
    order = np.argsort(-hole_areas)
    labels = _labels(hole_geoms[order[:LIST_LIMIT]]) if holes else []
    gaps = [
        (labels[n] if n < len(labels) else "", float(hole_areas[i])) for n, i in enumerate(order)
    ]
    _summarise(
        report, "gap", gaps, min_area_m2, "Khoảng hở tại {} : {:,.0f} m²", "Gap at {}: {:,.0f} m²"
    )


def _summarise(
    report: Report, check: str, items: list[tuple[str, float]], min_area_m2: float, vi: str, en: str
) -> None:
    significant = [(label, m2) for label, m2 in items if m2 >= min_area_m2]
    report.summary[check + "s"] = {
        "count": len(items),
        "total_m2": round(sum(m2 for _, m2 in items), 1),
        "count_at_least_min_area": len(significant),
        "min_area_m2": min_area_m2,
    }
    for label, m2 in significant[:LIST_LIMIT]:
        report.add(
            "warning", check, vi.format(label, m2), en.format(label, m2), area_m2=round(m2, 1)
        )


def compare_with_in_force(
    cursor: CursorWrapper, report: Report, *, valid_from: dt.date, level: str
) -> None:
    """Mark each unit new, changed or same against the unit of its code and level in the
    version in force the day before `valid_from`, and list every unit in the report."""
    # Name, area (±0.5%) and centroid (±~50 m) tell a GIS officer what moved, cheaply even for
    # 3,321 national units; exact geometry comparison would cost minutes on GEOS 3.11.
    cursor.execute(
        f"""UPDATE {STAGE} s SET previous_version = c.slug, previous_name = c.name,
              name_changed = c.name <> s.name,
              geometry_changed = abs(c.area_km2 - s.area_km2) > 0.005 * s.area_km2
                OR ST_Distance(ST_Centroid(c.geom), ST_Centroid(s.fixed)) > 0.0005
            FROM {STAGE} s2 LEFT JOIN LATERAL (
              SELECT u.name, u.area_km2, u.geom, v.slug FROM geo_adminunit u
              JOIN geo_boundaryversion v ON v.id = u.version_id
              WHERE v.status = 'published' AND u.code = s2.code AND u.level = %s
                AND v.valid_from <= %s::date - 1
                AND (v.valid_to IS NULL OR v.valid_to >= %s::date - 1)
              ORDER BY v.published_at DESC LIMIT 1) c ON true
            WHERE s.row_no = s2.row_no""",
        [level, valid_from, valid_from],
    )
    cursor.execute(
        f"""UPDATE {STAGE} SET change = CASE WHEN previous_version IS NULL THEN 'new'
              WHEN name_changed OR coalesce(geometry_changed, false) THEN 'changed'
              ELSE 'same' END
            RETURNING row_no AS "row", code, name, area_km2, declared_area_km2, change,
              name_changed, geometry_changed, previous_name, previous_version"""
    )
    columns = [c.name for c in cursor.description]
    units = [dict(zip(columns, row, strict=True)) for row in sorted(cursor.fetchall())]
    report.compared_with = sorted({u.pop("previous_version") for u in units} - {None})
    for unit in units:
        if unit["area_km2"] is not None:
            unit["area_km2"] = round(unit["area_km2"], 3)
        if not unit["name_changed"]:
            unit["previous_name"] = None
    report.units = units
    report.changes = dict(Counter(u["change"] for u in report.units))
