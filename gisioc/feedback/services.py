"""Writes of the report workflow: every change goes through here and leaves an event.

received → verified (or rejected) → assigned → in_progress → resolved → published → closed;
reassigning, extending the deadline, merging duplicates, rating and moderation on the side.
A transition from a status it does not start from is a `Conflict` naming both.
"""

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.geos import Point
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from gisioc import workdays
from gisioc.errors import Conflict, InvalidInput
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.models import Report, ReportEvent, RoutingRule
from gisioc.feedback.system import OPEN_STATUSES
from gisioc.geo.geocoder import geocode_point
from gisioc.geo.models import Facility
from gisioc.periods import vietnam_date

Status, Action = Report.Status, ReportEvent.Action
OPEN = frozenset(Status(s) for s in OPEN_STATUSES)  # declared with the system (exposure)
DONE = frozenset({Status.RESOLVED, Status.PUBLISHED, Status.CLOSED})
ENDED = DONE | {Status.REJECTED, Status.MERGED}
# Statuses the public sees a report in (on the map, the list, Open311); tracking by ticket
# shows every report but the public steps only.
PUBLIC = frozenset(Status) - {Status.RECEIVED, Status.REJECTED, Status.MERGED}
TICKET_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out on the phone
PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "[đã ẩn]"


def text_mask(text: str) -> str:
    """The text with phone numbers and e-mail addresses masked (what the public may read)."""
    return EMAIL_RE.sub(MASK, PHONE_RE.sub(MASK, text))


def ticket_new(on: dt.datetime, rng: Any = secrets) -> str:
    """A ticket code: PA-yymm-XXXXXX, random (a code does not reveal how many there are)."""
    day = vietnam_date(on)
    tail = "".join(rng.choice(TICKET_ALPHABET) for _ in range(6))
    return f"PA-{day:%y%m}-{tail}"


def due_compute(*, category: str, received_at: dt.datetime) -> dt.date:
    """The last working day to resolve a report of the category received then (Vietnam)."""
    return workdays.after(vietnam_date(received_at), BY_CODE[category].days)


def agency_route(*, category: str, unit_id: int | None) -> Facility | None:
    """The agency the rules send a category in a commune to (the commune's rule first)."""
    rules = RoutingRule.objects.filter(category=category).select_related("agency")
    rule = None
    if unit_id is not None:
        rule = rules.filter(unit_id=unit_id).first()
    rule = rule or rules.filter(unit__isnull=True).first()
    return rule.agency if rule else None


