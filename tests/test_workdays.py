"""Vietnam's lunar calendar and the working days of public offices: the dates a deadline is
counted in, so a wrong day moves every demo due date and every fake's working day."""

import datetime as dt
import itertools

import pytest

from gisioc import lunar, workdays

D = dt.date
# Tết as published in Vietnam; 1985 and 2007 differ from China's (UTC+7, not UTC+8).
TET = {
    1985: D(1985, 1, 21), 2007: D(2007, 2, 17), 2012: D(2012, 1, 23), 2013: D(2013, 2, 10),
    2014: D(2014, 1, 31), 2015: D(2015, 2, 19), 2016: D(2016, 2, 8), 2017: D(2017, 1, 28),
    2018: D(2018, 2, 16), 2019: D(2019, 2, 5), 2020: D(2020, 1, 25), 2021: D(2021, 2, 12),
    2022: D(2022, 2, 1), 2023: D(2023, 1, 22), 2024: D(2024, 2, 10), 2025: D(2025, 1, 29),
    2026: D(2026, 2, 17), 2027: D(2027, 2, 6), 2028: D(2028, 1, 26), 2029: D(2029, 2, 13),
}  # fmt: skip
# Giỗ Tổ Hùng Vương (10/3 lunar); 2020 had a leap 4th month, 2023 a leap 2nd before it.
HUNG_KINGS = {
    2019: D(2019, 4, 14), 2020: D(2020, 4, 2), 2021: D(2021, 4, 21), 2022: D(2022, 4, 10),
    2023: D(2023, 4, 29), 2024: D(2024, 4, 18), 2025: D(2025, 4, 7), 2026: D(2026, 4, 26),
}  # fmt: skip


@pytest.mark.parametrize(("year", "day"), sorted(TET.items()))
def test_tet_falls_on_vietnams_new_moon(year: int, day: dt.date) -> None:
    assert lunar.new_year(year) == day


@pytest.mark.parametrize(("year", "day"), sorted(HUNG_KINGS.items()))
def test_hung_kings_day_is_the_tenth_of_the_regular_third_month(year: int, day: dt.date) -> None:
    assert lunar.to_solar(year, 3, 10) == day


def test_leap_months_are_the_first_without_a_major_solar_term() -> None:
    leaps = {y: [m.number for m in lunar.months(y) if m.leap] for y in (2020, 2023, 2024, 2025)}
    assert leaps == {2020: [4], 2023: [2], 2024: [], 2025: [6]}
    months = lunar.months(2025)
    assert [m.number for m in months] == [11, 12, 1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10]
    assert {m.days for m in months} == {29, 30}
    assert all(
        a.first + dt.timedelta(days=a.days) == b.first for a, b in itertools.pairwise(months)
    )


def test_a_lunar_date_that_does_not_exist_is_refused() -> None:
    short = next(m for m in lunar.months(2025) if m.days == 29 and not m.leap and m.number <= 10)
    assert lunar.to_solar(2025, short.number, 29) == short.first + dt.timedelta(days=28)
    for month, day in ((11, 1), (short.number, 30), (3, 0)):
        with pytest.raises(ValueError, match=f"no lunar date {day}/{month} in lunar year 2025"):
            lunar.to_solar(2025, month, day)


def test_announced_years_keep_their_swaps() -> None:
    assert workdays.year(2025).announced
    assert not workdays.is_working(D(2025, 1, 27))  # Monday before Tết, swapped
    assert workdays.is_working(D(2025, 2, 15))  # the Saturday worked for it
    assert not workdays.is_working(D(2025, 5, 2))
    assert workdays.is_working(D(2025, 4, 26))
    assert not workdays.is_working(D(2026, 4, 27))  # Giỗ Tổ on Sunday 26/4
    assert workdays.is_working(D(2026, 2, 23))  # the Monday after Tết Bính Ngọ
    assert not workdays.is_working(D(2026, 2, 21))  # an ordinary Saturday


def test_later_years_follow_the_labour_code() -> None:
    y2027 = workdays.year(2027)
    assert not y2027.announced and not y2027.worked
    # Tết Đinh Mùi: Saturday 6/2/2027. The last day of the year (Friday 5/2) and mùng 1–4, the
    # two weekend days moved to Wednesday 10/2 and Thursday 11/2.
    tet = {D(2027, 2, 5) + dt.timedelta(days=n) for n in range(7)}
    assert tet <= y2027.off
    assert workdays.is_working(D(2027, 2, 4)) and workdays.is_working(D(2027, 2, 12))
    assert D(2027, 4, 16) in y2027.off  # 10/3 Đinh Mùi, a Friday
    # 2/9/2027 is a Thursday: Friday 3/9 goes with it.
    assert {D(2027, 9, 2), D(2027, 9, 3)} <= y2027.off
    assert workdays.is_working(D(2027, 9, 1))
    # 1/1/2028 is a Saturday: Monday 3/1 off.
    assert not workdays.is_working(D(2028, 1, 3))
    off = sorted(d for d in y2027.off if d.weekday() < 5)
    assert len(off) == 11  # 1 + 5 + 1 + 2 + 2 days, each on a weekday after moving


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # the Friday before Tết, one day on: after it
        (D(2026, 2, 14), 0, D(2026, 2, 23)),  # from a day off: the next working day
        (D(2025, 4, 25), 1, D(2025, 4, 26)),  # the worked Saturday counts
        (D(2025, 4, 28), 3, D(2025, 5, 6)),  # 30/4 to 4/5 off
        (D(2026, 11, 26), 5, D(2026, 12, 3)),
    ],
)
def test_after_counts_working_days(day: dt.date, n: int, expected: dt.date) -> None:
    assert workdays.after(day, n) == expected
