"""The live server's jobs: each on its own schedule in one worker thread; a failing job is
logged and runs again, never stopping the others."""

import logging
import time

import pytest
from django.db import connection

from gisioc.live.jobs import Job, JobRunner, job_run


def test_a_failing_job_is_logged_and_the_others_keep_running(caplog) -> None:
    counts = {"good": 0}

    def good() -> None:
        counts["good"] += 1

    def bad() -> None:
        raise RuntimeError("boom")

    jobs = [Job("good", 0.05, good), Job("bad", 0.05, bad)]
    caplog.set_level(logging.ERROR, logger="gisioc.live")
    runner = JobRunner(jobs).start()
    time.sleep(0.6)
    runner.stop()
    assert not runner.thread.is_alive()
    assert counts["good"] >= 4
    assert jobs[1].failures >= 4 and jobs[1].runs == jobs[1].failures
    assert jobs[1].last_error == "RuntimeError"
    assert any("live job bad failed" in r.getMessage() for r in caplog.records)


def test_each_job_keeps_its_own_schedule() -> None:
    seen: dict[str, int] = {"fast": 0, "slow": 0}
    jobs = [
        Job("fast", 0.05, lambda: seen.__setitem__("fast", seen["fast"] + 1)),
        Job("slow", 0.4, lambda: seen.__setitem__("slow", seen["slow"] + 1)),
    ]
    runner = JobRunner(jobs).start()
    time.sleep(0.7)
    runner.stop()
    assert seen["slow"] == 1 and seen["fast"] >= 6


@pytest.mark.django_db(transaction=True)
def test_a_job_that_broke_its_connection_gets_a_fresh_one() -> None:
    def breaks() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    def reads() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0]

    assert job_run(Job("breaks", 1, breaks)) is False
    assert job_run(Job("reads", 1, reads)) is True
