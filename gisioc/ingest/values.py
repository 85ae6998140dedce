"""Typed values from raw cells: text, numbers, yes/no, choices, dates and times in Vietnam."""

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple

from gisioc.geo.text import fold, nfc
from gisioc.periods import VIETNAM, vietnam_date

_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%Hh%M", "%Hg%M")
# Excel day numbers of 1970-01-01 and 2100-01-01; a number in a date column within them is one.
_EXCEL_EPOCH, _EXCEL_DAYS = dt.datetime(1899, 12, 30), (25_569, 73_051)
TRUE_WORDS = frozenset({"1", "x", "co", "yes", "y", "true", "dung", "da thanh toan"})
FALSE_WORDS = frozenset({"0", "khong", "no", "n", "false", "sai", "chua", "chua thanh toan"})
INT_RANGE = (-(2**31), 2**31 - 1)  # a PostgreSQL integer column, as record models use
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadValue(ValueError):
    """A cell that cannot be read as the field's type; the message in Vietnamese and English."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


def clean(value: object) -> object:
    """A plain cell value: NFC text with blanks as None, anything else as is (NaN too: a
    field fed with it is refused by `value_fault`, never taken for a blank)."""
    if isinstance(value, str):
        return nfc(value) or None
    return value


def cleaner() -> "Memo":
    """`clean`, remembered for one file's cells."""
    return Memo(clean)


MEMO_MAX = 20_000  # remembered distinct cells per memo; then it starts afresh (bounded memory)
MEMO_LONGEST = 300  # longer cells (free text) are not remembered


class Memo(dict):
    """Answers of a pure function of a text cell, remembered (a column holds few distinct
    words: offices, procedures, statuses): `memo(value)`, or `memo[value]` for text (a plain
    dict lookup when known). An error is remembered as its (vi, en) and raised anew by
    `memo(value)`; `memo[value]` returns it as a `Refused`. Anything but text (or long text) is
    computed every time."""

    def __init__(self, compute: Callable[[object], object]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, value: str) -> object:
        try:
            found = self.compute(value)
        except BadValue as exc:
            found = Refused(exc.vi, exc.en)
        if len(value) <= MEMO_LONGEST:
            if len(self) >= MEMO_MAX:
                self.clear()
            self[value] = found
        return found

    def answer(self, value: object) -> object:
        """The value computed, or its `Refused` (text remembered)."""
        if type(value) is str:
            return self[value]
        try:
            return self.compute(value)
        except BadValue as exc:
            return Refused(exc.vi, exc.en)

    def __call__(self, value: object) -> object:
        found = self.answer(value)
        if type(found) is Refused:
            raise BadValue(found.vi, found.en)
        return found


class Refused(NamedTuple):
    """A remembered BadValue."""

    vi: str
    en: str


def value_fault(value: object) -> BadValue | None:
    """Why a value cannot be stored whatever its field: text with NUL or a lone surrogate
    (PostgreSQL and UTF-8 refuse both), NaN or ±Infinity; looks inside lists and objects."""
    if isinstance(value, str):
        if "\x00" in value:
            return BadValue("có ký tự NUL (\\u0000)", "holds a NUL character (\\u0000)")
        if _SURROGATE.search(value):
            return BadValue(
                "có ký tự Unicode hỏng (surrogate \\ud800–\\udfff đứng lẻ)",
                "holds a lone surrogate (\\ud800–\\udfff), not text",
            )
    elif isinstance(value, float) and not math.isfinite(value):
        return BadValue(f"không phải số hữu hạn: {value}", f"not a finite number: {value}")
    elif isinstance(value, Mapping):
        return next(filter(None, map(value_fault, [*value, *value.values()])), None)
    elif isinstance(value, list | tuple):
        return next(filter(None, map(value_fault, value)), None)
    return None


def storable(value: object) -> object:
    """The value with what cannot be stored made visible: NUL and lone surrogates as U+FFFD,
    NaN and ±Infinity as their text; for headers, run details and audit copies."""
    if isinstance(value, str):
        return text_storable(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {storable(str(k)): storable(x) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [storable(x) for x in value]
    return value


def text_storable(text: str) -> str:
    """The text with NUL and lone surrogates as U+FFFD (for names such as headers)."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", "\ufffd"))


def json_ready(values: Mapping[str, object]) -> dict[str, object]:
    """Values JSON and PostgreSQL can hold: dates as ISO text, anything unknown as its text,
    text that cannot be stored as `storable` makes it."""
    text = json.dumps(storable(dict(values)), ensure_ascii=False, default=_json_default)
    return json.loads(text)


def json_dumps(value: object) -> str:
    """JSON text of a value holding only JSON types (UTF-8 kept as is)."""
    return json.dumps(value, ensure_ascii=False)


def json_text(values: Mapping[str, object]) -> str:
    """`json_ready(values)` as JSON text, without its round trip when nothing needs making
    storable (the usual row of text cells): the same JSON value either way."""
    text = ""
    if all(type(k) is str for k in values):  # else keys as `storable` writes them
        try:
            text = json.dumps(values, ensure_ascii=False, allow_nan=False, default=_json_default)
        except (TypeError, ValueError):  # NaN or ±Infinity: the careful way
            text = ""
    if not text or "\\u0000" in text or _SURROGATE.search(text):
        text = json.dumps(json_ready(values), ensure_ascii=False)
    return text


def _json_default(value: object) -> object:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return storable(str(value))


def text_value(value: object) -> str:
    """Text of a cell: numbers without a spurious '.0', NFC, collapsed spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))


