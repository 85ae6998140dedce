"""Rendered tiles on disk, keyed by layer data version: a bumped version is never served stale."""

import gzip
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from tiles import pyramid
from tiles.sql import TileQuery, tile_sql


def tile_key(q: TileQuery, version: str) -> str:
    """A digest of everything that decides the tile's bytes; also its ETag."""
    parts = [q.layer.id, version, q.z, q.x, q.y, list(q.filters), q.scope]
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:24]


def _root() -> Path:
    return settings.CONFIG.var_dir / "cache" / "tiles"


def _path(q: TileQuery, version: str, key: str) -> Path:
    return _root() / q.layer.id / version / str(q.z) / f"{key}.mvt.gz"


def render(q: TileQuery, version: str) -> bytes:
    """Run the tile's one SQL statement; the gzipped tile (empty bytes for an empty tile)."""
    if pyramid.usable(q):
        pyramid.build(q.layer, version)
        sql, params = pyramid.tile_sql(q)
    else:
        sql, params = tile_sql(q)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        data = cursor.fetchone()[0]
    return gzip.compress(bytes(data), compresslevel=5, mtime=0) if data else b""


def tile_get(q: TileQuery, version: str, key: str) -> bytes:
    """The gzipped tile from the cache, rendered and stored on a miss."""
    if not settings.CONFIG.tile_cache:
        return render(q, version)
    path = _path(q, version, key)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render(q, version)
    _store(path, data)
    return data


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
