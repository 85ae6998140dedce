"""SDF glyph ranges (MapLibre `glyphs` PBFs) rendered from the Noto Sans fonts on this host."""

import functools
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import freetype
import numpy as np
from django.conf import settings

from gisioc.errors import InvalidInput

log = logging.getLogger(__name__)

# The parameters every MapLibre/Mapbox glyph server uses (node-fontnik, font-maker, tiny-sdf).
FONT_SIZE = 24
BUFFER = 3
RADIUS = 8
CUTOFF = 0.25
RANGE_SIZE = 256
MAX_START = 65280

FONT_DIR = Path("/usr/share/fonts/truetype/noto")  # Debian package fonts-noto-core
RENDER_VERSION = "v1"  # bump when rendering changes, so cached ranges are not reused
FONTS: dict[str, str] = {
    "Noto Sans Regular": "NotoSans-Regular.ttf",
    "Noto Sans Bold": "NotoSans-Bold.ttf",
    "Noto Sans Italic": "NotoSans-Italic.ttf",
}
DEFAULT_FONT = "Noto Sans Regular"

_INF = 1e20
# FreeType's FT_Library is shared by every face freetype-py opens; faces must not be created,
# used or freed concurrently, and the server runs threads.
_freetype_lock = threading.Lock()


@dataclass(frozen=True)
class Glyph:
    """One glyph of a range: SDF bitmap plus the metrics MapLibre's shaping reads."""

    id: int
    bitmap: bytes
    width: int
    height: int
    left: int
    top: int
    advance: int


def font_for_stack(fontstack: str) -> str:
    """The first font of a comma-separated stack that we have, else the default font."""
    known = {name.casefold(): name for name in FONTS}
    for part in fontstack.split(","):
        name = known.get(part.strip().casefold())
        if name:
            return name
    return DEFAULT_FONT


def _squared_edt_1d(grid: np.ndarray, axis: int) -> np.ndarray:
    """Exact 1-D squared distance transform along an axis: min_q grid[q] + (p - q)^2."""
    n = grid.shape[axis]
    idx = np.arange(n, dtype=np.float64)
    offsets = (idx[:, None] - idx[None, :]) ** 2  # [p, q]
    if axis == 0:
        return np.min(grid[None, :, :] + offsets[:, :, None], axis=1)
    return np.min(grid[:, None, :] + offsets[None, :, :], axis=2)


def _squared_edt(grid: np.ndarray) -> np.ndarray:
    """Exact 2-D squared Euclidean distance transform (separable; brute force per axis)."""
    return _squared_edt_1d(_squared_edt_1d(grid, 0), 1)


def sdf_from_coverage(coverage: np.ndarray) -> np.ndarray:
    """SDF bytes for a coverage bitmap (0..1), padded by BUFFER, encoded as tiny-sdf does."""
    padded = np.zeros(
        (coverage.shape[0] + 2 * BUFFER, coverage.shape[1] + 2 * BUFFER), dtype=np.float64
    )
    padded[BUFFER:-BUFFER, BUFFER:-BUFFER] = coverage
    # Partly covered pixels seed the transforms with a sub-pixel edge estimate (tiny-sdf).
    edge = 0.5 - padded
    outer = np.where(padded >= 1.0, 0.0, np.where(padded <= 0.0, _INF, np.maximum(edge, 0) ** 2))
    inner = np.where(padded >= 1.0, _INF, np.where(padded <= 0.0, 0.0, np.minimum(edge, 0) ** 2))
    dist = np.sqrt(_squared_edt(outer)) - np.sqrt(_squared_edt(inner))
    alpha = np.round(255 - 255 * (dist / RADIUS + CUTOFF))
    return np.clip(alpha, 0, 255).astype(np.uint8)


def _open_face(font: str) -> freetype.Face:
    """A FreeType face for a known font, sized to FONT_SIZE px per em."""
    face = freetype.Face(str(FONT_DIR / FONTS[font]))
    face.set_char_size(FONT_SIZE * 64)
    return face


def render_glyph(face: freetype.Face, codepoint: int) -> Glyph | None:
    """The SDF glyph for a codepoint, or None when the font has no glyph for it."""
    if not face.get_char_index(codepoint):
        return None
    face.load_char(codepoint, freetype.FT_LOAD_RENDER | freetype.FT_LOAD_NO_HINTING)
    slot = face.glyph
    bitmap = slot.bitmap
    advance = int(slot.linearHoriAdvance / 65536 + 0.5)
    if bitmap.width == 0 or bitmap.rows == 0:
        return Glyph(codepoint, b"", 0, 0, 0, 0, advance)
    rows = np.array(bitmap.buffer, dtype=np.uint8).reshape(bitmap.rows, abs(bitmap.pitch))
    coverage = rows[:, : bitmap.width].astype(np.float64) / 255.0
    # node-fontnik: top = glyph top above the baseline minus the face's ascender at 24 px.
    ascender = face.size.ascender >> 6
    return Glyph(
        id=codepoint,
        bitmap=sdf_from_coverage(coverage).tobytes(),
        width=bitmap.width,
        height=bitmap.rows,
        left=slot.bitmap_left,
        top=slot.bitmap_top - ascender,
        advance=advance,
    )


