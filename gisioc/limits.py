"""Limits on the expensive public endpoints, by URL group: a per-address token bucket (429)
and a few threads at once per group (503), both answered at once instead of queueing, so a
flood of profile requests never holds every server thread while tiles wait.

`LimitMiddleware` applies both to every group; a view whose answers are cached
(`gisioc.answers.cached`) takes its group's slot itself, only to compute a missing answer,
so cached answers keep flowing while the slots are full.
"""

import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gisioc.errors import Throttled, Unavailable, error_response
from gisioc.proxy import client_ip


@dataclass(frozen=True)
class Group:
    """Endpoints limited together; `slot_in_view`: the view takes its slot (cached answers)."""

    name: str
    path: re.Pattern[str]
    slot_in_view: bool = False


BUSY_RETRY_S = 1  # a slot frees when an answer is computed: about a second
GROUPS = (
    Group("profiles", re.compile(r"^/api/profiles/"), slot_in_view=True),
    Group("kpis", re.compile(r"^/api/[a-z0-9-]+/kpis/$"), slot_in_view=True),
    Group("search", re.compile(r"^/api/search/$")),
    Group("geocode", re.compile(r"^/api/geocode/$")),
)


def group_of(path: str) -> Group | None:
    """The group a request path is limited in, if any."""
    return next((g for g in GROUPS if g.path.match(path)), None)


def _throttled(seconds: int) -> Throttled:
    return Throttled(
        f"Quá nhiều yêu cầu từ địa chỉ của bạn; hãy thử lại sau {seconds} giây.",
        f"Too many requests from your address; try again in {seconds} seconds.",
        headers={"Retry-After": str(seconds)},
    )


def _busy() -> Unavailable:
    return Unavailable(
        "Máy chủ đang bận tính các yêu cầu khác; hãy thử lại sau giây lát.",
        "The server is busy computing other requests; try again in a moment.",
        headers={"Retry-After": str(BUSY_RETRY_S)},
    )


class Buckets:
    """Token buckets by key: `burst` requests at once, then `rate` per second."""

    MAX_KEYS = 10_000  # beyond this, buckets that have filled up again are forgotten

    def __init__(self) -> None:
        self._state: dict[tuple[str, str], tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: tuple[str, str], *, rate: float, burst: int) -> float:
        """Take a token: 0 when given, else the seconds until the next one."""
        now = time.monotonic()
        with self._lock:
            tokens, then = self._state.get(key, (burst, now))
            tokens = min(burst, tokens + (now - then) * rate)
            given = tokens >= 1
            self._state[key] = (tokens - 1 if given else tokens, now)
            if len(self._state) > self.MAX_KEYS:
                self._forget_full(now, rate, burst)
            return 0.0 if given else (1 - tokens) / rate

    def _forget_full(self, now: float, rate: float, burst: int) -> None:
        self._state = {
            k: (tokens, then)
            for k, (tokens, then) in self._state.items()
            if tokens + (now - then) * rate < burst
        }

    def clear(self) -> None:
        """Forget every bucket (tests)."""
        with self._lock:
            self._state.clear()


buckets = Buckets()
_slots: dict[str, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


def _semaphore(name: str, size: int) -> threading.BoundedSemaphore:
    """The semaphore of a name at a size (a new one when the setting changed)."""
    key = f"{name}:{size}"
    with _slots_lock:
        return _slots.setdefault(key, threading.BoundedSemaphore(size))


def rate_check(group: Group, request: HttpRequest) -> None:
    """Take a token of the group's bucket for the client's address; Throttled if none."""
    config = settings.CONFIG
    wait = buckets.take(
        (group.name, client_ip(request)), rate=config.limit_rate, burst=config.limit_burst
    )
    if wait:
        raise _throttled(max(1, math.ceil(wait)))


@contextmanager
def slot(group: str) -> Iterator[None]:
    """Hold one of the group's slots and one of the process's (`limit_threads`); Unavailable
    (503) at once when either is full."""
    config = settings.CONFIG
    total = config.limit_threads or max(1, config.threads // 2)
    held = []
    try:
        for sem in (_semaphore(group, config.limit_concurrency), _semaphore("*", total)):
            if not sem.acquire(blocking=False):
                raise _busy()
            held.append(sem)
        yield
    finally:
        for sem in held:
            sem.release()


class LimitMiddleware:
    """Rate limits (429) and concurrency limits (503) on the URL groups in GROUPS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        group = group_of(request.path_info)
        if group is None:
            return self.get_response(request)
        try:
            rate_check(group, request)
            if group.slot_in_view:
                return self.get_response(request)
            with slot(group.name):
                return self.get_response(request)
        except (Throttled, Unavailable) as exc:
            return error_response(exc)
