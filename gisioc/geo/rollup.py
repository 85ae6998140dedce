"""The rollup rule from old communes to new ones, from Python: one rule, written in SQL once
(gisioc/geo/sql/rollup.sql) and called here.

A record counts for a unit in force wholly when it lies in it or in a unit merged whole into
it; of a split unit, a record placed by a point or a facility belongs to the successor whose
area holds the point, and one known only by its address is apportioned by the crosswalk's
share (and is seen by every successor's officer).
"""

from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Expression, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan

from gisioc.params import ID, int_parse

SOURCES_SQL = "SELECT r.from_id FROM gisioc_unit_rollup r WHERE r.unit_id = ANY(%s::bigint[])"
# The units whose records may count for the targets (themselves and their predecessors), and
# whether one of those was split between successors (a share below 1).
ROLLUP_SQL = (
    "SELECT coalesce(array_agg(DISTINCT r.from_id), '{}'), coalesce(bool_or(r.share < 1), false) "
    "FROM gisioc_unit_rollup r WHERE r.unit_id = ANY(%s::bigint[])"
)


class RecordWeight(Func):
    """What each record counts for in a set of units: 1, a crosswalk share, or 0."""

    function = "gisioc_record_weight"
    output_field = FloatField()

    def __init__(self, units: Iterable[int], *, prefix: str = "") -> None:
        targets = Value(sorted(set(units)), output_field=ArrayField(BigIntegerField()))
        super().__init__(
            F(f"{prefix}unit"), F(f"{prefix}locate_method"), F(f"{prefix}geom"), targets
        )


def unit_weight(units: Iterable[int], *, prefix: str = "") -> Expression:
    """A weight to Sum instead of Count for KPIs over the units (`prefix` reaches the record)."""
    return RecordWeight(units, prefix=prefix)


class Rollup(NamedTuple):
    """What counts for a set of units in force: records of these units, and whether a split
    predecessor means points and shares decide (otherwise every one of them counts 1)."""

    sources: list[int]
    split: bool


def rollup_of(units: Iterable[int]) -> Rollup:
    """The rollup of the units, in one small query (a literal list keeps the unit indexes)."""
    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_SQL, [sorted(set(units))])
        sources, split = cursor.fetchone()
    return Rollup(sorted(sources), bool(split))


def belongs_to(units: Iterable[int], *, prefix: str = "", of: Rollup | None = None) -> Q:
    """Records that belong to the units: in them or their predecessors, with a weight above 0
    (`of`: their `rollup_of`, when the caller has it already)."""
    units = sorted(set(units))
    of = of or rollup_of(units)
    # The unit test first, so the weight is computed only for the few candidate rows.
    in_rollup = Q(**{f"{prefix}unit__in": of.sources})
    if not of.split:  # whole mergers: the unit test is the whole rule
        return in_rollup
    return in_rollup & Q(GreaterThan(RecordWeight(units, prefix=prefix), 0.0))


def records_in(queryset: QuerySet, units: Iterable[int] | None, *, prefix: str = "") -> QuerySet:
    """The records of `queryset` that belong to the units; all of them when units is None."""
    return queryset if units is None else queryset.filter(belongs_to(units, prefix=prefix))


def unit_param(raw: str | None) -> set[int] | None:
    """The unit a `unit=` query parameter names, for `records_in`; None when absent."""
    return {int_parse(raw, "unit", bounds=ID)} if raw else None


def belongs_sql(units: Iterable[int], *, alias: str = "") -> tuple[str, list[object]]:
    """The same filter as a SQL condition on a located record's columns (alias 's.' or '')."""
    units = sorted(set(units))
    sql = (
        f"{alias}unit_id IN ({SOURCES_SQL}) AND gisioc_record_weight("
        f"{alias}unit_id, {alias}locate_method, {alias}geom, %s::bigint[]) > 0"
    )
    return sql, [units, units]
