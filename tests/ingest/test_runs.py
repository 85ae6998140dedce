"""Runs: chunks and progress, a database refusal kept to its row, failures, idempotency keys."""

import dataclasses
import datetime as dt
import io
import itertools
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gisioc.errors import Conflict, InvalidInput
from gisioc.ingest import systems
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.models import IngestRun, PullSource, RawRecord
from gisioc.ingest.readers import RawRow
from gisioc.ingest.runs import run_summary
from gisioc.ingest.services import REFUSED, ingest_file, ingest_rows, mapping_profile_save
from gisioc.public_services.ingest import SYSTEM
from gisioc.public_services.models import Dossier
from gisioc.registries import check_duplicates

pytestmark = pytest.mark.django_db


def _rows(count: int, start: int = 1, status: str = "Mới tiếp nhận") -> list[RawRow]:
    return [
        RawRow(
            n,
            {
                "Mã hồ sơ": f"HS-{n:04d}",
                "Mã thủ tục": "2.000488",
                "Ngày tiếp nhận": "02/07/2025 08:00",
                "Trạng thái": status,
            },
        )
        for n in range(start, start + count)
    ]


def test_rows_go_in_chunks_with_progress() -> None:
    lines: list[str] = []
    report = ingest_rows(
        system="public_services",
        rows=_rows(7),
        source="push-a",
        chunk_size=3,
        progress=lines.append,
    )
    assert (report.status, report.received, report.created, report.not_located) == ("done", 7, 7, 7)
    assert [line.split(" —")[0].strip() for line in lines if "rows/s" in line] == [
        "3 dòng / rows",
        "6 dòng / rows",
        "7 dòng / rows",
    ]
    assert lines[0].startswith("Cột dùng / columns used: Mã hồ sơ → dossier_code")
    run = IngestRun.objects.get(pk=report.run_id)
    assert (run.kind, run.created, run.received, run.not_located) == ("push", 7, 7, 7)
    assert RawRecord.objects.filter(run=run).count() == 7


def test_a_streamed_record_without_a_required_key_is_rejected_alone() -> None:
    partial = RawRow(1, {k: v for k, v in _rows(1)[0].values.items() if k != "Mã thủ tục"})
    report = ingest_rows(
        system="public_services",
        rows=iter([partial, *_rows(2, start=2)]),  # a stream, as a pull reads its feed
        source="pull-a",
        progress=lambda _: None,
    )
    assert (report.status, report.created, report.rejected) == ("done", 2, 1)
    assert (report.errors[0].row, report.errors[0].field) == (1, "procedure_code")
    without = [RawRow(r.number, {"Mã hồ sơ": r.values["Mã hồ sơ"]}) for r in _rows(3)]
    failed = ingest_rows(  # no record names the field: the run fails, nothing is stored
        system="public_services", rows=iter(without), source="pull-a", progress=lambda _: None
    )
    assert failed.status == "failed" and "procedure_code" in failed.message
    assert Dossier.objects.count() == 2


def test_a_record_sent_twice_in_one_batch_is_stored_once() -> None:
    rows = [*_rows(2), *_rows(1, status="Đang giải quyết")]
    report = ingest_rows(
        system="public_services", rows=rows, source="push-a", progress=lambda _: None
    )
    assert (report.created, report.updated) == (2, 1)
    assert Dossier.objects.get(dossier_code="HS-0001").status == "in_progress"


def test_the_same_id_from_two_sources_is_two_records() -> None:
    for source in ("motcua-a", "motcua-b"):
        ingest_rows(system="public_services", rows=_rows(2), source=source, progress=lambda _: None)
    assert Dossier.objects.count() == 4


