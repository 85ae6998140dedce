"""The WSGI fast path for public tiles answers exactly as the Django view, and hands the rest
(restricted layers, errors, other paths) to Django."""

import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from wsgiref.util import setup_testing_defaults

import mapbox_vector_tile
import psycopg2
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load
from gisioc.geo.models import Facility
from gisioc.wsgi import django_application
from tests.tiles.test_tiles import _decode, _url
from tiles import pyramid
from tiles.fast import fast_tiles

SAME = ("ETag", "Cache-Control", "Content-Type", "Content-Encoding", "Access-Control-Allow-Origin")


class Counting:
    """Django's WSGI app, counting the requests that reach it."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        self.calls += 1
        return django_application(environ, start_response)


def _call(app: Callable, url: str, method: str = "GET", **headers: str) -> tuple:
    path, _, query = url.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(),
        **{f"HTTP_{k.upper()}": v for k, v in headers.items()},
    }
    setup_testing_defaults(environ)
    seen: dict[str, Any] = {}

    def start_response(status: str, response_headers: list, exc_info: Any = None) -> None:
        seen["status"], seen["headers"] = int(status[:3]), dict(response_headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def app() -> Iterator[Counting]:
    """Django's app as the test client runs it: connections are not closed between requests,
    which would end the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield Counting()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        _url("admin-units", 11),  # polygons and their labels
        _url("facilities", 8),  # clusters from the base grid
        _url("facilities", 15, query="kind=school"),  # a filter
        _url("facilities", 14, lon=105.0, lat=21.0),  # empty: 204
    ],
)
@pytest.mark.parametrize("caching", [True, False], ids=["cache", "no-cache"])
def test_public_tiles_come_from_the_fast_path_as_django_would_answer(
    demo: None, app: Counting, url: str, caching: bool, request: pytest.FixtureRequest
) -> None:
    if not caching:
        request.getfixturevalue("no_cache")
    status, headers, body = _call(fast_tiles(app), url, accept_encoding="gzip")
    assert app.calls == 0
    django = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert status == django.status_code
    assert body == django.content
    assert {k: headers.get(k) for k in SAME} == {k: django.headers.get(k) for k in SAME}
    assert headers["X-Content-Type-Options"] == django.headers["X-Content-Type-Options"]
    # Django's locale middleware adds Accept-Language, though a tile is the same in any language.
    assert headers["Vary"] == "Accept-Encoding" and django.headers["Vary"].startswith("Accept-Enc")
    assert headers["Content-Length"] == str(len(body))
    again = _call(fast_tiles(app), url, if_none_match=headers["ETag"])
    assert again[0] == 304 and again[2] == b""


@pytest.mark.django_db
def test_plain_clients_get_the_tile_uncompressed(demo: None, app: Counting) -> None:
    status, headers, body = _call(fast_tiles(app), _url("admin-units", 11))
    assert status == 200 and "Content-Encoding" not in headers
    assert _decode(Client().get(_url("admin-units", 11))) == mapbox_vector_tile.decode(body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "method", "status"),
    [
        ("/tiles/boundary-drafts/10/816/459.mvt", "GET", 403),  # restricted: needs the session
        ("/tiles/nope/1/0/0.mvt", "GET", 404),
        ("/tiles/admin-units/3/9/0.mvt", "GET", 400),
        ("/tiles/facilities/10/1/1.mvt?kind=zoo", "GET", 400),
        ("/tiles/admin-units/9/408/229.mvt?version=a%00", "GET", 400),  # NUL: the edge check
        ("/tiles/admin-units/9/408/229.mvt?version=%ED%A0%80", "GET", 400),  # not UTF-8
        ("/tiles/admin-units/-1/0/0.mvt", "GET", 404),
        ("/tiles/facilities/10/816/459.mvt", "HEAD", 405),
        ("/tiles/style.json", "GET", 200),
    ],
)
def test_everything_else_goes_to_django(
    demo: None, app: Counting, url: str, method: str, status: int
) -> None:
    answer = _call(fast_tiles(app), url, method=method)
    assert (answer[0], app.calls) == (status, 1)


@pytest.mark.django_db
def test_a_tile_that_cannot_be_made_now_goes_to_django_for_its_503(
    demo: None, app: Counting, no_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _call(fast_tiles(app), _url("facilities", 5))[0] == 200  # the base grid is built
    Facility.objects.filter(code__startswith="TTYT").update(name="Trạm mới")
    monkeypatch.setattr(pyramid, "build", lambda layer, version: None)  # never rebuilt
    status, _, body = _call(fast_tiles(app), _url("facilities", 5))
    assert (status, app.calls) == (503, 1)
    assert json.loads(body)["error"] == "unavailable"


@pytest.mark.django_db(transaction=True)
def test_a_dropped_database_connection_is_replaced(app: Counting) -> None:
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()
    url = _url("admin-units", 11)
    first = _call(fast_tiles(app), url)
    connection.ensure_connection()
    pid = connection.connection.get_backend_pid()
    params = connection.get_connection_params()
    admin = psycopg2.connect(**params)  # its context manager commits; it does not close
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        admin.close()
    again = _call(fast_tiles(app), url)
    assert again[0] == first[0] == 200 and again[2] == first[2]
    assert connection.connection.get_backend_pid() != pid
