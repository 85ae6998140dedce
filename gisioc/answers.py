"""Answers of profiles and KPIs cached per data version, as tiles are: a repeat costs a few
milliseconds, and a write to any table the answers read makes a new key, so no answer is stale.

The key: the view's path, the accepted parameters it reads (as given), who asks (the public,
or a role with its units: an answer is never served to another scope), the language, and
the data version: the counters of every table a layer reads (records, boundaries,
crosswalks, facilities; `tiles.versions`) with the moment each last changed, and today.
Figures "as of now" (in progress, overdue) are at most GISIOC_ANSWER_CACHE_SECONDS old.

A missing answer is computed once however many ask at once (single flight), inside a slot of
its URL group (`gisioc.limits.slot`): when the slots are full it is 503 at once, while cached
answers keep flowing.
"""

import hashlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import translation
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import limits
from gisioc.geo import access
from gisioc.geo.selectors import vietnam_today
from tiles.versions import source_tables

CACHE = "answers"  # the alias in settings.CACHES

# Each table's counter and the moment it last changed: a counter alone repeats after a
# rollback or a restored backup, the moment does not.
VERSION_SQL = (
    "SELECT coalesce(string_agg(table_name || ':' || version || '@' || "
    "extract(epoch FROM changed_at)::text, ',' ORDER BY table_name), '') "
    "FROM tiles_tableversion WHERE table_name = ANY(%s)"
)


def data_version() -> str:
    """What the answers read, as of now: every versioned table's counter, and today."""
    with connection.cursor() as cursor:
        cursor.execute(VERSION_SQL, [source_tables()])
        return f"{cursor.fetchone()[0]}|{vietnam_today().isoformat()}"


def scope_key(request: Request) -> str:
    """Who asks, as far as an answer can differ: the public, or a role and its units."""
    role = access.user_role(request.user)
    if role is None:
        return "public"
    units = access.scope_unit_ids(request.user)
    return f"{role}:{'all' if units is None else ','.join(map(str, sorted(units)))}"


def answer_key(request: Request, params: tuple[str, ...], kwargs: dict[str, Any]) -> str:
    """The cache key of a request's answer (see the module's docstring)."""
    given = request.query_params
    parts = (
        request.path,
        sorted(kwargs.items()),
        [(name, given.get(name)) for name in params if name in given],
        scope_key(request),
        translation.get_language(),
        data_version(),
    )
    return "answer:" + hashlib.sha256(repr(parts).encode()).hexdigest()


_flights: dict[str, tuple[threading.Lock, int]] = {}
_flights_lock = threading.Lock()


@contextmanager
def single_flight(key: str) -> Iterator[None]:
    """One thread at a time per key: the others wait, then find the answer in the cache."""
    with _flights_lock:
        lock, waiting = _flights.get(key, (threading.Lock(), 0))
        _flights[key] = (lock, waiting + 1)
    try:
        with lock:
            yield
    finally:
        with _flights_lock:
            lock, waiting = _flights[key]
            if waiting == 1:
                del _flights[key]
            else:
                _flights[key] = (lock, waiting - 1)


View = Callable[..., Response]


def cached(group: str, *, params: tuple[str, ...]) -> Callable[[View], View]:
    """Cache a DRF view's 200 answers (apply under @api_view). `params`: the query
    parameters the view reads; an answer may depend on the user only through their role and
    units (`scope_key`)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def answer(request: Request, *args: Any, **kwargs: Any) -> Response:
            seconds = settings.CONFIG.answer_cache_seconds
            if not seconds:
                with limits.slot(group):
                    return view(request, *args, **kwargs)
            store = caches[CACHE]
            key = answer_key(request, params, kwargs)
            data = store.get(key)
            if data is not None:
                return Response(data)
            with limits.slot(group), single_flight(key):
                data = store.get(key)
                if data is not None:
                    return Response(data)
                response = view(request, *args, **kwargs)
                if response.status_code == 200:
                    store.set(key, response.data, seconds)
                return response

        return answer

    return decorate
