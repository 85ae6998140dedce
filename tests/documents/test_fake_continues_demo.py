"""The fake document-management software goes on with the demo's world: its registers continue
the demo's, and pulled into the demo's source, the documents the snapshot left open are closed
in place when their handling ends."""

import datetime as dt
import itertools
from collections import defaultdict

from gisioc.documents import demo
from gisioc.documents.fake import FakeDocuments
from gisioc.documents.models import Document
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.ingest.services import ingest_rows

LATER = demo.SNAPSHOT + dt.timedelta(days=12)
OPEN = ("Chờ xử lý", "Đang xử lý")


def _rank(status: str) -> int:
    return OPEN.index(status) if status in OPEN else len(OPEN)


def _open_at_snapshot() -> list[demo.Life]:
    return [life for life in demo.document_lives() if not life.settled_by(demo.SNAPSHOT)]


def test_a_document_moves_only_forward_and_the_snapshot_is_the_demo() -> None:
    rows = itertools.islice(demo.demo_document_rows(), 5000)
    for life, row in zip(demo.document_lives(), rows, strict=False):
        assert demo.row_as_of(life, demo.SNAPSHOT) == row.values
        moments = sorted({life.received, demo.SNAPSHOT, life.done or LATER, LATER})
        seen = [demo.row_as_of(life, moment) for moment in moments]
        assert [_rank(r["Trạng thái"]) for r in seen] == sorted(
            _rank(r["Trạng thái"]) for r in seen
        )
        for moment, r in zip(moments, seen, strict=True):  # completed only once it is done
            done = life.done is not None and life.done <= moment
            assert bool(r["Ngày hoàn thành"]) == (done and life.final != "Thu hồi")
    opened = _open_at_snapshot()
    assert 300 < len(opened) < 600  # a few hundred open of ~90,000, as in the demo's statuses
    later = [life.status(LATER) for life in opened]
    assert "Đã xử lý" in later and "Đang xử lý" in later  # some were done since, some are stuck


def test_the_fake_continues_the_demo_registers_and_publishes_only_news() -> None:
    demo_rows = [r.values for r in demo.demo_document_rows()]
    last_arrival: dict[tuple[str, str], int] = defaultdict(int)
    for row in demo_rows:
        if row["Số đến"]:
            key = (str(row["Cơ quan xử lý"]), str(row["Mã văn bản"]).split("/")[2])
            last_arrival[key] = max(last_arrival[key], int(row["Số đến"]))
    fake = FakeDocuments(as_of=LATER)
    published = {r["MaVanBan"]: r for r in fake.records()}
    demo_codes = {row["Mã văn bản"] for row in demo_rows}
    own = {code: r for code, r in published.items() if code not in demo_codes}
    moved = set(published) & demo_codes
    assert own and moved
    first_new: dict[tuple[str, str], int] = {}
    for r in own.values():
        assert dt.datetime.fromisoformat(r["NgayDen"]) <= LATER
        if r["SoDen"]:
            key = (r["CoQuanXuLy"], r["MaVanBan"].split("/")[2])
            first_new[key] = min(first_new.get(key, r["SoDen"]), r["SoDen"])
    assert first_new and all(n == last_arrival[k] + 1 for k, n in first_new.items())
    statuses = {row["Mã văn bản"]: row["Trạng thái"] for row in demo_rows}
    for code in moved:  # a demo document that changed since the snapshot, as it stands now
        assert published[code]["TrangThai"] != statuses[code]
        if published[code]["NgayHoanThanh"]:
            assert dt.datetime.fromisoformat(published[code]["NgayHoanThanh"]) <= LATER
    assert fake.catch_up(LATER) == []  # nothing new at the same moment
    month = LATER + dt.timedelta(days=30)
    assert fake.catch_up(month)
    arrived = [
        r for r in fake.records() if LATER < dt.datetime.fromisoformat(r["NgayDen"]) <= month
    ]
    assert len(arrived) > 1000  # a fake left running receives documents day after day
    assert fake.catch_up(month) == []


def test_a_demo_document_open_in_the_snapshot_is_closed_by_the_pull_not_copied(geo: None) -> None:
    opened = {life.code: life for life in _open_at_snapshot()}
    rows = [r for r in demo.demo_document_rows() if r.values["Mã văn bản"] in opened]
    ingest_rows(system="documents", rows=rows, source=demo.SOURCE, progress=lambda _: None)
    stored = Document.objects.filter(source=demo.SOURCE)
    assert stored.filter(completed_at__isnull=True).count() == len(opened)
    with fake_serving(FakeDocuments(as_of=LATER)) as url:
        pull_source_add(system="documents", source=demo.SOURCE, url=url, every_minutes=1)
        report = pull_run(source=demo.SOURCE, timeout=30.0, progress=lambda _: None)
    assert report.status == "done" and report.rejected == 0 and report.not_located == 0
    closed = [life for life in opened.values() if life.done and life.done <= LATER]
    assert closed  # each update is a status that changed since the snapshot
    assert report.updated == sum(
        x.status(LATER) != x.status(demo.SNAPSHOT) for x in opened.values()
    )
    assert stored.count() == len(opened) + report.created
    for life in closed:
        document = stored.get(external_id=life.code)
        assert document.completed_at == life.done.replace(second=0, microsecond=0)  # as written
        assert document.status == Document.Status.COMPLETED
    still_open = stored.filter(external_id__in=list(opened), completed_at__isnull=True)
    assert still_open.count() == len(opened) - len(closed)
