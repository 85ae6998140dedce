"""The profile section of a KPI set: its figures, monthly series, breakdown and record lists
over the communes and period in view (every system's section has this one shape)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gisioc.kpis import KpiSet, counted, in_units, kpi_sets
from gisioc.periods import ALL_TIME, period_bounds
from gisioc.profiles.registry import ProfileScope, Section, SectionBuilder
from gisioc.systems import record_type_get
from gisioc.texts import Text


def _breakdown(kpi_set: KpiSet, records: QuerySet, scope_bounds: tuple) -> dict[str, Any]:
    spec = kpi_set.breakdown
    assert spec is not None
    start, end, _ = scope_bounds
    rows = (
        records.filter(**{f"{kpi_set.received}__gte": start, f"{kpi_set.received}__lt": end})
        .values(spec.field)
        .annotate(n=counted(records))
        .order_by("-n", spec.field)
    )
    if spec.limit:
        rows = rows[: spec.limit]
    choices = dict(kpi_set.model._meta.get_field(spec.field).flatchoices)
    items = []
    for row in rows:
        value = row[spec.field]
        label = Text.of(choices[value]) if value in choices else Text(value or "—", value or "—")
        items.append({"key": value, "label": label.as_dict(), "value": round(row["n"])})
    return {"id": spec.id, "title": spec.title.as_dict(), "items": items}


def kpi_section(kpi_set: KpiSet) -> SectionBuilder:
    """The section builder of a KPI set."""
    spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
    model = kpi_set.model

    def build(scope: ProfileScope) -> Section:
        period = scope.period or ALL_TIME
        section = Section(spec.name, spec.name, spec.title)
        section.newest_record(model.objects.all(), kpi_set.received)
        records = in_units(model.objects.all(), scope.unit_ids)
        kpis = kpi_set.kpis(period=period, records=records)
        for figure in kpi_set.figures:
            if figure.profile:
                section.kpi(
                    figure.id, figure.title, kpis[figure.id], unit=figure.unit, format=figure.format
                )
        months = kpi_set.months(period=period, records=records)
        for key, title in kpi_set.series:
            points = [{"period": m["period"], "value": m.get(key)} for m in months]
            section.series.append(
                {"id": f"{record.path}_{key}", "title": title.as_dict(), "points": points}
            )
        bounds = period_bounds(period)
        if kpi_set.breakdown:
            section.breakdowns.append(_breakdown(kpi_set, records, bounds))
        unit_query = f"&unit={scope.unit.pk}" if scope.unit else ""
        for subset in kpi_set.subsets:  # what is so today, whatever the period
            section.record_list(
                subset.list_id,
                subset.title,
                count=subset.select(records, timezone.now()).count(),
                href=f"{spec.api}{record.path}/?{subset.param}=1{unit_query}",
                type=record.type,
            )
        if scope.unit is None:
            start, end, _ = bounds
            section.not_located = model.objects.filter(
                unit__isnull=True,
                **{f"{kpi_set.received}__gte": start, f"{kpi_set.received}__lt": end},
            ).count()
        return section

    return build


def kpi_sections() -> list[tuple[int, SectionBuilder]]:
    """(order, builder) of every KPI set's section, in its system's order."""
    return [
        (record_type_get(k.record)[0].order, kpi_section(k))  # type: ignore[index]
        for k in kpi_sets
    ]
