"""Read a GIS officer's boundary or facility file (GeoJSON, zipped Shapefile, GeoPackage)."""

import codecs
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pyproj
import shapely
from shapely.geometry import shape

from gisioc.errors import InvalidInput
from gisioc.geo.filechecks import shapefile_check, zip_dataset
from gisioc.geo.text import looks_vietnamese, nfc

# Legacy 8-bit code pages seen in Vietnamese shapefiles, most likely first.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")
SUPPORTED_SUFFIXES = (".geojson", ".json", ".zip", ".shp", ".gpkg")
FORMATS = ("GeoJSON, Shapefile .zip, GeoPackage", "GeoJSON, zipped Shapefile, GeoPackage")
_OGR_ERRORS = (
    pyogrio.errors.DataSourceError,
    pyogrio.errors.DataLayerError,
    pyogrio.errors.FieldError,
    pyogrio.errors.FeatureError,
    pyogrio.errors.GeometryError,
    UnicodeError,
    ValueError,
    IndexError,
)
# A path as GDAL writes it into a message (/vsizip//tmp/x/a.zip/a.shp): only its last part.
_PATH = re.compile(r"(?:/vsi[a-z0-9]+/)?/[^\s'\":,()]*/")
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|PRAGMA)\b")


@dataclass(frozen=True)
class GeoFile:
    """A file read into EPSG:4326, with what we learned about it. Property columns hold
    Python values, None where a feature has none; a float NaN or ±inf is one the file holds."""

    frame: gpd.GeoDataFrame
    driver: str
    source_crs: str
    encoding: str
    encoding_note: str
    # GeoJSON properties that only some features carry: name → how many carry it.
    sparse: dict[str, int] = field(default_factory=dict)


def _clean(message: object) -> str:
    """A library's message without the server's paths, nor the SQL GDAL ran (only its reason)."""
    text = _PATH.sub("", str(message)).strip()
    if _SQL.search(text):
        text = text.rsplit(": ", 1)[-1]
    return text[:300]


def _string_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != "geometry" and frame[c].map(type).eq(str).any()]


def _recode(frame: gpd.GeoDataFrame, encoding: str) -> gpd.GeoDataFrame:
    """Re-decode a frame read as latin-1 (byte-transparent) with the real encoding, to NFC."""

    def fix(value: object) -> object:
        return nfc(value.encode("latin-1").decode(encoding)) if isinstance(value, str) else value

    frame = frame.rename(columns={c: fix(c) for c in frame.columns if c != "geometry"})
    for column in _string_columns(frame):
        frame[column] = frame[column].map(fix)
    return frame


def _detect_encoding(frame: gpd.GeoDataFrame) -> str | None:
    """Guess the encoding of a latin-1 read: utf-8 if it decodes, else a legacy code page."""
    values = [v for c in _string_columns(frame) for v in frame[c] if isinstance(v, str)]
    raw = [v.encode("latin-1") for v in [*map(str, frame.columns), *values]]
    if all(b.isascii() for b in raw):
        return "ascii"
    for encoding in ("utf-8", *_LEGACY_ENCODINGS):
        try:
            decoded = [b.decode(encoding) for b in raw]
        except UnicodeDecodeError:
            continue
        if all(looks_vietnamese(text) for text in decoded):
            return encoding
    return None


def _read_shapefile_text(path: Path, encoding: str | None) -> tuple[gpd.GeoDataFrame, str, str]:
    # pyogrio's own decoding truncates multi-byte cp1258 text, so read bytes and decode here.
    frame = pyogrio.read_dataframe(path, encoding="latin1")
    if encoding:
        return _recode(frame, encoding), encoding, "given"
    if any(p.stem == path.stem and p.suffix.lower() == ".cpg" for p in path.parent.iterdir()):
        return pyogrio.read_dataframe(path), "utf-8", "from .cpg"
    detected = _detect_encoding(frame)
    if detected is None:
        raise InvalidInput(
            "Không nhận ra bảng mã của tệp .dbf (không có .cpg). "
            "Hãy chỉ rõ, ví dụ --encoding cp1258.",
            "Cannot tell the .dbf text encoding (no .cpg). Name it, e.g. --encoding cp1258.",
        )
    note = "detected (no .cpg)" if detected != "ascii" else "ASCII only"
    return _recode(frame, "utf-8" if detected == "ascii" else detected), detected, note


