"""Rollups: a KPI set's figures kept as counts per unit × Vietnam day, so a commune's KPIs at
10⁷ records read a few thousand rows instead of scanning its records.

A system declares its rollup beside its KPI set (`KpiSet.rollup`): counters — records meeting
a condition, counted (or a value summed) on the Vietnam day of an instant — and how each
figure is made of them over a period: events in the period, before its start, or before the
cut-off (e.g. in progress at the cut = live received before it − live finished before it;
past due at the cut counts a record on the day of the greatest of its two instants). Two
tables hold the counters: per unit × day, and per unit × day × the declared keys (office,
field, …) for filters and groups. Statement triggers with transition tables keep both
current whatever writes the records (COPY, INSERT … ON CONFLICT, UPDATE, DELETE, TRUNCATE);
`rollup_rebuild` makes them again from the records and `rollup_check` compares.

Answers are those of the records (gisioc.kpis): a cut in mid-day is the whole days from the
rollup plus that day's events from the records; units count by the one rollup rule
(gisioc.geo.rollup): each row keeps its record's unit and, for a split commune's records
placed by a point, the successor holding the point, so a row's weight is the record's.
The SQL for the tables and triggers is generated here (gisioc.kpi_rollup_sql).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from django.db import connection

from gisioc.periods import VIETNAM

if TYPE_CHECKING:
    from gisioc.kpis import Bounds, KpiSet

Window = Literal["period", "before_start", "before_cut"]


@dataclass(frozen=True)
class Counter:
    """Records meeting `when` (SQL on the record `d`), counted on the Vietnam day of `at`
    (an instant; NULL: not counted); `value`: what each adds (1, or seconds summed)."""

    id: str
    at: str
    when: str = "true"
    value: str = "1"


@dataclass(frozen=True)
class Term:
    """A counter's events in a window of the period, added (or subtracted: sign −1)."""

    counter: str
    window: Window = "period"
    sign: int = 1


@dataclass(frozen=True)
class Mean:
    """A mean of days: a summed counter (seconds) over a count, of the records (unweighted,
    as Avg over the records is), in the period."""

    total: str
    count: str


@dataclass(frozen=True)
class Key:
    """A column of the records kept in the keyed table, for filters and groups."""

    column: str
    type: str = "text"


@dataclass(frozen=True)
class Rollup:
    """A KPI set's rollup: its tables, counters, keys, and each figure from counters."""

    table: str  # the unit × day table; the keyed one is `<table>_keys`
    records: str  # the records' table
    counters: tuple[Counter, ...]
    figures: Mapping[str, tuple[Term, ...] | Mean]
    keys: tuple[Key, ...] = ()
    # KPI filter param → SQL condition on the keyed table's row `x`, one %s for the value
    filters: Mapping[str, str] | None = None
    # `by=` group → (key column, label SQL over the grouped rows `x`)
    groups: Mapping[str, tuple[str, str]] | None = None

    @property
    def keyed(self) -> str:
        """The table per unit × day × keys."""
        return f"{self.table}_keys"


_forced: list[bool] = []


@contextlib.contextmanager
def records_only() -> Iterator[None]:
    """Within: KPIs read the records, never a rollup (tests compare the two paths)."""
    _forced.append(True)
    try:
        yield
    finally:
        _forced.pop()


def enabled() -> bool:
    """Whether rollups answer in this process (GISIOC_KPI_ROLLUPS)."""
    return settings.CONFIG.kpi_rollups


def answers(kpi_set: KpiSet, asked: Mapping[str, str] | None, by: str | None = None) -> bool:
    """Whether the rollup answers: the set has one, the request names its records by units
    and filters the rollup keeps (`asked`, None: records picked otherwise), and a group it
    keeps."""
    from gisioc.kpis import PerPopulation

    spec = kpi_set.rollup
    if spec is None or asked is None or _forced or not enabled():
        return False
    if any(isinstance(f, PerPopulation) for f in kpi_set.figures):
        return False
    if by is not None and by not in (spec.groups or {}):
        return False
    return all(k in (spec.filters or {}) for k, v in asked.items() if v)


def figures_row(
    kpi_set: KpiSet, bounds: Bounds, units: Iterable[int] | None, asked: Mapping[str, str]
) -> dict[str, Any]:
    """The row `KpiSet._figures` reads (as the records' aggregate would give it)."""
    rows = _query(kpi_set, bounds, units, asked, None)
    return rows[0] if rows else _figure_values(kpi_set, {})


def groups_rows(
    kpi_set: KpiSet,
    bounds: Bounds,
    units: Iterable[int] | None,
    asked: Mapping[str, str],
    by: str,
) -> list[dict[str, Any]]:
    """Per group: its key (under the group's key name), `label`, and the figures' row."""
    return _query(kpi_set, bounds, units, asked, by)


def _query(
    kpi_set: KpiSet,
    bounds: Bounds,
    units: Iterable[int] | None,
    asked: Mapping[str, str],
    by: str | None,
) -> list[dict[str, Any]]:
    from gisioc import kpi_rollup_sql as gen

    spec = kpi_set.rollup
    assert spec is not None
    filters = {k: v for k, v in asked.items() if v}
    targets = sorted(set(units)) if units is not None else None
    cut_day = bounds.cut.astimezone(VIETNAM).date()
    day_start = dt.datetime.combine(cut_day, dt.time(), VIETNAM)
    partial = bounds.cut > day_start  # a cut in mid-day: that day's events from the records
    sql, params = gen.read_sql(spec, targets, filters, by, partial=partial)
    params.update(
        start=bounds.start.astimezone(VIETNAM).date(),
        end=bounds.end.astimezone(VIETNAM).date(),
        cut_day=cut_day,
        day_start=day_start,
        cut=bounds.cut,
        targets=targets,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        found = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    out = []
    for raw in found:
        row = _figure_values(kpi_set, raw)
        if by is not None:
            row[kpi_set.groups[by].key] = raw["k"]
            row["label"] = raw["label"]
        out.append(row)
    return out


def _figure_values(kpi_set: KpiSet, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Figure ids → values as the records' aggregates name them (MeanDays as a timedelta,
    `<id>__n` for a mean's count)."""
    spec = kpi_set.rollup
    assert spec is not None
    row: dict[str, Any] = {}
    for fid, how in spec.figures.items():
        if isinstance(how, Mean):
            total, n = raw.get(f"{fid}__total"), raw.get(f"{fid}__n") or 0
            row[fid] = (
                dt.timedelta(microseconds=round(total / n)) if n and total is not None else None
            )
            row[f"{fid}__n"] = n
        else:
            value = raw.get(fid)
            row[fid] = float(value) if value is not None else None
    return row


def rollup_tables() -> set[str]:
    """The tables of every declared rollup: kept by triggers on their records' table in the
    same statement, so that table's data version covers them."""
    from gisioc.kpis import kpi_sets

    return {t for s in kpi_sets if s.rollup for t in (s.rollup.table, s.rollup.keyed)}


def rollup_rebuild(spec: Rollup) -> None:
    """Both tables again from the records (after a load with triggers off)."""
    from gisioc import kpi_rollup_sql as gen

    with connection.cursor() as cursor:
        cursor.execute(gen.rebuild_sql(spec))


def rollup_check(spec: Rollup) -> int:
    """Rows where a table differs from the records' counts (0: the rollup is right)."""
    from gisioc import kpi_rollup_sql as gen

    with connection.cursor() as cursor:
        cursor.execute(gen.check_sql(spec))
        return int(cursor.fetchone()[0])
