"""What the live app publishes: a citizen report's steps (public once the public map shows it,
the staff's before; nothing personal), and dossiers that became overdue, one event per unit."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from gisioc.feedback import services
from gisioc.feedback.models import Report
from gisioc.live.models import LiveEvent
from gisioc.live.producers import STAFF_ROLES, dossiers_overdue_publish
from gisioc.public_services.models import Dossier

pytestmark = pytest.mark.django_db


def test_a_report_is_announced_to_the_staff_then_to_everyone(communes: dict) -> None:
    actor = User.objects.create_user("canbo", password="x")
    report = services.report_receive(
        category="thoat_nuoc",
        description="Cống tắc, gọi Nguyễn Văn A 0905123456",
        channel="web",
        point=communes["in"].geom.point_on_surface,
        reporter_name="Nguyễn Văn A",
        reporter_phone="0905123456",
    )
    received = LiveEvent.objects.get(kind="feedback.report")
    assert received.roles == STAFF_ROLES and received.unit_id == communes["in"].pk
    assert received.data == {
        "id": report.pk,
        "ticket": report.ticket,
        "status": "received",
        "category": "thoat_nuoc",
        "published": False,
    }
    assert received.geom is not None
    services.report_verify(report=report, actor=actor)
    verified = LiveEvent.objects.filter(kind="feedback.report").latest("id")
    assert verified.roles is None and verified.data["published"] is True
    assert verified.data["status"] == Report.Status.VERIFIED
    text = str(list(LiveEvent.objects.values_list("data", flat=True)))
    assert "0905123456" not in text and "Nguyễn" not in text and "Cống" not in text


def _dossier(code: str, unit, due: dt.datetime, **values: object) -> Dossier:
    return Dossier.objects.create(
        source="test",
        external_id=code,
        dossier_code=code,
        procedure_code="1.001",
        received_at=due - dt.timedelta(days=5),
        due_at=due,
        status=values.pop("status", Dossier.Status.IN_PROGRESS),
        unit=unit,
        **values,
    )


def test_dossiers_that_became_overdue_are_counted_per_unit(communes: dict) -> None:
    now = timezone.now()
    since = now - dt.timedelta(minutes=1)
    inside, outside = communes["in"], communes["out"]
    _dossier("A1", inside, now - dt.timedelta(seconds=30))
    _dossier("A2", inside, now - dt.timedelta(seconds=10))
    _dossier("B1", outside, now - dt.timedelta(seconds=20))
    _dossier("old", inside, now - dt.timedelta(hours=2))  # overdue before the last tick
    _dossier("later", inside, now + dt.timedelta(minutes=5))
    _dossier("done", outside, now - dt.timedelta(seconds=5), finished_at=now)
    _dossier("gone", outside, now - dt.timedelta(seconds=5), status=Dossier.Status.CANCELLED)
    assert dossiers_overdue_publish(since=since, until=now) == 2
    events = {e.unit_id: e for e in LiveEvent.objects.filter(kind="dossier.overdue")}
    assert events[inside.pk].data["count"] == 2 and events[outside.pk].data["count"] == 1
    assert events[inside.pk].roles == STAFF_ROLES
    assert dossiers_overdue_publish(since=now, until=now + dt.timedelta(seconds=1)) == 0


@pytest.mark.usefixtures("geo")
def test_the_feedback_demo_bulk_writer_announces_nothing_the_services_do() -> None:
    import random

    from gisioc.feedback import demo
    from gisioc.feedback.demo_bulk import lives_write_bulk, lives_write_services
    from gisioc.feedback.demo_lives import SNAPSHOT
    from gisioc.feedback.demo_world import agencies_load
    from gisioc.ingest.models import IngestRun

    agencies_load()
    lives = [life for life in demo.demo_lives() if life.received <= SNAPSHOT][:15]
    run = IngestRun.objects.create(system="feedback", source="bulk", kind="demo")
    lives_write_bulk(lives, run, until=SNAPSHOT, rng=random.Random("b"))
    assert Report.objects.filter(source="bulk").count() == len(lives)
    assert not LiveEvent.objects.exists()  # 5,000 demo reports must not flood open maps
    run = IngestRun.objects.create(system="feedback", source="svc", kind="demo")
    lives_write_services(lives, run, until=SNAPSHOT, rng=random.Random("a"))
    steps = sum(1 + len(life.steps_by(SNAPSHOT)) for life in lives)
    assert LiveEvent.objects.filter(kind="feedback.report").count() >= len(lives)
    assert LiveEvent.objects.count() <= steps
