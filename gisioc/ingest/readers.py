"""Streaming readers: CSV, XLSX, JSON lines, JSON arrays and GeoJSON, one row at a time."""

import codecs
import csv
import itertools
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gisioc.errors import InvalidInput
from gisioc.geo.filechecks import zip_bomb_check
from gisioc.geo.text import nfc
from gisioc.ingest.jsonstream import json_values
from gisioc.ingest.values import clean, cleaner, text_storable

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")
JSON_SUFFIXES = (".json", ".geojson")
HEADER_SEARCH = 30  # exports often put a title and a date range above the header row
PEEK_RECORDS = 200  # JSON records read ahead to learn the keys
BLOCK = 1 << 18  # bytes per step of the encoding check
UTF8_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class RawRow:
    """One data row as read: its number as the user sees it and its values by header."""

    number: int
    values: dict[str, object]


@dataclass(frozen=True)
class BadRow:
    """A row the reader could not read (e.g. a malformed JSON line); the rest go on."""

    number: int
    vi: str
    en: str


Row = RawRow | BadRow


@dataclass
class Source:
    """An opened input: how it was read, its header row and its rows as a stream."""

    format: str
    encoding: str
    headers: list[str]
    header_row: int | None
    rows: Iterator[Row]
    notes: list[str] = field(default_factory=list)  # how a reader understood the file


def _encoding(path: Path) -> tuple[str, str]:
    """('utf-8-sig' or 'cp1258', label), checking the whole file block by block."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as f:
        bom = f.read(len(UTF8_BOM)) == UTF8_BOM
        f.seek(0)
        try:
            for block in iter(lambda: f.read(BLOCK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258", "cp1258"
    return "utf-8-sig", "utf-8 (BOM)" if bom else "utf-8"


def _csv_cells(path: Path, encoding: str) -> Iterator[tuple[int, list[object]]]:
    with path.open(encoding=encoding, newline="") as f:
        first = f.readline()
        # Vietnamese Excel often saves ';'-separated CSV; the first line tells which one.
        delimiter = max(",;\t", key=first.count)
        rows = csv.reader(itertools.chain([first], f), delimiter=delimiter)
        try:
            yield from enumerate(rows, start=1)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InvalidInput(
                f"Không đọc được CSV: {exc}", f"Cannot read the CSV file: {exc}"
            ) from exc


def _shown(path: Path) -> str:
    """The file's name for messages: a name in a foreign encoding (undecodable bytes) too."""
    return text_storable(path.name)


def _excel_refused(path: Path, exc: BaseException) -> InvalidInput:
    """Why an XLSX cannot be read, in words that name no server path: entities declared
    (an XML bomb, an external reference), broken XML, or not a workbook at all."""
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, DefusedXmlException | ParseError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, DefusedXmlException):
        return InvalidInput(
            f"Tệp Excel {_shown(path)} chứa khai báo thực thể XML (có thể là bom XML hoặc tham "
            "chiếu ra ngoài); không đọc.",
            f"Excel file {_shown(path)} declares XML entities (an XML bomb or an external "
            "reference); refused.",
        )
    if isinstance(cause, ParseError):
        return InvalidInput(
            f"Tệp Excel {_shown(path)} có XML hỏng: {cause}",
            f"Excel file {_shown(path)} has broken XML: {cause}",
        )
    # openpyxl's own messages and OSError name the file's full (often temporary) path.
    shown = exc if isinstance(exc, zipfile.BadZipFile | KeyError) else "không phải sổ Excel .xlsx"
    shown_en = exc if isinstance(exc, zipfile.BadZipFile | KeyError) else "not an .xlsx workbook"
    return InvalidInput(
        f"Không đọc được tệp Excel {_shown(path)}: {shown}",
        f"Cannot read Excel file {_shown(path)}: {shown_en}",
    )


def _xlsx_cells(path: Path) -> Iterator[tuple[int, list[object]]]:
    if not openpyxl.DEFUSEDXML:  # e.g. OPENPYXL_DEFUSEDXML=False in the environment
        raise InvalidInput(
            "Không đọc tệp Excel khi thiếu defusedxml.",
            "Excel files are not read without defusedxml.",
        )
    try:
        with zipfile.ZipFile(path) as archive:  # a workbook is a zip: no bomb unpacked
            zip_bomb_check(archive.infolist(), _shown(path))
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _excel_refused(path, exc) from exc
    number = 0
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # exporters often write a wrong sheet size
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except (DefusedXmlException, ParseError) as exc:
        raise _excel_refused(path, exc) from exc
    except (ValueError, TypeError, KeyError) as exc:  # e.g. a number cell holding "NaN"
        raise InvalidInput(
            f"Không đọc được dòng {number + 1} của tệp Excel {_shown(path)}: {exc}",
            f"Cannot read row {number + 1} of Excel file {_shown(path)}: {exc}",
        ) from exc
    finally:
        workbook.close()


