"""The feedback demo: deterministic, at the right magnitudes (channels, the flood season,
overdue share, deadlines across Tết), written in bulk exactly as the workflow services write,
loaded once; and kept alive after its snapshot by the fake intake feed and the pull."""

import datetime as dt
import itertools
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from gisioc import workdays
from gisioc.feedback import demo
from gisioc.feedback import demo_catalog as c
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.demo_bulk import lives_write_bulk, lives_write_services
from gisioc.feedback.demo_live import lives_advance, lives_until
from gisioc.feedback.demo_lives import SNAPSHOT, Generator, Life, Step
from gisioc.feedback.demo_world import agencies_load, communes_read
from gisioc.feedback.fake import FakeIntake
from gisioc.feedback.ingest import category_of
from gisioc.feedback.models import AgencyMember, Report, ReportEvent, ReportMedia, RoutingRule
from gisioc.feedback.pull import FeedbackPuller
from gisioc.feedback.services import OPEN
from gisioc.geo.models import Facility
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.pull.registry import puller_get
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.periods import vietnam_date

pytestmark = pytest.mark.usefixtures("geo")
SHARES = {"web": 35, "hotline": 30, "zalo": 15, "facebook": 8, "chatbot": 7, "email": 5}


@pytest.fixture
def media_dir(settings: Any, tmp_path: Path) -> Path:
    """Photos stored under the test's folder."""
    settings.GISIOC_MEDIA_DIR = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def lives() -> list[Life]:
    """The whole demo's reports (generated only: about a second)."""
    return [life for life in demo.demo_lives() if life.received <= SNAPSHOT]


def _slice(lives: list[Life]) -> list[Life]:
    """A few dozen lives with every kind of step, merge targets included, in order."""
    chosen = {life.code: life for life in lives[:40]}
    by_code = {life.code: life for life in lives}
    for action in ("reject", "merge", "extend", "rate", "close", "handover"):
        life = next(x for x in lives if any(_is(s, action) for s in x.steps))
        chosen[life.code] = life
        for step in life.steps:
            if step.action == "merge":
                chosen[step.value] = by_code[step.value]
    return sorted(chosen.values(), key=lambda x: (x.received, x.code))


def _is(step: Step, action: str) -> bool:
    return step.note == c.HANDOVER if action == "handover" else step.action == action


def test_two_generations_are_equal(lives: list[Life]) -> None:
    communes = communes_read()
    first = list(Generator(communes).lives(last=dt.date(2025, 6, 30)))
    again = list(Generator(communes).lives(last=dt.date(2025, 6, 30)))
    assert len(first) > 300 and first == again
    assert first == lives[: len(first)]  # the demo's own first months


def test_magnitudes(lives: list[Life]) -> None:
    assert 4_500 <= len(lives) <= 5_600
    channels = Counter(life.values["channel"] for life in lives)
    for channel, share in SHARES.items():
        assert abs(channels[channel] / len(lives) * 100 - share) < 3, (channel, channels)
    months = Counter((x.received.year, x.received.month) for x in lives)
    assert all(200 <= n <= 400 for n in months.values()), months
    drains = Counter(
        (x.received.year, x.received.month) for x in lives if x.values["category"] == "thoat_nuoc"
    )
    ordinary = sum(drains[(2026, m)] for m in range(1, 7)) / 6
    assert drains[(2025, 10)] > 2.5 * ordinary and drains[(2025, 11)] > 2.5 * ordinary
    overdue = [life for life in lives if life.overdue(SNAPSHOT)]
    assert 0.015 <= len(overdue) / len(lives) <= 0.035, len(overdue)
    opened = [life for life in lives if life.status(SNAPSHOT) in OPEN]
    assert len(overdue) < 0.8 * len(opened)  # some open reports are within their deadline
    recent = [x for x in overdue if x.received > SNAPSHOT - dt.timedelta(days=183)]
    assert len(recent) > 0.75 * len(overdue)  # forgotten for months, not since 2025
    ended = Counter(life.status(SNAPSHOT) for life in lives)
    assert 0.02 <= ended["rejected"] / len(lives) <= 0.04
    assert 0.01 <= ended["merged"] / len(lives) <= 0.03
    assert 0.52 <= ended["closed"] / len(lives) <= 0.68
    published = [x for x in lives if x.status(SNAPSHOT) in ("published", "closed")]
    assert 0.35 <= sum(x.after_photo for x in published) / len(published) <= 0.45
    rated = [x for x in published if any(s.action == "rate" for s in x.steps_by(SNAPSHOT))]
    assert 0.45 <= len(rated) / len(published) <= 0.55
    satisfied = sum(s.value for x in rated for s in x.steps if s.action == "rate")
    assert 0.75 <= satisfied / len(rated) <= 0.85
    named = sum(bool(x.values["reporter_name"]) for x in lives) / len(lives)
    assert 0.6 <= named <= 0.8
    for life in lives:  # the hotline's call comes minutes before its receipt
        if life.values["channel"] == "hotline":
            gap = life.received - life.values["call_at"]
            assert dt.timedelta(minutes=1) < gap < dt.timedelta(minutes=15)


