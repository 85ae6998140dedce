"""Limits on the expensive public endpoints, by URL group: a per-address token bucket (429)
and a few threads at once per group (503), both answered at once instead of queueing, so a
flood of profile requests never holds every server thread while tiles wait.

The buckets are taken in front of Django (`rate_limited`, wrapped in gisioc/wsgi.py): a
refusal there costs a few microseconds and no log line, where Django's request cycle costs
~0.7 ms and logs a warning each (a flood's refusals queue before the tiles in the server's
threads). The slots are taken in Django: `LimitMiddleware` around the views of a group, or
the view itself when its answers are cached (`gisioc.answers.cached`), only to compute a
missing answer, so cached answers keep flowing while the slots are full.
"""

import functools
import math
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from gisioc.errors import REQUEST_ID, Throttled, Unavailable, error_response
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


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def rate_limited(app: WSGIApp) -> WSGIApp:
    """The WSGI app, with a token of the group's bucket taken for the client's address
    before a request of a group reaches it; 429 with Retry-After when there is none."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        group = group_of(environ.get("PATH_INFO", ""))
        if group is None:
            return app(environ, start_response)
        config = settings.CONFIG
        address = client_ip(SimpleNamespace(META=environ))  # it reads the environ only
        wait = buckets.take((group.name, address), rate=config.limit_rate, burst=config.limit_burst)
        if not wait:
            return app(environ, start_response)
        status, headers, body = _refusal(max(1, math.ceil(wait)))
        # Every error names its request, this one too (made here: Django never sees it).
        given = environ.get("HTTP_X_REQUEST_ID", "")
        rid = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        body = body[:-1] + b', "request_id": "' + rid.encode() + b'"}'
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers += [("Content-Length", str(len(body))), ("X-Request-ID", rid)]
        start_response(status, headers)
        return [body]

    return application


@functools.lru_cache(maxsize=64)
def _refusal(seconds: int) -> tuple[str, list[tuple[str, str]], bytes]:
    """The 429 answer for a wait, made once: a flood asks for it thousands of times."""
    response = error_response(_throttled(seconds))
    return f"{response.status_code} {response.reason_phrase}", [*response.items()], response.content


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
    """A slot of the group around the views of a group (503 at once when they are full),
    except views that take their own (cached answers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        group = group_of(request.path_info)
        if group is None or group.slot_in_view:
            return self.get_response(request)
        try:
            with slot(group.name):
                return self.get_response(request)
        except Unavailable as exc:
            return error_response(exc)
