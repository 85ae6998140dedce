"""Report KPIs per agency, commune, category, channel and period.

For a period (Vietnam days) and a cut-off (the period's end, or now if sooner):

- received: reports received in the period; rejected: of those, rejected (spam, duplicate,
  out of scope)
- open: reports received before the cut-off, neither resolved nor rejected or merged by it
- overdue: of those, the ones due before the cut-off's day (for a past period, due on or
  before its last day; for the current one, due before today in Vietnam)
- resolved: reports resolved in the period (whether published or closed since); on time:
  resolved on or before their due day (the Vietnam day of resolving), late: the rest;
  on-time rate: on time of resolved
- average handling days: from received to resolved, of those resolved in the period
  (calendar days)
- satisfaction: of the reports rated in the period, the share rated satisfied

The description, the address and the reporter are never read: figures count statuses and
instants only.
"""

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate

from gisioc import kpis as kpi
from gisioc.feedback.categories import CATEGORIES
from gisioc.feedback.models import Report
from gisioc.feedback.services import OPEN
from gisioc.periods import VIETNAM, vietnam_date
from gisioc.texts import Text

Status = Report.Status
ENDED_EARLY = (Status.REJECTED, Status.MERGED)  # ended without a result (closed_at: when)
LATE = Q(resolved_on__gt=F("due_on"))  # resolved after the due day (Vietnam days)
CATEGORY_LABELS = {c.code: c.title for c in CATEGORIES}


def _received(b: kpi.Bounds) -> Q:
    return b.within("received_at")


def _resolved(b: kpi.Bounds) -> Q:
    return b.within("resolved_at")


def _open_at_cut(b: kpi.Bounds) -> Q:
    return (
        Q(received_at__lt=b.cut)
        & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=b.cut))
        & ~Q(status__in=ENDED_EARLY, closed_at__lt=b.cut)
    )


def _with_days(reports: QuerySet[Report]) -> QuerySet[Report]:
    return reports.annotate(resolved_on=TruncDate("resolved_at", tzinfo=VIETNAM))


def _that_count(reports: QuerySet[Report], b: kpi.Bounds) -> QuerySet[Report]:
    """Only reports that can count in the period: received before its end, and received,
    resolved or rated in it, or not resolved before it started."""
    return reports.filter(
        Q(received_at__lt=b.end)
        & (
            Q(received_at__gte=b.start)
            | Q(resolved_at__isnull=True)
            | Q(resolved_at__gte=b.start)
            | Q(rated_at__gte=b.start)
        )
    )


def reports_overdue(reports: QuerySet[Report], as_of: dt.datetime) -> QuerySet[Report]:
    """Open reports (feedback.services.OPEN) due before the Vietnam day of `as_of`."""
    return reports.filter(status__in=OPEN, due_on__lt=vietnam_date(as_of))


