"""Validate a facility file's raw rows: header and kind aliases, coordinates, lengths."""

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from shapely import wkt
from shapely.errors import ShapelyError

from gisioc.geo.models import Facility
from gisioc.geo.text import fold, nfc
from gisioc.ingest.readers import RawRow
from gisioc.ingest.values import BadValue, date_value

Kind = Facility.Kind
# The key a spatial file's geometry travels under in a raw row.
GEOMETRY = "geometry"

# Folded header (spaces as '_') → field. Columns not listed are kept in `attributes`.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "ma", "ma_co_so", "ma_cs", "ma_so", "ma_don_vi", "ma_truong", "ma_kcb"),
    "name": ("name", "ten", "ten_co_so", "ten_cs", "ten_don_vi", "ten_truong"),
    "kind": ("kind", "loai", "loai_co_so", "phan_loai", "type"),
    "subtype": ("subtype", "cap_hoc", "loai_hinh", "cap", "hang"),
    "address": ("address", "dia_chi"),
    "lon": ("lon", "lng", "long", "longitude", "kinh_do", "x"),
    "lat": ("lat", "latitude", "vi_do", "y"),
    "attributes": ("attributes", "thuoc_tinh"),
    "closed_on": (
        "closed_on",
        "closed",
        "ngay_ngung_hoat_dong",
        "ngung_hoat_dong",
        "ngung_hoat_dong_tu",
        "ngay_giai_the",
        "ngay_dong_cua",
    ),
    GEOMETRY: (GEOMETRY, "wkt"),
}
REQUIRED = ("code", "name", "kind")
# (kind, subtype implied when the row names none) → folded words for it.
_KIND_WORDS: dict[tuple[str, str], tuple[str, ...]] = {
    (Kind.SCHOOL, ""): ("school", "truong", "truong hoc", "giao duc", "co so giao duc"),
    (Kind.SCHOOL, "mam_non"): ("truong mam non",),
    (Kind.SCHOOL, "tieu_hoc"): ("truong tieu hoc",),
    (Kind.SCHOOL, "thcs"): ("truong thcs",),
    (Kind.SCHOOL, "thpt"): ("truong thpt",),
    (Kind.HEALTH, ""): ("health", "y te", "co so y te"),
    (Kind.HEALTH, "tram_y_te"): ("tram y te",),
    (Kind.HEALTH, "ttyt"): ("trung tam y te",),
    (Kind.HEALTH, "benh_vien"): ("benh vien",),
    (Kind.HEALTH, "phong_kham"): ("phong kham",),
    (Kind.CAMERA, ""): ("camera", "cam"),
    (Kind.ONE_STOP, ""): (
        "one stop",
        "mot cua",
        "bo phan mot cua",
        "phuc vu hanh chinh cong",
        "trung tam phuc vu hanh chinh cong",
    ),
    (Kind.AGENCY, ""): ("agency", "co quan", "co quan nha nuoc", "ubnd"),
}
KIND_ALIASES = {word: key for key, words in _KIND_WORDS.items() for word in words}
_SUBTYPE_WORDS: dict[str, tuple[str, ...]] = {
    "mam_non": ("mam non", "mn"),
    "tieu_hoc": ("tieu hoc", "th"),
    "thcs": ("thcs", "trung hoc co so"),
    "thpt": ("thpt", "trung hoc pho thong"),
    "tram_y_te": ("tram y te", "tyt"),
    "ttyt": ("ttyt", "trung tam y te"),
    "phong_kham": ("phong kham", "pk"),
    "benh_vien": ("benh vien", "bv"),
}
SUBTYPE_ALIASES = {word: code for code, words in _SUBTYPE_WORDS.items() for word in words}
# Mainland and islands of Viet Nam, generously.
LON_RANGE = (102.0, 118.0)
LAT_RANGE = (7.0, 24.0)
MAX_LENGTH = {"code": 40, "name": 300, "subtype": 40, "address": 300}


@dataclass(frozen=True)
class RowError:
    """Why one row was rejected: its number, the field, and the reason in Vietnamese and English."""

    row: int
    field: str
    vi: str
    en: str
    code: str = ""


@dataclass(frozen=True)
class FacilityRow:
    """A validated row, ready to store."""

    number: int
    code: str
    name: str
    kind: str
    subtype: str = ""
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    closed_on: dt.date | None = None  # first day out of service


def header_map(headers: Iterable[str]) -> dict[str, str]:
    """Header as written → field, first match wins; unknown headers map to their folded key."""
    lookup = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
    mapping: dict[str, str] = {}
    for header in headers:
        keys = [fold(header).replace(" ", "_"), fold(header.split("(")[0]).replace(" ", "_")]
        name = next((lookup[k] for k in keys if k in lookup), None)
        if name is None or name in mapping.values():
            name = "+" + (keys[0] or header)  # '+' marks an extra attribute
        mapping[header] = name
    return mapping


