"""Public tiles straight from WSGI, without Django's request cycle.

A map asks for dozens of tiles a second, and for a cheap tile Django's middleware, URL
resolver and per-request connection health check cost more than the tile's SQL. This wraps
the WSGI application: a well-formed GET of a public layer's tile is answered here by the same
`tile_answer` the Django view uses; anything else (restricted layers, which need the session;
bad layers, zooms or filters, which need the error pages; other paths) goes to Django as is.
So does a tile that fails here (a database outage: Django answers the 503 and logs it).
"""

import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from django.db import DatabaseError, connection

from gisioc.edge import query_problem
from gisioc.errors import OUTAGE, GisiocError
from layers.registry import registry
from tiles import cors
from tiles.requests import filters_parse
from tiles.sql import TileQuery
from tiles.views import tile_answer, tile_check

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
TILE_PATH = re.compile(
    r"^/tiles/(?P<layer>[a-z][a-z0-9-]{1,62})/(?P<z>\d{1,2})/(?P<x>\d{1,8})/(?P<y>\d{1,8})\.mvt$"
)
log = logging.getLogger("gisioc.errors")
STATUS = {200: "200 OK", 204: "204 No Content", 304: "304 Not Modified"}
# What Django's security middleware would add to the same response.
SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)


def _query(environ: dict[str, Any]) -> TileQuery | None:
    """The tile a request asks for, if it is a valid request for a public layer's tile."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    match = TILE_PATH.match(environ.get("PATH_INFO", ""))
    layer = registry.get(match["layer"]) if match else None
    if layer is None or not layer.public:
        return None
    z, x, y = int(match["z"]), int(match["x"]), int(match["y"])
    query = environ.get("QUERY_STRING", "")
    if query and query_problem(query):
        return None  # NUL or bytes that are not UTF-8: Django's edge check answers
    try:
        tile_check(z, x, y)
        params = dict(parse_qsl(query, keep_blank_values=True))
        return TileQuery(layer, z, x, y, filters_parse(layer, params))
    except GisiocError:
        return None  # Django answers with the error, in the user's language


def _asked_version(query: str) -> str | None:
    """The data version the tile's URL names (`v`), if any."""
    return dict(parse_qsl(query)).get("v") if "v=" in query else None


def _answer(q: TileQuery, environ: dict[str, Any]) -> tuple[int, dict[str, str], bytes]:
    def answer() -> tuple[int, dict[str, str], bytes]:
        return tile_answer(
            q,
            if_none_match=environ.get("HTTP_IF_NONE_MATCH"),
            gzip_ok="gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""),
            asked_version=_asked_version(environ.get("QUERY_STRING", "")),
        )

    # Django checks a kept connection before each request (a round trip); here a connection
    # the server dropped is found when used, closed, and the tile asked again on a new one.
    try:
        return answer()
    except DatabaseError:
        if connection.connection is None or connection.is_usable():
            raise
        connection.close()
        return answer()


def fast_tiles(app: WSGIApp) -> WSGIApp:
    """The WSGI app, with public tiles answered before Django sees them."""

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        q = _query(environ)
        if q is None:
            return app(environ, start_response)
        try:
            status, headers, body = _answer(q, environ)
        except GisiocError:
            return app(environ, start_response)  # Django answers with the error
        except OUTAGE:
            connection.close()  # a new one is tried on the next request
            return app(environ, start_response)  # Django answers 503 with a request id
        except Exception:
            log.warning("fast tile path failed; Django answers", exc_info=True)
            return app(environ, start_response)
        start_response(
            STATUS[status],
            [*headers.items(), *SECURITY_HEADERS, cors.HEADER, ("Content-Length", str(len(body)))],
        )
        return [body]

    return application
