"""Reporting periods as users name them: a year '2025', a quarter '2025-Q3', a month '2025-07'."""

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