def _read_ogr(
    path: Path, label: str, encoding: str | None
) -> tuple[gpd.GeoDataFrame, str, str, str]:
    """A Shapefile or GeoPackage through GDAL; absent values as None."""
    if path.suffix.lower() == ".shp":
        shapefile_check(path, label=label)
    try:
        layers = pyogrio.list_layers(path)
        if len(layers) != 1:
            names = ", ".join(str(n) for n, _ in layers[:10])
            raise InvalidInput(
                f"{label} có {len(layers)} lớp dữ liệu ({names}); cần đúng một.",
                f"{label} holds {len(layers)} layers ({names}); it must hold one.",
            )
        driver = pyogrio.read_info(path)["driver"]
        if driver == "ESRI Shapefile":
            frame, used, note = _read_shapefile_text(path, encoding)
        else:
            frame = pyogrio.read_dataframe(path, encoding=encoding)
            used, note = (encoding or "utf-8"), ("given" if encoding else "format default")
    except InvalidInput:
        raise
    except _OGR_ERRORS as exc:
        raise InvalidInput(
            f"Không đọc được {label}: {_clean(exc)}", f"Cannot read {label}: {_clean(exc)}"
        ) from exc
    except Exception as exc:  # pyogrio's own slips on damaged input (UnboundLocalError in get_crs)
        raise InvalidInput(
            f"Không đọc được {label}: tệp bị hỏng.", f"Cannot read {label}: the file is damaged."
        ) from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise InvalidInput(
            f"{label} không có hình học (chỉ là bảng thuộc tính).",
            f"{label} holds no geometry (an attribute table only).",
        )
    for column in frame.columns.drop("geometry"):
        # GDAL gives NaN for a null; map() infers a float column again, so object comes after.
        values = frame[column].map(lambda v: nfc(v) if isinstance(v, str) else v).astype(object)
        frame[column] = values.where(values.notna(), None)
    return frame, driver, used, note


def _feature_geometry(value: object, number: int, label: str) -> shapely.Geometry | None:
    if value is None:
        return None
    try:
        return shape(value)
    except Exception as exc:  # shape() indexes any JSON it is given: every slip is a bad geometry
        why = str(exc)[:200]
        raise InvalidInput(
            f"Không đọc được hình học của đối tượng thứ {number} trong {label}: {why}",
            f"Cannot read the geometry of feature {number} in {label}: {why}",
        ) from exc


def _geojson_data(path: Path, label: str, encoding: str | None) -> dict:
    try:
        text = path.read_bytes().decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{label} không phải văn bản {encoding or 'UTF-8'} (byte thứ {exc.start:,}); "
            "GeoJSON phải lưu dạng UTF-8.",
            f"{label} is not {encoding or 'UTF-8'} text (byte {exc.start:,}); "
            "GeoJSON must be saved as UTF-8.",
        ) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{label} không phải JSON hợp lệ: {exc.msg} (dòng {exc.lineno}, cột {exc.colno}).",
            f"{label} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).",
        ) from exc
    except (RecursionError, ValueError) as exc:  # nesting past Python's stack; 4,300+ digits
        raise InvalidInput(
            f"{label} không đọc được: JSON lồng quá sâu hoặc số quá dài.",
            f"Cannot read {label}: JSON nested too deeply or a number too long.",
        ) from exc
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection":
        raise InvalidInput(
            f"{label} phải là một FeatureCollection GeoJSON (tệp là {str(kind)[:40]!r}).",
            f"{label} must be a GeoJSON FeatureCollection (it is {str(kind)[:40]!r}).",
        )
    if not isinstance(data.get("features"), list):
        raise InvalidInput(
            f"features của {label} không phải một danh sách.",
            f"The features of {label} are not a list.",
        )
    return data


def _declared_crs(data: dict, label: str) -> str:
    """The 2008 GeoJSON `crs` member if any; RFC 7946 files are in WGS 84."""
    member = data.get("crs")
    if member is None:
        return "EPSG:4326"
    values = member.get("properties") if isinstance(member, dict) else None
    name = values.get("name") if isinstance(values, dict) else None
    if not isinstance(name, str):
        raise InvalidInput(
            f"Không hiểu thành phần crs của {label}; hãy bỏ nó hoặc chỉ rõ --crs.",
            f"The crs member of {label} is not understood; drop it or name the CRS with --crs.",
        )
    return name