def event_new(
    report: Report,
    action: str,
    *,
    at: dt.datetime,
    actor: Any = None,
    actor_label: str = "",
    from_status: str = "",
    note: str = "",
    public: bool = False,
    agency: Facility | None = None,
    due_on: dt.date | None = None,
) -> ReportEvent:
    """A history row of the report, unsaved: `actor` a user, or the name of who acted."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    named = actor if isinstance(actor, str) else ""
    return ReportEvent(
        report=report,
        at=at,
        actor=user,
        actor_label=actor_label or named or (user.get_username() if user else ""),
        action=action,
        from_status=from_status,
        to_status=report.status,
        note=note,
        public=public,
        agency=agency,
        due_on=due_on,
    )


def _event(report: Report, action: str, **values: Any) -> ReportEvent:
    event = event_new(report, action, **values)
    event.save()
    return event


def report_receive(
    *,
    category: str,
    description: str,
    channel: str,
    point: Point | None = None,
    unit_id: int | None = None,
    address: str = "",
    title: str = "",
    received_at: dt.datetime | None = None,
    call_at: dt.datetime | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    anonymous: bool = True,
    receipt_hash: str = "",
    source: str = "web",
    external_id: str = "",
    actor: Any = None,
    actor_label: str = "",
    rng: Any = secrets,
) -> Report:
    """A new report, located and given its ticket and deadline; its first (public) event."""
    if category not in BY_CODE:
        raise InvalidInput(f"Không có lĩnh vực «{category}».", f"No category '{category}'.")
    description = (description or "").strip()
    if not description:
        raise InvalidInput("Hãy mô tả sự việc.", "Describe what happened.")
    received_at = received_at or timezone.now()
    located = _locate(point, unit_id, received_at)
    for _ in range(5):
        ticket = ticket_new(received_at, rng)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    ticket=ticket,
                    source=source,
                    external_id=external_id or ticket,
                    category=category,
                    title=title.strip()[:200],
                    description=description,
                    public_text=text_mask(description),
                    address_text=address.strip()[:300],
                    channel=channel,
                    received_at=received_at,
                    call_at=call_at,
                    due_on=due_compute(category=category, received_at=received_at),
                    reporter_name=reporter_name.strip()[:120],
                    reporter_phone=reporter_phone.strip()[:20],
                    reporter_email=reporter_email.strip()[:200],
                    anonymous=anonymous,
                    receipt_hash=receipt_hash,
                    **located,
                )
                _event(
                    report,
                    Action.RECEIVE,
                    at=received_at,
                    actor=actor,
                    actor_label=actor_label or Report.Channel(channel).label.split(" / ")[0],
                    public=True,
                )
                _live(report)
                return report
        except IntegrityError as exc:
            if "ticket" not in str(exc):
                raise
    raise Conflict("Không tạo được mã phản ánh; hãy thử lại.", "Could not make a ticket; retry.")


def _locate(point: Point | None, unit_id: int | None, on: dt.datetime) -> dict[str, Any]:
    day = vietnam_date(on)
    if point is not None:
        found = geocode_point(lon=point.x, lat=point.y, on=day)
        return {
            "geom": point,
            "unit_id": found.unit_id,
            "locate_on": day,
            "locate_method": found.method,
            "locate_confidence": found.confidence if found.located else None,
            "locate_reason": found.reason,
        }
    return {
        "unit_id": unit_id,
        "locate_on": day,
        "locate_method": Report.Method.ADDRESS if unit_id else Report.Method.NONE,
        "locate_reason": "" if unit_id else "Chưa có vị trí / No place given",
    }


@dataclass(frozen=True)
class Move:
    """A workflow step's effect: the status it leads to, those it starts from, the report's
    time it stamps, and whether the tracking page shows it."""

    to: str | None  # None: the status stays (an extension, a rating)
    allowed: frozenset[str]
    stamp: str = ""
    public: bool = True


_HANDLING = frozenset({Status.ASSIGNED, Status.IN_PROGRESS})
MOVES = {
    Action.VERIFY: Move(Status.VERIFIED, frozenset({Status.RECEIVED}), "verified_at"),
    Action.REJECT: Move(Status.REJECTED, frozenset({Status.RECEIVED, Status.VERIFIED}),
                        "closed_at"),
    Action.ASSIGN: Move(Status.ASSIGNED, _HANDLING | {Status.VERIFIED}, "assigned_at"),
    Action.START: Move(Status.IN_PROGRESS, frozenset({Status.ASSIGNED})),
    Action.RESOLVE: Move(Status.RESOLVED, _HANDLING, "resolved_at", public=False),
    Action.PUBLISH: Move(Status.PUBLISHED, frozenset({Status.RESOLVED}), "published_at"),
    Action.CLOSE: Move(Status.CLOSED, frozenset({Status.PUBLISHED}), "closed_at"),
    Action.MERGE: Move(Status.MERGED, OPEN, "closed_at"),
    Action.EXTEND: Move(None, OPEN),
    Action.RATE: Move(None, frozenset({Status.PUBLISHED, Status.CLOSED}), "rated_at"),
}  # fmt: skip


def step(
    report: Report,
    action: str,
    *,
    at: dt.datetime,
    actor: Any = None,
    note: str = "",
    agency: Facility | None = None,
    reason: str = "",
    result: str = "",
    days: int = 0,
    into: Report | None = None,
    satisfied: bool | None = None,
) -> ReportEvent:
    """Take one workflow step on `report` in memory and give its history row, unsaved: the one
    definition of what a step changes (the services save it; the demo writes many at once).
    `actor` is a user or, for the demo's and systems' steps, the name of who acted."""
    move = MOVES[action]
    _step_check(report, action, move, reason=reason, result=result, days=days, into=into)
    if action == Action.ASSIGN and report.status != Status.VERIFIED:
        action = Action.REASSIGN
    before, label = report.status, ""
    report.status = move.to or report.status
    if move.stamp:
        setattr(report, move.stamp, at)
    if action == Action.REJECT:
        report.rejection = reason
    elif action in (Action.ASSIGN, Action.REASSIGN):
        report.agency = agency
    elif action == Action.RESOLVE:
        report.result = result.strip()
    elif action == Action.MERGE:
        report.merged_into, note = into, note or into.ticket  # type: ignore[union-attr]
    elif action == Action.EXTEND:
        report.due_on = workdays.after(report.due_on or vietnam_date(at), days)
        report.extensions += 1
        note = reason.strip()
    elif action == Action.RATE:
        report.satisfied, label = satisfied, "Công dân"
        note = "Hài lòng / Satisfied" if satisfied else "Không hài lòng / Not satisfied"
    return event_new(
        report,
        action,
        at=at,
        actor=actor,
        actor_label=label,
        from_status=before,
        note=note,
        public=move.public,
        agency=agency if action in (Action.ASSIGN, Action.REASSIGN) else None,
        due_on=report.due_on if action == Action.EXTEND else None,
    )


def _step_check(
    report: Report, action: str, move: Move, *, reason: str, result: str, days: int, into: Any
) -> None:
    """InvalidInput for a step's missing or bad values, Conflict for a report not in a status
    the step starts from (or rated already)."""
    if action == Action.REJECT and reason not in Report.Rejection.values:
        raise InvalidInput(
            f"Lý do từ chối phải là một trong: {', '.join(Report.Rejection.values)}.",
            f"The reason must be one of: {', '.join(Report.Rejection.values)}.",
        )
    if action == Action.RESOLVE and not (result or "").strip():
        raise InvalidInput("Hãy nêu kết quả xử lý.", "Give the result of the handling.")
    if action == Action.EXTEND and not (reason or "").strip():
        raise InvalidInput("Gia hạn phải có lý do.", "An extension needs a reason.")
    if action == Action.EXTEND and not 1 <= days <= 30:
        raise InvalidInput("Gia hạn từ 1 đến 30 ngày làm việc.", "Extend by 1 to 30 working days.")
    if action == Action.MERGE and (
        into is None
        or into is report
        or (into.pk is not None and into.pk == report.pk)
        or into.status in (Status.REJECTED, Status.MERGED)
    ):
        raise InvalidInput(
            "Phải gộp vào một phản ánh khác, chưa bị gộp hay từ chối.",
            "Merge into another report that is not merged or rejected.",
        )
    if action == Action.RATE and report.status not in move.allowed:
        raise Conflict(
            "Chỉ đánh giá được khi kết quả đã công khai.",
            "A result can be rated once it is published.",
        )
    if action == Action.RATE and report.rated_at is not None:
        raise Conflict("Phản ánh này đã được đánh giá.", "This report has been rated already.")
    if report.status not in move.allowed:
        verb = ReportEvent.Action(action).label.split(" / ")
        raise Conflict(
            f"Phản ánh {report.ticket} đang ở trạng thái «{report.get_status_display()}», "
            f"không thể {verb[0].lower()}.",
            f"Report {report.ticket} is {Status(report.status).label.split(' / ')[1]}; "
            f"it cannot be {verb[1].lower()}.",
        )


def _take(report: Report, action: str, *, at: dt.datetime | None, **values: Any) -> Report:
    """One step on the report's locked row, saved with its history row."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        event = step(locked, action, at=at or timezone.now(), **values)
        locked.save()
        event.report = locked
        event.save()
        _live(locked)
    return locked


