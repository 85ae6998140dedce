"""Which replicas may serve reads: up, still following the primary, and not lagging beyond
GISIOC_REPLICA_MAX_LAG; checked at most every GISIOC_REPLICA_CHECK_SECONDS per process.

Lag is an upper bound, never a guess that could let a lagging replica through: a replica that
has replayed up to the primary's current WAL position has no lag; otherwise it has everything
committed before its last replayed transaction (now − pg_last_xact_replay_timestamp()) and
everything the primary had when this process last saw it caught up. The second bound keeps
an idle primary's first write from making a caught-up replica look hours behind. The
primary's position is where its WAL is written: commits made asynchronously in the last
wal_writer_delay (×3 at most) may be missing too; a browser that wrote reads the primary.
"""

import logging
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger("gisioc.replicas")
_CHECK = """SELECT pg_is_in_recovery(), coalesce(pg_last_wal_replay_lsn() >= %s::pg_lsn, false),
                   extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())"""


@dataclass
class Status:
    """A replica as last checked: its lag bound in seconds (None: down or not following)."""

    checked: float = float("-inf")  # time.monotonic() of the check
    lag: float | None = None
    caught_up: float | None = None  # monotonic time the primary was at a position it had replayed
    checking: bool = False


_status: dict[str, Status] = {}
_lock = threading.Lock()


def _primary_lsn() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def _measure(alias: str, status: Status) -> float | None:
    """The replica's lag bound now, in seconds; None when it is down or no longer a replica."""
    seen = time.monotonic()
    primary = _primary_lsn()  # first: whatever the replica has replayed after it counts
    db = connections[alias]
    for attempt in (1, 2):  # a connection kept from before a restart fails once: a new one
        try:
            with db.cursor() as cursor:
                cursor.execute(_CHECK, [primary])
                recovering, caught_up, since_replay = cursor.fetchone()
            break
        except DatabaseError as error:
            db.close()
            if attempt == 2:
                log.warning("replica %s skipped: %s", alias, str(error).strip().splitlines()[0])
                return None
    if not recovering:
        log.warning("replica %s skipped: it is no longer in recovery (promoted?)", alias)
        return None
    if caught_up:
        status.caught_up = seen
        return 0.0
    bounds = [float(since_replay)] if since_replay is not None else []
    if status.caught_up is not None:
        bounds.append(time.monotonic() - status.caught_up)
    return max(0.0, min(bounds)) if bounds else None


def check(alias: str, *, now: bool = False) -> float | None:
    """The replica's lag bound, measured again when older than the check interval (or `now`);
    while another thread measures it, the last measure."""
    status = _status.setdefault(alias, Status())
    with _lock:
        fresh = time.monotonic() - status.checked < settings.CONFIG.replica_check_seconds
        if status.checking or (fresh and not now):
            return status.lag
        status.checking = True
    try:
        lag = _measure(alias, status)
    except DatabaseError:
        lag = None  # the primary did not answer: reads stay there and fail there
    finally:
        with _lock:
            status.checking = False
    status.lag, status.checked = lag, time.monotonic()
    return lag


def usable(alias: str, *, now: bool = False) -> bool:
    """Up, following the primary, and within GISIOC_REPLICA_MAX_LAG."""
    lag = check(alias, now=now)
    return lag is not None and lag <= settings.CONFIG.replica_max_lag


def pick(aliases: list[str]) -> str | None:
    """A usable replica, chosen at random among them (None: none is)."""
    for alias in random.sample(aliases, len(aliases)):
        if usable(alias):
            return alias
    return None
