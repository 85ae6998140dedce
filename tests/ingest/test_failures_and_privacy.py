"""What a failed run keeps (a clear message, never the database's words), what raw rows keep
(mapped columns only, unless the system allows more), and runs whose process died."""

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections
from rest_framework.test import APIClient

from gisioc.geo.models import Role, UserAccess
from gisioc.ingest import systems
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.models import IngestRun, PullSource, RawRecord
from gisioc.ingest.pull.loop import pull_loop
from gisioc.ingest.pull.services import BROKE, pull_run, pull_source_add
from gisioc.ingest.runs import INTERRUPTED, RUN_LOCK, runs_interrupted_close
from gisioc.ingest.services import ingest_file
from gisioc.public_services.fake import FakeOneStop
from gisioc.public_services.ingest import SYSTEM
from gisioc.public_services.models import Dossier
from tests.ingest.test_push_api import _record

pytestmark = pytest.mark.django_db
NAME = "Trần Thị Bình"  # a citizen named in a free-text column
NOTE = f"gọi lại cho bà {NAME} trước 5 giờ"
DATABASE_WORDS = ("LINE 1", "invalid input syntax", "DataError", "SELECT", "Traceback", "/tmp")


def _rules_that_break(values: dict[str, Any]) -> list[Any]:
    """A rule with a bug: a real statement PostgreSQL refuses."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'not a number'::int")
    return []


@pytest.fixture
def fragile(monkeypatch: pytest.MonkeyPatch) -> str:
    """A system like public services whose rule fails in the database."""
    system = dataclasses.replace(SYSTEM, name="fragile", rules=_rules_that_break)
    monkeypatch.setitem(systems.adapters._items, "fragile", system)
    return "fragile"


def _staff() -> APIClient:
    user = get_user_model().objects.create_user("planner", password="pw-123456")
    UserAccess.objects.create(user=user, role=Role.PLANNER)
    client = APIClient()
    client.force_authenticate(user)
    return client


def _push(key: str, records: list[dict[str, Any]], system: str = "public_services") -> Any:
    return APIClient(raise_request_exception=False).post(
        f"/api/ingest/{system}/batches/",
        data=json.dumps({"idempotency_key": "b1", "records": records}, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )


def test_a_failed_push_keeps_a_clear_message_and_logs_the_detail(
    fragile: str, caplog: pytest.LogCaptureFixture
) -> None:
    key = source_key_create(system=fragile, source="fr-src")[1]
    answer = _push(key, [_record(1)], system=fragile)
    assert answer.status_code == 500
    assert "invalid input syntax" not in answer.content.decode()
    run = IngestRun.objects.get()
    assert run.status == "failed"
    assert run.message.startswith("Lỗi hệ thống khi nhập")
    assert f"run #{run.pk}" in run.message
    shown = json.dumps(_staff().get(f"/api/ingest/runs/{run.pk}/").json(), ensure_ascii=False)
    for words in (*DATABASE_WORDS, "ProgrammingError"):
        assert words not in shown and words not in run.message, words
    assert f"ingest run #{run.pk} failed" in caplog.text
    assert "invalid input syntax" in caplog.text  # the detail stays on the server
    assert RawRecord.objects.count() == 0  # the chunk was rolled back whole


def test_a_failed_pull_keeps_a_clear_message(fragile: str) -> None:
    with fake_serving(FakeOneStop(days=1, per_day=5, max_page=5)) as url:
        pull_source_add(system=fragile, source="fr-pull", url=url, every_minutes=5)
        with pytest.raises(Exception, match="not a number"):
            pull_run(source="fr-pull", timeout=5.0, progress=lambda _: None)
    pulled = PullSource.objects.get(source="fr-pull")
    assert (pulled.cursor, pulled.last_status) == ("", "failed")
    assert pulled.last_error == " — ".join(BROKE)
    run = IngestRun.objects.get(kind="pull")
    for words in DATABASE_WORDS:
        assert words not in run.message and words not in pulled.last_error, words


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log record of every logger, down to DEBUG."""
    with caplog.at_level(logging.DEBUG):
        yield caplog


def _stored_anywhere() -> str:
    return json.dumps(
        [
            list(RawRecord.objects.values()),
            list(IngestRun.objects.values()),
            list(Dossier.objects.values()),
        ],
        ensure_ascii=False,
        default=str,
    )


@pytest.mark.usefixtures("geo")
def test_a_name_in_a_free_text_column_is_found_nowhere(
    tmp_path: Path, logged: pytest.LogCaptureFixture
) -> None:
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    records = [
        _record(1, GhiChu=NOTE),
        _record(2, "Lạ lùng", GhiChu=NOTE),  # a rejected row keeps no more than a good one
    ]
    pushed = _push(key, records)
    assert pushed.status_code == 201
    path = tmp_path / "export.csv"
    rows = [_record(3, GhiChu=NOTE), _record(4, "Lạ lùng", GhiChu=NOTE)]
    lines = [",".join(rows[0]), *(",".join(f'"{v}"' for v in row.values()) for row in rows)]
    path.write_text("\n".join(lines), encoding="utf-8")
    filed = ingest_file(system="public_services", path=path, progress=lambda _: None)
    assert (filed.created, filed.rejected) == (1, 1)
    staff = _staff()
    answers = [
        pushed.content.decode(),
        staff.get(f"/api/ingest/runs/{pushed.json()['run']}/").content.decode(),
        staff.get(f"/api/ingest/runs/{filed.run_id}/").content.decode(),
        staff.get("/api/ingest/runs/").content.decode(),
        json.dumps(filed.as_dict(), ensure_ascii=False, default=str),
    ]
    for place in (_stored_anywhere(), *answers, logged.text):
        assert NAME not in place and "gọi lại" not in place
        assert "Nguyễn Văn An" not in place and "0905123456" not in place  # personal columns
    assert "GhiChu" in pushed.json()["columns"]["ignored"]  # named, so staff know it came
    raw = RawRecord.objects.get(run_id=pushed.json()["run"], row=2).raw
    assert raw["TrangThaiHoSo"] == "Lạ lùng" and "GhiChu" not in raw


