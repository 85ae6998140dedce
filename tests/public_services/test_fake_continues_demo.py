"""The fake one-stop software goes on with the demo's world: pulled into the demo's source, the
dossiers the snapshot left open move on, and the days after the demo fill with new ones, as
the real software would show them at that moment."""

import datetime as dt
import itertools

from gisioc import workdays
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.ingest.services import ingest_rows
from gisioc.public_services import demo
from gisioc.public_services.fake import FakeOneStop
from gisioc.public_services.models import Dossier

LATER = demo.SNAPSHOT + dt.timedelta(days=12)
STEPS = ("Chờ bổ sung", "Đang giải quyết", "Tạm dừng", "Đã giải quyết", "Đã trả kết quả")


def _open_at_snapshot(n: int) -> list[demo.Life]:
    """The last n demo dossiers not yet finished in the snapshot."""
    lives = list(demo.demo_lives())
    return [life for life in lives if life.finished and life.finished > demo.SNAPSHOT][-n:]


def test_a_dossier_moves_only_forward_and_the_snapshot_is_the_demo() -> None:
    rows = {
        r.values["Mã hồ sơ"]: r.values for r in itertools.islice(demo.demo_dossier_rows(), 3000)
    }
    for life in itertools.islice(demo.demo_lives(), 3000):
        assert demo.row_as_of(life, demo.SNAPSHOT) == rows[life.code]
        if life.finished is None:
            continue  # cancelled at receipt
        seen = [
            demo.row_as_of(life, moment)["Trạng thái"]
            for moment in (life.received, life.finished, life.returned or life.finished, LATER)
        ]
        assert [STEPS.index(s) for s in seen] == sorted(STEPS.index(s) for s in seen)
    for life in _open_at_snapshot(50):  # their futures come from their own generators
        assert life.finished > demo.SNAPSHOT and life.waiting in STEPS[:3]


def test_the_fake_publishes_what_changed_since_the_snapshot_then_only_news() -> None:
    fake = FakeOneStop(days=3, per_day=20, as_of=LATER)
    published = {d["MaHoSo"]: d for d in fake.records()}
    unsettled = {x.code: x for x in demo.demo_lives() if not x.settled_by(demo.SNAPSHOT)}
    demo_codes = set(unsettled)
    moved = set(published) & demo_codes
    assert moved  # each as it stands at LATER, which is not as it stood in the snapshot
    for code in moved:
        now, then = (
            demo.row_as_of(unsettled[code], t)["Trạng thái"] for t in (LATER, demo.SNAPSHOT)
        )
        assert published[code]["TrangThaiHoSo"] == now != then
    assert len(demo_codes - moved) > 0  # the rest had not moved on by LATER, and are not sent
    own = set(published) - demo_codes
    assert len(own) == 60  # three working days after the demo, all received before LATER
    for record in published.values():
        assert dt.datetime.fromisoformat(record["NgayTiepNhan"]) <= LATER
        if record["NgayKetThucXuLy"]:
            assert dt.datetime.fromisoformat(record["NgayKetThucXuLy"]) <= LATER
    assert fake.catch_up(LATER) == []  # nothing new at the same moment
    much_later = fake.catch_up(LATER + dt.timedelta(days=30))
    assert much_later and set(much_later) <= set(published) | demo_codes
    assert fake.catch_up(LATER + dt.timedelta(days=30)) == []


def test_a_demo_open_in_the_snapshot_is_closed_by_the_pull_not_copied(geo: None) -> None:
    lives = _open_at_snapshot(40)
    rows = [r for r in demo.demo_dossier_rows() if r.values["Mã hồ sơ"] in {x.code for x in lives}]
    ingest_rows(system="public_services", rows=rows, source=demo.SOURCE, progress=lambda _: None)
    assert Dossier.objects.filter(source=demo.SOURCE, finished_at__isnull=True).count() == 40
    fake = FakeOneStop(days=1, per_day=10, as_of=LATER)
    with fake_serving(fake) as url:
        pull_source_add(system="public_services", source=demo.SOURCE, url=url, every_minutes=1)
        report = pull_run(source=demo.SOURCE, timeout=10.0, progress=lambda _: None)
    assert report.status == "done" and report.rejected == 0
    closed = [life for life in lives if life.finished <= LATER]
    assert closed and report.updated >= len(closed)
    assert Dossier.objects.filter(source=demo.SOURCE).count() == 40 + report.created
    for life in closed:
        dossier = Dossier.objects.get(source=demo.SOURCE, dossier_code=life.code)
        assert dossier.finished_at == life.finished.replace(second=0, microsecond=0)  # as written
    assert Dossier.objects.filter(
        dossier_code__in=[x.code for x in lives], finished_at__isnull=True
    ).count() == len(lives) - len(closed)


def test_a_fake_left_running_receives_dossiers_day_after_day() -> None:
    fake = FakeOneStop(days=None, per_day=10, as_of=LATER)
    week = LATER + dt.timedelta(days=7)

    def received(after: dt.datetime, until: dt.datetime) -> int:
        return sum(
            after < dt.datetime.fromisoformat(r["NgayTiepNhan"]) <= until for r in fake.records()
        )

    assert received(LATER, week) == 0  # nothing from the future
    fake.catch_up(week)
    # Both moments are at 17:30, after the day's last receipt: the 7 days after LATER's count.
    days = [LATER.date() + dt.timedelta(days=n) for n in range(1, 8)]
    assert received(LATER, week) == 10 * sum(map(workdays.is_working, days)) > 0
