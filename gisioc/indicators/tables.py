"""Where the table is in an office's sheet and what each of its columns holds.

A sheet: title rows, a header of 1–3 rows (merged cells spread over the columns they cover,
the rows of each column combined: "Dân số trung bình (người)" over "2022 | 2023"), perhaps a
column-numbering row ("A | B | 1 | 2"), data rows (with section headings "I.", "A." and totals
rows among them), then footnotes ("Ghi chú:", "Nguồn:", "(*)"). A column is a label (the
unit, indicator, period… each row names) or holds values whose indicator, period and kind
come from its header parts, the row's labels or the title.
"""

import re
from dataclasses import dataclass, field

from gisioc.geo.text import fold
from gisioc.indicators.numbers import evidence_of, no_data
from gisioc.indicators.period_text import period_label
from gisioc.indicators.units import Lookups, is_whole
from gisioc.ingest.values import BadValue

HEADER_ROWS = 3
LABEL_ROLES = ("unit", "indicator", "period", "kind", "status", "note", "version")
IGNORED = frozenset({"stt", "tt", "so tt", "so thu tu", "dvt", "don vi tinh", "ma so", "ms"})
# Kind (and status) a header part opens with: "Kế hoạch", "Dự toán 2024", "Ước TH".
KIND_WORDS: tuple[tuple[str, str, str], ...] = (
    ("uoc thuc hien", "actual", "estimated"),
    ("uoc th", "actual", "estimated"),
    ("uoc", "actual", "estimated"),
    ("so bo", "actual", "estimated"),
    ("thuc hien", "actual", ""),
    ("th", "actual", ""),
    ("chi tieu ke hoach", "target", ""),
    ("ke hoach", "target", ""),
    ("kh", "target", ""),
    ("du toan giao", "target", ""),
    ("du toan", "target", ""),
    ("dt", "target", ""),
    ("muc tieu", "target", ""),
    ("plan", "target", ""),
    ("target", "target", ""),
    ("actual", "actual", ""),
)
DERIVED = ("so sanh", "tang giam", "ty le so", "ty le thuc hien", "ty le hoan thanh", "so voi")
DERIVED_EXACT = frozenset({"th kh", "th dt", "th ck", "ty le", "ty le %"})
FOOTNOTES = ("ghi chu", "nguon", "chu thich", "nguoi lap", "luu y", "note", "source")
_SECTION = re.compile(r"^\s*([IVX]{1,4}|[A-Z])\s*[.)]\s*\S")
_MARKER = re.compile(r"^([IVX]{1,4}|[A-Z])[.)]?$")
_NUMBERING = re.compile(r"^\(?([A-Za-z]|\d{1,2})\)?$")
_TITLE_PERIOD = re.compile(
    r"(nam hoc \d{4} \d{4}|quy (?:[1-4]|iv|iii|ii|i) (?:nam )?\d{4}|thang \d{1,2} (?:nam )?\d{4}"
    r"|nam \d{4})"
)


@dataclass
class Grid:
    """A sheet's cells (0-based), merges (a covered cell → its merge's top-left) and the
    number cells Excel formats as percent."""

    name: str
    cells: list[list[object]]
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    percent: set[tuple[int, int]] = field(default_factory=set)

    def own(self, r: int, c: int) -> object:
        """The cell's own value (None under a merge)."""
        row = self.cells[r]
        value = row[c] if c < len(row) else None
        return None if isinstance(value, str) and not value.strip() else value

    def shown(self, r: int, c: int) -> object:
        """What the cell shows: a merged cell shows its merge's value."""
        origin = self.merged_from.get((r, c))
        return self.own(*origin) if origin else self.own(r, c)

    def width(self) -> int:
        """The number of columns."""
        return max((len(row) for row in self.cells), default=0)


@dataclass
class Column:
    """What a column holds: a label role, values (with their context), derived or nothing."""

    index: int
    header: str
    role: str = ""  # a LABEL_ROLES role, 'value', 'derived' or '' (not used)
    indicator: str = ""
    period: str = ""
    kind: str = ""
    status: str = ""


@dataclass
class Table:
    """A sheet's table: its header rows, columns, data rows and what was skipped."""

    header_rows: list[int]
    columns: list[Column]
    data_rows: list[int]
    title: str
    sections: list[int] = field(default_factory=list)
    numbering_row: int | None = None


def _is_number(value: object) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int | float):
        return True
    return evidence_of(value) is not None or (no_data(value) and bool(str(value).strip()))


def _years_row(values: list[object]) -> bool:
    """A header row of periods: the numbers are distinct years in ascending order."""
    numbers = [v for v in values if _is_number(v)]
    years = [int(v) for v in numbers if isinstance(v, int | float) and float(v).is_integer()]
    return (
        len(years) == len(numbers) > 0
        and all(1990 <= y <= 2100 for y in years)
        and (years == sorted(set(years)))
    )


def _numbering_row(values: list[object]) -> bool:
    filled = [str(v).strip() for v in values if v is not None]
    return len(filled) >= 2 and all(_NUMBERING.match(v) for v in filled)


def _section(values: list[object]) -> bool:
    """A section heading: "I. Thu nội địa" (its subtotals too), "A | Khu vực đồng bằng", or
    one label alone."""
    filled = [v for v in values if v is not None]
    texts = [str(v).strip() for v in filled if isinstance(v, str)]
    if any(_SECTION.match(t) for t in texts[:2]):
        return True
    if any(map(_is_number, filled)):
        return False
    return len(texts) == 1 or (len(texts) == 2 and bool(_MARKER.match(texts[0])))


