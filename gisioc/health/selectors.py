"""Reads of the notifiable-disease watch (the view `gisioc_health_watch`): a week's communes
over the threshold, exact or as the public reads them (small counts held back)."""

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from gisioc.errors import InvalidInput
from gisioc.geo.selectors import vietnam_today
from gisioc.health.kpis import SMALL
from gisioc.health.stats import DiseaseWatch
from gisioc.texts import Text

WEEK = re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$")
WEEK_PATTERN = WEEK.pattern
DISEASES = {
    "dengue": Text("Sốt xuất huyết Dengue (A90–A91)", "Dengue (A90–A91)"),
    "hfmd": Text("Tay chân miệng (B08.4)", "Hand, foot and mouth disease (B08.4)"),
    "measles": Text("Sởi (B05)", "Measles (B05)"),
    "influenza": Text("Cúm (J09–J11)", "Influenza (J09–J11)"),
    "cholera": Text("Tả (A00)", "Cholera (A00)"),
    "diarrhoea": Text("Tiêu chảy (A09)", "Diarrhoea (A09)"),
}
COLUMNS = ("unit_id", "code", "name", "disease", "cases", "previous", "previous_mean", "flagged")


def week_label(day: dt.date) -> str:
    """The ISO week of a day ('2026-W40')."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_check(raw: str | None) -> str:
    """A week label as given (this week's when none), or InvalidInput naming `week`."""
    if not raw:
        return week_label(vietnam_today())
    match = WEEK.match(raw)
    if (
        match is None
        or not 1990 <= int(match[1]) <= 2100  # the years periods take
        or (match[2] == "53" and dt.date(int(match[1]), 12, 28).isocalendar()[1] != 53)
    ):
        raise InvalidInput(
            f"Tuần {raw!r} không hợp lệ (dạng 2026-W40).",
            f"Invalid week {raw!r} (write it as 2026-W40).",
            field="week",
        )
    return raw


def watch_rows(
    *, week: str, units: Iterable[int] | None = None, flagged: bool = True
) -> list[dict[str, Any]]:
    """The week's rows (communes × diseases with cases, or only those flagged), most cases
    first; within `units` when given."""
    rows = DiseaseWatch.objects.filter(week_key=week)
    rows = rows.filter(flagged=True) if flagged else rows.filter(cases__gt=0)
    if units is not None:
        rows = rows.filter(unit_id__in=list(units))
    return list(rows.order_by("-cases", "code", "disease").values(*COLUMNS))


def watch_titled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows, exact, with each disease's title."""
    return [{**r, "disease_title": DISEASES[r["disease"]].as_dict()} for r in rows]


def watch_public(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the public reads them: 1–4 cases (or 4 weeks' cases) NULL, marked."""
    out = []
    for row in rows:
        row = {**row, "disease_title": DISEASES[row["disease"]].as_dict()}
        if 0 < row["cases"] < SMALL:
            row.update(cases=None, suppressed=True)
        if 0 < row["previous"] < SMALL:
            row.update(previous=None, previous_mean=None, suppressed=True)
        out.append(row)
    return out


def watch_answer(*, week: str, exact: bool, units: Iterable[int] | None = None) -> dict[str, Any]:
    """The watch API's body: the week, its Monday and the communes over the threshold."""
    year, number = int(week[:4]), int(week[6:])
    monday = dt.date.fromisocalendar(year, number, 1)
    rows = watch_rows(week=week, units=units)
    rows = watch_titled(rows) if exact else watch_public(rows)
    return {"week": week, "monday": monday.isoformat(), "flagged": rows}