def test_deadlines_are_working_days_and_cross_tet(lives: list[Life]) -> None:
    crossing = 0
    for life in lives:
        day = vietnam_date(life.received)
        due = workdays.after(day, BY_CODE[life.values["category"]].days)
        extended = [s.value for s in life.steps if s.action == "extend"]
        for days in extended:
            due = workdays.after(due, days)
        assert life.due_on == due
        if dt.date(2026, 2, 9) <= day <= dt.date(2026, 2, 13) and not extended:
            assert life.due_on >= dt.date(2026, 2, 23)  # nine days off for Tết Bính Ngọ
            crossing += 1
    assert crossing > 10
    # Five working days from Thursday 12 February 2026: Friday, then 23–26 February.
    assert workdays.after(dt.date(2026, 2, 12), 5) == dt.date(2026, 2, 26)


def _written(source: str) -> tuple[list[tuple], list[tuple]]:
    reports = Report.objects.filter(source=source).order_by("external_id")
    tickets = {r.ticket: r.external_id for r in reports}
    skip = {"id", "ticket", "source", "run", "merged_into"}
    names = [f.attname for f in Report._meta.concrete_fields if f.name not in skip]
    rows = [
        (*(getattr(r, n) for n in names), r.merged_into.external_id if r.merged_into else None)
        for r in reports
    ]
    events = [
        (e.report.external_id, e.at, e.action, e.actor_id, e.actor_label, e.from_status,
         e.to_status, e.agency_id, e.due_on, tickets.get(e.note, e.note), e.public)
        for e in ReportEvent.objects.filter(report__source=source).select_related("report")
    ]  # fmt: skip
    return rows, sorted(events)


def test_the_bulk_writer_writes_what_the_services_write(lives: list[Life]) -> None:
    agencies_load()
    chosen = _slice(lives)
    run = IngestRun.objects.create(system="feedback", source="svc", kind="demo")
    lives_write_services(chosen, run, until=SNAPSHOT, rng=random.Random("a"))
    run = IngestRun.objects.create(system="feedback", source="bulk", kind="demo")
    lives_write_bulk(chosen, run, until=SNAPSHOT, rng=random.Random("b"))
    by_services, by_bulk = _written("svc"), _written("bulk")
    assert len(by_services[0]) == len(chosen) and len(by_services[1]) > 5 * len(chosen)
    assert by_bulk == by_services
    actions = {e[2] for e in by_bulk[1]}
    assert {"receive", "reject", "merge", "assign", "reassign", "extend", "resolve"} <= actions


