"""Glyph PBFs and the sprite: decoded, measured, served with caching, and previewed as text."""

import io
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import freetype
import numpy as np
import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from tiles import glyphs
from tiles.glyphs import (
    BUFFER,
    FONTS,
    RENDER_VERSION,
    Glyph,
    decode_glyphs,
    glyph_range_pbf,
    render_range,
)
from tiles.sprites import ICONS, sprite

PREVIEW = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "glyph-preview.png"
PREVIEW_TEXT = "Xã Duy Phú, Thị trấn Nam Phước — Đà Nẵng"
SHAPING_DEFAULT_OFFSET = -17  # MapLibre's src/symbol/shaping.ts
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
VOWELS = "aăâeêioôơuưy"


@pytest.fixture(autouse=True)
def private_glyph_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test renders into its own var/ and starts with an empty in-memory cache."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"var_dir": tmp_path})
    )
    glyphs._range_cached.cache_clear()
    yield tmp_path
    glyphs._range_cached.cache_clear()


def _stack(fontstack: str, start: int) -> dict:
    (stack,) = decode_glyphs(glyph_range_pbf(fontstack=fontstack, start=start))
    return stack


def _glyph(fontstack: str, char: str) -> Glyph:
    codepoint = ord(char)
    return _stack(fontstack, codepoint - codepoint % 256)["glyphs"][codepoint]


def _sdf(glyph: Glyph) -> np.ndarray:
    shape = (glyph.height + 2 * BUFFER, glyph.width + 2 * BUFFER)
    return np.frombuffer(glyph.bitmap, dtype=np.uint8).reshape(shape)


def _ascender(font: str) -> int:
    face = freetype.Face(str(glyphs.FONT_DIR / FONTS[font]))
    face.set_char_size(glyphs.FONT_SIZE * 64)
    return face.size.ascender >> 6


def test_latin_range_decodes_with_sensible_metrics() -> None:
    stack = _stack("Noto Sans Regular", 0)
    assert stack["name"] == "Noto Sans Regular"
    assert stack["range"] == "0-255"
    a = stack["glyphs"][ord("A")]
    assert a.width > 0 and a.height > 0 and a.advance > 0
    assert len(a.bitmap) == (a.width + 6) * (a.height + 6)
    space = stack["glyphs"][ord(" ")]
    assert (space.width, space.height, space.bitmap) == (0, 0, b"") and space.advance > 0


@pytest.mark.parametrize("font", sorted(FONTS))
def test_every_vietnamese_letter_is_covered(font: str) -> None:
    letters = {
        unicodedata.normalize("NFC", vowel + tone) for vowel in VOWELS for tone in TONES
    } | set("đbcdghklmnpqrstvx")
    letters |= {letter.upper() for letter in letters}
    for char in sorted(letters):
        assert ord(char) < 7936, char
        assert _glyph(font, char).width > 0, f"{font} lacks {char!r} U+{ord(char):04X}"
    marks = _stack(font, 768)["glyphs"]
    assert {0x300, 0x301, 0x303, 0x309, 0x323} <= marks.keys()


def test_named_vietnamese_codepoints() -> None:
    assert {0x1EA1, 0x1EF9, ord("ộ")} <= _stack("Noto Sans Regular", 7680)["glyphs"].keys()
    assert {0x111, 0x1B0, 0x1A1} <= _stack("Noto Sans Regular", 256)["glyphs"].keys()


