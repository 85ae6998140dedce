"""Read a facility list (CSV, XLSX, GeoJSON, zipped Shapefile, GeoPackage) into raw rows.

Tables are read by the ingest's readers (encoding and delimiter detection, the header row
found under any title rows); spatial files by the boundary reader, geometry as a shapely
value under GEOMETRY.
"""

import math
from dataclasses import dataclass
from pathlib import Path

from gisioc.errors import InvalidInput
from gisioc.geo.facility_rows import GEOMETRY, header_map
from gisioc.geo.readers import SUPPORTED_SUFFIXES, read_geofile
from gisioc.ingest.readers import CSV_SUFFIXES, XLSX_SUFFIXES, RawRow, source_open
from gisioc.ingest.values import clean


@dataclass(frozen=True)
class FacilityFile:
    """The rows of a facility file, its headers and how it was decoded."""

    rows: list[RawRow]
    headers: list[str]
    format: str
    encoding: str


def _known(header: str) -> bool:
    """A header naming a facility field (the header row is the one naming most)."""
    return not header_map([header])[header].startswith("+")


def _read_table(path: Path) -> FacilityFile:
    source = source_open(path=path, known=_known)
    rows = [row for row in source.rows if isinstance(row, RawRow)]  # tables yield no BadRow
    return FacilityFile(rows, source.headers, source.format, source.encoding)


def _plain(value: object) -> object:
    """A cell of a spatial file: numpy scalars unwrapped, NaN and blanks as None."""
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    return None if isinstance(value, float) and math.isnan(value) else clean(value)


def _read_spatial(path: Path) -> FacilityFile:
    geofile = read_geofile(path)
    frame = geofile.frame
    headers = [str(c) for c in frame.columns if c != GEOMETRY]
    rows = []
    records = frame[headers].to_dict("records")
    for number, (record, geom) in enumerate(zip(records, frame.geometry, strict=True), start=1):
        values = {h: _plain(v) for h, v in record.items()}
        values[GEOMETRY] = geom if geom is not None and not geom.is_empty else None
        rows.append(RawRow(number, values))
    return FacilityFile(rows, headers, geofile.driver, geofile.encoding)


def facility_file_read(*, path: Path) -> FacilityFile:
    """Read a facility file's rows; raise InvalidInput for a missing or unreadable file."""
    if not path.exists():
        raise InvalidInput(f"Không tìm thấy tệp {path}.", f"File not found: {path}.")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES or suffix in XLSX_SUFFIXES:
        return _read_table(path)
    if suffix in SUPPORTED_SUFFIXES:
        return _read_spatial(path)
    raise InvalidInput(
        f"Định dạng {path.suffix} chưa hỗ trợ (CSV, XLSX, GeoJSON, Shapefile .zip, GeoPackage).",
        f"Unsupported format {path.suffix} (CSV, XLSX, GeoJSON, zipped Shapefile, GeoPackage).",
    )
