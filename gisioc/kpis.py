"""Declarative KPI sets: one per record type, from which the KPI API, the record API and the
profile section are built (gisioc.system_api, gisioc.profiles.sections).

A system's `kpis.py` declares how each figure is counted over a period — a condition on the
period's bounds, a mean of days, a formula of other figures, a rate — plus its groups
(`by=`), filters, monthly series, breakdown and record subsets (such as "overdue"). The
counting rules stay the system's; how they are run, grouped, answered and shown is here.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db.models import (
    Aggregate,
    Avg,
    Count,
    Expression,
    F,
    FloatField,
    Max,
    Model,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth

from gisioc import kpi_rollup, kpi_small
from gisioc.errors import InvalidInput
from gisioc.geo import rollup

# The figure kinds live in gisioc.kpi_figures; systems read them here (`kpi.Counted`).
from gisioc.kpi_figures import (  # noqa: F401
    CALENDAR_DAYS,
    Bounds,
    Condition,
    Counted,
    Figure,
    Figures,
    Format,
    Formula,
    Group,
    MeanDays,
    PerPopulation,
    Rate,
    Ratio,
    Summed,
)
from gisioc.periods import VIETNAM, Period, months_merge, period_bounds
from gisioc.registries import Registry
from gisioc.texts import Text


@dataclass(frozen=True)
class RecordFilter:
    """A query parameter selecting records: its lookup, and choices when it has them."""

    param: str
    lookup: str
    description: str
    choices: tuple[str, ...] = ()
    kpis: bool = True  # False: record lists only (a status would change what KPIs count)


@dataclass(frozen=True)
class Subset:
    """A named selection such as "overdue": `?<param>=1` on the record API, a profile list."""

    param: str
    list_id: str
    title: Text
    description: str
    select: Callable[[QuerySet, dt.datetime], QuerySet]


@dataclass(frozen=True)
class Monthly:
    """Per month of the period, counts of records by the Vietnam month of `field` (or other
    aggregates: a function of the records giving one, such as a `summed` field)."""

    field: str
    # name → condition (None: every record), or records → aggregate
    counts: Mapping[str, Q | Callable[[QuerySet], Aggregate] | None]
    out: Callable[[Mapping[str, int]], dict[str, Any]]
    where: Q = field(default_factory=Q)


@dataclass(frozen=True)
class Breakdown:
    """Records received in the period by the values of one field, largest first."""

    id: str
    title: Text
    field: str
    limit: int | None = None
    labels: Mapping[str, Text] = field(default_factory=dict)  # else the field's choices


@dataclass(frozen=True)
class KpiSet:
    """Everything the KPI API, record API and profile section of one record type need."""

    record: str  # the record type (gisioc.systems.RecordType.type)
    model: type[Model]
    received: str  # the instant a record enters a period (`period=` on lists, freshness)
    figures: tuple[Figure, ...]
    groups: Mapping[str, Group]
    keep: tuple[str, ...]  # a group is shown when one of these figures is not zero
    filters: tuple[RecordFilter, ...] = ()
    subsets: tuple[Subset, ...] = ()
    monthly: tuple[Monthly, ...] = ()
    series: tuple[tuple[str, Text], ...] = ()  # monthly values the profile charts
    # The points' periods: months, or the school years of records dated by a year's start.
    series_by: Literal["month", "school_year"] = "month"
    breakdown: Breakdown | None = None
    breakdowns: tuple[Breakdown, ...] = ()  # more, after `breakdown`
    annotate: Callable[[QuerySet], QuerySet] = lambda records: records
    # Records that can count in the period at all, so a month reads a month of rows.
    narrow: Callable[[QuerySet, Bounds], QuerySet] | None = None
    # What the profile's freshness reads instead (a time or date: when a school's figures were
    # reported, not the school year they are of), and its stale window if not STALE_DAYS.
    fresh: str | None = None
    stale_days: int | None = None
    # The record API: its fields, the one lists show as its name, related values.
    fields: tuple[str, ...] = ()
    name_field: str = "id"
    related: Mapping[str, str] = field(default_factory=dict)
    # Small counts: figures counting fewer records than this (and what is computed from
    # them) are null for readers outside `roles` (gisioc.kpi_small); None: all exact.
    small: int | None = None
    # Who reads the record API (and exact figures): None means every signed-in role.
    roles: frozenset[str] | None = None
    # Records that are figures themselves, naming no one (a school's year): everyone reads
    # them, as KPIs, so a public layer's feature opens for the public too.
    public_records: bool = False
    # More for the profile section: (section, scope, public) → adds lists or tables.
    profile_more: Callable[[Any, Any, bool], None] | None = None
    # Counts kept per unit × day that KPIs read instead of the records (gisioc.kpi_rollup).
    rollup: kpi_rollup.Rollup | None = None

    def figure(self, id: str) -> Figure:
        """The figure with this id."""
        return next(f for f in self.figures if f.id == id)

    @property
    def all_breakdowns(self) -> tuple[Breakdown, ...]:
        """Every breakdown, `breakdown` first."""
        return (*((self.breakdown,) if self.breakdown else ()), *self.breakdowns)

    def kpis(
        self,
        *,
        period: Period,
        records: QuerySet | None = None,
        as_of: dt.datetime | None = None,
        units: Iterable[int] | None = None,
        residents: QuerySet | None = None,
        public: bool = False,
        asked: Mapping[str, str] | None = None,
    ) -> Figures:
        """Every figure of the records (all by default) over the period, in one query (and
        one more for residents per population: of `residents`, every record by default,
        living in `units`, the communes in force when None). `public`: as the public reads
        them, small counts held back when the set says so. `asked`: the records are the
        set's in `units` with these filter values, so its rollup may answer instead."""
        bounds = Bounds(*period_bounds(period, as_of))
        asked, of_units = _asked(records, asked, units)
        if kpi_rollup.answers(self, asked):
            row = kpi_rollup.figures_row(self, bounds, of_units, asked or {})
            return self._figures(row, public=public)
        rows = self._rows(records, bounds)
        row = rows.aggregate(**self._aggregates(rows, bounds))
        if any(isinstance(f, PerPopulation) for f in self.figures):
            row.update(kpi_small.residents_row(self, bounds, units, residents))
        return self._figures(row, public=public)

    def kpis_by(
        self,
        *,
        period: Period,
        by: str,
        records: QuerySet | None = None,
        as_of: dt.datetime | None = None,
        public: bool = False,
        units: Iterable[int] | None = None,
        asked: Mapping[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Figures per group `by` names; groups with nothing to show are left out (`public`:
        small counts held back, those groups last by label whoever reads; `units`, `asked`:
        as for `kpis`)."""
        if by not in self.groups:
            raise InvalidInput(
                f"Không nhóm được theo {by}; chọn: {', '.join(self.groups)}.",
                f"Cannot group by {by}; choose one of {', '.join(self.groups)}.",
            )
        group = self.groups[by]
        bounds = Bounds(*period_bounds(period, as_of))
        asked, of_units = _asked(records, asked, units)
        if kpi_rollup.answers(self, asked, by):
            rows = kpi_rollup.groups_rows(self, bounds, of_units, asked or {}, by)
        else:
            records = self._rows(records, bounds)
            aggregates = self._aggregates(records, bounds, residents=group.residents)
            rows = list(
                records.values(group.key).annotate(label=Max(group.label), **aggregates).order_by()
            )
        if group.residents:
            kpi_small.residents_groups(self, bounds, rows, group.key)
        found: list[dict[str, Any]] = []
        order: list[tuple[bool, float, str]] = []
        for row in rows:
            key, label = row.pop(group.key), row.pop("label") or ""
            if group.choices is not None:
                label = group.choices.get(key, key)
            exact = self._figures(row)
            if not any(exact[k] for k in self.keep):
                continue
            kpis = self._figures(row, public=public)
            entry = {"key": key, "label": label, "kpis": kpis}
            if kpis.suppressed is not None:
                entry["suppressed"] = kpis.suppressed
            # By the exact first figure, a small one last by label (whoever reads: the
            # order must not tell small counts apart).
            first = exact[self.keep[0]]
            small = kpi_small.is_small(self, first)
            order.append((small, 0 if small else -(first or 0), str(label)))
            found.append(entry)
        return [entry for _, entry in sorted(zip(order, found, strict=True), key=_first)]

    def months(
        self, *, period: Period, records: QuerySet | None = None, public: bool = False
    ) -> list[dict[str, Any]]:
        """Per month of the period, the monthly values the set declares (`public`: a month's
        small counts reach `out` as None, and its values from them are listed in the
        month's `suppressed`)."""
        records = self.model.objects.all() if records is None else records
        start, end, _ = period_bounds(period)
        series = []
        for monthly in self.monthly:
            counts = {
                name: when(records) if callable(when) else counted(records, when)
                for name, when in monthly.counts.items()
            }
            rows = (
                self.annotate(records)
                .filter(monthly.where, **{f"{monthly.field}__gte": start})
                .filter(**{f"{monthly.field}__lt": end})
                .annotate(month=TruncMonth(monthly.field, tzinfo=VIETNAM))
                .values("month")
                .annotate(**counts)
                .order_by()
            )
            series.append(
                [(r["month"], kpi_small.month_out(self, monthly, _whole(r), public)) for r in rows]
            )
        held: dict[dt.date, list[str]] = {}  # each monthly's suppressed, merged
        for rows in series:
            for month, values in rows:
                held.setdefault(month, []).extend(values.pop("suppressed", ()))
        merged = months_merge(*series)
        for month, names in held.items():
            if names:
                label = month.strftime("%Y-%m")
                next(m for m in merged if m["period"] == label)["suppressed"] = names
        return merged

    def subset(self, param: str) -> Subset:
        """The subset a parameter names."""
        return next(s for s in self.subsets if s.param == param)

    def _rows(self, records: QuerySet | None, bounds: Bounds) -> QuerySet:
        records = self.model.objects.all() if records is None else records
        if self.narrow is not None:
            records = self.narrow(records, bounds)
        return self.annotate(records)

    def _aggregates(
        self, records: QuerySet, bounds: Bounds, *, residents: bool = False
    ) -> dict[str, Any]:
        """Aggregates of the figures; with `small`, the records each mean or sum is of
        (`<id>__n`); `residents`: the rows are residents of one unit each (its group)."""
        aggregates: dict[str, Any] = {}
        for f in self.figures:
            if isinstance(f, Counted):
                aggregates[f.id] = counted(records, f.when(bounds))
            elif isinstance(f, Summed):
                aggregates[f.id] = summed(records, f.field, f.when(bounds))
            elif isinstance(f, MeanDays):
                aggregates[f.id] = Avg(F(f.end) - F(f.start), filter=f.when(bounds))
            elif isinstance(f, PerPopulation) and residents:
                aggregates[f"{f.id}__n"] = counted(records, f.when(bounds))
            if self.small and isinstance(f, Summed | MeanDays):
                when = f.when(bounds)
                if isinstance(f, MeanDays):
                    when &= Q(**{f"{f.start}__isnull": False, f"{f.end}__isnull": False})
                aggregates[f"{f.id}__n"] = counted(records, when)
        return aggregates

    def _figures(self, row: Mapping[str, Any], *, public: bool = False) -> Figures:
        values: dict[str, Any] = {}
        for f in self.figures:  # formulas and rates read figures declared before them
            if isinstance(f, Counted | Summed):
                values[f.id] = round(row[f.id] or 0)  # a weighted count is a whole number too
            elif isinstance(f, MeanDays):
                mean = row[f.id]
                values[f.id] = round(mean.total_seconds() / 86_400, 1) if mean is not None else None
            elif isinstance(f, PerPopulation):
                n, people = row.get(f"{f.id}__n"), row.get(f"{f.id}__population")
                values[f.id] = round(n * f.per / people, 2) if n is not None and people else None
        for f in self.figures:
            if isinstance(f, Formula):
                values[f.id] = f.of(values)
        for f in self.figures:
            if isinstance(f, Rate):
                whole = values[f.whole]
                part = sum(values[p] for p in f.part)
                values[f.id] = round(part / whole, 4) if whole else None
            elif isinstance(f, Ratio):
                of, per = values[f.of], values[f.per]
                values[f.id] = round(of / per, f.digits) if per and of is not None else None
        found = Figures((f.id, values[f.id]) for f in self.figures)
        if self.small:
            found.suppressed = kpi_small.suppress(self, found, row) if public else []
        return found


kpi_sets = Registry[KpiSet]("KPI set")
WEIGHT = "rollup_weight"


def in_units(records: QuerySet, units: Iterable[int] | None) -> QuerySet:
    """The records that count for the units (all when None) by the one rollup rule, each with
    what it counts for (gisioc.geo.rollup): 1, or a split commune's share for one known only
    by its address. KPIs over them sum these weights."""
    if units is None:
        return records
    of = rollup.rollup_of(units)
    records = records.filter(rollup.belongs_to(units, of=of))
    if not of.split:  # whole mergers: every record counts 1, a plain COUNT
        return records
    return records.annotate(**{WEIGHT: rollup.unit_weight(units)})


def counted(records: QuerySet, when: Q | None = None) -> Aggregate:
    """How many records meet the condition: weighted when they carry a rollup weight."""
    if WEIGHT in records.query.annotations:
        return Sum(WEIGHT, filter=when)
    return Count("id", filter=when)


def summed(records: QuerySet, field: str | Expression, when: Q | None = None) -> Aggregate:
    """The sum of a field over the records meeting the condition, each times its rollup
    weight when the records carry one."""
    value = F(field) if isinstance(field, str) else field
    if WEIGHT in records.query.annotations:
        return Sum(value * F(WEIGHT), filter=when, output_field=FloatField())
    return Sum(value, filter=when)


def register_kpis(kpi_set: KpiSet) -> KpiSet:
    """Declare a record type's KPI set (from its system's `kpis.py`)."""
    return kpi_sets.add(kpi_set.record, kpi_set)


def share(part: float | None, whole: float | None) -> float | None:
    """part / whole to four decimals; None when there is no whole (or no part: held back)."""
    return round(part / whole, 4) if whole and part is not None else None


def done_by_month(field: str, name: str, *, late: Q, where: Q | None = None) -> Monthly:
    """Records done per month (by the Vietnam month of `field`), and the share not late."""

    def out(r: Mapping[str, int]) -> dict[str, Any]:
        return {name: r["n"], "on_time_rate": share(r["n"] - r["late"], r["n"])}

    return Monthly(field, {"n": None, "late": late}, out, where=where or Q())


def _asked(
    records: QuerySet | None, asked: Mapping[str, str] | None, units: Iterable[int] | None
) -> tuple[Mapping[str, str] | None, Iterable[int] | None]:
    """What the records are, for a rollup: every record (none given), or `asked` in `units`;
    None when the caller picked them otherwise."""
    if asked is not None:
        return asked, units
    return ({}, None) if records is None else (None, None)


def _first(item: tuple[Any, Any]) -> Any:
    return item[0]


def _whole(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row of counts as whole numbers (weighted counts are sums of shares)."""
    return {k: round(v or 0) if k != "month" else v for k, v in row.items()}


def kpis_answer(
    *, period: Period, kpis: Mapping[str, Any], by: str | None, groups: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The body of a KPI API: the period, its cut-off, the KPIs, and per group when asked."""
    body: dict[str, Any] = {
        "period": period.label,
        "as_of": period_bounds(period)[2].isoformat(),
        "kpis": dict(kpis),
    }
    suppressed = getattr(kpis, "suppressed", None)
    if suppressed is not None:  # the set holds small counts back: which nulls those are
        body["suppressed"] = suppressed
    if by:
        body["by"] = by
        body["groups"] = list(groups)
    return body
