"""What every system's KPIs share: one period's aggregate per group, and the API's answer."""

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import Max, QuerySet

from gisioc.errors import InvalidInput
from gisioc.periods import Period, period_bounds

Groups = Mapping[str, tuple[str, str]]  # by → (key column, label column)


def kpis_grouped(
    records: QuerySet, *, by: str, groups: Groups, aggregates: Mapping[str, Any]
) -> Iterator[tuple[Any, str, dict[str, Any]]]:
    """(key, label, aggregated row) of each group `by` names, in one query."""
    if by not in groups:
        raise InvalidInput(
            f"Không nhóm được theo {by}; chọn: {', '.join(groups)}.",
            f"Cannot group by {by}; choose one of {', '.join(groups)}.",
        )
    key, label = groups[by]
    for row in records.values(key).annotate(label=Max(label), **aggregates).order_by():
        yield row.pop(key), row.pop("label") or "", row


def kpis_answer(
    *, period: Period, kpis: Any, by: str | None, groups: list[dict[str, Any]]
) -> dict[str, Any]:
    """The body of a KPI API: the period, its cut-off, the KPIs, and per group when asked."""
    body: dict[str, Any] = {
        "period": period.label,
        "as_of": period_bounds(period)[2].isoformat(),
        "kpis": kpis.as_dict(),
    }
    if by:
        body["by"] = by
        body["groups"] = [g | {"kpis": g["kpis"].as_dict()} for g in groups]
    return body
