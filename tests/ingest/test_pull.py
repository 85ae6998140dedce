"""Scheduled pulls over real HTTP from the local fake of the provincial one-stop software."""

import dataclasses
import datetime as dt
import io
import json
import socket
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gisioc.errors import Conflict, InvalidInput, NotFound
from gisioc.ingest import systems
from gisioc.ingest.fake_feed import fake_serving, fakes
from gisioc.ingest.models import IngestRun, PullSource, RawRecord
from gisioc.ingest.pull.feed import ChangeFeedPuller
from gisioc.ingest.pull.loop import pull_loop, pull_sources_due
from gisioc.ingest.pull.registry import puller_get
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.public_services.fake import FakeOneStop
from gisioc.public_services.ingest import SYSTEM
from gisioc.public_services.models import Dossier
from gisioc.systems import system_get

pytestmark = pytest.mark.django_db
SOURCE = "motcua-tinh"


@pytest.fixture
def fake() -> FakeOneStop:
    """60 open dossiers of two working days, served 25 a page."""
    return FakeOneStop(days=2, per_day=30, max_page=25)


@pytest.fixture
def feed(fake: FakeOneStop) -> Iterator[str]:
    """The fake's feed URL on a free port, served for the test."""
    with fake_serving(fake) as url:
        yield url


@pytest.fixture
def pulled(feed: str) -> PullSource:
    """The fake configured as a pull source."""
    return pull_source_add(system="public_services", source=SOURCE, url=feed, every_minutes=5)


def _pull(timeout: float = 5.0) -> tuple[object, PullSource]:
    lines: list[str] = []
    report = pull_run(source=SOURCE, timeout=timeout, progress=lines.append)
    return report, PullSource.objects.get(source=SOURCE)


def _statuses() -> dict[str, str]:
    return dict(Dossier.objects.filter(source=SOURCE).values_list("dossier_code", "status"))


@pytest.mark.usefixtures("geo")
def test_the_first_pull_creates_and_the_next_finds_nothing_new(
    fake: FakeOneStop, pulled: PullSource
) -> None:
    report, state = _pull()
    assert (report.status, report.received, report.created, report.rejected) == ("done", 60, 60, 0)
    assert report.not_located < 60
    assert state.cursor == "60" and state.last_status == "done" and state.last_error == ""
    run = IngestRun.objects.get(pk=report.run_id)
    assert (run.kind, run.details["pages"], run.details["cursor_from"]) == ("pull", 3, "")
    assert state.last_run_id == run.pk
    assert set(_statuses()) == {d["MaHoSo"] for d in fake.records()}
    raw = json.dumps(list(RawRecord.objects.values_list("raw", flat=True)), ensure_ascii=False)
    assert fake.records()[0]["ChuHoSo"] not in raw and "0900000001" not in raw
    again, state = _pull()
    assert (again.status, again.received, again.created, again.updated) == ("done", 0, 0, 0)
    assert state.cursor == "60"
    assert IngestRun.objects.filter(kind="pull").count() == 2
    assert Dossier.objects.count() == 60


def test_a_status_change_at_the_source_flows_through(fake: FakeOneStop, pulled: PullSource) -> None:
    _pull()
    moved = fake.advance(5)
    report, state = _pull()
    assert (report.received, report.updated, report.unchanged, report.created) == (5, 5, 0, 0)
    assert state.cursor == "65"
    statuses = _statuses()
    assert {statuses[code] for code in moved} == {"finished"}
    assert sum(1 for s in statuses.values() if s == "finished") == 5
    source = {d["MaHoSo"]: d for d in fake.records()}
    dossier = Dossier.objects.get(dossier_code=moved[0])
    assert dossier.finished_at == dt.datetime.fromisoformat(source[moved[0]]["NgayKetThucXuLy"])
    fake.advance(2)  # the first two move on again: result returned
    _pull()
    assert _statuses()[moved[0]] == "returned"


def test_a_source_answering_500_fails_the_run_and_keeps_the_cursor(
    fake: FakeOneStop, pulled: PullSource
) -> None:
    _pull()
    fake.advance(3)
    fake.fail_status = 500
    report, state = _pull()
    assert report.status == "failed"
    assert "HTTP 500" in report.message and "Internal Server Error" in report.message
    assert (state.cursor, state.last_status) == ("60", "failed")
    assert "HTTP 500" in state.last_error
    assert IngestRun.objects.get(pk=report.run_id).status == "failed"
    assert "finished" not in _statuses().values()
    fake.fail_status = None
    report, state = _pull()
    assert (report.updated, state.cursor, state.last_error) == (3, "63", "")


def test_a_failure_midway_keeps_what_was_read_and_loses_nothing(
    fake: FakeOneStop, pulled: PullSource
) -> None:
    fake.fail_status, fake.fail_from_page = 503, 2
    report, state = _pull()
    assert (report.status, report.received, report.created) == ("failed", 25, 25)
    assert state.cursor == ""
    fake.fail_status = None
    report, state = _pull()
    assert (report.received, report.created, report.unchanged) == (60, 35, 25)
    assert state.cursor == "60" and Dossier.objects.count() == 60


def test_a_source_that_times_out_fails_the_run(fake: FakeOneStop, pulled: PullSource) -> None:
    fake.delay = 3.0
    report, state = _pull(timeout=0.3)
    assert report.status == "failed"
    assert "Timed out after 0.3 s" in report.message and "Quá thời gian chờ" in report.message
    assert (state.cursor, state.last_status) == ("", "failed")
    assert Dossier.objects.count() == 0


def test_an_unreachable_source_fails_the_run(db: None) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pull_source_add(
        system="public_services",
        source=SOURCE,
        url=f"http://127.0.0.1:{port}/api/hoso",
        every_minutes=5,
    )
    report, state = _pull()
    assert report.status == "failed" and "Cannot reach the source" in report.message
    assert state.last_error == report.message


