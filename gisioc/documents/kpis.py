"""Document KPIs per agency, commune, type and period.

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
The summary (trích yếu) may name citizens: no figure reads it.
"""

import datetime as dt

from django.db.models import Q, QuerySet

from gisioc import kpis as kpi
from gisioc.documents.models import Document
from gisioc.documents.rules import DocumentLate
from gisioc.periods import vietnam_date
from gisioc.texts import Text

Direction, Status = Document.Direction, Document.Status
INCOMING = Q(direction=Direction.INCOMING)
LATE = Q(DocumentLate())  # the one rule, as the SQL views apply it


def _completed(b: kpi.Bounds) -> Q:
    return INCOMING & b.within("completed_at")


def _open_at_cut(b: kpi.Bounds) -> Q:
    return (
        INCOMING
        & ~Q(status=Status.WITHDRAWN)
        & Q(received_at__lt=b.cut)
        & (Q(completed_at__isnull=True) | Q(completed_at__gte=b.cut))
    )


def documents_overdue(documents: QuerySet[Document], as_of: dt.datetime) -> QuerySet[Document]:
    """Incoming documents open at `as_of` whose due day is before that day."""
    return documents.filter(
        Q(completed_at__isnull=True) | Q(completed_at__gte=as_of),
        direction=Direction.INCOMING,
        received_at__lt=as_of,
        due_on__lt=vietnam_date(as_of),
    ).exclude(status=Status.WITHDRAWN)


KPIS = kpi.register_kpis(
    kpi.KpiSet(
        record="document",
        model=Document,
        received="received_at",
        figures=(
            # The first two are what the district profile shows for each commune.
            kpi.Counted(
                id="incoming",
                title=Text("Văn bản đến", "Incoming documents"),
                when=lambda b: INCOMING & b.within("received_at"),
            ),
            kpi.Rate(
                id="on_time_rate",
                title=Text("Xử lý đúng hạn", "Handled on time"),
                part=("on_time",),
                whole="completed",
            ),
            kpi.Counted(
                id="outgoing",
                title=Text("Văn bản đi", "Outgoing documents"),
                when=lambda b: Q(direction=Direction.OUTGOING) & b.within("received_at"),
            ),
            kpi.Counted(
                id="in_progress", title=Text("Đang xử lý", "In progress"), when=_open_at_cut
            ),
            kpi.Counted(
                id="overdue",
                title=Text("Quá hạn xử lý", "Overdue"),
                when=lambda b: _open_at_cut(b) & Q(due_on__lt=b.cut_day),
            ),
            kpi.Counted(id="completed", title=Text("Đã xử lý", "Completed"), when=_completed),
            kpi.Counted(
                id="late",
                title=Text("Xử lý trễ hạn", "Completed late"),
                when=lambda b: _completed(b) & LATE,
            ),
            kpi.MeanDays(
                id="avg_days",
                title=Text("Thời gian xử lý bình quân (kể cả ngày nghỉ)", "Average handling time"),
                start="received_at",
                end="completed_at",
                when=_completed,
            ),
            kpi.Formula(
                id="on_time",
                title=Text("Xử lý đúng hạn", "Completed on time"),
                of=lambda k: k["completed"] - k["late"],
                profile=False,
            ),
        ),
        groups={
            "agency": kpi.Group("agency_id", "agency__name"),
            "unit": kpi.Group("unit_id", "unit__name"),
            "type": kpi.Group("doc_type", "doc_type", dict(Document.Type.choices)),
        },
        keep=("incoming", "outgoing", "in_progress", "completed"),
        filters=(
            kpi.RecordFilter("agency", "agency__code", "Agency facility code, e.g. UBND-20611"),
            kpi.RecordFilter("type", "doc_type", "Loại văn bản", tuple(Document.Type.values)),
            kpi.RecordFilter("status", "status", "Trạng thái", tuple(Status.values), kpis=False),
            kpi.RecordFilter(
                "direction", "direction", "Đến / đi", tuple(Direction.values), kpis=False
            ),
        ),
        subsets=(
            kpi.Subset(
                "overdue",
                "documents_overdue",
                Text("Văn bản quá hạn xử lý", "Overdue documents"),
                "Only open documents due before today",
                documents_overdue,
            ),
        ),
        monthly=(
            kpi.Monthly(
                "received_at",
                {"incoming": INCOMING, "outgoing": Q(direction=Direction.OUTGOING)},
                lambda r: {"incoming": r["incoming"], "outgoing": r["outgoing"]},
            ),
            kpi.done_by_month("completed_at", "completed", late=LATE, where=INCOMING),
        ),
        series=(
            ("incoming", Text("Văn bản đến theo tháng", "Incoming documents by month")),
            ("outgoing", Text("Văn bản đi theo tháng", "Outgoing documents by month")),
            ("on_time_rate", Text("Tỷ lệ xử lý đúng hạn theo tháng", "On-time rate by month")),
        ),
        breakdown=kpi.Breakdown(
            "documents_by_type", Text("Văn bản theo loại", "Documents by type"), "doc_type"
        ),
        fields=(
            "id",
            "name",
            "source",
            "direction",
            "number_symbol",
            "arrival_number",
            "document_date",
            "doc_type",
            "issuer",
            "summary",
            "recipients",
            "agency_code",
            "agency_name",
            "assignee_unit",
            "received_at",
            "due_on",
            "completed_at",
            "status",
            "urgency",
        ),
        name_field="number_symbol",
        related={"agency_name": "agency.name"},
    )
)