# --- protobuf (glyphs.proto), written and read by hand -------------------------------------


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 63)


def _len_field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _int_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def encode_glyph(glyph: Glyph) -> bytes:
    """One `glyph` message, fields in node-fontnik's order; no bitmap for empty glyphs."""
    parts = [_int_field(1, glyph.id)]
    if glyph.width > 0:
        parts.append(_len_field(2, glyph.bitmap))
    parts += [
        _int_field(3, glyph.width),
        _int_field(4, glyph.height),
        _int_field(5, _zigzag(glyph.left)),
        _int_field(6, _zigzag(glyph.top)),
        _int_field(7, glyph.advance),
    ]
    return b"".join(parts)


def encode_glyphs(*, name: str, start: int, glyphs: list[Glyph]) -> bytes:
    """A `glyphs` message holding one fontstack with the range's glyphs."""
    stack = _len_field(1, name.encode()) + _len_field(2, f"{start}-{start + 255}".encode())
    stack += b"".join(_len_field(3, encode_glyph(g)) for g in glyphs)
    return _len_field(1, stack)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7


def _fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """(field number, value) pairs of a message; varints and length-delimited fields only."""
    out: list[tuple[int, int | bytes]] = []
    pos = 0
    while pos < len(data):
        key, pos = _read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _read_varint(data, pos)
            out.append((number, value))
        elif wire == 2:
            size, pos = _read_varint(data, pos)
            out.append((number, data[pos : pos + size]))
            pos += size
        else:
            raise ValueError(f"unsupported wire type {wire}")
    return out


def _unzigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def decode_glyphs(data: bytes) -> list[dict[str, Any]]:
    """Decode a glyphs PBF into [{name, range, glyphs: {id: Glyph}}] (for tests and tools)."""
    stacks = []
    for number, stack_bytes in _fields(data):
        if number != 1 or not isinstance(stack_bytes, bytes):
            continue
        stack: dict[str, Any] = {"name": "", "range": "", "glyphs": {}}
        for field, value in _fields(stack_bytes):
            if field in (1, 2) and isinstance(value, bytes):
                stack["name" if field == 1 else "range"] = value.decode()
            elif field == 3 and isinstance(value, bytes):
                glyph = _decode_glyph(value)
                stack["glyphs"][glyph.id] = glyph
        stacks.append(stack)
    return stacks


def _decode_glyph(data: bytes) -> Glyph:
    values: dict[int, Any] = {2: b"", 3: 0, 4: 0, 5: 0, 6: 0, 7: 0}
    values.update(_fields(data))
    return Glyph(
        id=values[1],
        bitmap=bytes(values[2]),
        width=values[3],
        height=values[4],
        left=_unzigzag(values[5]),
        top=_unzigzag(values[6]),
        advance=values[7],
    )


# --- ranges, with a disk cache under var/ and an in-memory LRU ------------------------------


def render_range(font: str, start: int) -> bytes:
    """Render the PBF of codepoints start..start+255 for a known font (no caching)."""
    with _freetype_lock:
        face = _open_face(font)
        glyphs = [g for cp in range(start, start + RANGE_SIZE) if (g := render_glyph(face, cp))]
        del face
    return encode_glyphs(name=font, start=start, glyphs=glyphs)


def cache_path(font: str, start: int) -> Path:
    """Where a rendered range is kept on disk."""
    folder = settings.CONFIG.var_dir / "cache" / "glyphs" / RENDER_VERSION / font
    return folder / f"{start}-{start + 255}.pbf"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@functools.lru_cache(maxsize=64)
def _range_cached(font: str, start: int) -> bytes:
    path = cache_path(font, start)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = render_range(font, start)
    try:
        _write_atomically(path, data)
    except OSError as exc:  # a read-only var/ must not take labels off the map
        log.warning("could not cache glyph range %s: %s", path, exc)
    return data


def glyph_range_pbf(*, fontstack: str, start: int) -> bytes:
    """The glyphs PBF for a fontstack and the 256-codepoint range beginning at start."""
    if not 0 <= start <= MAX_START or start % RANGE_SIZE:
        raise InvalidInput(
            f"Dải ký tự không hợp lệ: {start} (phải là bội số của 256, từ 0 đến {MAX_START}).",
            f"Invalid glyph range start {start} (must be a multiple of 256, 0 to {MAX_START}).",
        )
    return _range_cached(font_for_stack(fontstack), start)
