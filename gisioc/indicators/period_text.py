"""Periods as offices write them ("Năm 2023", "Quý III/2024", "T7/2024", "15/08/2021",
"NH 2024-2025") → the labels `gisioc.periods.period_of` reads (2023, 2024-Q3, 2024-07, …)."""

import datetime as dt
import re

from gisioc.geo.text import fold
from gisioc.ingest.values import BadValue

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
KIND_TITLES = {
    "day": ("ngày", "day"),
    "month": ("tháng", "month"),
    "quarter": ("quý", "quarter"),
    "year": ("năm", "year"),
    "school_year": ("năm học", "school year"),
}
_LABEL = re.compile(r"\d{4}(-(Q[1-4]|\d\d(-\d\d)?|\d{4}))?")
_SCHOOL = re.compile(r"(?:nam hoc |nh )?(\d{4}) (?:den )?(\d{4})")
_QUARTER = re.compile(r"(?:quy|q) ?([1-4]|iv|iii|ii|i)(?: nam)? ?(\d{4})|(\d{4}) ?q ?([1-4])")
_MONTH = re.compile(
    r"(?:thang|t|th) ?(\d{1,2})(?: nam)? ?(\d{4})|(\d{1,2}) (\d{4})|(\d{4}) (\d{1,2})"
)
_DAY = re.compile(r"(?:ngay )?(\d{1,2}) (\d{1,2}) (\d{4})|(\d{4}) (\d{1,2}) (\d{1,2})")
_YEAR = re.compile(r"(?:nam )?(\d{4})")


def _month(year: str, month: str) -> str | None:
    return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None


def _day(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _from_text(folded: str) -> str | None:
    if match := _SCHOOL.fullmatch(folded):
        return f"{match.group(1)}-{match.group(2)}"
    if match := _QUARTER.fullmatch(folded):
        quarter, year = match.group(1) or match.group(4), match.group(2) or match.group(3)
        return f"{year}-Q{ROMAN.get(quarter, quarter)}"
    if match := _DAY.fullmatch(folded):
        day, month, year = match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4)
        return _day(year, month, day)
    if match := _MONTH.fullmatch(folded):
        if match.group(1):
            return _month(match.group(2), match.group(1))
        if match.group(3):
            return _month(match.group(4), match.group(3))
        return _month(match.group(5), match.group(6))
    if match := _YEAR.fullmatch(folded):
        return match.group(1)
    return None


def period_label(raw: object) -> str:
    """The period label a cell names; BadValue when it names none."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if _LABEL.fullmatch(text):
        return text
    if re.fullmatch(r"\d{4}-\d\d-\d\d[ T]00:00(:00)?", text):
        return text[:10]
    label = _from_text(fold(text))
    if label is None:
        shown = text[:40]
        raise BadValue(
            f"không hiểu kỳ: {shown} (ví dụ Năm 2023, Quý 3/2024, Tháng 7/2024, 15/08/2021, "
            "NH 2024-2025)",
            f"not a period: {shown} (e.g. 2023, Q3/2024, 7/2024, 15/08/2021, 2024-2025)",
        )
    return label
