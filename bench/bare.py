"""Target e, the bound: the floor's statements served over HTTP by a WSGI app of a few lines,
under the same granian, processes and threads as ours.

It does only what any Python tile endpoint must: read the path, run the tile's captured
statement on a kept psycopg2 connection, gzip the bytes as ours does, answer. No Django, no
registry, no filters, no ETag. So e/d is what HTTP through this server costs by itself, and
a/e what our code adds on top of it. The harness writes the spec file (`GISIOC_BENCH_BARE`):
the connection parameters, the gzip level and, per tile path, the statements.
"""

import gzip
import json
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg2

SPEC = json.loads(Path(os.environ["GISIOC_BENCH_BARE"]).read_text())
MVT = "application/vnd.mapbox-vector-tile"
_local = threading.local()


def _connection() -> "psycopg2.extensions.connection":
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = psycopg2.connect(**SPEC["dsn"])
        conn.autocommit = True
    return conn


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """A tile from its captured statements; 200 at / (ready), 404 for any other path."""
    path = environ["PATH_INFO"]
    if path == "/":
        start_response("200 OK", [("Content-Length", "0")])
        return [b""]
    statements = SPEC["tiles"].get(path)
    if statements is None:
        start_response("404 Not Found", [("Content-Length", "0")])
        return [b""]
    with _connection().cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
        data = cursor.fetchone()[-1]  # the tile is the statement's last column
    if not data:
        start_response("204 No Content", [])
        return [b""]
    body = gzip.compress(data, compresslevel=SPEC["gzip_level"], mtime=0)
    headers = [("Content-Type", MVT), ("Content-Encoding", "gzip")]
    start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
    return [body]
