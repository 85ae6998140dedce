"""The demo's reports written in bulk: what the workflow services write, computed in memory
and stored in a few statements (the services take ~40 queries a report: minutes for 5,000).

The services stay the definition: `tests/feedback/test_demo.py` writes one slice of lives
both ways, through the services one call at a time (`lives_write_services`) and here, and
requires the same reports and the same history, so a change to a transition shows up there.
"""

import random
from typing import Any

from django.contrib.gis.geos import Point

from gisioc import workdays
from gisioc.feedback import services
from gisioc.feedback.demo_lives import Life, Step
from gisioc.feedback.ingest import SENDER, reports_receive
from gisioc.feedback.models import Report, ReportEvent
from gisioc.geo.models import Facility
from gisioc.ingest.copy import objects_copy
from gisioc.ingest.models import IngestRun
from gisioc.periods import vietnam_date

Status, Action = Report.Status, ReportEvent.Action
BATCH = 500
# action → (status after, field stamped with the moment, whether the step is public)
MOVES = {
    "verify": (Status.VERIFIED, "verified_at", True),
    "reject": (Status.REJECTED, "closed_at", True),
    "assign": (Status.ASSIGNED, "assigned_at", True),
    "start": (Status.IN_PROGRESS, "", True),
    "resolve": (Status.RESOLVED, "resolved_at", False),
    "publish": (Status.PUBLISHED, "published_at", True),
    "close": (Status.CLOSED, "closed_at", True),
    "merge": (Status.MERGED, "closed_at", True),
}


def located_row(values: dict[str, Any]) -> dict[str, Any]:
    """A life's values as the adapter's located rows."""
    point = Point(values["lon"], values["lat"], srid=4326)
    return {**values, "geom": point, "unit_id": None}


def step_apply(report: Report, step: Step, reports: dict[str, Report]) -> Report:
    """One step through its service (the definition)."""
    at, note, s = step.at, step.note, services
    match step.action:
        case "verify":
            return s.report_verify(report=report, actor=None, at=at)
        case "reject":
            return s.report_reject(report=report, reason=step.value, note=note, actor=None, at=at)
        case "merge":
            return s.report_merge(report=report, into=reports[step.value], actor=None, at=at)
        case "assign":
            agency = Facility.objects.get(code=step.value) if step.value else None
            return s.report_assign(report=report, agency=agency, note=note, actor=None, at=at)
        case "start":
            return s.report_start(report=report, actor=None, at=at)
        case "extend":
            return s.report_extend(report=report, days=step.value, reason=note, actor=None, at=at)
        case "resolve":
            return s.report_resolve(report=report, result=step.value, actor=None, at=at)
        case "publish":
            return s.report_publish(report=report, actor=None, at=at)
        case "rate":
            return s.report_rate(report=report, satisfied=step.value, at=at)
        case "close":
            return s.report_close(report=report, actor=None, at=at)
    raise ValueError(step.action)


def lives_write_services(
    lives: list[Life], run: IngestRun, *, until: Any, rng: random.Random
) -> dict[str, Report]:
    """Receive the lives through the adapter and walk each through the services, one call a
    step, up to `until`; the reports by sender's id."""
    for first in range(0, len(lives), BATCH):
        reports_receive([located_row(x.values) for x in lives[first : first + BATCH]], run, rng)
    reports = {r.external_id: r for r in Report.objects.filter(source=run.source)}
    for life in lives:
        report = reports[life.code]
        for step in life.steps_by(until):
            report = step_apply(report, step, reports)
        reports[life.code] = report
    return reports


