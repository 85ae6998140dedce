"""Numbers as statistics and finance offices write them: `1.234,5` (Vietnamese) and `1,234.5`
(English), spaces or NBSP between thousands, percent signs, (1.234) or −1.234 for negatives,
and the marks `-`, `..`, `…`, `x` for "no data" (never 0).

`1.234` and `1,234` read either way; `number_read` says so ("ambiguous") and reads them in the
style the caller gives (a workbook's, decided from all its cells: `workbook.number_style`).
"""

import math
import re
from dataclasses import dataclass
from typing import Literal

from gisioc.geo.text import fold
from gisioc.ingest.values import BadValue

Style = Literal["vi", "en"]
Evidence = Literal["vi", "en", "ambiguous", "plain"]
STYLES: dict[str, tuple[str, str]] = {
    "vi": ("kiểu Việt Nam (dấu chấm ngăn nghìn, dấu phẩy thập phân)", "Vietnamese (1.234,5)"),
    "en": ("kiểu quốc tế (dấu phẩy ngăn nghìn, dấu chấm thập phân)", "English (1,234.5)"),
}
# Folded marks of a cell with no data ("-" no figure, ".." / "…" not available, "x" withheld
# or not applicable): the cell is skipped, never read as 0.
NO_DATA = frozenset({"", "-", "--", "..", "...", "x", "na", "n a", "kxd", "khong co so lieu"})
_DASHES = "-–—"  # a lone dash of any width is the "no data" mark
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_SPACED = re.compile(r"\d{1,3}( \d{3})+([.,]\d+)?")
_VI = re.compile(r"(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,(\d+))?")
_EN = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class Reading:
    """A cell's number (None: no data) and what it says of the style it was written in."""

    value: float | None
    evidence: Evidence


def no_data(raw: object) -> bool:
    """True for a blank cell or a "no data" mark (`-`, `..`, `…`, `x`)."""
    if raw is None:
        return True
    if not isinstance(raw, str):
        return False
    text = _SPACES.sub(" ", raw).strip()
    if text and all(c in _DASHES for c in text):
        return True
    return fold(text.replace("…", "...")) in NO_DATA or text.replace("…", "...") in NO_DATA


def _not_number(text: str) -> BadValue:
    shown = text[:40]
    return BadValue(f"không phải số: {shown}", f"not a number: {shown}")


def _split_sign(text: str) -> tuple[bool, str, bool]:
    """(negative, the digits part, had a percent sign) of a number's text."""
    body = text.replace("\u2212", "-").strip()
    percent = body.endswith("%")
    body = body.removesuffix("%").strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    if body[:1] in "-+":
        negative, body = body[0] == "-", body[1:].strip()
    return negative, body, percent


def _readings(body: str) -> dict[Style, float]:
    """The value of the digits in each style that can have written them."""
    found: dict[Style, float] = {}
    vi, en = _VI.fullmatch(body), _EN.fullmatch(body)
    if vi:
        found["vi"] = float(body.replace(".", "").replace(",", "."))
    if en:
        found["en"] = float(body.replace(",", ""))
    return found


def _parsed(raw: object) -> tuple[str, str, float, dict[Style, float]] | Reading:
    """A plain Reading, or (text, digits, sign, value by possible style) of a written number."""
    if isinstance(raw, bool):
        raise _not_number(str(raw))
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise BadValue(f"không phải số hữu hạn: {raw}", f"not a finite number: {raw}")
        return Reading(float(raw), "plain")
    if no_data(raw):
        return Reading(None, "plain")
    text = _SPACES.sub(" ", str(raw)).strip()
    negative, body, _ = _split_sign(text)
    if " " in body:
        if not _SPACED.fullmatch(body):
            raise _not_number(text)
        body = body.replace(" ", "")
    readings = _readings(body)
    if not readings:
        raise _not_number(text)
    return text, body, -1.0 if negative else 1.0, readings


def number_read(raw: object, *, style: Style | None = None) -> Reading:
    """The number in a cell and its evidence of style; BadValue when it is none, contradicts
    `style`, or is ambiguous with no style given."""
    parsed = _parsed(raw)
    if isinstance(parsed, Reading):
        return parsed
    text, body, sign, readings = parsed
    if len(readings) == 1:
        ((written, value),) = readings.items()
        evidence: Evidence = "plain" if body.isdigit() else written
        if evidence != "plain" and style is not None and written != style:
            raise BadValue(
                f"số {text} viết {STYLES[written][0]}, ngược với kiểu số của tệp "
                f"({STYLES[style][0]})",
                f"number {text} is written {STYLES[written][1]}, against the file's style "
                f"({STYLES[style][1]})",
            )
        return Reading(sign * value, evidence)
    if readings["vi"] == readings["en"]:
        return Reading(sign * readings["vi"], "plain")
    if style is None:
        raise BadValue(
            f"số {text} không rõ kiểu: {readings['vi']:g} hay {readings['en']:g}? Hãy gửi số "
            "không có dấu ngăn nghìn",
            f"number {text} is ambiguous: {readings['vi']:g} or {readings['en']:g}? Send it "
            "without thousands separators",
        )
    return Reading(sign * readings[style], "ambiguous")


def number_value(raw: object, *, style: Style | None = None) -> float | None:
    """The number a cell holds, None for no data (`-`, `..`, `…`, `x`, blank); BadValue when
    it is not a number, contradicts `style`, or is ambiguous (`1.234`) with no style given."""
    return number_read(raw, style=style).value


def evidence_of(raw: object) -> Evidence | None:
    """What a cell says of its number style, without a style to resolve it; None: no number."""
    try:
        parsed = _parsed(raw)
    except BadValue:
        return None
    if isinstance(parsed, Reading):
        return parsed.evidence if parsed.value is not None else None
    _, body, _, readings = parsed
    if len(readings) == 2 and readings["vi"] != readings["en"]:
        return "ambiguous"
    return "plain" if body.isdigit() or len(readings) == 2 else next(iter(readings))
