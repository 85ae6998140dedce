"""The report workflow: every transition, its history, deadlines in working days across Tết,
reassignment, extension, merging, rating once, and moderation keeping the original."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point

from gisioc.errors import Conflict, InvalidInput
from gisioc.feedback import services
from gisioc.feedback.models import Report, ReportEvent, RoutingRule
from gisioc.geo.models import AdminUnit, Facility
from gisioc.periods import VIETNAM

pytestmark = pytest.mark.django_db
Status, Action = Report.Status, ReportEvent.Action
NAM_PHUOC = Point(108.258, 15.843, srid=4326)


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM)


def _agency(code: str) -> Facility:
    return Facility.objects.create(kind=Facility.Kind.AGENCY, code=code, name=f"Cơ quan {code}")


@pytest.fixture
def officer() -> User:
    return User.objects.create_user("canbo1022", password="x")


def _report(**kwargs: object) -> Report:
    values = {
        "category": "thoat_nuoc",
        "description": "Cống trước nhà bị tắc, nước tràn vào đường. Gọi tôi 0905 123 456.",
        "channel": "web",
        "point": NAM_PHUOC,
        "received_at": _at(2026, 2, 10, 9, 0),
        "reporter_name": "Nguyễn Văn A",
        "reporter_phone": "0905123456",
    } | kwargs
    return services.report_receive(**values)  # type: ignore[arg-type]


def test_the_whole_workflow_leaves_a_history_of_who_when_and_from_to(officer: User) -> None:
    agency = _agency("CTY-TN")
    report = _report()
    assert report.ticket.startswith("PA-2602-") and len(report.ticket) == 14
    assert report.external_id == report.ticket and report.status == Status.RECEIVED
    assert "0905" not in report.public_text and "[đã ẩn]" in report.public_text
    steps = [
        (services.report_verify, {}, (2026, 2, 10, 10)),
        (services.report_assign, {"agency": agency}, (2026, 2, 10, 11)),
        (services.report_start, {}, (2026, 2, 11, 8)),
        (services.report_resolve, {"result": "Đã nạo vét cống."}, (2026, 2, 12, 15)),
        (services.report_publish, {}, (2026, 2, 12, 16)),
        (services.report_close, {}, (2026, 2, 13, 8)),
    ]
    for step, more, at in steps:
        report = step(report=report, actor=officer, at=_at(*at), **more)
    assert report.status == Status.CLOSED and report.agency == agency
    assert report.resolved_at == _at(2026, 2, 12, 15) and report.result == "Đã nạo vét cống."
    history = list(report.events.values_list("action", "from_status", "to_status", "actor_label"))
    assert history == [
        (Action.RECEIVE, "", Status.RECEIVED, "Cổng thông tin, ứng dụng"),
        (Action.VERIFY, Status.RECEIVED, Status.VERIFIED, "canbo1022"),
        (Action.ASSIGN, Status.VERIFIED, Status.ASSIGNED, "canbo1022"),
        (Action.START, Status.ASSIGNED, Status.IN_PROGRESS, "canbo1022"),
        (Action.RESOLVE, Status.IN_PROGRESS, Status.RESOLVED, "canbo1022"),
        (Action.PUBLISH, Status.RESOLVED, Status.PUBLISHED, "canbo1022"),
        (Action.CLOSE, Status.PUBLISHED, Status.CLOSED, "canbo1022"),
    ]
    assert report.events.get(action=Action.ASSIGN).agency == agency
    # The result is public once published, not while only resolved.
    assert not report.events.get(action=Action.RESOLVE).public
    assert report.events.get(action=Action.PUBLISH).public


def test_a_deadline_crossing_tet_counts_working_days_only() -> None:
    # Drainage: 7 working days. Received Tuesday 10/2/2026; Tết Bính Ngọ keeps offices shut
    # 14–22/2, so the days run 11, 12, 13, 23, 24, 25, 26/2.
    report = _report(received_at=_at(2026, 2, 10, 9, 0))
    assert report.due_on == dt.date(2026, 2, 26)
    # Received at 23:30 on the 10th in Vietnam is still the 10th, though UTC says so too;
    # received at 00:30 on the 11th Vietnam time (the 10th in UTC) counts from the 11th.
    late_night = _report(received_at=dt.datetime(2026, 2, 10, 17, 30, tzinfo=dt.UTC))
    assert late_night.due_on == dt.date(2026, 2, 27)
    assert not services.overdue_on(report, dt.date(2026, 2, 26))
    assert services.overdue_on(report, dt.date(2026, 2, 27))


def test_extension_moves_the_deadline_by_working_days_with_its_reason(officer: User) -> None:
    # Due Wednesday 11/2; three more working days are 12, 13 and (after Tết) 23/2.
    report = _report(received_at=_at(2026, 2, 2, 9, 0))
    assert report.due_on == dt.date(2026, 2, 11)
    with pytest.raises(InvalidInput, match="needs a reason"):
        services.report_extend(report=report, days=3, reason=" ", actor=officer)
    report = services.report_extend(report=report, days=3, reason="Chờ vật tư", actor=officer)
    assert report.due_on == dt.date(2026, 2, 23) and report.extensions == 1
    event = report.events.get(action=Action.EXTEND)
    assert event.due_on == dt.date(2026, 2, 23) and event.note == "Chờ vật tư" and event.public


def test_transitions_out_of_order_are_refused_and_change_nothing(officer: User) -> None:
    report = _report()
    with pytest.raises(Conflict, match="cannot be"):
        services.report_publish(report=report, actor=officer)
    with pytest.raises(InvalidInput, match="reason must be one of"):
        services.report_reject(report=report, reason="lazy", actor=officer)
    report.refresh_from_db()
    assert report.status == Status.RECEIVED and report.events.count() == 1
    report = services.report_reject(report=report, reason="spam", actor=officer, note="Quảng cáo")
    assert report.status == Status.REJECTED and report.rejection == "spam"
    with pytest.raises(Conflict):
        services.report_verify(report=report, actor=officer)


def test_assignment_follows_the_communes_rule_before_the_general_one(
    geo: None, officer: User
) -> None:
    general, local = _agency("CTY-MT"), _agency("UBND-XA")
    report = _report(category="moi_truong", received_at=_at(2026, 3, 2, 9))
    assert report.unit is not None
    RoutingRule.objects.create(category="moi_truong", agency=general)
    services.report_verify(report=report, actor=officer)
    assert services.report_assign(report=report, actor=officer).agency == general
    RoutingRule.objects.create(category="moi_truong", unit=report.unit, agency=local)
    other = services.report_verify(report=_report(category="moi_truong"), actor=officer)
    assert services.report_assign(report=other, actor=officer).agency == local
    # Reassigning an assigned report is a reassignment in the history, back to 'assigned'.
    moved = services.report_assign(report=report, actor=officer, agency=local, note="Sai địa bàn")
    assert moved.agency == local and moved.status == Status.ASSIGNED
    assert list(moved.events.values_list("action", flat=True))[-1] == Action.REASSIGN
    with pytest.raises(InvalidInput, match="No agency"):
        services.report_assign(
            report=services.report_verify(report=_report(category="khac"), actor=officer),
            actor=officer,
        )
    assert AdminUnit.objects.filter(pk=report.unit_id).exists()


def test_merged_duplicates_follow_the_main_report(officer: User) -> None:
    main, dup, dup2 = _report(), _report(), _report()
    services.report_merge(report=dup2, into=dup, actor=officer)
    dup = services.report_merge(report=dup, into=main, actor=officer)
    dup2.refresh_from_db()
    assert dup.status == Status.MERGED and dup.merged_into == main
    assert dup2.merged_into == main  # a chain is flattened onto the main ticket
    assert dup.events.get(action=Action.MERGE).note == main.ticket
    with pytest.raises(InvalidInput):
        services.report_merge(report=main, into=dup, actor=officer)


def test_rating_once_and_only_after_publication(officer: User) -> None:
    report = _report()
    with pytest.raises(Conflict, match="published"):
        services.report_rate(report=report, satisfied=True)
    for step in (services.report_verify, services.report_start):
        if step is services.report_start:
            report = services.report_assign(report=report, actor=officer, agency=_agency("A"))
        report = step(report=report, actor=officer)
    report = services.report_resolve(report=report, actor=officer, result="Xong")
    report = services.report_publish(report=report, actor=officer)
    report = services.report_rate(report=report, satisfied=False)
    assert report.satisfied is False and report.rated_at is not None
    with pytest.raises(Conflict, match="rated already"):
        services.report_rate(report=report, satisfied=True)
    report.refresh_from_db()
    assert report.satisfied is False


def test_moderation_keeps_the_original_for_staff_and_is_audited(officer: User) -> None:
    report = _report(description="Nhà ông Trần Văn B, số 12 Lê Lợi, đổ rác ra đường.")
    report = services.report_moderate_text(
        report=report, public_text="Một hộ dân đổ rác ra đường.", actor=officer
    )
    assert report.public_text == "Một hộ dân đổ rác ra đường."
    assert report.description.startswith("Nhà ông Trần Văn B")
    event = report.events.get(action=Action.MODERATE)
    assert event.actor == officer and not event.public


def test_following_counts_a_citizen_without_a_new_ticket() -> None:
    report = _report()
    report = services.report_follow(report=report)
    assert report.followers == 1 and Report.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Liên hệ 0905.123.456", "Liên hệ [đã ẩn]"),
        ("SĐT +84 905 123 456 gấp", "SĐT [đã ẩn] gấp"),
        ("mail: dan@example.vn", "mail: [đã ẩn]"),
        ("Km 12+300 ĐT610, năm 2025", "Km 12+300 ĐT610, năm 2025"),
    ],
)
def test_public_text_masks_phones_and_emails_but_not_other_numbers(text: str, masked: str) -> None:
    assert services.text_mask(text) == masked


def test_a_report_without_a_description_or_with_an_unknown_category_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Describe"):
        _report(description="  ")
    with pytest.raises(InvalidInput, match="No category"):
        _report(category="ufo")
    assert not Report.objects.exists()
