"""The floor's statements: exactly what our endpoint runs for each tile, captured, not rebuilt.

Each tile URL is requested once through Django's test client in this process (tile cache off),
with a database execute wrapper that records every statement containing ST_AsMVT — the design's
one statement per tile, which also reads the layer's data version. Every statement runs as
usual (a cluster grid build too), so capturing renders each tile once (a few seconds). This
relies only on the public tile URL and the one-ST_AsMVT-statement rule, so the floor follows
whatever the tile code does internally (e.g. tiles/pyramid.py for low-zoom clusters).
The floor then connects as Django does (`connection_params`), so session settings given in the
database OPTIONS apply to it too, and so do the run's `--pg-set` settings.
"""

from collections import Counter
from typing import Any

from bench.tileset import Tile

MARK = "ST_AsMVT"
PLAIN = (str, int, float, bool)


def capture(tiles: list[Tile]) -> tuple[list[list[list[Any]]], dict[str, Any]]:
    """Per tile, the list of [sql, params] the endpoint runs; and counts for the record."""
    from django.db import connection
    from django.test import Client

    found: list[list[Any]] = []
    other = [0]

    def wrapper(execute, sql, params, many, context):
        if MARK in sql:
            found.append([sql, list(params or [])])
        else:
            other[0] += 1
        return execute(sql, params, many, context)

    client = Client(HTTP_HOST="127.0.0.1")
    out: list[list[list[Any]]] = []
    per_tile, others, statuses = Counter(), Counter(), Counter()
    with connection.execute_wrapper(wrapper):
        for t in tiles:
            found.clear()
            other[0] = 0
            resp = client.get(t.gisioc_path(), HTTP_ACCEPT_ENCODING="gzip")
            statuses[resp.status_code] += 1
            out.append([list(s) for s in found])
            per_tile[len(found)] += 1
            others[other[0]] += 1
    stats = {
        "tile_statements_per_request": dict(sorted(per_tile.items())),
        "other_queries_per_request": dict(sorted(others.items())),
        "capture_statuses": dict(sorted(statuses.items())),
    }
    return out, stats


def connection_params(settings: dict[str, str]) -> dict[str, Any]:
    """How Django connects (host, database, OPTIONS such as `options=-c …`), plus the run's
    PostgreSQL session settings, for the floor and the bound."""
    from django.db import connection

    from bench.servers import pg_options

    params = connection.get_connection_params()
    params["options"] = f"{params.get('options', '')} {pg_options(settings)}".strip()
    return {k: v for k, v in params.items() if isinstance(v, PLAIN)}  # drop cursor_factory
