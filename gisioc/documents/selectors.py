"""Reads of documents: lists, and KPIs per agency, commune, type and period.

For a period (Vietnam days) and a cut-off (the period's end, or now if sooner):

- incoming / outgoing: documents received (registered, for outgoing) in the period
- in progress: incoming documents received before the cut-off, not withdrawn and not
  completed by it
- overdue: of those, the ones whose due day is before the cut-off's day (for a past period,
  due on or before its last day; for the current one, due before today)
- completed: incoming documents completed in the period; on time: completed on or before
  their due day, or without a due day; late: the rest; on-time rate: on time of completed
- average handling days: from received to completed, of those completed in the period
  (calendar days)

Only incoming documents are handled against a deadline; outgoing ones are only counted.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth

from gisioc.documents.models import Document
from gisioc.kpis import kpis_grouped
from gisioc.periods import VIETNAM, Period, months_merge, period_bounds, vietnam_date

Direction, Status = Document.Direction, Document.Status
GROUPS: dict[str, tuple[str, str]] = {  # by → (key column, label column)
    "agency": ("agency_id", "agency__name"),
    "unit": ("unit_id", "unit__name"),
    "type": ("doc_type", "doc_type"),
}
TYPE_LABELS = dict(Document.Type.choices)


@dataclass(frozen=True)
class DocumentKpis:
    """Key figures of documents over a period (see the module docstring for each one)."""

    incoming: int = 0
    outgoing: int = 0
    in_progress: int = 0
    overdue: int = 0
    completed: int = 0
    on_time: int = 0
    late: int = 0
    avg_days: float | None = None

    @property
    def on_time_rate(self) -> float | None:
        """Share of the documents completed in the period that were on time (0–1)."""
        return round(self.on_time / self.completed, 4) if self.completed else None

    def as_dict(self) -> dict[str, Any]:
        """JSON form, with the on-time rate."""
        return asdict(self) | {"on_time_rate": self.on_time_rate}


def _cut_day(cut: dt.datetime) -> dt.date:
    """The cut-off's Vietnam day: documents due before it are overdue."""
    return vietnam_date(cut)


def _aggregates(start: dt.datetime, end: dt.datetime, cut: dt.datetime) -> dict[str, Any]:
    incoming = Q(direction=Direction.INCOMING)
    received = Q(received_at__gte=start, received_at__lt=end)
    completed = incoming & Q(completed_at__gte=start, completed_at__lt=end)
    open_at_cut = (
        incoming
        & ~Q(status=Status.WITHDRAWN)
        & Q(received_at__lt=cut)
        & (Q(completed_at__isnull=True) | Q(completed_at__gte=cut))
    )

    def count(condition: Q) -> Count:
        return Count("id", filter=condition)

    return {
        "incoming": count(incoming & received),
        "outgoing": count(Q(direction=Direction.OUTGOING) & received),
        "in_progress": count(open_at_cut),
        "overdue": count(open_at_cut & Q(due_on__lt=_cut_day(cut))),
        "completed": count(completed),
        "late": count(completed & Q(completed_on__gt=F("due_on"))),
        "avg_duration": Avg(F("completed_at") - F("received_at"), filter=completed),
    }


def _with_day(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.annotate(completed_on=TruncDate("completed_at", tzinfo=VIETNAM))


def _kpis(row: dict[str, Any]) -> DocumentKpis:
    duration = row.pop("avg_duration")
    days = round(duration.total_seconds() / 86_400, 1) if duration is not None else None
    return DocumentKpis(**row, on_time=row["completed"] - row["late"], avg_days=days)


def document_kpis(
    *,
    period: Period,
    documents: QuerySet[Document] | None = None,
    as_of: dt.datetime | None = None,
) -> DocumentKpis:
    """The KPIs of the documents (all by default) over the period, in one query."""
    documents = Document.objects.all() if documents is None else documents
    row = _with_day(documents).aggregate(**_aggregates(*period_bounds(period, as_of)))
    return _kpis(row)


def document_kpis_by(
    *,
    period: Period,
    by: str,
    documents: QuerySet[Document] | None = None,
    as_of: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """KPIs per agency, unit or type; groups with nothing in the period are left out."""
    documents = Document.objects.all() if documents is None else documents
    rows = kpis_grouped(
        _with_day(documents),
        by=by,
        groups=GROUPS,
        aggregates=_aggregates(*period_bounds(period, as_of)),
    )
    groups = []
    for group, name, row in rows:
        kpis = _kpis(row)
        label = TYPE_LABELS.get(group, group) if by == "type" else name
        if kpis.incoming or kpis.outgoing or kpis.in_progress or kpis.completed:
            groups.append({"key": group, "label": label, "kpis": kpis})
    return sorted(groups, key=lambda g: (-g["kpis"].incoming, str(g["label"])))


def document_monthly(
    *, period: Period, documents: QuerySet[Document] | None = None
) -> list[dict[str, Any]]:
    """Per month of the period: incoming, outgoing, and the on-time rate of those completed."""
    documents = Document.objects.all() if documents is None else documents
    start, end, _ = period_bounds(period)
    registered = (
        documents.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=VIETNAM))
        .values("month")
        .annotate(
            incoming=Count("id", filter=Q(direction=Direction.INCOMING)),
            outgoing=Count("id", filter=Q(direction=Direction.OUTGOING)),
        )
        .order_by()
    )
    completed = (
        _with_day(documents)
        .filter(direction=Direction.INCOMING, completed_at__gte=start, completed_at__lt=end)
        .annotate(month=TruncMonth("completed_at", tzinfo=VIETNAM))
        .values("month")
        .annotate(n=Count("id"), late=Count("id", filter=Q(completed_on__gt=F("due_on"))))
        .order_by()
    )
    return months_merge(
        ((r["month"], {"incoming": r["incoming"], "outgoing": r["outgoing"]}) for r in registered),
        (
            (r["month"], {"completed": r["n"], "on_time_rate": round(1 - r["late"] / r["n"], 4)})
            for r in completed
        ),
    )


def documents_list(
    *,
    units: set[int] | None = None,
    agency: str | None = None,
    doc_type: str | None = None,
) -> QuerySet[Document]:
    """Documents, optionally in some units, of an agency (facility code) or of a type."""
    documents = Document.objects.select_related("agency", "unit")
    if units is not None:
        documents = documents.filter(unit__in=units)
    if agency:
        documents = documents.filter(agency__code=agency)
    return documents.filter(doc_type=doc_type) if doc_type else documents


def documents_overdue(*, documents: QuerySet[Document], as_of: dt.datetime) -> QuerySet[Document]:
    """Incoming documents open at `as_of` whose due day is before that day."""
    return documents.filter(
        Q(completed_at__isnull=True) | Q(completed_at__gte=as_of),
        direction=Direction.INCOMING,
        received_at__lt=as_of,
        due_on__lt=_cut_day(as_of),
    ).exclude(status=Status.WITHDRAWN)
