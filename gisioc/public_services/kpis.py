"""Dossier KPIs, counted as Decision 766/QĐ-TTg asks.

For a period (Vietnam days) and a cut-off (the period's end, or now if sooner):

- received: received in the period; online: of those, received online (channel truc_tuyen)
- carried over: received before the period, not cancelled, not finished before it started
- finished in the period, split by the Vietnam day of finishing against the due day:
  early (an earlier day), late (after the due time), on time (the rest, and those without
  a due time)
- in progress at the cut-off (received before it, not cancelled, not finished by it): within
  due (no due time, or due at or after the cut-off) or past due
- average days from receiving to finishing, of those finished in the period (calendar days)
- supplements: received in the period and asked for more papers at least once
- returned: results handed back in the period; cancelled: received in the period, withdrawn
"""

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate

from gisioc import kpis as kpi
from gisioc.periods import VIETNAM
from gisioc.public_services.models import Dossier
from gisioc.public_services.rollup import ROLLUP
from gisioc.public_services.rules import DossierLate
from gisioc.texts import Text

Status = Dossier.Status
LIVE = ~Q(status=Status.CANCELLED)
LATE = Q(DossierLate())  # the one rule, as the SQL views apply it
ONLINE = Q(channel=Dossier.Channel.ONLINE)


def _received(b: kpi.Bounds) -> Q:
    return b.within("received_at")


def _finished(b: kpi.Bounds) -> Q:
    return b.within("finished_at")


def _open_at_cut(b: kpi.Bounds) -> Q:
    return (
        LIVE & Q(received_at__lt=b.cut) & (Q(finished_at__isnull=True) | Q(finished_at__gte=b.cut))
    )


def _that_count(dossiers: QuerySet[Dossier], b: kpi.Bounds) -> QuerySet[Dossier]:
    """Only dossiers that can count in the period: received before its end, and not closed
    before its start (exact, as ingest refuses finished or returned dates before receipt)."""
    return dossiers.filter(
        Q(received_at__lt=b.end)
        & (
            Q(received_at__gte=b.start)
            | Q(finished_at__isnull=True)
            | Q(finished_at__gte=b.start)
            | Q(returned_at__gte=b.start)
        )
    )