def _headers(cells: Iterable[object]) -> list[str]:
    headers: list[str] = []
    for cell in cells:
        name = text_storable(nfc(str(cell))) if cell is not None else ""
        if name and name in headers:
            name = f"{name} ({sum(1 for h in headers if h.startswith(name)) + 1})"
        headers.append(name)
    return headers


def _tabular(
    cells: Iterator[tuple[int, list[object]]], known: Callable[[str], bool]
) -> tuple[list[str], int | None, Iterator[Row]]:
    """The header row (the one naming most known fields near the top) and the rows below it."""
    head = list(itertools.islice(cells, HEADER_SEARCH))
    filled = [(n, c) for n, c in head if any(x not in (None, "") for x in c)]
    if not filled:
        raise InvalidInput("Tệp không có dữ liệu.", "The file holds no data.")

    def score(row: list[object]) -> int:
        return sum(1 for x in row if isinstance(x, str) and x.strip() and known(nfc(x)))

    best = max(filled, key=lambda item: score(item[1]))
    number, header_cells = best if score(best[1]) >= 2 else filled[0]
    headers = _headers(header_cells)
    below = itertools.chain((item for item in head if item[0] > number), cells)

    def rows() -> Iterator[Row]:
        cell = cleaner()
        for row_number, row in below:
            values = {
                h: cell[x] if type(x) is str else clean(x)
                for h, x in zip(headers, row, strict=False)
                if h
            }
            if any(x is not None for x in values.values()):
                yield RawRow(row_number, values)

    return [h for h in headers if h], number, rows()


def _record(number: int, item: object) -> Row:
    if isinstance(item, dict) and item.get("type") == "Feature":
        record = dict(item.get("properties") or {})
        if item.get("geometry"):
            record.setdefault("geometry", item["geometry"])
        if item.get("id") is not None:
            record.setdefault("id", item["id"])
        item = record
    if not isinstance(item, dict):
        return BadRow(number, "bản ghi không phải đối tượng JSON", "record is not a JSON object")
    return RawRow(number, {text_storable(nfc(str(k))): clean(x) for k, x in item.items()})


def _json_lines(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig") as f:
        for number, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (json.JSONDecodeError, RecursionError) as exc:
                yield BadRow(number, f"dòng JSON hỏng: {exc}", f"malformed JSON line: {exc}")
                continue
            yield _record(number, item)


def _json_array(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig") as f:
        for number, item in enumerate(json_values(f), start=1):
            yield _record(number, item)


def _records(rows: Iterator[Row]) -> tuple[list[str], Iterator[Row]]:
    """Keys of the first records (in order of appearance) and all the records."""
    head = list(itertools.islice(rows, PEEK_RECORDS))
    keys = [k for row in head if isinstance(row, RawRow) for k in row.values]
    return list(dict.fromkeys(keys)), itertools.chain(head, rows)


def source_open(*, path: Path, known: Callable[[str], bool]) -> Source:
    """Open a file as a stream of rows; `known` tells a header naming a field (header search)."""
    if not path.is_file():
        raise InvalidInput(
            f"Không tìm thấy tệp {_shown(path)}.", f"File not found: {_shown(path)}."
        )
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        encoding, label = _encoding(path)
        headers, number, rows = _tabular(_csv_cells(path, encoding), known)
        return Source("csv", label, headers, number, rows)
    if suffix in XLSX_SUFFIXES:
        headers, number, rows = _tabular(_xlsx_cells(path), known)
        return Source("xlsx", "xlsx", headers, number, rows)
    if suffix in JSON_LINES_SUFFIXES:
        headers, rows = _records(_json_lines(path))
        return Source("jsonl", "utf-8", headers, None, rows)
    if suffix in JSON_SUFFIXES:
        headers, rows = _records(_json_array(path))
        return Source(suffix.lstrip("."), "utf-8", headers, None, rows)
    hint = " Hãy lưu thành .xlsx hoặc .csv." if suffix == ".xls" else ""
    hint_en = " Save it as .xlsx or .csv." if suffix == ".xls" else ""
    raise InvalidInput(
        f"Định dạng {path.suffix or '(không đuôi)'} chưa hỗ trợ (CSV, XLSX, JSON, JSONL, "
        f"GeoJSON).{hint}",
        f"Unsupported format {path.suffix or '(none)'} (CSV, XLSX, JSON, JSONL, GeoJSON).{hint_en}",
    )
