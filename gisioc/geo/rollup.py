"""The rollup rule from old communes to new ones, from Python: one rule, written in SQL once
(gisioc/geo/sql/rollup.sql) and called here.

A record counts for a unit in force wholly when it lies in it or in a unit merged whole into
it; of a split unit, a record placed by a point or a facility belongs to the successor whose
area holds the point, and one known only by its address is apportioned by the crosswalk's
share (and is seen by every successor's officer).
"""

from collections.abc import Iterable

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, Expression, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan

from gisioc.errors import InvalidInput

SOURCES_SQL = "SELECT r.from_id FROM gisioc_unit_rollup r WHERE r.unit_id = ANY(%s::bigint[])"
SPLIT_SQL = (
    "SELECT EXISTS (SELECT 1 FROM gisioc_unit_rollup r "
    "WHERE r.unit_id = ANY(%s::bigint[]) AND r.share < 1)"
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


def splits(units: Iterable[int]) -> bool:
    """Whether a predecessor of the units was split between successors (a share below 1):
    only then do points and shares decide; otherwise every record of a predecessor counts 1."""
    with connection.cursor() as cursor:
        cursor.execute(SPLIT_SQL, [sorted(set(units))])
        return bool(cursor.fetchone()[0])


def belongs_to(units: Iterable[int], *, prefix: str = "", split: bool | None = None) -> Q:
    """Records that belong to the units: in them or their predecessors, with a weight above 0
    (`split`: what `splits(units)` says, when the caller has asked already)."""
    units = sorted(set(units))
    # The unit test first, so the weight is computed only for the few candidate rows.
    in_rollup = Q(**{f"{prefix}unit__in": RawSQL(SOURCES_SQL, [units])})
    if not (splits(units) if split is None else split):  # whole mergers: the unit test is all
        return in_rollup
    return in_rollup & Q(GreaterThan(RecordWeight(units, prefix=prefix), 0.0))


def records_in(queryset: QuerySet, units: Iterable[int] | None, *, prefix: str = "") -> QuerySet:
    """The records of `queryset` that belong to the units; all of them when units is None."""
    return queryset if units is None else queryset.filter(belongs_to(units, prefix=prefix))


def unit_param(raw: str | None) -> set[int] | None:
    """The unit a `unit=` query parameter names, for `records_in`; None when absent."""
    if not raw:
        return None
    if not raw.isdigit():
        raise InvalidInput(f"Mã đơn vị không hợp lệ: {raw}.", f"Invalid unit id: {raw}.")
    return {int(raw)}


def belongs_sql(units: Iterable[int], *, alias: str = "") -> tuple[str, list[object]]:
    """The same filter as a SQL condition on a located record's columns (alias 's.' or '')."""
    units = sorted(set(units))
    sql = (
        f"{alias}unit_id IN ({SOURCES_SQL}) AND gisioc_record_weight("
        f"{alias}unit_id, {alias}locate_method, {alias}geom, %s::bigint[]) > 0"
    )
    return sql, [units, units]