def test_a_database_refusal_rejects_only_its_row(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def upsert_many(rows, run):
        if any(r["dossier_code"] == "HS-0003" for r in rows):
            raise DatabaseError("value too long for type character varying(80)\nLINE 1: UPDATE …")
        return SYSTEM.upsert_many(rows, run)

    fragile = dataclasses.replace(SYSTEM, name="fragile", upsert_many=upsert_many)
    monkeypatch.setitem(systems.adapters._items, "fragile", fragile)
    report = ingest_rows(system="fragile", rows=_rows(5), source="push-a", progress=lambda _: None)
    assert (report.created, report.rejected) == (4, 1)
    assert [(e.row, e.en) for e in report.errors] == [(3, REFUSED.en)]
    stored = RawRecord.objects.get(row=3)
    assert stored.outcome == "rejected"
    assert "varying" not in json.dumps(stored.errors) and "LINE" not in json.dumps(stored.errors)
    # The database's own words go to the log only, with the run's id.
    assert f"ingest run #{report.run_id}: row refused" in caplog.text
    assert "character varying(80)" in caplog.text
    assert Dossier.objects.count() == 4


def test_a_file_that_breaks_midway_keeps_the_chunks_before(tmp_path: Path) -> None:
    path = tmp_path / "push.json"
    records = [
        {
            "ma_ho_so": f"HS-{n}",
            "ma_tthc": "2.000488",
            "ngay_tiep_nhan": "2025-07-02",
            "trang_thai": "moi",
        }
        for n in range(250)
    ]
    path.write_text(json.dumps(records)[:-1] + ', {"ma_ho_so": ', encoding="utf-8")
    report = ingest_file(
        system="public_services", path=path, chunk_size=100, progress=lambda _: None
    )
    assert (report.status, report.received, report.created) == ("failed", 250, 250)
    assert "Malformed JSON" in report.message
    run = IngestRun.objects.get(pk=report.run_id)
    assert (run.status, run.created) == ("failed", 250) and run.finished_at
    assert Dossier.objects.count() == 250


def test_an_idempotency_key_is_accepted_once_per_source() -> None:
    ingest_rows(
        system="public_services",
        rows=_rows(1),
        source="a",
        idempotency_key="k1",
        progress=lambda _: None,
    )
    with pytest.raises(Conflict, match="k1"):
        ingest_rows(
            system="public_services",
            rows=_rows(1),
            source="a",
            idempotency_key="k1",
            progress=lambda _: None,
        )
    ingest_rows(
        system="public_services",
        rows=_rows(1),
        source="b",
        idempotency_key="k1",
        progress=lambda _: None,
    )
    assert IngestRun.objects.filter(idempotency_key="k1").count() == 2


def test_register_twice_fails_the_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(systems.adapters, "duplicates", [])
    systems.register_system(SYSTEM)
    [error] = check_duplicates()
    assert "Ingest system 'public_services' is registered twice" in error.msg
    assert "gisioc/public_services/ingest.py" in error.msg
    assert "tests/ingest/test_runs.py" in error.msg


STATUSES = ("Mới tiếp nhận", "Đang giải quyết", "Tạm dừng", "Đã hủy")
SOURCES = itertools.count()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.sampled_from(STATUSES), st.integers(1, 28)), max_size=12
    )
)
def test_sending_any_batch_twice_changes_nothing(
    db: None, batch: list[tuple[int, str, int]]
) -> None:
    source = f"prop-{next(SOURCES)}"
    rows = [
        RawRow(
            n,
            {
                "Mã hồ sơ": f"HS-{code}",
                "Mã thủ tục": "2.000488",
                "Ngày tiếp nhận": f"{day:02d}/07/2025",
                "Trạng thái": status,
            },
        )
        for n, (code, status, day) in enumerate(batch, start=1)
    ]
    first = ingest_rows(system="public_services", rows=rows, source=source, progress=lambda _: None)
    stored = Dossier.objects.filter(source=source)
    assert first.created == stored.count() == len({code for code, _, _ in batch})
    before = sorted(stored.values_list("external_id", "status", "received_at"))
    again = ingest_rows(system="public_services", rows=rows, source=source, progress=lambda _: None)
    # The last row of each id is what was stored; sending the batch again replays it in order.
    assert again.created == 0 and again.received == len(batch)
    assert sorted(stored.values_list("external_id", "status", "received_at")) == before


def test_a_profile_names_only_fields_of_its_system() -> None:
    with pytest.raises(InvalidInput, match="ho_ten"):
        mapping_profile_save(system="public_services", name="x", mapping={"Họ tên": "ho_ten"})
    profile = mapping_profile_save(
        system="public_services", name="x", mapping={"Số BN": "dossier_code", "Ghi chú": None}
    )
    assert profile.mapping == {"Số BN": "dossier_code", "Ghi chú": None}


