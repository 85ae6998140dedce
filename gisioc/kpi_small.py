"""What KPI sets of sensitive records add to gisioc.kpis: small counts held back, and
residents per population.

Small counts (`KpiSet.small`, e.g. 5 for health): for readers outside the set's `roles`
(the public, and staff who may not see the records), a count of 1 to small − 1 records is
null, and so is every figure computed from such a count: a mean or sum of few records, a
share whose part or whole is held back, a rate per population of few residents. Answers list
the ids held back (`suppressed`), so a null there is never read as "no data" or 0. A true 0
is shown: it tells nothing about anyone.

Residents per population (`PerPopulation`): records whose commune of residence counts for the
units in view (by the one rollup rule: a commune split by the reform apportions its
residents by the crosswalk's shares, as records known only by an address are), per so many
residents of those units, read from the indicators' SQL (`gisioc_indicator_weight`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Count, F, FloatField, Func, QuerySet, Sum, Value

from gisioc.geo import access, rollup
from gisioc.geo.access import User

if TYPE_CHECKING:
    from gisioc.kpis import Bounds, Figures, KpiSet, Monthly

POPULATION_SQL = "SELECT u, gisioc_indicator_weight(%s, u, %s) FROM unnest(%s::bigint[]) AS u"


def exact_for(kpi_set: KpiSet, user: User | None) -> bool:
    """Whether the user reads the set's exact figures: always when it holds nothing back,
    else only a role of its `roles` (any signed-in role when it names none)."""
    if not kpi_set.small:
        return True
    if kpi_set.roles is None:
        return access.user_role(user) is not None
    return access.may_see(user, kpi_set.roles)


def is_small(kpi_set: KpiSet, n: float | None) -> bool:
    """Whether a count is held back: 1 to small − 1 records."""
    return bool(kpi_set.small) and n is not None and 0 < round(n) < kpi_set.small


def suppress(kpi_set: KpiSet, found: Figures, row: Mapping[str, Any]) -> list[str]:
    """Null the figures counting few records, or computed from such; their ids, in order."""
    from gisioc import kpis as k

    held: set[str] = set()
    for f in kpi_set.figures:  # counts first: shares and ratios read them
        if isinstance(f, k.Counted | k.Formula):
            n = found[f.id]
        elif isinstance(f, k.Summed | k.MeanDays | k.PerPopulation):
            n = row.get(f"{f.id}__n")
        else:
            continue
        if is_small(kpi_set, n):
            held.add(f.id)
    for f in kpi_set.figures:
        reads = {*f.part, f.whole} if isinstance(f, k.Rate) else set()
        reads |= {f.of, f.per} if isinstance(f, k.Ratio) else set()
        if held & reads:
            held.add(f.id)
    order = [f.id for f in kpi_set.figures if f.id in held]
    for id in order:
        found[id] = None
    return order


def month_out(
    kpi_set: KpiSet, monthly: Monthly, counts: dict[str, Any], public: bool
) -> dict[str, Any]:
    """A month's values from its counts; for the public, small counts go to `out` as None
    and the values that become null are listed under `suppressed`."""
    exact = monthly.out(counts)
    if not (public and kpi_set.small):
        return exact
    small = {
        name: None
        for name, when in monthly.counts.items()
        if not callable(when) and is_small(kpi_set, counts[name])
    }
    if not small:
        return exact
    masked = monthly.out({**counts, **small})
    masked["suppressed"] = [k for k, v in masked.items() if v is None and exact[k] is not None]
    return masked


class _ResidenceWeight(Func):
    """What a record living in a unit counts for in the targets: the rollup's shares of a
    unit known by its code alone (gisioc_record_weight with no point)."""

    function = "gisioc_record_weight"
    output_field = FloatField()

    def __init__(self, field: str, units: list[int]) -> None:
        super().__init__(
            F(field),
            Value("address"),
            Value(None, output_field=GeometryField(srid=4326)),
            Value(units, output_field=ArrayField(BigIntegerField())),
        )


def communes_in_force() -> list[int]:
    """Ids of the communes in force today (the whole area)."""
    from gisioc.geo.models import AdminUnit
    from gisioc.geo.selectors import units_list

    return list(units_list(level=AdminUnit.Level.COMMUNE).values_list("pk", flat=True))


def populations(indicator: str, units: Iterable[int | None], day: object) -> dict[int, float]:
    """Each unit's value of the indicator at the day (its year, else up to five before, else
    the next); units without one are left out."""
    ids = sorted({u for u in units if u is not None})
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(POPULATION_SQL, [indicator, day, ids])
        return {unit: float(w) for unit, w in cursor.fetchall() if w is not None}


def residents_row(
    kpi_set: KpiSet, bounds: Bounds, units: Iterable[int] | None, residents: QuerySet | None
) -> dict[str, Any]:
    """For each PerPopulation figure, `<id>__n`: the records of residents of the units (the
    communes in force when None), and `<id>__population`: theirs, None unless every unit
    has one."""
    from gisioc import kpis as k

    targets = sorted(set(communes_in_force() if units is None else units))
    if residents is None:
        residents = kpi_set.model.objects.all()
    records = kpi_set._rows(residents, bounds)
    of = rollup.rollup_of(targets)
    row: dict[str, Any] = {}
    for f in kpi_set.figures:
        if not isinstance(f, k.PerPopulation):
            continue
        mine = records.filter(**{f"{f.field}__in": of.sources})
        n = (
            Sum(_ResidenceWeight(f.field, targets), filter=f.when(bounds))
            if of.split
            else Count("id", filter=f.when(bounds))
        )
        row[f"{f.id}__n"] = round(mine.aggregate(n=n)["n"] or 0)
        people = populations(f.indicator, targets, bounds.cut_day)
        whole = len(people) == len(targets) and targets
        row[f"{f.id}__population"] = sum(people.values()) if whole else None
    return row


def residents_groups(kpi_set: KpiSet, bounds: Bounds, rows: list[dict[str, Any]], key: str) -> None:
    """Add each group's population (its key is the unit of residence) to its row."""
    from gisioc import kpis as k

    for f in kpi_set.figures:
        if isinstance(f, k.PerPopulation):
            people = populations(f.indicator, (r[key] for r in rows), bounds.cut_day)
            for r in rows:
                r[f"{f.id}__population"] = people.get(r[key])