def footnote(value: object) -> bool:
    """True for a footnote's first cell: "Ghi chú:", "Nguồn:", "(*)", "*"."""
    text = str(value or "").strip()
    return text.startswith(("(*", "*")) or fold(text).startswith(FOOTNOTES)


def _data_row(grid: Grid, r: int) -> bool:
    """Figures with something naming them: two own cells or more, one a number (a cell
    under a vertical merge belongs to the header above), not a row of years or of column
    numbers."""
    values = [grid.own(r, c) for c in range(grid.width())]
    filled = [v for v in values if v is not None]
    return (
        len(filled) >= 2
        and any(map(_is_number, filled))
        and not _years_row(values)
        and not _numbering_row(values)
    )


def _group_row(grid: Grid, r: int) -> bool:
    """A row whose one value is a merge over value columns (a group label, not a title)."""
    starts = {origin for (row, _), origin in grid.merged_from.items() if row == r}
    return any(c > 0 for _, c in starts) and not any(c == 0 for _, c in starts)


def _header_parts(grid: Grid, rows: list[int], c: int) -> list[str]:
    parts: list[str] = []
    for r in rows:
        value = grid.shown(r, c)
        text = " ".join(str(value).split()) if value is not None else ""
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return parts


def _kind_of(folded: str) -> tuple[str, str, str]:
    """(kind, status, rest) of a header part opening with a kind word."""
    for word, kind, status in KIND_WORDS:
        if folded == word or folded.startswith(word + " "):
            return kind, status, folded[len(word) :].strip()
    return "", "", folded


def _context(part: str, column: Column, lookups: Lookups, aliases: dict[str, str]) -> None:
    """What one header part says of a column's values."""
    folded = fold(part)
    if part.strip().startswith("%") or folded in DERIVED_EXACT or folded.startswith(DERIVED):
        column.role = "derived"
        return
    kind, status, rest = _kind_of(folded)
    if kind:
        column.kind, column.status = kind, status or column.status
    for text in ([part] if not kind else []) + ([rest] if rest else []):
        try:
            column.period = period_label(text)
            return
        except BadValue:
            pass
        try:
            column.indicator = lookups.indicator(text).code
            return
        except BadValue:
            pass
        inside = {period_label(m) for m in _TITLE_PERIOD.findall(fold(text))}
        if len(inside) == 1:  # "Chỉ tiêu năm 2025"
            column.period = inside.pop()


def columns_read(
    grid: Grid, header_rows: list[int], lookups: Lookups, aliases: dict[str, str]
) -> list[Column]:
    """Each column's role and context from its combined header rows."""
    columns: list[Column] = []
    for c in range(grid.width()):
        parts = _header_parts(grid, header_rows, c)
        column = Column(c, " / ".join(parts))
        folded = [fold(p) for p in parts]
        if len(set(folded)) == 1 and folded[0] in IGNORED:
            column.role = ""
        elif len(set(folded)) == 1 and aliases.get(folded[0]) in (*LABEL_ROLES, "value"):
            column.role = aliases[folded[0]]
        elif parts:
            for part in parts:
                _context(part, column, lookups, aliases)
                if column.role == "derived":
                    break
            if column.role != "derived" and (column.indicator or column.period or column.kind):
                column.role = "value"
        columns.append(column)
    return columns


def title_context(title: str, lookups: Lookups) -> tuple[str, str]:
    """(indicator code, period label) a title names, each '' when it names none or several."""
    folded = f" {fold(title)} "
    periods = {period_label(m) for m in _TITLE_PERIOD.findall(folded)}
    found = [
        (len(key), ref.code)
        for key, ref in lookups.indicators().items()
        if len(key) >= 6 and f" {key} " in folded
    ]
    codes = {code for size, code in found if size == max(found)[0]} if found else set()
    return (
        next(iter(codes)) if len(codes) == 1 else "",
        next(iter(periods)) if len(periods) == 1 else "",
    )


def table_find(grid: Grid, lookups: Lookups, aliases: dict[str, str]) -> Table | None:
    """The sheet's table, or None when it holds no rows of figures under a header."""
    height = len(grid.cells)
    first = next((r for r in range(height) if _data_row(grid, r)), None)
    if first is None:
        return None
    numbering = None
    header: list[int] = []
    r = first - 1
    while r >= 0 and len(header) < HEADER_ROWS:
        values = [grid.own(r, c) for c in range(grid.width())]
        shown = {grid.shown(r, c) for c in range(grid.width())} - {None}
        if numbering is None and not header and _numbering_row(values):
            numbering = r
        elif not header and _section(values):
            first = r  # a section heading right under the header: the table starts there
        elif len(shown) >= 2 or (header and _group_row(grid, r)):
            header.insert(0, r)
        else:
            break
        r -= 1
    if not header:
        return None
    title_rows = range(0, header[0])
    title = " ".join(str(v) for t in title_rows for v in grid.cells[t] if isinstance(v, str | int))
    table = Table(header, columns_read(grid, header, lookups, aliases), [], title)
    for r in range(first, height):
        values = [grid.own(r, c) for c in range(grid.width())]
        first_text = next((v for v in values if v is not None), None)
        if first_text is None:
            continue
        if footnote(first_text):
            break
        if _section(values):
            table.sections.append(r)
            continue
        table.data_rows.append(r)
    return table


def whole_label(text: str) -> bool:
    """True when a row label means a total ("Tổng cộng", "Cộng", "Toàn huyện")."""
    return is_whole(text) and bool(fold(text))
