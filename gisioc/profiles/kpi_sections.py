"""The profile section of a KPI set: its figures, monthly series, breakdown and record lists
over the communes and period in view (every system's section has this one shape)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from gisioc.kpi_small import exact_for, is_small
from gisioc.kpis import Bounds, Breakdown, KpiSet, counted, in_units, kpi_sets
from gisioc.periods import ALL_TIME, period_bounds, school_year_of
from gisioc.profiles.registry import ProfileScope, Section, SectionBuilder
from gisioc.systems import record_type_get
from gisioc.texts import Text


def _breakdown(
    kpi_set: KpiSet, spec: Breakdown, records: QuerySet, scope_bounds: tuple, *, public: bool
) -> dict[str, Any]:
    start, end, _ = scope_bounds
    if kpi_set.narrow is not None:  # as the figures: records that count in the period
        records = kpi_set.narrow(records, Bounds(*scope_bounds))
    rows = (
        records.filter(**{f"{kpi_set.received}__gte": start, f"{kpi_set.received}__lt": end})
        .values(spec.field)
        .annotate(n=counted(records))
        .order_by("-n", spec.field)
    )
    if spec.limit:
        rows = rows[: spec.limit]
    choices = {**dict(kpi_set.model._meta.get_field(spec.field).flatchoices), **spec.labels}
    items, held = [], []
    for row in rows:
        value = row[spec.field]
        label = choices.get(value) or Text(value or "—", value or "—")
        label = label if isinstance(label, Text) else Text.of(label)
        item = {"key": value, "label": label.as_dict(), "value": round(row["n"])}
        if is_small(kpi_set, item["value"]):  # last, by key, whoever reads
            held.append(item)
            if public:
                item.update(value=None, suppressed=True)
        else:
            items.append(item)
    return {"id": spec.id, "title": spec.title.as_dict(), "items": [*items, *held]}


def _point(month: dict[str, Any], key: str, by: str) -> dict[str, Any]:
    """A series point of a month (or its school year); marked when held back as small."""
    period = school_year_of(month["period"]) if by == "school_year" else month["period"]
    point = {"period": period, "value": month.get(key)}
    if key in month.get("suppressed", ()):
        point["suppressed"] = True
    return point


def kpi_section(kpi_set: KpiSet) -> SectionBuilder:
    """The section builder of a KPI set."""
    spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
    model = kpi_set.model

    def build(scope: ProfileScope) -> Section:
        period = scope.period or ALL_TIME
        section = Section(spec.name, spec.name, spec.title)
        section.newest_record(
            model.objects.all(), kpi_set.fresh or kpi_set.received, stale_days=kpi_set.stale_days
        )
        records = in_units(model.objects.all(), scope.unit_ids)
        public = not exact_for(kpi_set, scope.user)  # small counts held back
        kpis = kpi_set.kpis(  # the set's records in the units: a rollup may answer
            period=period, records=records, units=scope.unit_ids, public=public, asked={}
        )
        held = set(kpis.suppressed or ())
        for figure in kpi_set.figures:
            if figure.profile:
                section.kpi(
                    figure.id,
                    figure.title,
                    kpis[figure.id],
                    unit=figure.unit,
                    format=figure.format,
                    suppressed=figure.id in held,
                )
        if scope.brief:  # a district's commune row shows two figures only
            return section
        months = kpi_set.months(period=period, records=records, public=public)
        for key, title in kpi_set.series:
            points = [_point(m, key, kpi_set.series_by) for m in months]
            section.series.append(
                {"id": f"{record.path}_{key}", "title": title.as_dict(), "points": points}
            )
        bounds = period_bounds(period)
        for breakdown in kpi_set.all_breakdowns:
            section.breakdowns.append(
                _breakdown(kpi_set, breakdown, records, bounds, public=public)
            )
        if kpi_set.profile_more is not None:
            kpi_set.profile_more(section, scope, public)
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
