"""Workbooks statistics and finance offices send (XLSX, CSV) → long rows for the adapter.

Every sheet holding a table is read (`tables.table_find`); its shape is named by where the
indicator and period of a value come from: long (columns for both), wide by period, wide by
indicator, plan vs actual (Kế hoạch / Thực hiện groups; derived "% KH" columns skipped and
reported). Decisions, documented in the run's report:
- Number style: one per file, from every text cell that shows it (`1.234,5`, `12,5` →
  Vietnamese; `1,234.5`, `12.5` → English); ambiguous cells (`1.234`) are read in it and
  counted; a cell written the other way is refused alone. No evidence: Vietnamese.
- "No data" cells (`-`, `..`, `…`, `x`, blank) are skipped and counted, never stored as 0.
- A totals row (Tổng cộng, Toàn huyện, Cộng) is stored as the whole-area value of the
  version; a second totals row in a sheet is skipped (reported).
- Section headings (I., A.) and rows with a single label are skipped (reported).
"""

import csv
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from gisioc.errors import InvalidInput
from gisioc.geo.filechecks import zip_bomb_check
from gisioc.geo.text import fold, nfc
from gisioc.indicators.numbers import STYLES, Style, evidence_of, no_data
from gisioc.indicators.tables import Grid, Table, table_find, title_context, whole_label
from gisioc.indicators.units import Lookups
from gisioc.ingest.readers import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    RawRow,
    Source,
    _encoding,
    _excel_refused,
)
from gisioc.ingest.values import BadValue

MAX_CELLS = 2_000_000  # an office's workbook holds thousands; beyond this it is not one
PREVIEW = 12  # rows shown in the report as they would be stored
KEYS = ("indicator", "unit", "period", "value", "kind", "status", "note", "cell", "style")
SHAPES = {
    "long": ("dạng dọc (đơn vị, chỉ tiêu, kỳ, giá trị)", "long (unit, indicator, period, value)"),
    "by_period": ("dạng ngang theo kỳ", "wide by period"),
    "by_indicator": ("dạng ngang theo chỉ tiêu", "wide by indicator"),
    "plan_actual": ("kế hoạch / thực hiện", "plan vs actual"),
}


def _xlsx_grids(path: Path) -> list[Grid]:
    if not openpyxl.DEFUSEDXML:
        raise InvalidInput(
            "Không đọc tệp Excel khi thiếu defusedxml.",
            "Excel files are not read without defusedxml.",
        )
    try:
        with zipfile.ZipFile(path) as archive:  # a workbook is a zip: no bomb unpacked
            zip_bomb_check(archive.infolist(), path.name)
        book = openpyxl.load_workbook(path, data_only=True)  # not read-only: merges known
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _excel_refused(path, exc) from exc
    except (DefusedXmlException, ParseError) as exc:
        raise _excel_refused(path, exc) from exc
    grids: list[Grid] = []
    for sheet in book.worksheets:
        if sheet.max_row * sheet.max_column > MAX_CELLS:
            raise InvalidInput(
                f"Trang {sheet.title} quá lớn ({sheet.max_row:,} dòng).",
                f"Sheet {sheet.title} is too large ({sheet.max_row:,} rows).",
            )
        cells: list[list[object]] = []
        grid = Grid(nfc(sheet.title), cells)
        for r, row in enumerate(sheet.iter_rows()):
            values: list[object] = []
            for c, cell in enumerate(row):
                value = cell.value
                if isinstance(value, str):
                    value = nfc(value) or None
                elif isinstance(value, int | float) and "%" in str(cell.number_format or ""):
                    grid.percent.add((r, c))
                values.append(value)
            cells.append(values)
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            for r in range(top, merged.max_row):
                for c in range(left, merged.max_col):
                    if (r, c) != (top, left):
                        grid.merged_from[(r, c)] = (top, left)
        grids.append(grid)
    book.close()
    return grids


