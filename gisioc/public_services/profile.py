"""The public-services profile section: dossier KPIs of the communes and period in view."""

from django.db.models import Count
from django.utils import timezone

from gisioc.periods import ALL_TIME, period_bounds
from gisioc.profiles.registry import CALENDAR_DAYS, ProfileScope, Section, register_section
from gisioc.public_services import selectors
from gisioc.public_services.models import Dossier
from gisioc.texts import Text

TOP_FIELDS = 8


def _kpis(section: Section, kpis: selectors.DossierKpis) -> None:
    k = section.kpi
    # The first two are what the district profile shows for each commune.
    k("received", Text("Hồ sơ tiếp nhận", "Dossiers received"), kpis.received)
    k(
        "on_time_rate",
        Text("Giải quyết đúng hạn", "Finished on time"),
        kpis.on_time_rate,
        format="percent",
    )
    k("carried_over", Text("Kỳ trước chuyển qua", "Carried over"), kpis.carried_over)
    k("finished", Text("Đã giải quyết", "Finished"), kpis.finished)
    k("early", Text("Trước hạn", "Early"), kpis.early)
    k("on_time", Text("Đúng hạn", "On time"), kpis.on_time)
    k("late", Text("Quá hạn", "Late"), kpis.late)
    k("in_progress", Text("Đang giải quyết", "In progress"), kpis.in_progress)
    k(
        "past_due",
        Text("Đang giải quyết quá hạn", "In progress, past due"),
        kpis.in_progress_past_due,
    )
    k(
        "online_share",
        Text("Nộp trực tuyến", "Received online"),
        kpis.online_share,
        format="percent",
    )
    k(
        "avg_days",
        Text("Thời gian giải quyết bình quân (kể cả ngày nghỉ)", "Average processing time"),
        kpis.avg_days,
        unit=CALENDAR_DAYS,
        format="decimal",
    )
    k("supplements", Text("Phải bổ sung", "Supplements requested"), kpis.supplements)
    k("returned", Text("Đã trả kết quả", "Results returned"), kpis.returned)


@register_section
def public_services_section(scope: ProfileScope) -> Section:
    """KPIs, monthly trends and fields of the dossiers of the scope's applicants."""
    period = scope.period or ALL_TIME
    section = Section("public_services", "public_services", Text("Dịch vụ công", "Public services"))
    section.newest_record(Dossier.objects.all(), "received_at")
    dossiers = Dossier.objects.filter(unit__in=scope.record_unit_ids)
    kpis = selectors.dossier_kpis(period=period, dossiers=dossiers)
    _kpis(section, kpis)
    months = selectors.dossier_monthly(period=period, dossiers=dossiers)
    for key, title in (
        ("received", Text("Hồ sơ tiếp nhận theo tháng", "Dossiers received by month")),
        ("on_time_rate", Text("Tỷ lệ đúng hạn theo tháng", "On-time rate by month")),
        ("online_share", Text("Tỷ lệ trực tuyến theo tháng", "Online share by month")),
    ):
        points = [{"period": m["period"], "value": m.get(key)} for m in months]
        section.series.append({"id": f"dossiers_{key}", "title": title.as_dict(), "points": points})
    start, end, _ = period_bounds(period)
    by_field = (
        dossiers.filter(received_at__gte=start, received_at__lt=end)
        .values("field")
        .annotate(n=Count("id"))
        .order_by("-n", "field")[:TOP_FIELDS]
    )
    section.breakdowns.append(
        {
            "id": "dossiers_by_field",
            "title": Text("Hồ sơ tiếp nhận theo lĩnh vực", "Dossiers received by field").as_dict(),
            "items": [
                {
                    "key": r["field"],
                    "label": {"vi": r["field"] or "—", "en": r["field"] or "—"},
                    "value": r["n"],
                }
                for r in by_field
            ],
        }
    )
    unit_query = f"&unit={scope.unit.pk}" if scope.unit else ""
    section.record_list(
        "dossiers_past_due",
        Text("Hồ sơ đang quá hạn", "Dossiers past due"),
        count=selectors.dossiers_overdue(dossiers=dossiers, as_of=timezone.now()).count(),
        href=f"/api/public-services/dossiers/?overdue=1{unit_query}",
        type="dossier",
    )
    if scope.unit is None:
        section.not_located = Dossier.objects.filter(
            unit__isnull=True, received_at__gte=start, received_at__lt=end
        ).count()
    return section
