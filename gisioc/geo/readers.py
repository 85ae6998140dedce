"""Read a GIS officer's boundary or facility file (GeoJSON, zipped Shapefile, GeoPackage)."""

import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from gisioc.errors import InvalidInput
from gisioc.geo.text import looks_vietnamese, nfc

# Legacy 8-bit code pages seen in Vietnamese shapefiles, most likely first.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")
SUPPORTED_SUFFIXES = (".geojson", ".json", ".zip", ".shp", ".gpkg")


@dataclass(frozen=True)
class GeoFile:
    """A file read into EPSG:4326, with what we learned about it."""

    frame: gpd.GeoDataFrame
    driver: str
    source_crs: str
    encoding: str
    encoding_note: str


def _has_cpg(path: Path) -> bool:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            return any(name.lower().endswith(".cpg") for name in archive.namelist())
    return path.with_suffix(".cpg").exists() or path.with_suffix(".CPG").exists()


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
    if _has_cpg(path):
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


def read_geofile(path: Path, *, encoding: str | None = None, crs: str | None = None) -> GeoFile:
    """Read `path` into EPSG:4326 with NFC text; raise InvalidInput with a clear reason."""
    if not path.exists():
        raise InvalidInput(f"Không tìm thấy tệp {path}.", f"File not found: {path}.")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInput(
            f"Định dạng {path.suffix} chưa hỗ trợ (GeoJSON, Shapefile .zip, GeoPackage).",
            f"Unsupported format {path.suffix} (GeoJSON, zipped Shapefile, GeoPackage).",
        )
    try:
        info = pyogrio.read_info(path)
        if info["driver"] == "ESRI Shapefile":
            frame, used, note = _read_shapefile_text(path, encoding)
        else:
            frame = (
                pyogrio.read_dataframe(path, encoding=encoding)
                if encoding
                else pyogrio.read_dataframe(path)
            )
            for column in _string_columns(frame):
                frame[column] = frame[column].map(lambda v: nfc(v) if isinstance(v, str) else v)
            used, note = (encoding or "utf-8"), ("given" if encoding else "format default")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, UnicodeError) as exc:
        raise InvalidInput(
            f"Không đọc được tệp {path.name}: {exc}", f"Cannot read {path.name}: {exc}"
        ) from exc
    if crs:
        frame = frame.set_crs(crs, allow_override=True)
    if frame.crs is None:
        raise InvalidInput(
            "Tệp không khai báo hệ tọa độ; hãy chỉ rõ, "
            "ví dụ --crs EPSG:5899 (VN-2000 TM-3 107°45').",
            "The file declares no CRS; name it, e.g. --crs EPSG:5899 (VN-2000 TM-3 107°45').",
        )
    source_crs = frame.crs.to_string()
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return GeoFile(frame, info["driver"], source_crs, used, note)
