"""What the live app itself publishes on the bus: citizen reports that changed, and dossiers
that became overdue. Nothing personal: ids, codes, statuses and counts only."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count

from gisioc.geo.access import STAFF
from gisioc.live.bus import event_publish
from gisioc.live.models import LiveEvent
from gisioc.periods import vietnam_date

STAFF_ROLES = sorted(str(role) for role in STAFF)


def feedback_report_changed(report: Any) -> LiveEvent:
    """`feedback.report` for a report just received or moved a step (in the caller's
    transaction): public, as the public map reads reports, once it is in a public status and
    not merged; otherwise for the staff (a commune officer within scope)."""
    from gisioc.feedback.services import PUBLIC

    public = report.status in PUBLIC and report.merged_into_id is None
    return event_publish(
        kind="feedback.report",
        data={
            "id": report.pk,
            "ticket": report.ticket,
            "status": report.status,
            "category": report.category,
            "published": public,
        },
        unit_id=report.unit_id,
        point=report.geom,
        roles=None if public else STAFF_ROLES,
    )


def dossiers_overdue_publish(*, since: dt.datetime, until: dt.datetime) -> int:
    """One `dossier.overdue` per unit for the open dossiers whose due time fell in
    (since, until] (the KPI's rule: open, not cancelled, due before now); events published."""
    from gisioc.public_services.models import Dossier

    rows = (
        Dossier.objects.filter(finished_at__isnull=True, due_at__gt=since, due_at__lte=until)
        .exclude(status=Dossier.Status.CANCELLED)
        .values("unit_id")
        .annotate(count=Count("id"))
        .order_by("unit_id")
    )
    day = vietnam_date(until).isoformat()
    published = 0
    with transaction.atomic():
        for row in rows:
            event_publish(
                kind="dossier.overdue",
                data={"unit_id": row["unit_id"], "count": row["count"], "day": day},
                unit_id=row["unit_id"],
                roles=STAFF_ROLES,
                at=until,
            )
            published += 1
    return published
