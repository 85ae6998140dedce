"""Rendered tiles on disk, keyed by layer data version: a bumped version is never served stale."""

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from gisioc.errors import Unavailable
from gisioc.replicas.router import read_alias
from tiles import pyramid, versions
from tiles.sql import TileQuery, tile_sql

REBUILDS = 3  # a grid rebuilt this often and still behind its layer: writes keep coming
# zlib level 1 takes 40 % less time than level 5 for 5 % more bytes on the benchmark's tiles
# (2.5 instead of 4.4 ms for a 100 kB tile): a tile is compressed while its first viewer waits.
GZIP_LEVEL = 1


def tile_key(q: TileQuery, version: str) -> str:
    """A digest of everything that decides the tile's bytes; also its ETag."""
    parts = (q.layer.id, version, q.z, q.x, q.y, q.filters, q.scope)  # plain values: repr is exact
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:24]


def _root() -> Path:
    return settings.CONFIG.var_dir / "cache" / "tiles"


def _path(q: TileQuery, version: str) -> Path:
    return _root() / q.layer.id / version / str(q.z) / f"{tile_key(q, version)}.mvt.gz"


def render(q: TileQuery) -> tuple[str, bytes]:
    """The layer's data version and the gzipped tile (empty bytes for an empty tile), read by
    the tile's one SQL statement: the version comes from the snapshot the tile is drawn from.

    A low-zoom clustered tile also reads the version its base grid was built from; a grid
    behind its layer is rebuilt and the tile read again."""
    layer = q.layer
    grid = pyramid.usable(q)
    sql, params = pyramid.tile_sql(q) if grid else tile_sql(q)
    statement = f"SELECT {versions.COUNTERS_SQL}, {pyramid.BUILT_SQL if grid else 'NULL'}, ({sql})"
    params = [versions.counters_param(layer), *([layer.id] if grid else []), *params]
    alias = read_alias()  # a replica's snapshot gives the version and the bytes alike
    for _ in range(REBUILDS):
        counters, built, data = _fetchone(statement, params, alias)
        version = versions.dated(layer, counters)
        if not grid or built == version:
            return version, gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0) if data else b""
        if alias != DEFAULT_DB_ALIAS:  # a replica cannot rebuild: the primary draws this tile
            alias = DEFAULT_DB_ALIAS
            continue
        pyramid.build(layer, version)
    raise Unavailable(
        f"Lớp {layer.id} đang được cập nhật liên tục; hãy thử lại sau giây lát.",
        f"Layer {layer.id} is being updated continuously; try again in a moment.",
    )


def _fetchone(sql: str, params: list[object], alias: str = DEFAULT_DB_ALIAS) -> tuple:
    """The statement's one row. Straight on the psycopg2 connection, with Django's error
    translation: Django's cursor and its wrappers cost a tile ~0.05 ms, its Python being cold
    between tiles. Through Django's cursor only when its queries are watched (DEBUG, a test
    counting queries, the benchmark capturing the floor's statements), so they see the very
    same statement."""
    db = connections[alias]
    if db.execute_wrappers or db.queries_logged:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors, db.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def tile_get(q: TileQuery, version: str | None = None) -> tuple[str, bytes]:
    """The tile's data version and gzipped bytes: from the cache when `version` is known and
    the tile stored; else rendered, and stored under the version it was drawn from."""
    caching = settings.CONFIG.tile_cache
    if caching and version is not None:
        try:
            return version, _path(q, version).read_bytes()
        except FileNotFoundError:
            pass
    version, data = render(q)
    if caching:
        _store(_path(q, version), data)
    return version, data


def _store(path: Path, data: bytes) -> None:
    created = not path.parent.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)  # atomic: a reader sees the whole tile or none
    if created:  # first tile of a new data version: older versions can never be read again
        for old in path.parent.parent.parent.iterdir():
            if old != path.parent.parent:
                shutil.rmtree(old, ignore_errors=True)