def test_load_is_idempotent_with_agencies_routing_and_photos(
    lives: list[Life], media_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = _slice(lives)
    said: list[str] = []
    demo.load(progress=said.append, lives=lambda: chosen)

    def counts() -> tuple[int, ...]:
        return (
            Report.objects.count(), ReportEvent.objects.count(), ReportMedia.objects.count(),
            RoutingRule.objects.count(), Facility.objects.count(), IngestRun.objects.count(),
        )  # fmt: skip

    first = counts()
    assert first[0] == len(chosen) and first[2] > 0
    result = ReportMedia.objects.filter(stage="result").select_related("report")
    assert all(m.report.status in ("published", "closed") for m in result)
    assert (media_dir / "feedback").is_dir()
    handed = ReportEvent.objects.get(note=c.HANDOVER)  # an old commune's report, open at the
    assert handed.action == "reassign" and handed.agency.closed_on is None  # reform
    assert not Report.objects.filter(status__in=OPEN, agency__closed_on__isnull=False).exists()
    police = Facility.objects.get(code="CA-20611")
    assert police.kind == "agency" and police.unit.code == "20611"
    officer = AgencyMember.objects.get(user__username="canboxa")
    assert officer.agency.code == "UBND-2025-20611"
    assigned = Report.objects.filter(agency__isnull=False)
    assert assigned.exists()
    for report in assigned.select_related("agency", "unit"):
        if report.category == "trat_tu_giao_thong" and report.unit.version.slug == "danang-2025":
            assert report.agency.code == f"CA-{report.unit.code}"
    demo.load(progress=said.append, lives=lambda: chosen)
    assert counts() == first and "already loaded" in said[-1]
    # A new generator version replaces the source's reports, merged ones included.
    monkeypatch.setattr(demo, "KEY", "demo-feedback-next")
    demo.load(progress=said.append, lives=lambda: chosen)
    assert counts() == first and "previous demo removed" in said[-2]
    assert Report.objects.filter(status="merged").exists()


def test_the_demo_goes_on_after_its_snapshot(
    lives: list[Life], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fake feeds the reports received since the snapshot; the pull moves the demo's
    reports (open at the snapshot, and the new ones) on as their planned steps come due."""
    later = SNAPSHOT + dt.timedelta(days=12)
    still = [x for x in lives if x.status(SNAPSHOT) not in ("closed", "rejected", "merged")]
    chosen = sorted({x.code: x for x in lives[:30] + still}.values(), key=lambda x: x.received)
    demo.load(progress=lambda _: None, lives=lambda: chosen, photos=False)
    fake = FakeIntake(as_of=later)
    sent = fake.records()
    coming = [x for x in lives_until(later.date()).values() if SNAPSHOT < x.received <= later]
    assert [r["MaTinNhan"] for r in sent] == [x.code for x in coming] and len(sent) > 60
    assert not {x.code for x in lives} & {r["MaTinNhan"] for r in sent}
    assert all(category_of(r["LinhVuc"]) is not None for r in sent)
    assert fake.catch_up(later) == []  # nothing new at the same moment
    quiet = django_settings.CONFIG.model_copy(update={"demo": False})
    monkeypatch.setattr(django_settings, "CONFIG", quiet)  # this pull only reads the feed
    with fake_serving(fake) as url:
        pull_source_add(system="feedback", source=demo.SOURCE, url=url, every_minutes=1)
        report = pull_run(source=demo.SOURCE, timeout=30.0, progress=lambda _: None)
    assert (report.status, report.created, report.rejected) == ("done", len(sent), 0)
    assert lives_advance(now=later) > 3 * len(sent)
    assert lives_advance(now=later) == 0
    by_code = {x.code: x for x in [*chosen, *coming]}
    stored = Report.objects.filter(source=demo.SOURCE)
    assert stored.count() == len(by_code)
    for stored_report in stored:
        life = by_code[stored_report.external_id]
        assert stored_report.status == life.status(later), (
            life.steps,
            list(stored_report.events.values_list("action", "at")),
        )
    moved = [x for x in still if x.status(later) != x.status(SNAPSHOT)]
    assert len(moved) > 10  # open at the snapshot, handled since
    phones = [r.reporter_phone for r in stored.exclude(reporter_phone="")]
    raws = str(list(RawRecord.objects.values_list("raw", flat=True)))
    assert phones and all(phone not in raws for phone in phones)
    assert isinstance(puller_get("feedback"), FeedbackPuller)
    # In demo mode a pull first moves the demo's reports on to now.
    monkeypatch.setattr(django_settings, "CONFIG", quiet.model_copy(update={"demo": True}))
    with fake_serving(fake) as url:
        pull_source_add(system="feedback", source=demo.SOURCE, url=url, every_minutes=1)
        assert pull_run(source=demo.SOURCE, timeout=30.0, progress=lambda _: None).created == 0
    now = timezone.now()
    for stored_report in stored.all():
        assert stored_report.status == by_code[stored_report.external_id].status(now)


def test_category_titles_name_their_codes() -> None:
    for code, category in BY_CODE.items():
        assert category_of(category.title.vi) == code
    assert list(itertools.islice(BY_CODE, 1)) == ["duong_sa"]