def test_raw_rows_past_their_retention_are_pruned_and_the_runs_stay() -> None:
    def quiet(rows: list[RawRow]) -> int:
        return ingest_rows(
            system="public_services", rows=rows, source="push-a", progress=lambda _: None
        ).run_id

    old, recent = quiet(_rows(3)), quiet(_rows(2, start=10))
    running = IngestRun.objects.create(system="public_services", source="push-b")
    RawRecord.objects.create(run=running, row=1, outcome=RawRecord.Outcome.CREATED)
    long_ago = timezone.now() - dt.timedelta(days=200)
    IngestRun.objects.filter(pk__in=[old, running.pk]).update(started_at=long_ago)

    out = io.StringIO()
    call_command("prune-raw", "--days", "180", stdout=out)
    assert "pruned 3 raw rows of 1 runs older than 180 days" in out.getvalue()
    assert RawRecord.objects.filter(run_id=old).count() == 0
    assert RawRecord.objects.filter(run_id=recent).count() == 2
    assert RawRecord.objects.filter(run=running).count() == 1  # still being written
    run = IngestRun.objects.get(pk=old)
    assert (run.created, run.details["columns"]["field"][0]) == (3, "Mã hồ sơ → dossier_code")
    assert run_summary(run=run)["raw_pruned_at"] == run.details["raw_pruned_at"]
    call_command("prune-raw", "--days", "180", stdout=out)
    assert out.getvalue().endswith("pruned 0 raw rows of 0 runs older than 180 days.\n")
    with pytest.raises(CommandError, match="Days must be 1 or more"):
        call_command("prune-raw", "--days", "0")


def test_a_new_demo_version_replaces_the_old_records_and_restarts_pulls() -> None:
    said: list[str] = []

    def load(key: str, rows: list[RawRow]) -> None:
        demo_ingest(
            system="public_services",
            title="demo",
            source="demo-x",
            key=key,
            rows=lambda: rows,
            progress=said.append,
        )

    def pulled(source: str, rows: list[RawRow]) -> None:
        ingest_rows(system="public_services", rows=rows, source=source, progress=lambda _: None)

    load("v1", _rows(5))
    PullSource.objects.create(
        source="demo-x", system="public_services", url="http://x/", cursor="9"
    )
    load("v1", _rows(5, start=50))  # the same version again: nothing happens
    assert said[-1] == "demo: đã có / already loaded"
    assert Dossier.objects.filter(source="demo-x").count() == 5
    pulled("demo-x", _rows(2, start=90))  # the fake's records, pulled into the demo's source
    pulled("other", _rows(1, start=70))
    load("v2", _rows(3, start=20))  # other ids: the old records must not stay beside them
    assert "previous demo version removed (7)" in said[-2]
    codes = set(Dossier.objects.filter(source="demo-x").values_list("dossier_code", flat=True))
    assert codes == {"HS-0020", "HS-0021", "HS-0022"}
    demo_runs = IngestRun.objects.filter(source="demo-x", kind="demo")
    assert list(demo_runs.values_list("idempotency_key", flat=True)) == ["v2"]
    assert PullSource.objects.get(source="demo-x").cursor == ""  # its feed is read again
    assert Dossier.objects.filter(source="other").count() == 1  # another source's: kept


def _quiet(_: str) -> None:
    """No progress lines."""


def test_purging_a_source_removes_its_records_and_runs_only_when_told() -> None:
    ingest_rows(system="public_services", rows=_rows(4), source="sai-nguon", progress=_quiet)
    ingest_rows(system="public_services", rows=_rows(2, start=9), source="dung", progress=_quiet)
    PullSource.objects.create(
        source="sai-nguon", system="public_services", url="http://x/", cursor="42"
    )
    out = io.StringIO()
    call_command("sources", "purge", "sai-nguon", stdout=out)
    assert "4 records, 1 runs" in out.getvalue() and "add --yes" in out.getvalue()
    assert Dossier.objects.filter(source="sai-nguon").count() == 4  # asked, not told: kept
    call_command("sources", "purge", "sai-nguon", "--yes", stdout=out)
    assert "removed public_services/sai-nguon: 4 bản ghi" in out.getvalue()
    assert not Dossier.objects.filter(source="sai-nguon").exists()
    assert not IngestRun.objects.filter(source="sai-nguon").exists()
    assert not RawRecord.objects.filter(run__source="sai-nguon").exists()
    pulled = PullSource.objects.get(source="sai-nguon")
    assert (pulled.active, pulled.cursor) == (False, "")  # stopped; read from the start if resumed
    assert Dossier.objects.filter(source="dung").count() == 2  # another source: untouched
    with pytest.raises(CommandError, match="No source khong-co; known: dung"):
        call_command("sources", "purge", "khong-co", "--yes")
