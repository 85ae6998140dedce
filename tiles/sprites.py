"""The map's icon sprite (MapLibre `sprite`), drawn by our own code with Pillow."""

import functools
import io
import json
from collections.abc import Callable

from PIL import Image, ImageDraw

from gisioc.errors import InvalidInput

ICON_SIZE = 24  # design units == px at @1x
SUPERSAMPLE = 8  # drawn this much larger, then box-filtered down for clean anti-aliasing
SCALES = (1, 2)

Point = tuple[float, float]
WHITE = (255, 255, 255, 255)


def _hex(colour: str) -> tuple[int, int, int, int]:
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16), 255)


class _Pen:
    """Draws in the 24-unit design space onto a supersampled canvas."""

    def __init__(self, draw: ImageDraw.ImageDraw, unit: float) -> None:
        self.draw = draw
        self.unit = unit

    def _xy(self, points: list[Point]) -> list[Point]:
        return [(x * self.unit, y * self.unit) for x, y in points]

    def polygon(self, points: list[Point], fill: tuple[int, ...]) -> None:
        """A filled polygon."""
        self.draw.polygon(self._xy(points), fill=fill)

    def circle(self, centre: Point, radius: float, fill: tuple[int, ...]) -> None:
        """A filled circle."""
        (x, y), r = self._xy([centre])[0], radius * self.unit
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=fill)

    def rect(self, box: tuple[float, float, float, float], fill: tuple[int, ...]) -> None:
        """A filled, slightly rounded rectangle (x0, y0, x1, y1)."""
        x0, y0 = self._xy([box[:2]])[0]
        x1, y1 = self._xy([box[2:]])[0]
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=0.4 * self.unit, fill=fill)

    def stroke(self, points: list[Point], width: float, fill: tuple[int, ...]) -> None:
        """A polyline with round caps and joins."""
        self.draw.line(self._xy(points), fill=fill, width=round(width * self.unit), joint="curve")
        for point in points:
            self.circle(point, width / 2, fill)


def _badge(pen: _Pen, colour: tuple[int, ...]) -> None:
    pen.circle((12, 12), 11.6, (0, 0, 0, 70))  # soft edge so white rims read on light maps
    pen.circle((12, 12), 11, WHITE)
    pen.circle((12, 12), 9.5, colour)


def _school(pen: _Pen, colour: tuple[int, ...]) -> None:
    """A graduation cap."""
    pen.polygon([(8, 11.5), (16, 11.5), (16, 15.3), (12, 16.8), (8, 15.3)], WHITE)
    pen.polygon([(4.6, 10.2), (12, 6.6), (19.4, 10.2), (12, 13.8)], WHITE)
    pen.stroke([(7.6, 11.9), (12, 14.5), (16.4, 11.9)], 0.7, colour)
    pen.stroke([(17.8, 11), (17.8, 15)], 0.9, WHITE)


def _health(pen: _Pen, colour: tuple[int, ...]) -> None:
    """A medical cross."""
    pen.rect((10.2, 6, 13.8, 18), WHITE)
    pen.rect((6, 10.2, 18, 13.8), WHITE)


def _camera(pen: _Pen, colour: tuple[int, ...]) -> None:
    """A video camera."""
    pen.rect((4.8, 8.4, 14.2, 15.6), WHITE)
    pen.polygon([(13.6, 12), (19.4, 8.4), (19.4, 15.6)], WHITE)
    pen.circle((8, 12), 1.5, colour)


def _one_stop(pen: _Pen, colour: tuple[int, ...]) -> None:
    """A form with a tick: a one-stop administrative service office."""
    pen.polygon([(7, 5.5), (14.5, 5.5), (17, 8), (17, 18.5), (7, 18.5)], WHITE)
    pen.stroke([(9.4, 12.6), (11.4, 14.8), (14.8, 10)], 1.5, colour)


def _agency(pen: _Pen, colour: tuple[int, ...]) -> None:
    """A columned public building."""
    pen.polygon([(5, 9.6), (12, 5.4), (19, 9.6)], WHITE)
    for x in (7, 11, 15):
        pen.rect((x, 10.6, x + 2, 16), WHITE)
    pen.rect((5, 16.8, 19, 18.8), WHITE)


def _report(pen: _Pen, colour: tuple[int, ...]) -> None:
    """An exclamation mark: a citizen's report."""
    pen.polygon([(10.7, 5.6), (13.3, 5.6), (12.7, 14.2), (11.3, 14.2)], WHITE)
    pen.circle((12, 17), 1.6, WHITE)


def _marker(pen: _Pen, colour: tuple[int, ...]) -> None:
    """A generic map pin with its tip at the bottom centre."""
    outline = [(12, 23.2), (5.6, 13.6), (18.4, 13.6)]
    pen.polygon(outline, (0, 0, 0, 70))
    pen.circle((12, 9), 7.6, (0, 0, 0, 70))
    pen.polygon([(12, 22.2), (6.4, 13), (17.6, 13)], WHITE)
    pen.circle((12, 9), 7, WHITE)
    pen.polygon([(12, 20.4), (7.6, 12.8), (16.4, 12.8)], colour)
    pen.circle((12, 9), 5.7, colour)
    pen.circle((12, 9), 2.3, WHITE)


Drawer = Callable[[_Pen, tuple[int, ...]], None]
# name -> (colour, pictogram, drawn on a round badge)
ICONS: dict[str, tuple[str, Drawer, bool]] = {
    "school": ("#0072B2", _school, True),
    "health": ("#D55E00", _health, True),
    "camera": ("#000000", _camera, True),
    "one_stop": ("#009E73", _one_stop, True),
    "agency": ("#CC79A7", _agency, True),
    "report": ("#E69F00", _report, True),
    "marker": ("#56B4E9", _marker, False),
}


def icon_image(name: str, *, scale: int) -> Image.Image:
    """One icon as an RGBA image of ICON_SIZE * scale pixels."""
    colour_hex, draw_pictogram, on_badge = ICONS[name]
    colour = _hex(colour_hex)
    size = ICON_SIZE * scale * SUPERSAMPLE
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = _Pen(ImageDraw.Draw(canvas), size / ICON_SIZE)
    if on_badge:
        _badge(pen, colour)
    draw_pictogram(pen, colour)
    # Average in premultiplied alpha so transparent pixels do not darken the edges.
    return canvas.convert("RGBa").reduce(SUPERSAMPLE).convert("RGBA")


@functools.lru_cache(maxsize=len(SCALES))
def _sprite(scale: int) -> tuple[bytes, bytes]:
    side = ICON_SIZE * scale
    sheet = Image.new("RGBA", (side * len(ICONS), side), (0, 0, 0, 0))
    index: dict[str, dict[str, int]] = {}
    for i, name in enumerate(ICONS):
        sheet.paste(icon_image(name, scale=scale), (i * side, 0))
        index[name] = {"x": i * side, "y": 0, "width": side, "height": side, "pixelRatio": scale}
    png = io.BytesIO()
    sheet.save(png, format="PNG", optimize=True)
    body = json.dumps(index, sort_keys=True, separators=(",", ":")).encode()
    return body, png.getvalue()


def sprite(*, scale: int) -> tuple[bytes, bytes]:
    """The sprite's JSON index and PNG sheet at a pixel ratio of 1 or 2 (deterministic bytes)."""
    if scale not in SCALES:
        raise InvalidInput(
            f"Tỉ lệ sprite không hợp lệ: {scale} (chỉ 1 hoặc 2).",
            f"Invalid sprite scale {scale} (only 1 or 2).",
        )
    return _sprite(scale)