def _live(report: Report) -> None:
    """Tell open maps (the live bus, in this transaction); the demo's bulk writer does not."""
    from gisioc.live.producers import feedback_report_changed

    feedback_report_changed(report)


def report_verify(
    *, report: Report, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Received → verified: a real report in scope."""
    return _take(report, Action.VERIFY, at=at, actor=actor, note=note)


def report_reject(
    *, report: Report, reason: str, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Received or verified → rejected as spam, duplicate or out of scope, with the reason."""
    return _take(report, Action.REJECT, at=at, actor=actor, note=note, reason=reason)


def report_assign(
    *,
    report: Report,
    actor: Any,
    agency: Facility | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> Report:
    """Verified → assigned to an agency (the routing rules' when none is given); an assigned
    or in-progress report is reassigned (its status back to assigned)."""
    agency = agency or agency_route(category=report.category, unit_id=report.unit_id)
    if agency is None or agency.kind != Facility.Kind.AGENCY:
        raise InvalidInput(
            "Chưa chọn cơ quan xử lý, và không có quy tắc phân công cho lĩnh vực, địa bàn này.",
            "No agency chosen and no routing rule for this category and commune.",
        )
    return _take(report, Action.ASSIGN, at=at, actor=actor, note=note, agency=agency)


def report_start(
    *, report: Report, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Assigned → in progress (the agency has taken it up)."""
    return _take(report, Action.START, at=at, actor=actor, note=note)


def report_resolve(
    *, report: Report, result: str, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Assigned or in progress → resolved, with the result text (photos: media_store)."""
    return _take(report, Action.RESOLVE, at=at, actor=actor, note=note, result=result)


def report_publish(
    *, report: Report, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Resolved → published: the result and its photos become public."""
    return _take(report, Action.PUBLISH, at=at, actor=actor, note=note)


def report_close(
    *, report: Report, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Published → closed."""
    return _take(report, Action.CLOSE, at=at, actor=actor, note=note)


def report_extend(
    *, report: Report, days: int, reason: str, actor: Any, at: dt.datetime | None = None
) -> Report:
    """Move an open report's deadline by `days` working days, with the reason."""
    return _take(report, Action.EXTEND, at=at, actor=actor, days=days, reason=reason)


def report_merge(
    *, report: Report, into: Report, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """A duplicate follows its main report: merged, pointing at it, reached from its ticket;
    those merged into it follow the main report too."""
    report = _take(report, Action.MERGE, at=at, actor=actor, note=note, into=into)
    Report.objects.filter(merged_into=report).update(merged_into=into)
    return report


def report_follow(*, report: Report, at: dt.datetime | None = None) -> Report:
    """A citizen says their problem is this open report: noted, counted, no new ticket."""
    if report.status not in OPEN:
        raise Conflict(
            f"Phản ánh {report.ticket} đã kết thúc.", f"Report {report.ticket} has ended."
        )
    with transaction.atomic():
        Report.objects.filter(pk=report.pk).update(followers=models.F("followers") + 1)
        _event(report, Action.FOLLOW, at=at or timezone.now(), actor_label="Công dân",
               from_status=report.status)  # fmt: skip
    report.refresh_from_db(fields=["followers"])
    return report


def report_rate(*, report: Report, satisfied: bool, at: dt.datetime | None = None) -> Report:
    """The citizen rates the published result, once."""
    return _take(report, Action.RATE, at=at, satisfied=satisfied)


def report_moderate_text(
    *, report: Report, public_text: str, actor: Any, note: str = "", at: dt.datetime | None = None
) -> Report:
    """Replace what the public reads of the description; the original stays for staff."""
    at = at or timezone.now()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        report.public_text = text_mask(public_text.strip())
        report.save(update_fields=["public_text"])
        _event(report, Action.MODERATE, at=at, actor=actor, from_status=report.status,
               note=note or "Sửa nội dung công khai / Public text edited")  # fmt: skip
    return report


def report_event_add(report: Report, action: str, **kwargs: Any) -> ReportEvent:
    """Record an event the workflow does not make itself (a photo moderated, say)."""
    kwargs.setdefault("at", timezone.now())
    kwargs.setdefault("from_status", report.status)
    return _event(report, action, **kwargs)


def overdue_on(report: Report, today: dt.date) -> bool:
    """Whether the report is past its deadline on `today` (a Vietnam day)."""
    return report.status in OPEN and report.due_on is not None and today > report.due_on