def test_the_loop_pulls_what_is_due_and_stops(fake: FakeOneStop, feed: str) -> None:
    pull_source_add(system="public_services", source=SOURCE, url=feed, every_minutes=5)
    later = pull_source_add(system="public_services", source="later", url=feed, every_minutes=5)
    PullSource.objects.filter(pk=later.pk).update(last_started_at=timezone.now())
    stop = threading.Event()
    lines: list[str] = []

    def progress(line: str) -> None:
        lines.append(line)
        stop.set()

    assert pull_loop(stop=stop, timeout=5.0, progress=progress) == 1
    assert "nhận 60" in lines[0]
    assert PullSource.objects.get(source=SOURCE).cursor == "60"
    assert PullSource.objects.get(source="later").cursor == ""
    assert not Dossier.objects.filter(source="later").exists()


def test_the_loop_prunes_raw_rows_past_their_retention_once_a_day(db: None) -> None:
    old = IngestRun.objects.create(system="public_services", source=SOURCE, status="done")
    RawRecord.objects.bulk_create(
        RawRecord(run=old, row=n, outcome=RawRecord.Outcome.CREATED) for n in (1, 2)
    )
    IngestRun.objects.filter(pk=old.pk).update(started_at=timezone.now() - dt.timedelta(days=181))
    stop, lines = threading.Event(), []

    def progress(line: str) -> None:
        lines.append(line)
        stop.set()

    assert pull_loop(stop=stop, progress=progress) == 0  # no source to pull
    assert lines == [
        "Đã xóa 2 dòng thô của 1 lượt nhập cũ hơn 180 ngày — "
        "pruned 2 raw rows of 1 runs older than 180 days."
    ]
    assert not RawRecord.objects.filter(run=old).exists()


def test_adding_a_source_checks_what_it_names(feed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(InvalidInput, match="http"):
        pull_source_add(
            system="public_services", source=SOURCE, url="file:///etc/passwd", every_minutes=5
        )
    with pytest.raises(NotFound, match="nope"):
        pull_source_add(system="nope", source=SOURCE, url=feed, every_minutes=5)
    monkeypatch.setitem(systems.adapters._items, "other", dataclasses.replace(SYSTEM, name="other"))
    assert isinstance(puller_get("other"), ChangeFeedPuller)  # no pull module: the change feed
    with pytest.raises(NotFound, match="no pull adapter"):
        puller_get("nope")
    first = pull_source_add(system="public_services", source=SOURCE, url=feed, every_minutes=5)
    PullSource.objects.filter(pk=first.pk).update(cursor="42")
    changed = pull_source_add(system="public_services", source=SOURCE, url=feed, every_minutes=9)
    assert (changed.pk, changed.every_minutes, changed.cursor) == (first.pk, 9, "42")
    IngestRun.objects.create(system="other", source="taken")
    with pytest.raises(Conflict, match="other"):
        pull_source_add(system="public_services", source="taken", url=feed, every_minutes=5)
    with pytest.raises(NotFound, match=SOURCE):
        pull_run(source="unknown", progress=lambda _: None)


def test_the_pull_command_adds_runs_and_lists(fake: FakeOneStop, feed: str) -> None:
    out = io.StringIO()
    call_command("pull", "add", "public_services", SOURCE, feed, "--every", "1", stdout=out)
    call_command("pull", "run", SOURCE, stdout=out)
    text = out.getvalue()
    assert "trang / page 3: 10 bản ghi / records" in text
    assert "nhận 60, tạo 60" in text
    listing = io.StringIO()
    call_command("pull", "list", stdout=listing)
    assert "cursor '60'" in listing.getvalue() and "xong / done" in listing.getvalue()
    fake.fail_status = 502
    fake.advance(1)
    with pytest.raises(CommandError, match="HTTP 502"):
        call_command("pull", "run", SOURCE, stdout=io.StringIO())


def test_a_stopped_source_is_not_pulled_until_added_again(fake: FakeOneStop, feed: str) -> None:
    out = io.StringIO()
    call_command("pull", "add", "public_services", SOURCE, feed, "--every", "1", stdout=out)
    call_command("pull", "run", SOURCE, stdout=out)
    call_command("pull", "stop", SOURCE, stdout=out)
    assert "no longer pulling motcua-tinh" in out.getvalue()
    fake.advance(3)
    pulled = PullSource.objects.get(source=SOURCE)
    assert not pulled.active and pulled.cursor == "60"  # its place in the feed is kept
    hour_later = timezone.now() + dt.timedelta(hours=1)
    assert pull_sources_due(now=hour_later) == []
    pull_source_add(system="public_services", source=SOURCE, url=feed, every_minutes=1)
    assert [p.source for p in pull_sources_due(now=hour_later)] == [SOURCE]
    report, state = _pull()
    assert (report.received, state.cursor) == (3, "63")  # on from where it stopped
    with pytest.raises(CommandError, match="No pull source nowhere; known: motcua-tinh"):
        call_command("pull", "stop", "nowhere", stdout=io.StringIO())


def test_make_runs_pulls_are_one_per_registered_fake(db: None) -> None:
    call_command("fake-source", "pulls", "--port", "9876", stdout=io.StringIO())
    pulls = {(p.system, p.source, p.url, p.every_minutes) for p in PullSource.objects.all()}
    assert {
        ("public_services", "demo-motcua", "http://127.0.0.1:9876/api/hoso", 1),
        ("documents", "demo-vanban", "http://127.0.0.1:9876/api/vanban", 1),
    } <= pulls
    assert len(pulls) == sum(1 for system, _ in fakes.items() if system_get(system).demo_source)
