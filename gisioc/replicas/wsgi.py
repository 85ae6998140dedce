"""Per request: read a replica or the primary, keep a session that wrote on the primary, and
answer a request whose replica failed from the primary.

Outside Django's middleware, so the public tiles answered in front of Django (`tiles.fast`)
are routed as every other request. A request with an unsafe method reads and writes the
primary and its answer sets a cookie that keeps the browser's next requests on the primary
for GISIOC_READ_OWN_WRITES seconds: it sees what it just wrote, whatever a replica's lag.
A reading request that fails (5xx) after its replica went down or behind is answered again,
once, from the primary: the replica's failure never reaches the user.
"""

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from gisioc.replicas import health, router

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
COOKIE = "gisioc_primary"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger("gisioc.replicas")


def just_wrote(environ: dict[str, Any]) -> bool:
    """The request carries the cookie of a write less than GISIOC_READ_OWN_WRITES ago."""
    cookies = environ.get("HTTP_COOKIE", "")
    if COOKIE not in cookies:
        return False
    for part in cookies.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE and value.isdigit():
            return time.time() < int(value)
    return False


def _cookie() -> tuple[str, str]:
    seconds = settings.CONFIG.read_own_writes
    secure = "; Secure" if settings.SESSION_COOKIE_SECURE else ""
    value = int(time.time() + seconds) + 1
    return (
        "Set-Cookie",
        f"{COOKIE}={value}; Max-Age={int(seconds) + 1}; Path=/; HttpOnly; SameSite=Lax{secure}",
    )


def _writing(app: WSGIApp, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    router.begin(primary=True)
    if settings.CONFIG.read_own_writes <= 0:
        return app(environ, start_response)

    def marked(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return start_response(status, [*headers, _cookie()], exc_info)

    return app(environ, marked)


def _reading(app: WSGIApp, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
    reads = router.begin(primary=just_wrote(environ))
    answered: list[tuple[str, list[tuple[str, str]]]] = []
    passed = []  # once set, start_response goes through (an answer begun as it is iterated)

    def held(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        if passed or exc_info:
            return start_response(status, headers, exc_info)
        answered[:] = [(status, headers)]
        return _no_write

    body = app(environ, held)
    if not answered:
        passed.append(True)
        return body
    status, headers = answered[0]
    replica = reads.alias not in (None, DEFAULT_DB_ALIAS)
    if replica and int(status[:3]) >= 500:
        log.warning("replica %s failed a %s; answered from the primary", reads.alias, status)
        health.check(reads.alias, now=True)  # the next requests skip it if it is down or behind
        getattr(body, "close", lambda: None)()
        router.begin(primary=True)
        return app(environ, start_response)
    start_response(status, headers)
    return body


def _no_write(data: bytes) -> None:
    raise RuntimeError("the application wrote before its answer was decided")


def routed(app: WSGIApp) -> WSGIApp:
    """The WSGI app reading replicas (GISIOC_REPLICAS); the app as is without any."""
    if not router.replica_aliases():
        return app
    router.install()

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("REQUEST_METHOD", "GET") in SAFE:
            return _reading(app, environ, start_response)
        return _writing(app, environ, start_response)

    return application
