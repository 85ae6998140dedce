"""Working days of Vietnam's public bodies (ngày làm việc): Monday to Friday, less public
holidays, plus the Saturdays worked in exchange for a bridging day off (làm bù).

A year's days off are those the Government announced for civil servants when we have them
(ANNOUNCED); for any other year they follow the Labour Code 2019 (art. 112): 1/1; Tết, the last
day of the lunar year and the first four of the next; Giỗ Tổ Hùng Vương, 10/3 lunar; 30/4; 1/5;
2/9 and a day beside it; and a holiday falling on a weekend is taken on the next working day.
Such a year is marked as not announced: the Government usually lengthens Tết by swapping days.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from gisioc import lunar

DAY = dt.timedelta(days=1)


def _days(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + n * DAY for n in range((last - first).days + 1)}


# The Government's announcements for civil servants: days off, and Saturdays worked for them.
ANNOUNCED: dict[int, tuple[set[dt.date], set[dt.date]]] = {
    2025: (
        {
            dt.date(2025, 1, 1),
            *_days(dt.date(2025, 1, 25), dt.date(2025, 2, 2)),  # Tết Ất Tỵ, 27/1 swapped
            dt.date(2025, 4, 7),  # Giỗ Tổ
            *_days(dt.date(2025, 4, 30), dt.date(2025, 5, 4)),  # 50 years of reunification
            *_days(dt.date(2025, 8, 30), dt.date(2025, 9, 2)),
        },
        {dt.date(2025, 2, 15), dt.date(2025, 4, 26)},
    ),
    2026: (
        {
            dt.date(2026, 1, 1),
            *_days(dt.date(2026, 2, 14), dt.date(2026, 2, 22)),  # Tết Bính Ngọ
            dt.date(2026, 4, 27),  # Giỗ Tổ falls on Sunday 26/4
            dt.date(2026, 4, 30),
            dt.date(2026, 5, 1),
            dt.date(2026, 9, 1),
            dt.date(2026, 9, 2),
        },
        set(),
    ),
}


@dataclass(frozen=True)
class Year:
    """A year's days off and Saturdays worked; `announced` False when drawn from the law."""

    off: frozenset[dt.date]
    worked: frozenset[dt.date]
    announced: bool


def _national_day_pair(year: int) -> dt.date:
    """The day beside 2/9 taken with it: the one that joins the weekend (3/9 when 2/9 is a
    Monday or a Thursday, else 1/9)."""
    second = dt.date(year, 9, 2)
    return second + DAY if second.weekday() in (0, 3) else second - DAY


def statutory(year: int) -> set[dt.date]:
    """The Labour Code's days off in a year, with weekend holidays moved to working days."""
    tet = lunar.new_year(year)
    holidays = {
        dt.date(year, 1, 1),
        *(tet + n * DAY for n in range(-1, 4)),
        lunar.to_solar(year, 3, 10),
        dt.date(year, 4, 30),
        dt.date(year, 5, 1),
        dt.date(year, 9, 2),
        _national_day_pair(year),
    }
    off = set(holidays)
    for day in sorted(holidays):
        if day.weekday() >= 5:
            substitute = day + DAY
            while substitute.weekday() >= 5 or substitute in off:
                substitute += DAY
            off.add(substitute)
    return off


@functools.cache
def year(number: int) -> Year:
    """A year's calendar: as announced, else by the law."""
    if number in ANNOUNCED:
        off, worked = ANNOUNCED[number]
        return Year(frozenset(off), frozenset(worked), True)
    return Year(frozenset(statutory(number)), frozenset(), False)


def is_working(day: dt.date) -> bool:
    """Whether public offices work on this day."""
    y = year(day.year)
    return day in y.worked or (day.weekday() < 5 and day not in y.off)


def after(day: dt.date, days: int) -> dt.date:
    """The working day `days` working days after `day` (from the next working day when `day`
    is not one; 0 gives that working day)."""
    while not is_working(day):
        day += DAY
    while days > 0:
        day += DAY
        days -= is_working(day)
    return day