def facility_headers_check(*, headers: Iterable[str]) -> list[str]:
    """The required fields (code, name, kind) that no header names."""
    found = set(header_map(headers).values())
    return [name for name in REQUIRED if name not in found]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def _number(value: object) -> float | None:
    """A float from a number or text, accepting a decimal comma; None when not numeric."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = _text(value).replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _coordinates(values: dict[str, object], error: Callable[..., None]) -> tuple[float | None, ...]:
    geom = values.get(GEOMETRY)
    if isinstance(geom, str):  # WKT in a CSV or XLSX column
        try:
            geom = wkt.loads(geom)
        except ShapelyError:
            error(GEOMETRY, f"không đọc được WKT: {geom[:60]}", f"unreadable WKT: {geom[:60]}")
            return None, None
    if geom is not None:
        if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        if geom.geom_type != "Point":
            error(
                GEOMETRY,
                f"hình học phải là điểm, không phải {geom.geom_type}",
                f"geometry must be a point, not {geom.geom_type}",
            )
            return None, None
        lon, lat = geom.x, geom.y
    else:
        raw = {"lon": values.get("lon"), "lat": values.get("lat")}
        if raw["lon"] is None and raw["lat"] is None:
            return None, None
        parsed = {k: _number(v) for k, v in raw.items()}
        for name, value in parsed.items():
            if value is None:
                shown = _text(raw[name]) or "(trống / empty)"
                error(
                    name, f"tọa độ không phải số: {shown}", f"coordinate is not a number: {shown}"
                )
        if None in parsed.values():
            return None, None
        lon, lat = parsed["lon"], parsed["lat"]
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        hint_vi, hint_en = "", ""
        if LON_RANGE[0] <= lat <= LON_RANGE[1] and LAT_RANGE[0] <= lon <= LAT_RANGE[1]:
            hint_vi, hint_en = " (kinh độ và vĩ độ bị đảo?)", " (longitude and latitude swapped?)"
        elif abs(lon) > 1000 or abs(lat) > 1000:
            hint_vi, hint_en = (
                " (tọa độ phẳng VN-2000? cần kinh độ/vĩ độ WGS84)",
                (" (projected VN-2000? WGS84 longitude/latitude needed)"),
            )
        field_name = GEOMETRY if geom is not None else "lon"
        error(
            field_name,
            f"tọa độ ({lon}, {lat}) ngoài Việt Nam{hint_vi}",
            f"coordinates ({lon}, {lat}) are outside Viet Nam{hint_en}",
        )
        return None, None
    return round(lon, 7), round(lat, 7)


def _json_ready(value: object) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _attributes(fields: dict[str, object], extras: dict[str, object]) -> dict[str, Any]:
    given = fields.get("attributes")
    if isinstance(given, str):
        try:
            given = json.loads(given)
        except ValueError:
            given = {"attributes": given}
    merged = dict(given) if isinstance(given, dict) else {}
    merged.update({k: v for k, v in extras.items() if v is not None})
    return _json_ready(merged)


def _kind_subtype(fields: dict[str, object], error: Callable[..., None]) -> tuple[str, str]:
    kind_text = _text(fields.get("kind"))
    found = KIND_ALIASES.get(fold(kind_text))
    if found is None:
        if kind_text:
            error(
                "kind", f"loại cơ sở không rõ: {kind_text}", f"unknown facility kind: {kind_text}"
            )
        else:
            error("kind", "thiếu loại cơ sở", "facility kind is missing")
        return "", ""
    kind, implied = found
    subtype = fold(_text(fields.get("subtype")))
    return str(kind), SUBTYPE_ALIASES.get(subtype, subtype.replace(" ", "_")) or implied


def facility_row_parse(
    *, raw: RawRow, mapping: dict[str, str]
) -> tuple[FacilityRow | None, list[RowError]]:
    """Validate one raw row: a FacilityRow, or None and every reason it was rejected."""
    fields: dict[str, object] = {}
    extras: dict[str, object] = {}
    for header, value in raw.values.items():
        name = mapping.get(header, header)
        if name.startswith("+"):
            extras[name[1:]] = value
        else:
            fields[name] = value
    code, name = _text(fields.get("code")), _text(fields.get("name"))
    errors: list[RowError] = []

    def error(field_name: str, vi: str, en: str) -> None:
        errors.append(RowError(raw.number, field_name, vi, en, code))

    if not code:
        error("code", "thiếu mã cơ sở", "facility code is missing")
    if not name:
        error("name", "thiếu tên cơ sở", "facility name is missing")
    kind, subtype = _kind_subtype(fields, error)
    lon, lat = _coordinates(fields, error)
    closed_on = None
    if fields.get("closed_on") not in (None, ""):
        try:
            closed_on = date_value(fields["closed_on"])
        except BadValue as exc:
            error("closed_on", f"ngày ngừng hoạt động: {exc.vi}", f"closing date: {exc.en}")
    texts = {
        "code": code,
        "name": name,
        "subtype": subtype,
        "address": _text(fields.get("address")),
    }
    for key, limit in MAX_LENGTH.items():
        if len(texts[key]) > limit:
            error(key, f"dài quá {limit} ký tự", f"longer than {limit} characters")
    if errors:
        return None, errors
    return FacilityRow(
        raw.number,
        code,
        name,
        kind,
        subtype,
        texts["address"],
        lon,
        lat,
        _attributes(fields, extras),
        closed_on,
    ), []
