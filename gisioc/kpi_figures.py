"""The figures a KPI set declares (gisioc.kpis): how each is computed over a period's bounds —
records counted, a field summed, a mean of days, a formula, a share, a ratio, residents per
population — and the groups it can be split by. Read through `gisioc.kpis`, which runs them."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Expression, Q

from gisioc.periods import vietnam_date
from gisioc.texts import Text

Format = Literal["int", "percent", "decimal"]
# Durations are elapsed days, weekends and holidays included (not gisioc.workdays): the unit
# says so in English, the Vietnamese titles with "kể cả ngày nghỉ".
CALENDAR_DAYS = Text("ngày", "calendar days")


@dataclass(frozen=True)
class Bounds:
    """A period's start and end (exclusive) instants and its cut-off (the end, or now)."""

    start: dt.datetime
    end: dt.datetime
    cut: dt.datetime

    def within(self, name: str) -> Q:
        """The field's instant falls in the period."""
        return Q(**{f"{name}__gte": self.start, f"{name}__lt": self.end})

    @property
    def cut_day(self) -> dt.date:
        """The cut-off's Vietnam day."""
        return vietnam_date(self.cut)


Condition = Callable[[Bounds], Q]


@dataclass(frozen=True, kw_only=True)
class Figure:
    """A key figure: its id in answers, title, display format and unit."""

    id: str
    title: Text
    format: Format = "int"
    unit: Text | None = None
    profile: bool = True  # shown in the profile section (in declaration order)


@dataclass(frozen=True, kw_only=True)
class Counted(Figure):
    """Records meeting a condition on the period."""

    when: Condition


@dataclass(frozen=True, kw_only=True)
class Summed(Figure):
    """The sum of a field (or an expression of fields) over the records meeting a condition:
    for records that are figures themselves (a school's pupils in a school year)."""

    field: str | Expression
    when: Condition


@dataclass(frozen=True, kw_only=True)
class MeanDays(Figure):
    """Mean days from one instant to another, of the records meeting a condition."""

    start: str
    end: str
    when: Condition
    format: Format = "decimal"
    unit: Text | None = CALENDAR_DAYS


@dataclass(frozen=True, kw_only=True)
class Formula(Figure):
    """A whole number computed from other figures."""

    of: Callable[[Mapping[str, Any]], int]


@dataclass(frozen=True, kw_only=True)
class Rate(Figure):
    """The share (0–1, four decimals) the `part` figures make of the `whole` one."""

    part: tuple[str, ...]
    whole: str
    format: Format = "percent"


@dataclass(frozen=True, kw_only=True)
class Ratio(Figure):
    """One figure divided by another (a mean such as bed-days per stay), to `digits`."""

    of: str
    per: str
    digits: int = 1
    format: Format = "decimal"


@dataclass(frozen=True, kw_only=True)
class PerPopulation(Figure):
    """Records meeting a condition whose admin unit `field` (a commune of residence) counts
    for the units in view, per `per` residents of those units: the indicator `indicator` of
    each (gisioc/indicators/sql/indicator_values.sql, its year at the period's cut-off or up
    to five before). None when one of the units has no value: never a made-up denominator."""

    field: str
    when: Condition
    per: int = 1000
    indicator: str = "population"
    format: Format = "decimal"


@dataclass(frozen=True)
class Group:
    """A `by=` grouping: the key column, the label column, labels from choices if any;
    `residents`: the keys are the units a `PerPopulation` figure counts residents of."""

    key: str
    label: str
    choices: Mapping[str, str] | None = None
    residents: bool = False


class Figures(dict[str, Any]):
    """A set's figures by id; `suppressed`: the ids held back as small counts (None when the
    set suppresses nothing), so an answer can say which nulls are not "no data"."""

    suppressed: list[str] | None = None
