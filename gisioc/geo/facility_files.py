"""Read a facility list (CSV, XLSX, GeoJSON, zipped Shapefile, GeoPackage) into raw rows."""

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gisioc.errors import InvalidInput
from gisioc.geo.readers import SUPPORTED_SUFFIXES, read_geofile
from gisioc.geo.text import nfc

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
# The key a spatial file's geometry travels under in a raw row.
GEOMETRY = "geometry"


@dataclass(frozen=True)
class RawRow:
    """One data row as read: its number as the user sees it and its values by header."""

    number: int
    values: dict[str, object]


@dataclass(frozen=True)
class FacilityFile:
    """The rows of a facility file, its headers and how it was decoded."""

    rows: list[RawRow]
    headers: list[str]
    format: str
    encoding: str


def _clean(value: object) -> object:
    """Plain Python values: NFC text, None for blanks and NaN, numpy scalars unwrapped."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, str):
        value = nfc(value)
        return value or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _blank(values: dict[str, object]) -> bool:
    return all(v is None for k, v in values.items() if k != GEOMETRY)


def _decode(data: bytes) -> tuple[str, str]:
    for encoding, label in (("utf-8-sig", "utf-8"), ("cp1258", "cp1258")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        bom = " (BOM)" if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf") else ""
        return text, label + bom
    raise InvalidInput(
        "Không giải mã được tệp CSV (đã thử UTF-8 và Windows-1258).",
        "Cannot decode the CSV file (tried UTF-8 and Windows-1258).",
    )


def _read_csv(path: Path) -> FacilityFile:
    text, encoding = _decode(path.read_bytes())
    header_line = text.split("\n", 1)[0]
    # Vietnamese Excel often saves ';'-separated CSV; the header line tells which one.
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise InvalidInput("Tệp CSV trống.", "The CSV file is empty.")
    headers = [nfc(h) for h in header]
    rows = []
    for number, cells in enumerate(reader, start=2):  # the header is row 1, as in a spreadsheet
        values = {h: _clean(c) for h, c in zip(headers, cells, strict=False) if h}
        if not _blank(values):
            rows.append(RawRow(number, values))
    return FacilityFile(rows, [h for h in headers if h], "csv", encoding)


def _read_xlsx(path: Path) -> FacilityFile:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise InvalidInput(
            f"Không đọc được tệp Excel {path.name}: {exc}",
            f"Cannot read Excel file {path.name}: {exc}",
        ) from exc
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        header = next(lines, None)
        if not header:
            raise InvalidInput("Trang tính đầu tiên trống.", "The first worksheet is empty.")
        headers = [nfc(str(h)) if h is not None else "" for h in header]
        rows = []
        for number, cells in enumerate(lines, start=2):
            values = {h: _clean(c) for h, c in zip(headers, cells, strict=False) if h}
            if not _blank(values):
                rows.append(RawRow(number, values))
    finally:
        workbook.close()
    return FacilityFile(rows, [h for h in headers if h], "xlsx", "xlsx")


def _read_spatial(path: Path) -> FacilityFile:
    geofile = read_geofile(path)
    frame = geofile.frame
    headers = [str(c) for c in frame.columns if c != GEOMETRY]
    rows = []
    records = frame[headers].to_dict("records")
    for number, (record, geom) in enumerate(zip(records, frame.geometry, strict=True), start=1):
        values = {h: _clean(v) for h, v in record.items()}
        values[GEOMETRY] = geom if geom is not None and not geom.is_empty else None
        rows.append(RawRow(number, values))
    return FacilityFile(rows, headers, geofile.driver, geofile.encoding)


def facility_file_read(*, path: Path) -> FacilityFile:
    """Read a facility file's rows; raise InvalidInput for a missing or unreadable file."""
    if not path.exists():
        raise InvalidInput(f"Không tìm thấy tệp {path}.", f"File not found: {path}.")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return _read_csv(path)
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(path)
    if suffix in SUPPORTED_SUFFIXES:
        return _read_spatial(path)
    raise InvalidInput(
        f"Định dạng {path.suffix} chưa hỗ trợ (CSV, XLSX, GeoJSON, Shapefile .zip, GeoPackage).",
        f"Unsupported format {path.suffix} (CSV, XLSX, GeoJSON, zipped Shapefile, GeoPackage).",
    )
