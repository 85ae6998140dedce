"""kill -9 of `gisioc boundaries import` in the middle of the national file leaves nothing
behind: no version, no units, no data-version bump, no stage table; the same import then
succeeds. The real executable runs against the test database as its own process."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, transaction

from gisioc.geo.models import AdminUnit, BoundaryVersion
from gisioc.geo.validation import STAGE
from tests.processes import ROOT

APP = "gisioc-kill9-test"  # the import's application_name, to find its backend
SLUG = "vn-kill9"
FILE = "vietnam_2025_communes_simplified.geojson"
COMMUNES = 3321


@contextmanager
def _importing(path: Path, log: Path) -> Iterator[subprocess.Popen]:
    """The real `gisioc` command, unbuffered, its output in `log`; killed if the test fails."""
    env = {
        **os.environ,
        "GISIOC_DB_NAME": connection.settings_dict["NAME"],
        "PGAPPNAME": APP,
        "PYTHONUNBUFFERED": "1",
    }
    argv = [Path(sys.executable).with_name("gisioc"), "boundaries", "import", path, "--slug", SLUG]
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _wait(condition, what: str, proc: subprocess.Popen, log: Path, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert proc.poll() is None, f"the import ended before {what}:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"no {what} in {seconds} s:\n{log.read_text()[-3000:]}"
        time.sleep(0.05)


def _backend(where: str = "true") -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # a transaction keeps its first look
        cursor.execute(
            f"SELECT pid, state, wait_event_type, left(query, 60) FROM pg_stat_activity "
            f"WHERE application_name = %s AND {where}",
            [APP],
        )
        return cursor.fetchone()


def _state() -> tuple:
    """Everything a partial import could leave: its version, units, data versions, stage."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, version FROM tiles_tableversion WHERE table_name IN "
            "('geo_adminunit', 'geo_boundaryversion') ORDER BY 1"
        )
        versions = cursor.fetchall()
        cursor.execute("SELECT count(*) FROM pg_class WHERE relname = %s", [STAGE])
        stages = cursor.fetchone()[0]
    return (
        BoundaryVersion.objects.filter(slug=SLUG).count(),
        AdminUnit.objects.count(),
        versions,
        stages,
    )


@contextmanager
def _units_locked() -> Iterator[None]:
    """Hold geo_adminunit so the import stops at its write of units, mid-transaction (its
    version row already inserted)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE geo_adminunit IN SHARE MODE")
        yield


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def _gone() -> None:
    """The killed client's backend ends by itself (at its next reply to nobody)."""
    deadline = time.monotonic() + 300
    while _backend() is not None:
        assert time.monotonic() < deadline, f"the backend outlived its client: {_backend()}"
        time.sleep(0.1)


@pytest.fixture
def national(shared_boundaries: Path) -> Path:
    return shared_boundaries / FILE


def test_kill_9_mid_import_leaves_nothing_and_the_import_then_succeeds(
    transactional_db: None, national: Path, tmp_path: Path
) -> None:
    before = _state()

    # 1. While validating: the file staged in the transaction's temporary table.
    log = tmp_path / "validating.log"
    with _importing(national, log) as proc:
        _wait(lambda: "Kiểm tra geometry" in log.read_text(), "geometry check", proc, log)
        assert _backend("xact_start IS NOT NULL") is not None  # inside its transaction
        _kill(proc)
    assert _state() == before
    _gone()
    assert _state() == before

    # 2. While writing: the version row inserted, the units' insert waiting on our lock.
    log = tmp_path / "writing.log"
    with _units_locked(), _importing(national, log) as proc:
        _wait(lambda: _backend("wait_event_type = 'Lock'") is not None, "write", proc, log)
        assert "INSERT INTO geo_adminunit" in _backend()[3]
        _kill(proc)
    assert _state() == before
    _gone()
    assert _state() == before

    # 3. The same import again, to the end.
    log = tmp_path / "again.log"
    with _importing(national, log) as proc:
        assert proc.wait(timeout=900) == 0, log.read_text()[-3000:]
    version = BoundaryVersion.objects.get(slug=SLUG)
    assert version.status == "draft" and version.units.count() == COMMUNES
    assert len(version.report["units"]) == COMMUNES
    assert f"draft created; publish with: gisioc boundaries publish {SLUG}" in log.read_text()