def test_sdf_is_bright_inside_a_stem_and_dark_in_the_buffer_corners() -> None:
    for char in "lI":
        glyph = _glyph("Noto Sans Regular", char)
        sdf = _sdf(glyph)
        middle = sdf[sdf.shape[0] // 2]
        assert middle.max() > 192, (char, middle)
        assert max(sdf[0, 0], sdf[0, -1], sdf[-1, 0], sdf[-1, -1]) < 64


def test_top_is_measured_down_from_the_ascender_like_node_fontnik() -> None:
    ascender = _ascender("Noto Sans Regular")
    on_baseline = [_glyph("Noto Sans Regular", c) for c in "HxnAĐ"]
    assert {g.top - g.height for g in on_baseline} == {-ascender}
    for descending in "gạ":  # a descender, a dot below
        glyph = _glyph("Noto Sans Regular", descending)
        assert glyph.top - glyph.height < -ascender
    assert _glyph("Noto Sans Regular", "Ấ").top > _glyph("Noto Sans Regular", "A").top


def test_fontstacks_resolve_to_the_first_known_font() -> None:
    assert _stack("Noto Sans Bold,Noto Sans Regular", 0)["name"] == "Noto Sans Bold"
    assert _stack("Open Sans Regular,Noto Sans Italic", 0)["name"] == "Noto Sans Italic"
    assert _stack("Open Sans Regular", 0)["name"] == "Noto Sans Regular"


def test_bytes_are_deterministic_and_cached_on_disk(
    private_glyph_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = glyph_range_pbf(fontstack="Noto Sans Bold", start=256)
    assert render_range("Noto Sans Bold", 256) == first
    folder = private_glyph_cache / "cache" / "glyphs" / RENDER_VERSION
    cached = folder / "Noto Sans Bold" / "256-511.pbf"
    assert cached.read_bytes() == first
    glyphs._range_cached.cache_clear()
    monkeypatch.setattr(glyphs, "render_range", lambda *_: pytest.fail("re-rendered"))
    assert glyph_range_pbf(fontstack="Noto Sans Bold", start=256) == first


def test_a_range_renders_in_under_a_second() -> None:
    started = time.perf_counter()
    render_range("Noto Sans Regular", 7680)
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("start", [-256, 100, 65536])
def test_bad_range_starts_are_invalid_input(start: int) -> None:
    with pytest.raises(glyphs.InvalidInput):
        glyph_range_pbf(fontstack="Noto Sans Regular", start=start)


def _font_url(fontstack: str, first: int, last: int) -> str:
    return f"/tiles/fonts/{quote(fontstack)}/{first}-{last}.pbf"


@pytest.mark.urls("tests.tiles.asset_urls")
def test_glyph_view_serves_protobuf_with_caching(client: Client) -> None:
    url = _font_url("Noto Sans Bold,Noto Sans Regular", 7680, 7935)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-protobuf"
    assert response["Cache-Control"] == "public, max-age=86400"
    (stack,) = decode_glyphs(response.content)
    assert stack["name"] == "Noto Sans Bold" and 0x1EA1 in stack["glyphs"]
    etag = response["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}'):
        again = client.get(url, HTTP_IF_NONE_MATCH=header)
        assert again.status_code == 304 and again["ETag"] == etag and not again.content
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


@pytest.mark.urls("tests.tiles.asset_urls")
@pytest.mark.parametrize("first,last", [(0, 100), (0, 511), (100, 355), (65536, 65791)])
def test_glyph_view_rejects_bad_ranges_with_json(client: Client, first: int, last: int) -> None:
    response = client.get(_font_url("Noto Sans Regular", first, last), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and str(first) in body["message"]


@pytest.mark.urls("tests.tiles.asset_urls")
def test_sprite_views(client: Client) -> None:
    sheets = {}
    for suffix, ratio in (("", 1), ("@2x", 2)):
        index = client.get(f"/tiles/sprites/sprite{suffix}.json")
        png = client.get(f"/tiles/sprites/sprite{suffix}.png")
        assert index.status_code == png.status_code == 200
        assert index["Content-Type"] == "application/json" and png["Content-Type"] == "image/png"
        assert png["Cache-Control"] == "public, max-age=86400"
        entries = index.json()
        assert set(entries) == set(ICONS) and len(entries) == 7
        image = Image.open(io.BytesIO(png.content))
        image.load()
        for entry in entries.values():
            assert entry["width"] == entry["height"] == 24 * ratio and entry["pixelRatio"] == ratio
            assert entry["x"] + entry["width"] <= image.width
            assert entry["y"] + entry["height"] <= image.height
            icon = image.crop(
                (entry["x"], entry["y"], entry["x"] + 24 * ratio, entry["y"] + 24 * ratio)
            )
            assert icon.getchannel("A").getextrema()[1] == 255  # something opaque drawn
        sheets[ratio] = image.size
    assert sheets[2] == (sheets[1][0] * 2, sheets[1][1] * 2)
    etag = client.get("/tiles/sprites/sprite.png")["ETag"]
    assert client.get("/tiles/sprites/sprite.png", HTTP_IF_NONE_MATCH=etag).status_code == 304
    missing = client.get("/tiles/sprites/sprite@3x.png")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_sprite_bytes_are_deterministic() -> None:
    from tiles import sprites

    first = sprite(scale=2)
    sprites._sprite.cache_clear()
    assert sprite(scale=2) == first
    with pytest.raises(glyphs.InvalidInput):
        sprite(scale=3)


def _shape_line(font: str, text: str) -> tuple[np.ndarray, int, int]:
    """Lay text out as MapLibre does (pen x, line y = -17, quad at left/-top) into an SDF canvas."""
    pen, placed = 0, []
    for char in text:
        glyph = _glyph(font, char)
        if glyph.width:
            placed.append(
                (pen + glyph.left - BUFFER, SHAPING_DEFAULT_OFFSET - glyph.top - BUFFER, glyph)
            )
        pen += glyph.advance
    margin = 12
    y_min = min(y for _, y, _ in placed)
    height = max(y + g.height + 2 * BUFFER for _, y, g in placed) - y_min
    canvas = np.zeros((height + 2 * margin, pen + 2 * margin), dtype=np.uint8)
    for x, y, glyph in placed:
        top, left = y - y_min + margin, x + margin
        region = canvas[top : top + _sdf(glyph).shape[0], left : left + _sdf(glyph).shape[1]]
        np.maximum(region, _sdf(glyph), out=region)
    return canvas, margin - y_min, margin  # the anchor's (y = 0) row, and x = 0's column


def test_preview_reconstructs_vietnamese_text() -> None:
    """Writes var/screenshots/glyph-preview.png: 1x and 4x (bilinear SDF), threshold 192."""
    bands = []
    for font in sorted(FONTS):
        sdf, anchor_row, _ = _shape_line(font, PREVIEW_TEXT)
        ink = sdf >= 192
        assert ink.any()
        baseline_row = anchor_row + SHAPING_DEFAULT_OFFSET + _ascender(font)
        big = Image.fromarray(sdf).resize((sdf.shape[1] * 4, sdf.shape[0] * 4), Image.BILINEAR)
        big_ink = np.asarray(big) >= 192
        for scale, mask in ((1, ink), (4, big_ink)):
            rgb = np.full((*mask.shape, 3), 255, dtype=np.uint8)
            rgb[(anchor_row * scale) : (anchor_row * scale) + 1] = (255, 160, 160)
            rgb[(baseline_row * scale) : (baseline_row * scale) + 1] = (150, 170, 255)
            rgb[mask] = (0, 0, 0)
            bands.append(rgb)
    width = max(band.shape[1] for band in bands)
    padded = [
        np.pad(b, ((0, 6), (0, width - b.shape[1]), (0, 0)), constant_values=230) for b in bands
    ]
    PREVIEW.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.concatenate(padded)).save(PREVIEW)
