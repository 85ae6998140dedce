"""Reporting periods as users name them: a year '2025', a quarter '2025-Q3', a month '2025-07';
indicators also use a day '2021-08-15' and a school year '2024-2025' (September to May)."""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from gisioc.errors import InvalidInput

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def vietnam_date(moment: dt.datetime) -> dt.date:
    """The day in Vietnam at an aware moment."""
    return moment.astimezone(VIETNAM).date()


_PATTERN = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])))?$")
PATTERN = _PATTERN.pattern  # the OpenAPI schema's pattern of a `period` parameter


@dataclass(frozen=True)
class Period:
    """A closed range of Vietnam days with the label it was asked by."""

    label: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        """True when the day falls in the period."""
        return self.start <= day <= self.end


# What a profile or layer covers when no period is asked: everything on record ('' in URLs).
ALL_TIME = Period("", dt.date(1990, 1, 1), dt.date(2100, 12, 31))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def period_parse(value: str | None) -> Period | None:
    """The period a query string names, None when empty; InvalidInput when malformed."""
    if not value:
        return None
    match = _PATTERN.match(value.strip())
    if not match or not 1990 <= int(match.group(1)) <= 2100:
        raise InvalidInput(
            f"Kỳ báo cáo không hợp lệ: {value!r} (ví dụ 2025, 2025-Q3, 2025-07).",
            f"Invalid period: {value!r} (e.g. 2025, 2025-Q3, 2025-07).",
        )
    year, quarter, month = int(match.group(1)), match.group(2), match.group(3)
    if month:
        return Period(value, dt.date(year, int(month), 1), _month_end(year, int(month)))
    if quarter:
        first = 3 * int(quarter) - 2
        return Period(value, dt.date(year, first, 1), _month_end(year, first + 2))
    return Period(value, dt.date(year, 1, 1), dt.date(year, 12, 31))


_ANY = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(0[1-9]|1[0-2])(?:-(\d\d))?|(\d{4})))?$")
ANY_PATTERN = _ANY.pattern  # the schema's pattern of a period of any kind
SCHOOL_YEAR = ((9, 1), (5, 31))  # a school year runs from 1 September to 31 May


def period_of(value: str) -> Period:
    """A period of any kind (day, month, quarter, year, school year); InvalidInput otherwise."""
    text = (value or "").strip()
    match = _ANY.match(text)
    bad = InvalidInput(
        f"Kỳ không hợp lệ: {value!r} (ví dụ 2025, 2025-Q3, 2025-07, 2025-07-15, 2024-2025).",
        f"Invalid period: {value!r} (e.g. 2025, 2025-Q3, 2025-07, 2025-07-15, 2024-2025).",
    )
    if not match or not 1990 <= int(match.group(1)) <= 2100:
        raise bad
    year, day, second = int(match.group(1)), match.group(4), match.group(5)
    if second is not None:
        if int(second) != year + 1:
            raise bad
        (m1, d1), (m2, d2) = SCHOOL_YEAR
        return Period(text, dt.date(year, m1, d1), dt.date(year + 1, m2, d2))
    if day is not None:
        try:
            date = dt.date(year, int(match.group(3)), int(day))
        except ValueError:
            raise bad from None
        return Period(text, date, date)
    found = period_parse(text)
    assert found is not None
    return found


def school_year_of(month: str) -> str:
    """The school year a month ('2026-09', '2027-03') falls in or, in summer, comes before."""
    year, number = int(month[:4]), int(month[5:7])
    first = year if number >= SCHOOL_YEAR[0][0] else year - 1
    return f"{first}-{first + 1}"


def period_kind(label: str) -> str:
    """The kind of a period label: day, month, quarter, year or school_year."""
    if len(label) == 9:
        return "school_year"
    if len(label) == 10:
        return "day"
    return "quarter" if "-Q" in label else "month" if len(label) == 7 else "year"


def period_bounds(
    period: Period, as_of: dt.datetime | None = None
) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """Start, end (exclusive) and cut-off instants of a period of Vietnam days."""
    start = dt.datetime.combine(period.start, dt.time(), VIETNAM)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), VIETNAM)
    return start, end, min(end, as_of or timezone.now())


def period_default() -> Period:
    """The current year in Vietnam."""
    year = timezone.localdate().year
    return Period(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))


def months_merge(
    *series: Iterable[tuple[dt.date, dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Monthly figures of several queries joined by month: [{'period': 'YYYY-MM', …}], in order."""
    months: dict[str, dict[str, Any]] = {}
    for rows in series:
        for month, values in rows:
            label = month.strftime("%Y-%m")
            months.setdefault(label, {"period": label}).update(values)
    return [months[label] for label in sorted(months)]
