"""Reads of public services: dossiers, and their KPIs counted as Decision 766/QĐ-TTg asks.

For a period (Vietnam days) and a cut-off `as_of` (the period's end, or now if sooner):

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
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth

from gisioc.kpis import kpis_grouped
from gisioc.periods import VIETNAM, Period, months_merge, period_bounds
from gisioc.public_services.models import Dossier

Status = Dossier.Status
GROUPS: dict[str, tuple[str, str]] = {  # by → (key column, label column)
    "office": ("office_id", "office__name"),
    "unit": ("unit_id", "unit__name"),
    "field": ("field", "field"),
    "procedure": ("procedure_code", "procedure_name"),
}


@dataclass(frozen=True)
class DossierKpis:
    """Key figures of dossiers over a period (see the module docstring for each one)."""

    received: int = 0
    carried_over: int = 0
    finished: int = 0
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    in_progress_within_due: int = 0
    in_progress_past_due: int = 0
    online: int = 0
    online_payment: int = 0
    supplements: int = 0
    returned: int = 0
    cancelled: int = 0
    avg_days: float | None = None

    @property
    def to_process(self) -> int:
        """Carried over plus received: the period's workload."""
        return self.carried_over + self.received

    @property
    def on_time_rate(self) -> float | None:
        """Share of finished dossiers finished early or on time (0–1)."""
        return round((self.early + self.on_time) / self.finished, 4) if self.finished else None

    @property
    def online_share(self) -> float | None:
        """Share of received dossiers received online (0–1)."""
        return round(self.online / self.received, 4) if self.received else None

    def as_dict(self) -> dict[str, Any]:
        """JSON form, with the derived figures."""
        return asdict(self) | {
            "to_process": self.to_process,
            "on_time_rate": self.on_time_rate,
            "online_share": self.online_share,
        }


def _aggregates(start: dt.datetime, end: dt.datetime, cut: dt.datetime) -> dict[str, Any]:
    live = ~Q(status=Status.CANCELLED)
    received = Q(received_at__gte=start, received_at__lt=end)
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    open_at_cut = (
        live & Q(received_at__lt=cut) & (Q(finished_at__isnull=True) | Q(finished_at__gte=cut))
    )

    def count(condition: Q) -> Count:
        return Count("id", filter=condition)

    return {
        "received": count(received),
        "carried_over": count(
            live
            & Q(received_at__lt=start)
            & (Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        ),
        "finished": count(finished),
        "early": count(finished & Q(finished_on__lt=F("due_on"))),
        "late": count(finished & Q(finished_at__gt=F("due_at"))),
        "in_progress": count(open_at_cut),
        "in_progress_past_due": count(open_at_cut & Q(due_at__lt=cut)),
        "online": count(received & Q(channel=Dossier.Channel.ONLINE)),
        "online_payment": count(received & Q(online_payment=True)),
        "supplements": count(received & Q(supplement_count__gt=0)),
        "returned": count(Q(returned_at__gte=start, returned_at__lt=end)),
        "cancelled": count(received & Q(status=Status.CANCELLED)),
        "avg_duration": Avg(F("finished_at") - F("received_at"), filter=finished),
    }


def _that_count(
    dossiers: QuerySet[Dossier], start: dt.datetime, end: dt.datetime
) -> QuerySet[Dossier]:
    """Only dossiers that can count in [start, end): received before its end, and not closed
    before its start (exact, as ingest refuses finished or returned dates before receipt), so
    a month reads a month of rows, not the commune's whole history."""
    return dossiers.filter(
        Q(received_at__lt=end)
        & (
            Q(received_at__gte=start)
            | Q(finished_at__isnull=True)
            | Q(finished_at__gte=start)
            | Q(returned_at__gte=start)
        )
    )


def _with_days(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return dossiers.annotate(
        finished_on=TruncDate("finished_at", tzinfo=VIETNAM),
        due_on=TruncDate("due_at", tzinfo=VIETNAM),
    )


def _kpis(row: dict[str, Any]) -> DossierKpis:
    duration = row.pop("avg_duration")
    days = round(duration.total_seconds() / 86_400, 1) if duration is not None else None
    on_time = row["finished"] - row["early"] - row["late"]
    within = row["in_progress"] - row["in_progress_past_due"]
    return DossierKpis(**row, on_time=on_time, in_progress_within_due=within, avg_days=days)


def dossier_kpis(
    *, period: Period, dossiers: QuerySet[Dossier] | None = None, as_of: dt.datetime | None = None
) -> DossierKpis:
    """The KPIs of the dossiers (all by default) over the period, in one query."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    start, end, cut = period_bounds(period, as_of)
    row = _with_days(_that_count(dossiers, start, end)).aggregate(**_aggregates(start, end, cut))
    return _kpis(row)


def dossier_kpis_by(
    *,
    period: Period,
    by: str,
    dossiers: QuerySet[Dossier] | None = None,
    as_of: dt.datetime | None = None,
) -> list[dict[str, Any]]:
    """KPIs per office, unit, field or procedure; groups with nothing in the period left out."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    start, end, cut = period_bounds(period, as_of)
    rows = kpis_grouped(
        _with_days(_that_count(dossiers, start, end)),
        by=by,
        groups=GROUPS,
        aggregates=_aggregates(start, end, cut),
    )
    groups = []
    for group, name, row in rows:
        kpis = _kpis(row)
        if kpis.to_process or kpis.finished or kpis.returned:
            groups.append({"key": group, "label": name, "kpis": kpis})
    return sorted(groups, key=lambda g: (-g["kpis"].received, str(g["label"])))


def dossier_monthly(
    *, period: Period, dossiers: QuerySet[Dossier] | None = None
) -> list[dict[str, Any]]:
    """Per month of the period: received, online share, and on-time rate of those finished."""
    dossiers = Dossier.objects.all() if dossiers is None else dossiers
    start, end, _ = period_bounds(period)
    received = (
        dossiers.filter(received_at__gte=start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=VIETNAM))
        .values("month")
        .annotate(n=Count("id"), online=Count("id", filter=Q(channel=Dossier.Channel.ONLINE)))
        .order_by()
    )
    finished = (
        dossiers.filter(finished_at__gte=start, finished_at__lt=end)
        .annotate(month=TruncMonth("finished_at", tzinfo=VIETNAM))
        .values("month")
        .annotate(n=Count("id"), late=Count("id", filter=Q(finished_at__gt=F("due_at"))))
        .order_by()
    )
    return months_merge(
        (
            (r["month"], {"received": r["n"], "online_share": round(r["online"] / r["n"], 4)})
            for r in received
        ),
        (
            (r["month"], {"finished": r["n"], "on_time_rate": round(1 - r["late"] / r["n"], 4)})
            for r in finished
        ),
    )


def dossiers_list(
    *,
    units: set[int] | None = None,
    office: str | None = None,
    field: str | None = None,
    procedure: str | None = None,
) -> QuerySet[Dossier]:
    """Dossiers, optionally in some units, of an office (code), a field or a procedure (code)."""
    dossiers = Dossier.objects.select_related("office", "unit")
    if units is not None:
        dossiers = dossiers.filter(unit__in=units)
    if office:
        dossiers = dossiers.filter(office__code=office)
    if field:
        dossiers = dossiers.filter(field=field)
    return dossiers.filter(procedure_code=procedure) if procedure else dossiers


def dossiers_overdue(*, dossiers: QuerySet[Dossier], as_of: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers still open at `as_of` (not cancelled) whose due time has passed."""
    return dossiers.filter(finished_at__isnull=True, due_at__lt=as_of).exclude(
        status=Status.CANCELLED
    )
