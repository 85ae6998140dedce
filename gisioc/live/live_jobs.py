"""The live app's own job: every minute, the dossiers that became overdue since the last tick."""

import datetime as dt

from django.utils import timezone

from gisioc.live.jobs import job_register
from gisioc.live.producers import dossiers_overdue_publish

OVERDUE_EVERY_S = 60


class OverdueTicker:
    """Remembers its last tick: each run publishes what fell due since then."""

    def __init__(self) -> None:
        self.last: dt.datetime | None = None

    def __call__(self) -> int:
        now = timezone.now()
        since = self.last or now - dt.timedelta(seconds=OVERDUE_EVERY_S)
        count = dossiers_overdue_publish(since=since, until=now)
        self.last = now  # only after success: a failed tick is covered by the next
        return count


job_register("live.dossiers_overdue", OVERDUE_EVERY_S, OverdueTicker())