def _csv_grid(path: Path) -> tuple[Grid, str]:
    """A CSV's cells; the delimiter is the one most lines hold most of (a title line above
    the table often holds commas in a ';' file)."""
    encoding, label = _encoding(path)
    try:
        text = path.read_text(encoding=encoding)
        lines = text.splitlines()[:50]
        delimiter = max(
            ",;\t", key=lambda d: sorted(line.count(d) for line in lines)[len(lines) // 2]
        )
        rows = [
            [nfc(v) or None for v in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"Không đọc được CSV: {exc}", f"Cannot read the CSV file: {exc}"
        ) from exc
    return Grid(path.stem, rows), label  # type: ignore[arg-type]


def _aliases() -> dict[str, str]:
    from gisioc.indicators.ingest import FIELDS  # the adapter imports this module

    found = {key: f.name for f in FIELDS for key in f.headers}
    found |= {"don vi": "unit", "ten don vi hanh chinh": "unit", "khoan thu": "indicator"}
    found |= {"khoan chi": "indicator", "noi dung": "indicator", "ten chi tieu": "indicator"}
    return {k: v for k, v in found.items() if k not in ("thuc hien", "ke hoach")}


def _labels_guess(grid: Grid, table: Table, lookups: Lookups) -> None:
    """With no label column named by its header, the leftmost text column is the units or
    the indicators, whichever most of its cells name."""
    if any(c.role in ("unit", "indicator") for c in table.columns):
        return
    for column in table.columns:
        if column.role:
            continue
        texts = [grid.own(r, column.index) for r in table.data_rows]
        texts = [t for t in texts if isinstance(t, str) and evidence_of(t) is None]
        if len(texts) * 2 < len(table.data_rows) or not texts:
            continue
        units = {k for v, _ in lookups.versions() for k in lookups.units(v)[1]}
        as_units = sum(1 for t in texts if fold(t) in units or whole_label(t))
        as_units += sum(1 for t in texts if fold(t.split("(")[0]) in units)
        as_indicators = 0
        for text in texts:
            try:
                lookups.indicator(text)
                as_indicators += 1
            except BadValue:
                pass
        column.role = "unit" if as_units >= as_indicators else "indicator"
        return


def _shape(table: Table) -> str:
    values = [c for c in table.columns if c.role == "value"]
    if len({c.kind for c in values}) > 1:
        return "plan_actual"
    if len({c.period for c in values}) > 1:
        return "by_period"
    if len({c.indicator for c in values}) > 1:
        return "by_indicator"
    return "by_period" if values[0].period else "long"


class _Reading:
    """What the reader found and decided, for the run's report."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.evidence: Counter[str] = Counter()
        self.no_data = 0
        self.preview: list[str] = []


def _sheet_rows(grid: Grid, table: Table, lookups: Lookups, seen: _Reading) -> list[dict[str, Any]]:
    """Each value cell of a table as a long row (before the number style is known)."""
    title_indicator, title_period = title_context(table.title or grid.name, lookups)
    labels = {c.role: c.index for c in table.columns if c.role in ("unit", "indicator", "period")}
    labels |= {c.role: c.index for c in table.columns if c.role in ("kind", "status", "note")}
    values = [c for c in table.columns if c.role == "value"]
    rows: list[dict[str, Any]] = []
    totals = 0
    for r in table.data_rows:
        own = {role: grid.own(r, c) for role, c in labels.items()}
        unit = own.get("unit")
        if "unit" in labels and isinstance(unit, str) and whole_label(unit):
            totals += 1
            if totals > 1:
                seen.notes.append(
                    f"  {grid.name}!{r + 1}: dòng tổng thứ hai bỏ qua / second totals row skipped"
                )
                continue
        for column in values:
            raw = grid.own(r, column.index)
            if no_data(raw):
                seen.no_data += 1
                continue
            if (r, column.index) in grid.percent and isinstance(raw, int | float):
                raw = round(raw * 100, 10)  # 0.0349 shown as 3.49 %: 3.49, not 3.4899…
            kind = column.kind or own.get("kind") or ""
            rows.append(
                {
                    "indicator": column.indicator or own.get("indicator") or title_indicator,
                    "unit": "" if unit is None else unit,
                    "period": column.period or own.get("period") or title_period,
                    "value": raw,
                    "kind": kind,
                    "status": column.status or own.get("status") or "",
                    "note": own.get("note") or "",
                    "cell": f"{grid.name}!{get_column_letter(column.index + 1)}{r + 1}",
                    "_row": r + 1,
                }
            )
            seen.evidence[evidence_of(raw) or "none"] += 1
    return rows


def _sheet_note(grid: Grid, table: Table, rows: list[dict[str, Any]]) -> list[str]:
    shape = SHAPES[_shape(table)]
    head = ", ".join(str(r + 1) for r in table.header_rows)
    used = [
        f"{get_column_letter(c.index + 1)} {c.header or '—'} → {c.role}"
        + "".join(f" {x}" for x in (c.indicator, c.period, c.kind, c.status) if x)
        for c in table.columns
        if c.role
    ]
    out = [
        f"Trang / sheet '{grid.name}': {shape[0]} / {shape[1]}; dòng tiêu đề / header rows {head}; "
        f"{len(table.data_rows)} dòng số liệu / data rows, {len(rows)} ô / cells",
        f"  Cột / columns: {'; '.join(used)}",
    ]
    derived = [get_column_letter(c.index + 1) for c in table.columns if c.role == "derived"]
    if derived:
        out.append(
            f"  Cột tính toán bỏ qua / derived columns skipped (% so KH…): {', '.join(derived)}"
        )
    if table.sections:
        shown = ", ".join(str(r + 1) for r in table.sections)
        out.append(f"  Dòng đề mục bỏ qua / section rows skipped: {shown}")
    return out


def _style(seen: _Reading) -> Style:
    vi, en, ambiguous = seen.evidence["vi"], seen.evidence["en"], seen.evidence["ambiguous"]
    style: Style = "en" if en > vi else "vi"
    basis = (
        f"{vi} ô kiểu Việt Nam, {en} ô kiểu quốc tế / {vi} Vietnamese, {en} English cells"
        if vi or en
        else "không ô nào cho biết, mặc định / no cell tells, the default"
    )
    seen.notes.insert(
        0,
        f"Định dạng số: {STYLES[style][0]} — {ambiguous} ô không rõ được đọc theo kiểu này "
        f"({basis}) / Number format: {STYLES[style][1]} — {ambiguous} ambiguous cells read "
        "this way",
    )
    return style


def _preview(rows: list[dict[str, Any]], style: Style, seen: _Reading) -> None:
    """The first rows as the adapter resolves them: the record each would be, or why not."""
    from gisioc.indicators.ingest import SYSTEM  # the adapter imports this module

    if SYSTEM.start is not None:
        SYSTEM.start()  # lookups of this moment, not of an earlier run in this thread
    for row in rows[:PREVIEW]:
        given = {k: v for k, v in row.items() if k != "_row"} | {"style": style, "cell": ""}
        values, errors = SYSTEM.normalise(given)
        unit = row["unit"] or "(toàn địa bàn / whole area)"
        shown = (
            f"LỖI / ERROR: {errors[0].vi} — {errors[0].en}"
            if errors
            else f"{values['external_id']} = {values['value']}"
        )
        seen.preview.append(
            f"  {row['cell']}: {row['indicator']} | {unit} | {row['period']} → {shown}"
        )


def workbook_open(*, path: Path, known: Callable[[str], bool]) -> Source:
    """Every table of a workbook as long rows, with how it was read in `notes`."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InvalidInput(f"Không tìm thấy tệp {path.name}.", f"File not found: {path.name}.")
    if suffix in XLSX_SUFFIXES:
        grids, encoding, form = _xlsx_grids(path), "xlsx", "xlsx"
    elif suffix in CSV_SUFFIXES:
        grid, encoding = _csv_grid(path)
        grids, form = [grid], "csv"
    else:
        from gisioc.ingest.readers import source_open

        return source_open(path=path, known=known)  # JSON and the like: already long
    lookups, aliases, seen = Lookups(), _aliases(), _Reading()
    rows: list[dict[str, Any]] = []
    header_row = None
    for grid in grids:
        table = table_find(grid, lookups, aliases)
        if table is None or not any(c.role == "value" for c in table.columns):
            seen.notes.append(
                f"Trang / sheet '{grid.name}': không có bảng số liệu nhận ra được / no table found"
            )
            continue
        _labels_guess(grid, table, lookups)
        found = _sheet_rows(grid, table, lookups, seen)
        seen.notes.extend(_sheet_note(grid, table, found))
        header_row = header_row or table.header_rows[-1] + 1
        rows.extend(found)
    if not rows and not seen.no_data:
        raise InvalidInput(
            f"Không tìm thấy bảng số liệu nào trong {path.name}. " + " ".join(seen.notes),
            f"No table of figures found in {path.name}.",
        )
    style = _style(seen)
    if seen.no_data:
        seen.notes.append(
            f"{seen.no_data} ô trống hoặc không có số liệu (-, .., …, x) bỏ qua, không ghi 0 / "
            f"{seen.no_data} blank or no-data cells skipped, not stored as 0"
        )
    _preview(rows, style, seen)
    notes = [*seen.notes, "Sẽ ghi (các dòng đầu) / would store (first rows):", *seen.preview]
    return Source(form, encoding, list(KEYS), header_row, _emit(rows, style), notes)


def _emit(rows: list[dict[str, Any]], style: Style) -> Iterator[RawRow]:
    for row in rows:
        number = row.pop("_row")
        yield RawRow(number, {**row, "style": style})