def int_value(value: object) -> int:
    """A whole number from a number or text."""
    if isinstance(value, bool):
        raise BadValue(f"không phải số: {value}", f"not a number: {value}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        text = text_value(value).replace(" ", "")
        try:
            value = int(text)
        except ValueError as exc:
            shown = text[:40]
            raise BadValue(
                f"không phải số nguyên: {shown}", f"not a whole number: {shown}"
            ) from exc
    if not INT_RANGE[0] <= value <= INT_RANGE[1]:
        shown = str(value)[:20] + ("…" if len(str(value)) > 20 else "")
        raise BadValue(
            f"số ngoài khoảng {INT_RANGE[0]:,}…{INT_RANGE[1]:,}: {shown}",
            f"number out of range {INT_RANGE[0]:,}…{INT_RANGE[1]:,}: {shown}",
        )
    return value


def bool_value(value: object) -> bool:
    """Yes/no from a boolean, 1/0, 'x', 'Có'/'Không', 'true'/'false'."""
    if isinstance(value, bool):
        return value
    word = fold(text_value(value))
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    shown = text_value(value)
    raise BadValue(f"không hiểu giá trị có/không: {shown}", f"not a yes/no value: {shown}")


def choice_value(value: object, choices: Mapping[str, str]) -> str:
    """The stored value a cell names, matched on folded words ('Trực tuyến' → 'truc_tuyen')."""
    word = fold(text_value(value))
    for key in (word, word.replace(" ", "_")):
        if key in choices:
            return choices[key]
    shown = text_value(value)
    raise BadValue(f"giá trị không hợp lệ: {shown}", f"unknown value: {shown}")


def _parse_text(text: str) -> tuple[dt.datetime, bool]:
    """A naive or aware datetime from text, and whether the text held a time of day."""
    common = _DAY_FIRST.match(text)  # the usual '15/03/2025 08:30', without strptime's cost
    if common:
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in common.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second), common.group(4) is not None
        except ValueError:
            pass  # e.g. 31/02: strptime below refuses it too, with the same message
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed, "T" in text or ":" in text
    except ValueError:
        pass
    date_part, _, time_part = text.replace(",", " ").partition(" ")
    if ":" in date_part or "h" in date_part.lower():  # '08:30 15/03/2025'
        date_part, time_part = time_part.strip(), date_part
    for date_format in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(date_part.strip(), date_format)
        except ValueError:
            continue
        if not time_part.strip():
            return day, False
        for time_format in _TIME_FORMATS:
            try:
                clock = dt.datetime.strptime(time_part.strip(), time_format).time()
            except ValueError:
                continue
            return dt.datetime.combine(day.date(), clock), True
    raise ValueError(text)


def datetime_value(value: object, *, day_end: bool = False) -> dt.datetime:
    """An aware datetime; naive values are Vietnam time; a bare date is its start or end."""
    has_time = True
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment, has_time = dt.datetime.combine(value, dt.time()), False
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not _EXCEL_DAYS[0] <= value <= _EXCEL_DAYS[1]:
            raise BadValue(f"không phải ngày: {value}", f"not a date: {value}")
        moment = _EXCEL_EPOCH + dt.timedelta(days=float(value))
        has_time = not float(value).is_integer()
    else:
        text = text_value(value)
        try:
            moment, has_time = _parse_text(text)
        except ValueError as exc:
            raise BadValue(
                f"ngày giờ không hợp lệ: {text} (ví dụ 15/03/2025 08:30)",
                f"invalid date/time: {text} (e.g. 15/03/2025 08:30)",
            ) from exc
    if not has_time and day_end:
        moment = dt.datetime.combine(moment.date(), dt.time(23, 59, 59))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment


def date_value(value: object) -> dt.date:
    """A Vietnam calendar day."""
    return vietnam_date(datetime_value(value))
