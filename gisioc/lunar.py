"""The Vietnamese lunisolar calendar (âm lịch), as far as public holidays need it.

Months begin on the day (in Vietnam's time, UTC+7, which is why Tết can differ from China's,
as in 1985 and 2007) of a new moon. Month 11 holds the winter solstice; a lunar year between two
months 11 with 13 months in it repeats, as a leap month (tháng nhuận), the first month without
a major solar term (trung khí: the Sun's longitude crossing a multiple of 30°).

The new moon and the Sun's longitude come from the standard series of astronomical almanacs
(mean lunation plus the main periodic terms; apparent solar longitude to ~0.01°): minutes of
error, days only matter here. Checked in the tests against Tết 1985–2029 and Giỗ Tổ 2019–2026.
"""

import datetime as dt
import functools
import itertools
import math
from typing import NamedTuple

LUNATION = 29.530588861  # days, mean synodic month
NEW_MOON_0 = 2451550.09766  # JDE of the mean new moon of 2000-01-06
UTC_OFFSET = 7 / 24  # Vietnam's time
DELTA_T = 69 / 86400  # TT − UTC in days, within ±15 s over 1985–2035
ORDINAL_TO_JD = 1721424.5  # JD at 00:00 UTC of date.fromordinal(0)


def _jd(day: dt.date) -> float:
    """Julian day at 00:00 UTC of a date."""
    return day.toordinal() + ORDINAL_TO_JD


def _local_day(jd_utc: float) -> dt.date:
    """The date in Vietnam at an instant given as a Julian day (UTC)."""
    return dt.date.fromordinal(math.floor(jd_utc + UTC_OFFSET - ORDINAL_TO_JD))


def _sin(degrees: float) -> float:
    return math.sin(math.radians(degrees))


def new_moon(k: int) -> float:
    """The instant (JD, UTC) of new moon number k (k = 0 on 2000-01-06)."""
    t = k / 1236.85
    jde = NEW_MOON_0 + LUNATION * k + 0.00015437 * t**2 - 0.00000015 * t**3
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    sun = 2.5534 + 29.1053567 * k - 0.0000014 * t**2  # the Sun's mean anomaly
    moon = 201.5643 + 385.81693528 * k + 0.0107582 * t**2 + 0.00001238 * t**3
    arg = 160.7108 + 390.67050284 * k - 0.0016118 * t**2  # the Moon's argument of latitude
    node = 124.7746 - 1.56375588 * k + 0.0020672 * t**2
    jde += (
        -0.4072 * _sin(moon)
        + 0.17241 * e * _sin(sun)
        + 0.01608 * _sin(2 * moon)
        + 0.01039 * _sin(2 * arg)
        + 0.00739 * e * _sin(moon - sun)
        - 0.00514 * e * _sin(moon + sun)
        + 0.00208 * e * e * _sin(2 * sun)
        - 0.00111 * _sin(moon - 2 * arg)
        - 0.00057 * _sin(moon + 2 * arg)
        + 0.00056 * e * _sin(2 * moon + sun)
        - 0.00042 * _sin(3 * moon)
        + 0.00042 * e * _sin(sun + 2 * arg)
        + 0.00038 * e * _sin(sun - 2 * arg)
        - 0.00024 * e * _sin(2 * moon - sun)
        - 0.00017 * _sin(node)
    )
    return jde - DELTA_T


def sun_longitude(jd_utc: float) -> float:
    """The Sun's apparent ecliptic longitude in degrees [0, 360) at an instant."""
    t = (jd_utc + DELTA_T - 2451545.0) / 36525
    mean = 280.46646 + 36000.76983 * t + 0.0003032 * t**2
    anomaly = 357.52911 + 35999.05029 * t - 0.0001537 * t**2
    centre = (
        (1.914602 - 0.004817 * t - 0.000014 * t**2) * _sin(anomaly)
        + (0.019993 - 0.000101 * t) * _sin(2 * anomaly)
        + 0.000289 * _sin(3 * anomaly)
    )
    apparent = mean + centre - 0.00569 - 0.00478 * _sin(125.04 - 1934.136 * t)
    return apparent % 360


def _month_start(k: int) -> dt.date:
    return _local_day(new_moon(k))


def _major_term(day: dt.date) -> int:
    """Which 30° arc the Sun is in at the start of a Vietnam day (0–11)."""
    return int(sun_longitude(_jd(day) - UTC_OFFSET) // 30)


def _month_11(year: int) -> int:
    """The new moon number k starting month 11 of `year`: the month holding the solstice."""
    last_day = dt.date(year, 12, 31)
    k = round((_jd(last_day) - NEW_MOON_0) / LUNATION)
    while _month_start(k) > last_day:
        k -= 1
    while _major_term(_month_start(k)) >= 9:  # the Sun had passed 270° when the month began
        k -= 1
    return k


class Month(NamedTuple):
    """A lunar month: its number, whether it is the leap one, its first day and length."""

    number: int
    leap: bool
    first: dt.date
    days: int


@functools.cache
def months(year: int) -> tuple[Month, ...]:
    """Lunar year `year`'s months 1 to 10 and the 11 and 12 before them, from month 11 of the
    Gregorian year before to the month before the next month 11."""
    first, last = _month_11(year - 1), _month_11(year)
    starts = [_month_start(k) for k in range(first, last + 1)]
    leap_at = None
    if last - first == 13:  # 13 months: the first one without a major term is the leap month
        leap_at = next(
            i for i in range(1, 13) if _major_term(starts[i]) == _major_term(starts[i + 1])
        )
    out, number = [], 10
    for i, (start, end) in enumerate(itertools.pairwise(starts)):
        leap = i == leap_at
        if not leap:
            number = number % 12 + 1
        out.append(Month(number, leap, start, (end - start).days))
    return tuple(out)


def to_solar(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a lunar date of lunar year `year` (months 1–10; never a leap
    month: holidays fall in the regular one)."""
    found = next((m for m in months(year) if m.number == month and not m.leap), None)
    if month > 10 or found is None or not 1 <= day <= found.days:
        raise ValueError(f"no lunar date {day}/{month} in lunar year {year} (months 1–10)")
    return found.first + dt.timedelta(days=day - 1)


def new_year(year: int) -> dt.date:
    """Tết: the first day of lunar year `year` (the one starting in Gregorian `year`)."""
    return to_solar(year, 1, 1)
