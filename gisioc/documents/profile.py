"""The documents profile section: KPIs of the documents of the communes and period in view."""

import datetime as dt
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from gisioc.documents import selectors
from gisioc.documents.models import Document
from gisioc.periods import ALL_TIME, period_bounds
from gisioc.profiles.registry import CALENDAR_DAYS, ProfileScope, Section, register_section
from gisioc.texts import Text


def _kpis(section: Section, kpis: selectors.DocumentKpis) -> None:
    k = section.kpi
    # The first two are what the district profile shows for each commune.
    k("incoming", Text("Văn bản đến", "Incoming documents"), kpis.incoming)
    k(
        "on_time_rate",
        Text("Xử lý đúng hạn", "Handled on time"),
        kpis.on_time_rate,
        format="percent",
    )
    k("outgoing", Text("Văn bản đi", "Outgoing documents"), kpis.outgoing)
    k("in_progress", Text("Đang xử lý", "In progress"), kpis.in_progress)
    k("overdue", Text("Quá hạn xử lý", "Overdue"), kpis.overdue)
    k("completed", Text("Đã xử lý", "Completed"), kpis.completed)
    k("late", Text("Xử lý trễ hạn", "Completed late"), kpis.late)
    k(
        "avg_days",
        Text("Thời gian xử lý bình quân (kể cả ngày nghỉ)", "Average handling time"),
        kpis.avg_days,
        unit=CALENDAR_DAYS,
        format="decimal",
    )


def _by_type(documents: QuerySet[Document], start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    rows = (
        documents.filter(received_at__gte=start, received_at__lt=end)
        .values("doc_type")
        .annotate(n=Count("id"))
        .order_by("-n", "doc_type")
    )
    items = []
    for row in rows:
        label = Text.of(Document.Type(row["doc_type"]).label)
        items.append({"key": row["doc_type"], "label": label.as_dict(), "value": row["n"]})
    return {
        "id": "documents_by_type",
        "title": Text("Văn bản theo loại", "Documents by type").as_dict(),
        "items": items,
    }


@register_section
def documents_section(scope: ProfileScope) -> Section:
    """KPIs, monthly trends and types of the documents of the scope's agencies."""
    period = scope.period or ALL_TIME
    section = Section("documents", "documents", Text("Quản lý văn bản", "Documents"))
    section.newest_record(Document.objects.all(), "received_at")
    documents = Document.objects.filter(unit__in=scope.record_unit_ids)
    kpis = selectors.document_kpis(period=period, documents=documents)
    _kpis(section, kpis)
    months = selectors.document_monthly(period=period, documents=documents)
    for key, title in (
        ("incoming", Text("Văn bản đến theo tháng", "Incoming documents by month")),
        ("outgoing", Text("Văn bản đi theo tháng", "Outgoing documents by month")),
        ("on_time_rate", Text("Tỷ lệ xử lý đúng hạn theo tháng", "On-time rate by month")),
    ):
        points = [{"period": m["period"], "value": m.get(key)} for m in months]
        section.series.append(
            {"id": f"documents_{key}", "title": title.as_dict(), "points": points}
        )
    start, end, _ = period_bounds(period)
    section.breakdowns.append(_by_type(documents, start, end))
    unit_query = f"&unit={scope.unit.pk}" if scope.unit else ""
    # The list shows what is overdue today, whatever the period, so it counts the same.
    overdue_now = selectors.documents_overdue(documents=documents, as_of=timezone.now())
    section.record_list(
        "documents_overdue",
        Text("Văn bản quá hạn xử lý", "Overdue documents"),
        count=overdue_now.count(),
        href=f"/api/documents/documents/?overdue=1{unit_query}",
        type="document",
    )
    if scope.unit is None:
        section.not_located = Document.objects.filter(
            unit__isnull=True, received_at__gte=start, received_at__lt=end
        ).count()
    return section
