"""The demo kept alive after its snapshot: each report of the demo's source follows the
handling its life planned, step by step through the workflow services as the steps' times
come (`lives_advance`), the reports loaded open at the snapshot and those the fake intake
feed brings since alike. Staff's own moves win: a planned step the report's state refuses, or
one planned before the report's latest event, is left out."""

import datetime as dt
import threading

from django.db import transaction
from django.db.models import Max

from gisioc.errors import GisiocError
from gisioc.feedback.demo_bulk import step_apply
from gisioc.feedback.demo_lives import Generator, Life
from gisioc.feedback.demo_world import communes_read
from gisioc.feedback.models import Report
from gisioc.feedback.system import SYSTEM
from gisioc.periods import vietnam_date

SOURCE = SYSTEM.demo_source or ""
# Statuses a demo life takes no further step from (a rating comes before the closing).
SETTLED = (Report.Status.CLOSED, Report.Status.REJECTED, Report.Status.MERGED)
_lock = threading.Lock()
_cache: dict[dt.date, dict[str, Life]] = {}


def lives_until(day: dt.date) -> dict[str, Life]:
    """The generator's lives received up to `day`, by sender's id (kept for the day)."""
    with _lock:
        if day not in _cache:
            _cache.clear()
            _cache[day] = {life.code: life for life in Generator(communes_read()).lives(last=day)}
        return _cache[day]


def lives_advance(*, now: dt.datetime, source: str = SOURCE) -> int:
    """Apply, through the services, each planned step of the source's reports not yet
    closed, rejected or merged whose time has come by `now`; how many steps were applied."""
    with transaction.atomic():  # one commit: the layers' data version moves once a pull
        return _advance(now, source)


def _advance(now: dt.datetime, source: str) -> int:
    moving = Report.objects.filter(source=source).exclude(status__in=SETTLED)
    rows = moving.annotate(last=Max("events__at")).order_by("received_at", "id")
    latest = {r.external_id: r for r in rows}
    if not latest:
        return 0
    lives = lives_until(vietnam_date(now))
    reports = _Reports(source, latest)
    applied = 0
    for code, report in latest.items():
        life = lives.get(code)
        if life is None:  # not one of the demo's (filed here, or sent by another sender)
            continue
        last = report.last  # type: ignore[attr-defined]
        for step in life.steps_by(now):
            if last is not None and step.at <= last:
                continue
            try:
                report = step_apply(report, step, reports)
            except (GisiocError, KeyError):
                break  # staff moved it otherwise, or its main report is not here
            applied += 1
        reports[code] = report
    return applied


class _Reports(dict[str, Report]):
    """The source's reports by sender's id: those moving, others (main reports of a merge)
    read when asked for."""

    def __init__(self, source: str, moving: dict[str, Report]) -> None:
        super().__init__(moving)
        self.source = source

    def __missing__(self, code: str) -> Report:
        found = Report.objects.filter(source=self.source, external_id=code).first()
        if found is None:
            raise KeyError(code)
        self[code] = found
        return found
