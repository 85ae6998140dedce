"""Readers of basemap archives: range reads from one open file (PMTiles, `os.pread`, no
shared file position) or one read-only SQLite connection (MBTiles), safe across threads."""

import functools
import gzip
import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any

from pmtiles.tile import (
    Compression,
    deserialize_directory,
    deserialize_header,
    find_tile,
    zxy_to_tileid,
)

HEADER_LENGTH = 127


class PMTilesFile:
    """A PMTiles v3 archive read by `os.pread` (thread-safe), directories cached."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = open(path, "rb")  # noqa: SIM115 (kept open for the process's life)
        self.size = os.fstat(self.file.fileno()).st_size
        self.header = deserialize_header(self.read(0, HEADER_LENGTH))
        self.directory = functools.lru_cache(maxsize=256)(self._directory)

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset` (the range read every lookup goes through)."""
        return os.pread(self.file.fileno(), length, offset)

    def _directory(self, offset: int, length: int) -> list:
        return deserialize_directory(self.read(offset, length))

    def metadata(self) -> dict[str, Any]:
        """The archive's JSON metadata."""
        h = self.header
        raw = self.read(h["metadata_offset"], h["metadata_length"])
        if h["internal_compression"] == Compression.GZIP:
            raw = gzip.decompress(raw)
        return json.loads(raw or b"{}")

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes as stored, or None."""
        h = self.header
        tile_id = zxy_to_tileid(z, x, y)
        offset, length = h["root_offset"], h["root_length"]
        for _ in range(4):  # the spec's maximum depth
            entry = find_tile(self.directory(offset, length), tile_id)
            if entry is None:
                return None
            if entry.run_length > 0:
                return self.read(h["tile_data_offset"] + entry.offset, entry.length)
            offset, length = h["leaf_directory_offset"] + entry.offset, entry.length
        return None

    def first_tile(self) -> bytes | None:
        """The first tile the root directory names (a leaf's first, if it names leaves)."""
        h = self.header
        offset, length = h["root_offset"], h["root_length"]
        for _ in range(4):
            entries = self.directory(offset, length)
            if not entries:
                return None
            entry = entries[0]
            if entry.run_length > 0:
                return self.read(h["tile_data_offset"] + entry.offset, entry.length)
            offset, length = h["leaf_directory_offset"] + entry.offset, entry.length
        return None

    def close(self) -> None:
        """Close the file."""
        self.file.close()


def sqlite_open(path: Path) -> sqlite3.Connection:
    """A read-only connection (an immutable file: no locks, no journal, no writes)."""
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    return sqlite3.connect(uri, uri=True, check_same_thread=False)


class MBTilesFile:
    """An MBTiles archive: one read-only connection, its queries serialised by a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite_open(path)
        self.lock = threading.Lock()

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile's bytes as stored (MBTiles rows are TMS: y counted from the south)."""
        with self.lock:
            row = self.db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? "
                "AND tile_row = ?",
                (z, x, (1 << z) - 1 - y),
            ).fetchone()
        return bytes(row[0]) if row and row[0] else None

    def first_tile(self) -> bytes | None:
        """One tile of the archive (a sample)."""
        with self.lock:
            row = self.db.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
        return bytes(row[0]) if row and row[0] else None

    def close(self) -> None:
        """Close the connection."""
        self.db.close()


def archive_open(path: Path, fmt: str) -> "PMTilesFile | MBTilesFile":
    """A reader of the archive at `path`."""
    return PMTilesFile(path) if fmt == "pmtiles" else MBTilesFile(path)
