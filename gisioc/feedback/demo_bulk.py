"""The demo's reports written in bulk: each step taken in memory by the workflow's own
`services.step` and stored in a few statements (the services take ~40 queries a report,
minutes for 5,000). `tests/feedback/test_demo.py` writes one slice of lives both ways, through
the services one call at a time (`lives_write_services`) and here, and requires the same
reports and the same history.
"""

import random
from typing import Any

from django.contrib.gis.geos import Point

from gisioc.feedback import services
from gisioc.feedback.demo_lives import Life, Step
from gisioc.feedback.ingest import SENDER, reports_receive
from gisioc.feedback.models import Report, ReportEvent
from gisioc.geo.models import Facility
from gisioc.ingest.copy import objects_copy
from gisioc.ingest.models import IngestRun

Status, Action = Report.Status, ReportEvent.Action
BATCH = 500
CENTRE = "Tổng đài 1022"  # who verifies, routes and publishes in the demo
NOTED = frozenset({"reject", "merge", "assign"})  # steps whose planned note is written


def actor_of(report: Report, action: str) -> str:
    """Who takes a demo step: the handling agency works on it, the 1022 centre does the rest."""
    if action in ("start", "resolve", "extend") and report.agency is not None:
        return report.agency.name
    return CENTRE


def _values(step: Step, report: Report, reports: dict[str, Report], agency: Any) -> dict:
    """A planned step's arguments to the workflow (`agency` finds an assign's agency)."""
    match step.action:
        case "reject":
            return {"reason": step.value}
        case "merge":
            return {"into": reports[step.value]}
        case "assign":
            return {"agency": agency(report, step.value)}
        case "extend":
            return {"days": step.value, "reason": step.note}
        case "resolve":
            return {"result": step.value}
        case "rate":
            return {"satisfied": step.value}
    return {}


def located_row(values: dict[str, Any]) -> dict[str, Any]:
    """A life's values as the adapter's located rows."""
    point = Point(values["lon"], values["lat"], srid=4326)
    return {**values, "geom": point, "unit_id": None}


def step_apply(report: Report, step: Step, reports: dict[str, Report]) -> Report:
    """One step through its service, as staff would take it."""
    at, note, s, actor = step.at, step.note, services, actor_of(report, step.action)
    match step.action:
        case "verify":
            return s.report_verify(report=report, actor=actor, at=at)
        case "reject":
            return s.report_reject(report=report, reason=step.value, note=note, actor=actor, at=at)
        case "merge":
            return s.report_merge(report=report, into=reports[step.value], actor=actor, at=at)
        case "assign":
            agency = Facility.objects.get(code=step.value) if step.value else None
            return s.report_assign(report=report, agency=agency, note=note, actor=actor, at=at)
        case "start":
            return s.report_start(report=report, actor=actor, at=at)
        case "extend":
            return s.report_extend(report=report, days=step.value, reason=note, actor=actor, at=at)
        case "resolve":
            return s.report_resolve(report=report, result=step.value, actor=actor, at=at)
        case "publish":
            return s.report_publish(report=report, actor=actor, at=at)
        case "rate":
            return s.report_rate(report=report, satisfied=step.value, at=at)
        case "close":
            return s.report_close(report=report, actor=actor, at=at)
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
            address_text=values["address"].strip()[:300], channel=values["channel"],
            received_at=received, call_at=values["call_at"],
            due_on=services.due_compute(category=values["category"], received_at=received),
            reporter_name=values["reporter_name"].strip()[:120],
            reporter_phone=values["reporter_phone"].strip()[:20],
            reporter_email=values["reporter_email"].strip()[:200],
            anonymous=values["anonymous"], receipt_hash="", run=self.run,
            **services._locate(values["geom"], values["unit_id"], received),
        )  # fmt: skip
        event = services.event_new(report, Action.RECEIVE, at=received,
                                   actor_label=SENDER[values["channel"]], public=True)  # fmt: skip
        self.events.append((report, event))
        return report

    def step(self, report: Report, step: Step, reports: dict[str, Report]) -> None:
        """What the step's service writes, by the service's own `step`."""
        values = _values(step, report, reports, self._assignee)
        note = step.note if step.action in NOTED else ""
        actor = actor_of(report, step.action)
        event = services.step(report, step.action, at=step.at, actor=actor, note=note, **values)
        self.events.append((report, event))
        if step.action == "merge":  # those merged into it follow the main report
            for other in reports.values():
                if other.merged_into is report:
                    other.merged_into = values["into"]

    def _assignee(self, report: Report, code: str) -> Facility:
        return self._agency(code) if code else self._route(report)

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