def test_a_system_may_allow_a_free_text_column_in_raw_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    allowing = dataclasses.replace(SYSTEM, raw_extra=("ghi chu",))
    monkeypatch.setitem(systems.adapters._items, "public_services", allowing)
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    body = _push(key, [_record(1, GhiChu="gấp")]).json()
    assert body["columns"]["kept"] == ["GhiChu"]
    assert RawRecord.objects.get(run_id=body["run"]).raw["GhiChu"] == "gấp"


def _screened(values: dict[str, object]) -> dict[str, object]:
    """A screen as a system with a secret column has: the code kept only as its last part."""
    code = str(values.get("dossier_code") or "")
    return {**values, "dossier_code": f"hidden-{code[-4:]}"}


@pytest.mark.usefixtures("geo")
def test_a_screen_turns_a_row_before_anything_keeps_it(monkeypatch: pytest.MonkeyPatch) -> None:
    screening = dataclasses.replace(SYSTEM, screen=_screened)
    monkeypatch.setitem(systems.adapters._items, "public_services", screening)
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    body = _push(key, [_record(7), _record(8, "Lạ lùng")]).json()
    assert (body["created"], body["rejected"]) == (1, 1)
    assert Dossier.objects.get().external_id == "hidden-0007"
    raws = {r.row: r for r in RawRecord.objects.filter(run_id=body["run"])}
    assert raws[1].external_id == "hidden-0007" and raws[1].raw["dossier_code"] == "hidden-0007"
    assert raws[2].raw["status"] == "Lạ lùng"  # kept by field, screened, even when refused
    assert "HS-0007" not in _stored_anywhere() and "HS-0008" not in _stored_anywhere()


def test_a_system_of_aggregates_refuses_a_personal_column_whole(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    refusing = dataclasses.replace(SYSTEM, refuse_personal=True)
    monkeypatch.setitem(systems.adapters._items, "public_services", refusing)
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    answer = _push(key, [_record(1)])
    assert answer.status_code == 422  # the batch as a whole failed, nothing of it kept
    body = answer.json()
    assert "ChuHoSo" in body["vi"] and "SoDienThoai" in body["en"]
    assert "Nguyễn Văn An" not in answer.content.decode()
    path = tmp_path / "list.csv"
    path.write_text("MaHoSo,NgayTiepNhan,Họ tên\nHS-1,2025-08-04,Lê Văn Ba\n", encoding="utf-8")
    report = ingest_file(system="public_services", path=path, progress=lambda _: None)
    assert report.status == "failed" and "Họ tên" in report.message
    assert not Dossier.objects.exists() and not RawRecord.objects.exists()


def _running(batch: str | None = None) -> IngestRun:
    return IngestRun.objects.create(
        system="public_services", source="motcua-tinh", kind="push", idempotency_key=batch
    )


def test_a_run_whose_process_died_is_closed_and_a_live_one_is_not() -> None:
    orphan, alive = _running(), _running()
    other = connections.create_connection("default")  # another process's session
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK, alive.pk])
        assert runs_interrupted_close() == [orphan.pk]
        orphan.refresh_from_db()
        assert (orphan.status, orphan.message) == ("failed", " — ".join(INTERRUPTED))
        assert orphan.finished_at is not None
        assert IngestRun.objects.get(pk=alive.pk).status == "running"
    finally:
        other.close()  # the process "dies": its lock goes with its session
    deadline = time.monotonic() + 10  # the server ends the session a moment later
    while not (closed := runs_interrupted_close()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert closed == [alive.pk]


def test_a_batch_whose_run_died_may_be_sent_again_at_once() -> None:
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    dead = _running("b1")
    answer = _push(key, [_record(1)])
    assert answer.status_code == 201, answer.content  # not a 409 after waiting for it
    dead.refresh_from_db()
    assert (dead.status, dead.idempotency_key) == ("failed", None)
    assert dead.details["released_idempotency_key"] == "b1"


def test_the_pull_loop_closes_runs_whose_process_died() -> None:
    orphan = _running()
    stop, lines = threading.Event(), []

    def progress(line: str) -> None:
        lines.append(line)
        stop.set()

    pull_loop(stop=stop, progress=progress)
    assert (
        lines[0] == f"Lượt nhập #{orphan.pk} bị ngắt giữa chừng — run #{orphan.pk} was interrupted"
    )
    assert IngestRun.objects.get(pk=orphan.pk).status == "failed"