KPIS = kpi.register_kpis(
    kpi.KpiSet(
        record="report",
        model=Report,
        received="received_at",
        figures=(
            # The first two are what the district profile shows for each commune.
            kpi.Counted(
                id="received", title=Text("Phản ánh tiếp nhận", "Reports received"), when=_received
            ),
            kpi.Counted(
                id="overdue",
                title=Text("Đang quá hạn xử lý", "Open past due"),
                when=lambda b: _open_at_cut(b) & Q(due_on__lt=b.cut_day),
            ),
            kpi.Rate(
                id="on_time_rate",
                title=Text("Xử lý đúng hạn", "Resolved on time"),
                part=("on_time",),
                whole="resolved",
            ),
            kpi.Rate(
                id="satisfaction_rate",
                title=Text("Người dân hài lòng", "Citizens satisfied"),
                part=("satisfied_reports",),
                whole="rated",
            ),
            kpi.MeanDays(
                id="avg_days",
                title=Text("Thời gian xử lý bình quân (kể cả ngày nghỉ)", "Average handling time"),
                start="received_at",
                end="resolved_at",
                when=_resolved,
            ),
            kpi.Counted(id="open", title=Text("Đang xử lý", "Open"), when=_open_at_cut),
            kpi.Counted(id="resolved", title=Text("Đã xử lý", "Resolved"), when=_resolved),
            kpi.Counted(
                id="late",
                title=Text("Xử lý trễ hạn", "Resolved late"),
                when=lambda b: _resolved(b) & LATE,
            ),
            kpi.Formula(
                id="on_time",
                title=Text("Xử lý đúng hạn", "Resolved on time"),
                of=lambda k: k["resolved"] - k["late"],
            ),
            kpi.Counted(
                id="rejected",
                title=Text("Không xử lý (từ chối)", "Rejected"),
                when=lambda b: _received(b) & Q(status=Status.REJECTED),
            ),
            kpi.Counted(
                id="rated",
                title=Text("Được đánh giá", "Rated"),
                when=lambda b: b.within("rated_at"),
                profile=False,
            ),
            kpi.Counted(
                id="satisfied_reports",
                title=Text("Đánh giá hài lòng", "Rated satisfied"),
                when=lambda b: b.within("rated_at") & Q(satisfied=True),
                profile=False,
            ),
        ),
        groups={
            "agency": kpi.Group("agency_id", "agency__name"),
            "unit": kpi.Group("unit_id", "unit__name"),
            "category": kpi.Group(
                "category", "category", {k: f"{t.vi} / {t.en}" for k, t in CATEGORY_LABELS.items()}
            ),
            "channel": kpi.Group("channel", "channel", dict(Report.Channel.choices)),
        },
        keep=("received", "open", "resolved", "rated"),
        filters=(
            kpi.RecordFilter("category", "category", "Lĩnh vực / category", tuple(CATEGORY_LABELS)),
            kpi.RecordFilter(
                "channel", "channel", "Kênh tiếp nhận / channel", tuple(Report.Channel.values)
            ),
            kpi.RecordFilter("agency", "agency__code", "Handling agency's facility code"),
            kpi.RecordFilter("status", "status", "Trạng thái", tuple(Status.values), kpis=False),
        ),
        subsets=(
            kpi.Subset(
                "overdue",
                "reports_overdue",
                Text("Phản ánh quá hạn xử lý", "Overdue reports"),
                "Only open reports due before today (Vietnam)",
                reports_overdue,
            ),
        ),
        monthly=(
            kpi.Monthly("received_at", {"n": None}, lambda r: {"received": r["n"]}),
            kpi.done_by_month("resolved_at", "resolved", late=LATE),
            kpi.Monthly(
                "rated_at",
                {"n": None, "yes": Q(satisfied=True)},
                lambda r: {"satisfaction_rate": kpi.share(r["yes"], r["n"])},
            ),
        ),
        series=(
            ("received", Text("Phản ánh tiếp nhận theo tháng", "Reports received by month")),
            ("on_time_rate", Text("Tỷ lệ xử lý đúng hạn theo tháng", "On-time rate by month")),
            (
                "satisfaction_rate",
                Text("Tỷ lệ hài lòng theo tháng", "Satisfaction by month"),
            ),
        ),
        breakdown=kpi.Breakdown(
            "reports_by_category",
            Text("Phản ánh theo lĩnh vực", "Reports by category"),
            "category",
            labels=CATEGORY_LABELS,
        ),
        breakdowns=(
            kpi.Breakdown(
                "reports_by_channel",
                Text("Phản ánh theo kênh tiếp nhận", "Reports by channel"),
                "channel",
            ),
        ),
        annotate=_with_days,
        narrow=_that_count,
        # Staff only (the record API): what a report is and where it stands, the text as
        # written and the address as given; never the reporter's name, phone or e-mail.
        fields=(
            "id",
            "name",
            "source",
            "ticket",
            "category",
            "title",
            "status",
            "channel",
            "agency_name",
            "received_at",
            "due_on",
            "extensions",
            "resolved_at",
            "published_at",
            "closed_at",
            "public_text",
            "description",
            "address_text",
            "result",
            "satisfied",
            "followers",
        ),
        name_field="ticket",
        related={"agency_name": "agency.name"},
    )
)
