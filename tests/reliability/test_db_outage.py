"""A database outage and its end, against `gisioc serve` as a real process on the test database:
while the database refuses connections, the API, a tile (the fast path in front of Django) and
the style answer 503 JSON with Retry-After, each logged with its request id; once it takes
connections again, the same server process answers 200, without a restart.

The shared cluster keeps running: only the test database is closed, by refusing new
connections and ending the server's (`ALLOW_CONNECTIONS false`, `pg_terminate_backend`).
"""

import contextlib
import http.client
import json
import time
from collections.abc import Iterator

import psycopg2
from django.db import connection

from gisioc.errors import RETRY_AFTER_S
from tests.tiles import test_serve
from tests.tiles.test_serve import Served
from tests.tiles.test_tiles import _url

served = test_serve.served  # `gisioc serve` on a free port, reading the test database

URLS = ("/api/admin-units/?level=commune&limit=2", _url("admin-units", 11), "/tiles/style.json")


def _get(port: int, url: str) -> tuple[int, http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", url, headers={"Accept-Language": "en"})
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def database_closed() -> Iterator[None]:
    """The test database refuses new connections and has lost every one but this process's."""
    name = connection.settings_dict["NAME"]
    connection.ensure_connection()
    own = connection.connection.get_backend_pid()
    params = {**connection.get_connection_params(), "dbname": "postgres"}
    params.pop("database", None)
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                [name, own],
            )
        yield
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()


def test_an_outage_answers_503_and_the_server_recovers_without_restart(served: Served) -> None:
    for url in URLS:
        assert _get(served.port, url)[0] == 200, url  # connections made and kept
    with database_closed():
        for url in URLS:
            status, response, body = _get(served.port, url)
            assert status == 503, (url, body[:300])
            assert response.getheader("Retry-After") == str(RETRY_AFTER_S)
            answer = json.loads(body)
            assert answer["error"] == "unavailable" and answer["message"] == answer["en"]
            assert response.getheader("X-Request-ID") == answer["request_id"]
            for leak in (b"OperationalError", b"psycopg2", b"connection to server"):
                assert leak not in body
            deadline = time.monotonic() + 10
            while answer["request_id"] not in served.log.read_text():
                assert time.monotonic() < deadline, f"503 of {url} not logged"
                time.sleep(0.1)
    for url in URLS:
        assert _get(served.port, url)[0] == 200, url
    assert served.proc.poll() is None  # the same process throughout
