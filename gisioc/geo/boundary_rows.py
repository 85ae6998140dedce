"""A boundary file's features as stage rows: the code, name and area fields picked, every
value made storable, and whatever could not be stored as read reported."""

import json
import math
import re
from collections.abc import Iterable

import numpy as np
import shapely

from gisioc.errors import InvalidInput
from gisioc.geo.readers import GeoFile
from gisioc.geo.text import fold, nfc, short_name
from gisioc.geo.validation import Report

CODE_FIELDS = ("code", "ma", "ma_xa", "maxa", "ma_dvhc", "madvhc", "ma_don_vi", "id")
NAME_FIELDS = ("fullname", "full_name", "ten_xa", "tenxa", "ten", "ten_dvhc", "name")
AREA_FIELDS = ("areakm2", "area_km2", "dt_km2", "dtkm2", "dien_tich", "dientich")
ROWS_LISTED = 10
# PostgreSQL text holds neither NUL nor half of a surrogate pair.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


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


def _rows_text(rows: list[int]) -> str:
    listed = ", ".join(map(str, rows[:ROWS_LISTED]))
    return listed + ("…" if len(rows) > ROWS_LISTED else "")


class _Problems:
    """Rows per (check, property), reported as one finding each."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list[int]] = {}

    def note(self, check: str, key: str, row: int) -> None:
        self.rows.setdefault((check, key), []).append(row)

    def report(self, report: Report, total: int) -> None:
        texts = {
            "not_a_number": (
                ("giữ NaN/Infinity (không phải số)", "lưu là rỗng"),
                ("holds NaN/Infinity (not a number)", "stored as empty"),
            ),
            "bad_text": (
                ("có ký tự không lưu được (NUL, nửa cặp surrogate)", "đã thay bằng �"),
                ("holds characters that cannot be stored (NUL, lone surrogate)", "replaced by �"),
            ),
            "bad_area": (
                ("không phải một số km²", "bỏ qua"),
                ("is not a number of km²", "ignored"),
            ),
        }
        for (check, key), rows in self.rows.items():
            (vi, vi_then), (en, en_then) = texts[check]
            n, where = f"{len(rows):,}/{total:,}", _rows_text(rows)
            report.add(
                "warning",
                check,
                f"Thuộc tính «{key}» {vi} ở {n} đối tượng (dòng {where}); {vi_then}",
                f"Property '{key}' {en} on {n} features (rows {where}); {en_then}",
                row=rows[0],
            )


def _storable(value: object, key: str, row: int, problems: _Problems) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        problems.note("not_a_number", key, row)
        return None
    if isinstance(value, str) and _UNSTORABLE.search(value):
        problems.note("bad_text", key, row)
        return _UNSTORABLE.sub("\ufffd", value)
    return value


def _code_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _area(value: object, row: int, key: str, problems: _Problems) -> float | None:
    if value is None or value == "":
        return None
    try:
        area = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        area = math.nan
    if not math.isfinite(area):
        problems.note("bad_area", key, row)
        return None
    return area


def _lon_lat(geom: shapely.Geometry) -> bool:
    xy = shapely.get_coordinates(geom)  # bounds would skip a NaN
    return bool(np.isfinite(xy).all() and (abs(xy) <= (180, 90)).all())


def _geometries(geoms: Iterable, report: Report) -> list[str | None]:
    """2-D WKB of each geometry; coordinates beyond longitude/latitude are an error."""
    usable, wrong = [], []
    for row, geom in enumerate(geoms, start=1):
        if geom is None or geom.is_empty:
            usable.append(None)
        elif _lon_lat(geom):
            usable.append(shapely.force_2d(geom).wkb_hex)
        else:
            usable.append(None)
            wrong.append((row, geom.bounds))
    if wrong and not any(usable):
        x0, x1 = min(b[0] for _, b in wrong), max(b[2] for _, b in wrong)
        raise InvalidInput(
            f"Tọa độ không phải kinh/vĩ độ (x từ {x0:,.6g} đến {x1:,.6g}): hệ tọa độ của tệp "
            "thiếu hoặc sai; hãy chỉ rõ, ví dụ --crs EPSG:5899.",
            f"The coordinates are not longitude/latitude (x from {x0:,.6g} to {x1:,.6g}): the "
            "file's CRS is missing or wrong; name it, e.g. --crs EPSG:5899.",
        )
    for row, bounds in wrong:
        box = ", ".join(f"{v:.6g}" for v in bounds)
        report.add(
            "error",
            "coordinates",
            f"Tọa độ ngoài phạm vi kinh/vĩ độ ({box})",
            f"Coordinates out of the longitude/latitude range ({box})",
            row=row,
        )
    return usable


def _report_sparse(geofile: GeoFile, report: Report) -> None:
    total = len(geofile.frame)
    for key, carried in geofile.sparse.items():
        report.add(
            "warning",
            "uneven_properties",
            f"Thuộc tính «{key}» chỉ có ở {carried:,}/{total:,} đối tượng; "
            "các đối tượng còn lại để rỗng (null)",
            f"Property '{key}' is on {carried:,} of {total:,} features; it is null on the others",
        )


def stage_rows(
    geofile: GeoFile,
    report: Report,
    *,
    code_field: str | None,
    name_field: str | None,
    area_field: str | None,
) -> list[tuple]:
    """One tuple per feature in the stage table's column order (see services.boundary_import)."""
    frame = geofile.frame
    columns = [c for c in frame.columns if c != "geometry"]
    code_f = _pick_field(columns, code_field, CODE_FIELDS, "code")
    name_f = _pick_field(columns, name_field, NAME_FIELDS, "name")
    area_f = _pick_field(columns, area_field, AREA_FIELDS, "area")
    _report_sparse(geofile, report)
    problems = _Problems()
    geoms = _geometries(frame.geometry, report)
    rows = []
    for row_no, (record, wkb) in enumerate(
        zip(frame[columns].to_dict("records"), geoms, strict=True), start=1
    ):
        props = {
            _storable(str(k), "(tên thuộc tính / property name)", row_no, problems): v
            for k, value in record.items()
            if isinstance(v := _storable(value, str(k), row_no, problems), str | int | float | bool)
        }
        name = nfc(str(props.get(name_f) or ""))
        unit_type, short = short_name(name) if name else ("", "")
        rows.append(
            (
                row_no,
                _code_text(props.get(code_f)),
                name,
                short,
                fold(short),
                unit_type.lower(),
                _area(props.get(area_f), row_no, area_f, problems) if area_f else None,
                json.dumps(props, ensure_ascii=False, allow_nan=False),
                wkb,
            )
        )
    problems.report(report, len(rows))
    return rows
