"""kill -9 in the middle of a file import and of a pull leaves nothing partial.

The real `gisioc` command runs against the test database and is killed with SIGKILL once it
has committed a few chunks. Then: every committed chunk is whole (its raw rows, its records
and the run's counts agree, in multiples of the chunk size); no record is without its run;
the pull's cursor has not moved; the run, left `running` by the dead process, is closed as
interrupted by the next run that starts (`gisioc.ingest.runs`: a live run holds an advisory
lock that dies with its process's session); and running the same command again ends with the
same records as an uninterrupted run.
"""

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.models import IngestRun, PullSource, RawRecord
from gisioc.ingest.pull.services import pull_source_add
from gisioc.ingest.runs import INTERRUPTED, RUN_LOCK
from gisioc.ingest.services import CHUNK
from gisioc.public_services.fake import FakeOneStop
from gisioc.public_services.models import Dossier
from tests.ingest.test_push_api import _record

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
GISIOC = str(Path(sys.executable).with_name("gisioc"))  # the console script of the venv
CHUNKS_BEFORE_KILL = 2


def _env() -> dict[str, str]:
    return {**os.environ, "GISIOC_DB_NAME": connection.settings_dict["NAME"]}


def _start(argv: list[str], log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [GISIOC, *argv],
            cwd=ROOT,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _kill_midway(proc: subprocess.Popen, source: str, log: Path) -> IngestRun:
    """SIGKILL the process as soon as its run has committed CHUNKS_BEFORE_KILL chunks."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        run = IngestRun.objects.filter(source=source).first()
        if run is not None and run.received >= CHUNKS_BEFORE_KILL * CHUNK:
            break
        assert proc.poll() is None, f"ended before it was killed:\n{log.read_text()[-3000:]}"
        time.sleep(0.02)
    else:
        raise AssertionError(f"never got mid-way:\n{log.read_text()[-3000:]}")
    assert proc.poll() is None, "it finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    run.refresh_from_db()
    return run


def _lock_released(run: IngestRun) -> None:
    """Wait until PostgreSQL has ended the dead process's session (and so its locks)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s::oid "
                "AND objid = %s::oid AND objsubid = 2",
                [RUN_LOCK, run.pk],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)
    raise AssertionError("the killed process's session never ended")


def _whole_chunks(run: IngestRun, source: str, total: int) -> None:
    """What the killed run committed is whole chunks, and consistent."""
    assert run.status == "running" and 0 < run.received < total  # killed mid-way
    assert run.received % CHUNK == 0, run.received
    assert RawRecord.objects.filter(run=run).count() == run.received
    stored = Dossier.objects.filter(source=source)
    assert stored.count() == run.created + run.updated == run.received - run.rejected
    assert set(stored.values_list("run_id", flat=True)) == {run.pk}  # none without its run


def _closed_as_interrupted(run: IngestRun) -> None:
    run.refresh_from_db()
    assert (run.status, run.message) == ("failed", " — ".join(INTERRUPTED))
    assert IngestRun.objects.filter(status="running").count() == 0


@pytest.fixture
def big_csv(tmp_path: Path) -> tuple[Path, int]:
    """An export of 40,000 dossiers."""
    total = 40_000
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(_record(0))
        for n in range(1, total + 1):
            writer.writerow(_record(n, MaHoSo=f"HS-{n:06d}").values())
    return path, total


def test_kill_9_in_the_middle_of_a_file_import(big_csv: tuple[Path, int], tmp_path: Path) -> None:
    path, total = big_csv
    source = "kill-file"
    argv = ["ingest", "public_services", str(path), "--source", source]
    proc = _start(argv, tmp_path / "killed.log")
    killed = _kill_midway(proc, source, tmp_path / "killed.log")
    _whole_chunks(killed, source, total)
    _lock_released(killed)

    again = subprocess.run(
        [GISIOC, *argv], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    _closed_as_interrupted(killed)  # by the second run, when it started
    rerun = IngestRun.objects.exclude(pk=killed.pk).get(source=source)
    assert (rerun.status, rerun.received) == ("done", total)
    assert (rerun.created, rerun.unchanged) == (total - killed.created, killed.created)
    assert Dossier.objects.filter(source=source).count() == total  # as one uninterrupted run
    codes = set(Dossier.objects.filter(source=source).values_list("dossier_code", flat=True))
    assert codes == {f"HS-{n:06d}" for n in range(1, total + 1)}


@pytest.fixture
def feed() -> Iterator[tuple[FakeOneStop, str]]:
    """The one-stop software's fake with 10,000 dossiers, 500 a page, a little slow."""
    fake = FakeOneStop(days=20, per_day=500, max_page=500)
    fake.delay = 0.2
    with fake_serving(fake) as url:
        yield fake, url


def test_kill_9_in_the_middle_of_a_pull(feed: tuple[FakeOneStop, str], tmp_path: Path) -> None:
    fake, url = feed
    source = "kill-pull"
    total = len(fake.records())
    assert total > (CHUNKS_BEFORE_KILL + 2) * CHUNK
    pull_source_add(system="public_services", source=source, url=url, every_minutes=5)
    argv = ["pull", "run", source, "--timeout", "30"]
    proc = _start(argv, tmp_path / "killed.log")
    killed = _kill_midway(proc, source, tmp_path / "killed.log")
    _whole_chunks(killed, source, total)
    pulled = PullSource.objects.get(source=source)
    assert pulled.cursor == "" and pulled.last_status == ""  # never past uncommitted rows
    _lock_released(killed)

    fake.delay = 0.0
    again = subprocess.run(
        [GISIOC, *argv], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600
    )
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    _closed_as_interrupted(killed)
    pulled.refresh_from_db()
    assert (pulled.last_status, pulled.cursor) == ("done", str(total))
    rerun = IngestRun.objects.get(pk=pulled.last_run_id)
    assert (rerun.status, rerun.received) == ("done", total)
    assert (rerun.created, rerun.unchanged) == (total - killed.created, killed.created)
    codes = set(Dossier.objects.filter(source=source).values_list("dossier_code", flat=True))
    assert codes == {record["MaHoSo"] for record in fake.records()}
    assert len(codes) == total