def _read_geojson(
    path: Path, label: str, encoding: str | None
) -> tuple[gpd.GeoDataFrame, str, dict[str, int]]:
    """A FeatureCollection read by Python: a property a feature lacks is None, NaN stays NaN.
    Returns the frame, the CRS it declares and its properties only some features carry."""
    data = _geojson_data(path, label, encoding)
    props, geoms = [], []
    for number, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise InvalidInput(
                f"Phần tử thứ {number} của {label} không phải một Feature GeoJSON.",
                f"Item {number} of {label} is not a GeoJSON Feature.",
            )
        values = feature.get("properties") or {}
        if not isinstance(values, dict):
            raise InvalidInput(
                f"Thuộc tính (properties) của đối tượng thứ {number} trong {label} "
                "không phải một đối tượng JSON.",
                f"The properties of feature {number} in {label} are not a JSON object.",
            )
        props.append({("geometry_" if k == "geometry" else k): v for k, v in values.items()})
        geoms.append(_feature_geometry(feature.get("geometry"), number, label))
    counts: dict[str, int] = {}
    for values in props:
        for key in values:
            counts[key] = counts.get(key, 0) + 1
    columns = {
        key: pd.Series(
            [nfc(v) if isinstance(v, str) else v for v in (p.get(key) for p in props)],
            dtype=object,
        )
        for key in counts
    }
    frame = gpd.GeoDataFrame(columns, geometry=pd.Series(geoms, dtype=object))
    sparse = {k: n for k, n in counts.items() if n < len(props)}
    return frame, _declared_crs(data, label), sparse


def _to_wgs84(frame: gpd.GeoDataFrame, crs: str | None, label: str) -> tuple[gpd.GeoDataFrame, str]:
    try:
        if crs:
            frame = frame.set_crs(crs, allow_override=True)
        if frame.crs is None:
            raise InvalidInput(
                f"{label} không khai báo hệ tọa độ đọc được (thiếu .prj, hoặc .prj không hiểu "
                "được); hãy chỉ rõ, ví dụ --crs EPSG:5899 (VN-2000 TM-3 107°45').",
                f"{label} declares no CRS we can read (no .prj, or one not understood); "
                "name it, e.g. --crs EPSG:5899 (VN-2000 TM-3 107°45').",
            )
        source = frame.crs.to_string()
        return (frame if frame.crs.to_epsg() == 4326 else frame.to_crs(4326)), source
    except (pyproj.exceptions.CRSError, pyproj.exceptions.ProjError, ValueError) as exc:
        raise InvalidInput(
            f"Không dùng được hệ tọa độ của {label}: {_clean(exc)[:200]}",
            f"Cannot use the CRS of {label}: {_clean(exc)[:200]}",
        ) from exc


def _read(path: Path, label: str, encoding: str | None, crs: str | None) -> GeoFile:
    sparse: dict[str, int] = {}
    if path.suffix.lower() in (".geojson", ".json"):
        frame, declared, sparse = _read_geojson(path, label, encoding)
        crs = crs or declared
        driver, used, note = "GeoJSON", (encoding or "utf-8"), ("given" if encoding else "UTF-8")
    else:
        frame, driver, used, note = _read_ogr(path, label, encoding)
    if frame.empty:
        raise InvalidInput(f"{label} không có đối tượng nào.", f"{label} holds no features.")
    frame, source_crs = _to_wgs84(frame, crs, label)
    return GeoFile(frame, driver, source_crs, used, note, sparse)


def read_geofile(
    path: Path, *, encoding: str | None = None, crs: str | None = None, label: str | None = None
) -> GeoFile:
    """Read `path` into EPSG:4326 with NFC text; raise InvalidInput with a clear reason.
    `label` names the file in messages (an upload's own name, not where the server keeps it)."""
    label = label or path.name
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp {label}.", f"File not found: {label}.")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInput(
            f"Định dạng {path.suffix or '(không đuôi)'} chưa hỗ trợ ({FORMATS[0]}).",
            f"Unsupported format {path.suffix or '(no extension)'} ({FORMATS[1]}).",
        )
    if path.stat().st_size == 0:
        raise InvalidInput(f"Tệp {label} rỗng.", f"The file {label} is empty.")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise InvalidInput(
                f"Không biết bảng mã {encoding[:40]!r}.", f"Unknown encoding {encoding[:40]!r}."
            ) from exc
    if path.suffix.lower() != ".zip":
        return _read(path, label, encoding, crs)
    with tempfile.TemporaryDirectory(prefix="gisioc-zip-") as folder:
        member = zip_dataset(path, Path(folder), label=label)
        return _read(member, f"{member.name} ({label})", encoding, crs)
