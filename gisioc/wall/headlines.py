"""The wall's headline KPIs: a few figures of every KPI set, read as the public reads them.

Every registered KPI set appears by itself (a new system too): the figures named here for its
record type when it has them, else its first figures. Values are the public KPI API's."""

from collections.abc import Callable
from typing import Any

from gisioc.kpis import KpiSet, kpi_sets
from gisioc.periods import Period, period_default
from gisioc.systems import record_type_get
from gisioc.texts import Text

PER_SET = 3
# Record type → the figures an operations room watches first (ids of its KPI set).
HEADLINE: dict[str, tuple[str, ...]] = {
    "dossier": ("on_time_rate", "in_progress_past_due", "in_progress"),
    "document": ("overdue", "on_time_rate", "in_progress"),
    "report": ("open", "overdue", "on_time_rate"),
    "encounter": ("visits", "emergencies", "inpatient"),
    "school_year": ("pupils_total", "attendance", "dropout_rate"),
    "camera_event": ("events", "flooding", "traffic_violation"),
}
# Figures where a higher number is worse: the wall tints them when not zero.
WORSE = {"overdue", "in_progress_past_due", "offline", "late", "emergencies"}


def _cameras_now() -> list[dict[str, Any]]:
    """Cameras online and offline now (counts only: the public layer shows each status)."""
    from django.db.models import Count

    from gisioc.cameras.models import Camera

    counts = dict(Camera.objects.values_list("status").annotate(n=Count("id")))
    return [
        _figure("cameras_online", Text("Camera hoạt động", "Cameras online"),
                counts.get(Camera.Status.ONLINE, 0), worse=False),
        _figure("cameras_offline", Text("Camera mất kết nối", "Cameras offline"),
                counts.get(Camera.Status.OFFLINE, 0), worse=True),
    ]  # fmt: skip


# A system's figures "as of now" that are no KPI set's (a registry's state), shown first.
NOW: dict[str, Callable[[], list[dict[str, Any]]]] = {"cameras": _cameras_now}


def _figure(id: str, title: Text, value: Any, *, worse: bool, fmt: str = "int") -> dict[str, Any]:
    return {"id": id, "title": {"vi": title.vi, "en": title.en}, "format": fmt, "unit": None,
            "value": value, "worse": worse}  # fmt: skip


def headline_ids(kpi_set: KpiSet) -> list[str]:
    """The figures of a set the wall shows: its named ones that exist, else its first."""
    known = [f.id for f in kpi_set.figures]
    chosen = [i for i in HEADLINE.get(kpi_set.record, ()) if i in known]
    profile = [f.id for f in kpi_set.figures if f.profile]
    return (chosen or profile or known)[:PER_SET]


def headlines(period: Period | None = None) -> dict[str, Any]:
    """Every KPI set's headline figures over the period (this year by default), by system."""
    period = period or period_default()
    sets = []
    for kpi_set in kpi_sets:
        found = record_type_get(kpi_set.record)
        if found is None:
            continue
        spec, record = found
        values = kpi_set.kpis(period=period, public=True)
        figures = NOW[spec.name]() if spec.name in NOW else []
        for figure_id in headline_ids(kpi_set):
            figure = kpi_set.figure(figure_id)
            figures.append(
                {
                    "id": figure.id,
                    "title": {"vi": figure.title.vi, "en": figure.title.en},
                    "format": figure.format,
                    "unit": {"vi": figure.unit.vi, "en": figure.unit.en} if figure.unit else None,
                    "value": values.get(figure.id),
                    "worse": figure.id in WORSE,
                }
            )
        figures = figures[:PER_SET]
        sets.append(
            {
                "system": spec.name,
                "record": kpi_set.record,
                "order": spec.order,
                "title": {"vi": spec.title.vi, "en": spec.title.en},
                "records": {"vi": record.plural.vi, "en": record.plural.en},
                "api": f"{spec.api}kpis/",
                "figures": figures,
            }
        )
    sets.sort(key=lambda s: (s["order"], s["record"]))
    return {"period": period.label, "systems": sets}