def _with_days(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.annotate(
        finished_on=TruncDate("finished_at", tzinfo=VIETNAM),
        due_on=TruncDate("due_at", tzinfo=VIETNAM),
    )


def dossiers_overdue(dossiers: QuerySet[Dossier], as_of: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers still open at `as_of` (not cancelled) whose due time has passed."""
    return dossiers.filter(finished_at__isnull=True, due_at__lt=as_of).exclude(
        status=Status.CANCELLED
    )


KPIS = kpi.register_kpis(
    kpi.KpiSet(
        record="dossier",
        model=Dossier,
        received="received_at",
        figures=(
            # The first two are what the district profile shows for each commune.
            kpi.Counted(
                id="received", title=Text("Hồ sơ tiếp nhận", "Dossiers received"), when=_received
            ),
            kpi.Rate(
                id="on_time_rate",
                title=Text("Giải quyết đúng hạn", "Finished on time"),
                part=("early", "on_time"),
                whole="finished",
            ),
            kpi.Counted(
                id="carried_over",
                title=Text("Kỳ trước chuyển qua", "Carried over"),
                when=lambda b: (
                    LIVE
                    & Q(received_at__lt=b.start)
                    & (Q(finished_at__isnull=True) | Q(finished_at__gte=b.start))
                ),
            ),
            kpi.Counted(id="finished", title=Text("Đã giải quyết", "Finished"), when=_finished),
            kpi.Counted(
                id="early",
                title=Text("Trước hạn", "Early"),
                when=lambda b: _finished(b) & Q(finished_on__lt=F("due_on")),
            ),
            kpi.Formula(
                id="on_time",
                title=Text("Đúng hạn", "On time"),
                of=lambda k: k["finished"] - k["early"] - k["late"],
            ),
            kpi.Counted(
                id="late", title=Text("Quá hạn", "Late"), when=lambda b: _finished(b) & LATE
            ),
            kpi.Counted(
                id="in_progress", title=Text("Đang giải quyết", "In progress"), when=_open_at_cut
            ),
            kpi.Counted(
                id="in_progress_past_due",
                title=Text("Đang giải quyết quá hạn", "In progress, past due"),
                when=lambda b: _open_at_cut(b) & Q(due_at__lt=b.cut),
            ),
            kpi.Rate(
                id="online_share",
                title=Text("Nộp trực tuyến", "Received online"),
                part=("online",),
                whole="received",
            ),
            kpi.MeanDays(
                id="avg_days",
                title=Text(
                    "Thời gian giải quyết bình quân (kể cả ngày nghỉ)", "Average processing time"
                ),
                start="received_at",
                end="finished_at",
                when=_finished,
            ),
            kpi.Counted(
                id="supplements",
                title=Text("Phải bổ sung", "Supplements requested"),
                when=lambda b: _received(b) & Q(supplement_count__gt=0),
            ),
            kpi.Counted(
                id="returned",
                title=Text("Đã trả kết quả", "Results returned"),
                when=lambda b: b.within("returned_at"),
            ),
            kpi.Formula(
                id="in_progress_within_due",
                title=Text("Đang giải quyết trong hạn", "In progress, within due"),
                of=lambda k: k["in_progress"] - k["in_progress_past_due"],
                profile=False,
            ),
            kpi.Counted(
                id="online",
                title=Text("Hồ sơ trực tuyến", "Received online"),
                when=lambda b: _received(b) & ONLINE,
                profile=False,
            ),
            kpi.Counted(
                id="online_payment",
                title=Text("Thanh toán trực tuyến", "Paid online"),
                when=lambda b: _received(b) & Q(online_payment=True),
                profile=False,
            ),
            kpi.Counted(
                id="cancelled",
                title=Text("Đã hủy, rút", "Cancelled or withdrawn"),
                when=lambda b: _received(b) & Q(status=Status.CANCELLED),
                profile=False,
            ),
            kpi.Formula(
                id="to_process",
                title=Text("Phải giải quyết trong kỳ", "To process in the period"),
                of=lambda k: k["carried_over"] + k["received"],
                profile=False,
            ),
        ),
        groups={
            "office": kpi.Group("office_id", "office__name"),
            "unit": kpi.Group("unit_id", "unit__name"),
            "field": kpi.Group("field", "field"),
            "procedure": kpi.Group("procedure_code", "procedure_name"),
        },
        keep=("received", "to_process", "finished", "returned"),
        filters=(
            kpi.RecordFilter("office", "office__code", "One-stop office facility code"),
            kpi.RecordFilter("field", "field", "Lĩnh vực, as stored"),
            kpi.RecordFilter("procedure", "procedure_code", "Procedure code (mã TTHC)"),
            kpi.RecordFilter("status", "status", "Trạng thái", tuple(Status.values), kpis=False),
        ),
        subsets=(
            kpi.Subset(
                "overdue",
                "dossiers_past_due",
                Text("Hồ sơ đang quá hạn", "Dossiers past due"),
                "Only open dossiers past their due time",
                dossiers_overdue,
            ),
        ),
        monthly=(
            kpi.Monthly(
                "received_at",
                {"n": None, "online": ONLINE},
                lambda r: {"received": r["n"], "online_share": kpi.share(r["online"], r["n"])},
            ),
            kpi.done_by_month("finished_at", "finished", late=LATE),
        ),
        series=(
            ("received", Text("Hồ sơ tiếp nhận theo tháng", "Dossiers received by month")),
            ("on_time_rate", Text("Tỷ lệ đúng hạn theo tháng", "On-time rate by month")),
            ("online_share", Text("Tỷ lệ trực tuyến theo tháng", "Online share by month")),
        ),
        breakdown=kpi.Breakdown(
            "dossiers_by_field",
            Text("Hồ sơ tiếp nhận theo lĩnh vực", "Dossiers received by field"),
            "field",
            limit=8,
        ),
        annotate=_with_days,
        narrow=_that_count,
        fields=(
            "id",
            "name",
            "source",
            "dossier_code",
            "procedure_code",
            "procedure_name",
            "field",
            "office_code",
            "office_name",
            "channel",
            "service_level",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "status",
            "supplement_count",
            "online_payment",
        ),
        name_field="procedure_name",
        related={"office_name": "office.name"},
        rollup=ROLLUP,
    )
)