class _Bulk:
    """Reports and events of one run, as the services would write them, kept in memory."""

    def __init__(self, run: IngestRun, rng: random.Random) -> None:
        self.run, self.rng = run, rng
        self.routes: dict[tuple[str, int | None], Any] = {}
        self.agencies: dict[str, Facility] = {}
        self.events: list[tuple[Report, ReportEvent]] = []
        self.tickets: set[str] = set()

    def receive(self, values: dict[str, Any]) -> Report:
        """What report_receive writes: the report, located, with its ticket and first event."""
        received = values["received_at"]
        ticket = services.ticket_new(received, self.rng)
        while ticket in self.tickets:  # report_receive draws again on a clash
            ticket = services.ticket_new(received, self.rng)
        self.tickets.add(ticket)
        description = values["description"].strip()
        report = Report(
            ticket=ticket, source=self.run.source, external_id=values["external_id"] or ticket,
            category=values["category"], title=values["title"].strip()[:200],
            description=description, public_text=services.text_mask(description),
            address=values["address"].strip()[:300], channel=values["channel"],
            received_at=received, call_at=values["call_at"],
            due_on=services.due_compute(category=values["category"], received_at=received),
            reporter_name=values["reporter_name"].strip()[:120],
            reporter_phone=values["reporter_phone"].strip()[:20],
            reporter_email=values["reporter_email"].strip()[:200],
            anonymous=values["anonymous"], receipt_hash="", run=self.run,
            **services._locate(values["geom"], values["unit_id"], received),
        )  # fmt: skip
        self._event(report, Action.RECEIVE, received, actor_label=SENDER[values["channel"]],
                    public=True)  # fmt: skip
        return report

    def _event(self, report: Report, action: str, at: Any, **more: Any) -> None:
        event = ReportEvent(action=action, at=at, actor=None, to_status=report.status, **more)
        self.events.append((report, event))

    def step(self, report: Report, step: Step, reports: dict[str, Report]) -> None:
        """What the step's service writes."""
        at, action = step.at, step.action
        before = report.status
        if action == "extend":
            report.due_on = workdays.after(report.due_on or vietnam_date(at), step.value)
            report.extensions += 1
            self._event(report, Action.EXTEND, at, from_status=before, note=step.note.strip(),
                        public=True, due_on=report.due_on)  # fmt: skip
            return
        if action == "rate":
            report.satisfied, report.rated_at = step.value, at
            note = "Hài lòng / Satisfied" if step.value else "Không hài lòng / Not satisfied"
            self._event(report, Action.RATE, at, actor_label="Công dân", from_status=before,
                        note=note, public=True)  # fmt: skip
            return
        to, stamp, public = MOVES[action]
        note = step.note
        report.status = to
        if stamp:
            setattr(report, stamp, at)
        agency = None
        if action == "reject":
            report.rejection = step.value
        elif action == "assign":
            again = before in (Status.ASSIGNED, Status.IN_PROGRESS)
            action = Action.REASSIGN if again else Action.ASSIGN
            report.agency = agency = self._agency(step.value) if step.value else self._route(report)
        elif action == "resolve":
            report.result = step.value.strip()
        elif action == "merge":
            into = reports[step.value]
            note = note or into.ticket
            report.merged_into = into
            for other in reports.values():
                if other.merged_into is report:
                    other.merged_into = into
        self._event(report, action, at, from_status=before, note=note, public=public,
                    agency=agency)  # fmt: skip

    def _agency(self, code: str) -> Facility:
        if code not in self.agencies:
            self.agencies[code] = Facility.objects.get(code=code)
        return self.agencies[code]

    def _route(self, report: Report) -> Any:
        key = (report.category, report.unit_id)
        if key not in self.routes:
            self.routes[key] = services.agency_route(category=key[0], unit_id=key[1])
        if self.routes[key] is None:
            raise ValueError(f"no routing rule for {key}")
        return self.routes[key]


def lives_write_bulk(
    lives: list[Life], run: IngestRun, *, until: Any, rng: random.Random
) -> dict[str, Report]:
    """The same as `lives_write_services`, in a few statements; the reports by sender's id."""
    bulk = _Bulk(run, rng)
    reports: dict[str, Report] = {}
    for life in lives:
        reports[life.code] = bulk.receive(located_row(life.values))
    for life in lives:
        for step in life.steps_by(until):
            bulk.step(reports[life.code], step, reports)
    merged = {code: r.merged_into for code, r in reports.items() if r.merged_into is not None}
    for report in merged:
        reports[report].merged_into = None
    Report.objects.bulk_create(reports.values(), batch_size=1000)
    for code, into in merged.items():
        reports[code].merged_into = into
    Report.objects.bulk_update([reports[code] for code in merged], ["merged_into"])
    for report, event in bulk.events:
        event.report_id = report.pk
    objects_copy(objects=[event for _, event in bulk.events])
    return reports
