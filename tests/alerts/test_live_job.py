"""The live server's job: registered from gisioc/alerts/live_jobs.py every 15 s, and a run
evaluates the rules as the command does."""

import datetime as dt

import pytest
from django.utils import timezone

from gisioc.alerts.delivery import deliveries_wait
from gisioc.alerts.models import Alert
from gisioc.cameras.models import Camera, Outage
from gisioc.live.jobs import JOBS, job_run, jobs_discover
from tests.alerts.conftest import rule_make

# The job opens and closes connections as the live server's worker thread does.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_live_server_runs_the_evaluation_every_15_seconds(cameras: list[Camera]) -> None:
    assert "gisioc.alerts.live_jobs" in jobs_discover()
    job = JOBS.get("alerts.evaluate")
    assert job is not None and job.every_s == 15
    since = timezone.now() - dt.timedelta(minutes=45)
    Camera.objects.filter(pk=cameras[0].pk).update(status="offline", status_since=since)
    Outage.objects.create(camera=cameras[0], started_at=since)
    rule_make()
    assert job_run(job) and job_run(job)
    deliveries_wait()
    alert = Alert.objects.get()  # once
    assert (alert.email_status, alert.webhook_status) == ("skipped", "")
