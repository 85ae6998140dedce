"""The camera demo's pictures, drawn by our own code (Pillow): a few snapshots per event kind,
shared by all the demo's events of that kind (never a file per event), with the box around
what was detected, and a still per camera without a stream. JPEGs carry no metadata."""

import hashlib
import io
import os
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw

from gisioc.cameras.snapshots import SUBDIR

WIDTH, HEIGHT = 640, 360
THUMB = 320
VARIANTS = 3
SKY, ROAD, KERB = (150, 180, 205), (78, 80, 84), (170, 165, 150)
OBJECT = {
    "traffic_violation": (200, 40, 40),
    "wrong_way": (230, 140, 20),
    "crowd": (60, 60, 150),
    "flooding": (90, 120, 150),
    "fire_smoke": (110, 110, 110),
    "illegal_dumping": (90, 110, 50),
    "encroachment": (190, 120, 60),
}


@dataclass(frozen=True)
class Picture:
    """A stored demo snapshot: its file and thumbnail (media names) and the detection box."""

    snapshot: str
    thumb: str
    bbox: tuple[float, float, float, float]  # x, y, width, height as shares of the frame


def _scene(rng: random.Random) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    img = Image.new("RGB", (WIDTH, HEIGHT), SKY)
    draw = ImageDraw.Draw(img)
    horizon = rng.randint(110, 150)
    draw.rectangle((0, horizon, WIDTH, HEIGHT), fill=KERB)
    draw.polygon([(250, horizon), (390, horizon), (WIDTH, HEIGHT), (0, HEIGHT)], fill=ROAD)
    for y in range(horizon + 20, HEIGHT, 40):  # the centre line
        draw.rectangle((316, y, 324, y + 18), fill=(235, 235, 235))
    for x in (60, 160, 480, 580):  # houses along the road
        h = rng.randint(40, 90)
        draw.rectangle((x - 30, horizon - h, x + 30, horizon), fill=(200, 190, 170))
    return img, draw


def _detected(kind: str, draw: ImageDraw.ImageDraw, rng: random.Random) -> tuple[int, ...]:
    """Draw what was detected; its box in pixels (left, top, right, bottom)."""
    colour = OBJECT[kind]
    if kind == "flooding":
        top = rng.randint(220, 270)
        draw.rectangle((0, top, WIDTH, HEIGHT), fill=colour)
        for y in range(top + 8, HEIGHT, 16):
            draw.line((rng.randint(0, 200), y, rng.randint(400, 640), y), fill=(150, 180, 200))
        return (0, top, WIDTH, HEIGHT)
    if kind == "crowd":
        x0, y0 = rng.randint(120, 300), rng.randint(180, 220)
        for _ in range(14):
            x, y = x0 + rng.randint(0, 180), y0 + rng.randint(0, 80)
            draw.ellipse((x, y, x + 14, y + 14), fill=(230, 200, 170))
            draw.rectangle((x, y + 14, x + 14, y + 40), fill=colour)
        return (x0, y0, x0 + 194, y0 + 120)
    if kind == "fire_smoke":
        x0, y0 = rng.randint(380, 520), rng.randint(60, 100)
        for r in range(5):
            draw.ellipse(
                (x0 + r * 10, y0 + r * 12, x0 + 60 + r * 10, y0 + 50 + r * 12), fill=colour
            )
        draw.polygon(
            [(x0 + 30, y0 + 150), (x0 + 50, y0 + 100), (x0 + 70, y0 + 150)], fill=(240, 120, 20)
        )
        return (x0, y0, x0 + 110, y0 + 150)
    if kind == "illegal_dumping":
        x0, y0 = rng.randint(20, 120), rng.randint(230, 280)
        for _ in range(8):
            x, y = x0 + rng.randint(0, 90), y0 + rng.randint(0, 50)
            draw.rectangle((x, y, x + rng.randint(12, 30), y + rng.randint(10, 24)), fill=colour)
        return (x0, y0, x0 + 120, y0 + 74)
    if kind == "encroachment":
        x0, y0 = rng.randint(10, 80), rng.randint(170, 210)
        draw.rectangle((x0, y0, x0 + 150, y0 + 70), fill=colour)
        draw.polygon([(x0 - 10, y0), (x0 + 75, y0 - 35), (x0 + 160, y0)], fill=(220, 60, 60))
        return (x0 - 10, y0 - 35, x0 + 160, y0 + 70)
    # a vehicle: a car or a motorcycle on the road
    x0, y0 = rng.randint(230, 400), rng.randint(220, 290)
    w, h = (rng.randint(80, 110), rng.randint(45, 60)) if rng.random() < 0.5 else (34, 48)
    draw.rectangle((x0, y0, x0 + w, y0 + h), fill=colour)
    draw.ellipse((x0 + 4, y0 + h - 10, x0 + 20, y0 + h + 6), fill=(20, 20, 20))
    draw.ellipse((x0 + w - 20, y0 + h - 10, x0 + w - 4, y0 + h + 6), fill=(20, 20, 20))
    return (x0, y0, x0 + w, y0 + h + 6)


def jpeg(img: Image.Image, *, side: int = WIDTH, quality: int = 78) -> bytes:
    """The image as a JPEG no larger than `side`, without any metadata."""
    if max(img.size) > side:
        img = img.copy()
        img.thumbnail((side, side))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def event_image(kind: str, variant: int) -> tuple[Image.Image, tuple[float, float, float, float]]:
    """The drawn snapshot of one variant of an event kind, and its box as shares."""
    rng = random.Random(f"gisioc-demo-camera-picture:{kind}:{variant}")
    img, draw = _scene(rng)
    left, top, right, bottom = _detected(kind, draw, rng)
    box = (left / WIDTH, top / HEIGHT, (right - left) / WIDTH, (bottom - top) / HEIGHT)
    return img, tuple(round(max(0.0, min(1.0, v)), 4) for v in box)  # type: ignore[return-value]


def stored_name(key: str) -> str:
    """A media name for a demo picture: stable, in the shape stored snapshots have."""
    return f"{SUBDIR}/{hashlib.sha256(key.encode()).hexdigest()[:24]}.jpg"


def media_write(name: str, content: bytes) -> None:
    """Write a demo picture under the media folder unless it is there with these bytes."""
    path = Path(settings.GISIOC_MEDIA_DIR) / name
    if path.is_file() and path.read_bytes() == content:
        return
    path.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(content)
    os.chmod(tmp, 0o640)
    os.replace(tmp, path)


def pictures_write() -> dict[str, list[Picture]]:
    """Every event kind's pictures, written under the media folder; {kind: [Picture]}."""
    found: dict[str, list[Picture]] = {}
    for kind in OBJECT:
        for variant in range(VARIANTS):
            img, box = event_image(kind, variant)
            big, small = (
                stored_name(f"event:{kind}:{variant}"),
                stored_name(f"thumb:{kind}:{variant}"),
            )
            media_write(big, jpeg(img))
            media_write(small, jpeg(img, side=THUMB, quality=75))
            found.setdefault(kind, []).append(Picture(big, small, box))
    return found


def still(code: str, caption: str) -> bytes:
    """A camera's still picture (cameras without a stream): its road and its code."""
    rng = random.Random(f"gisioc-demo-camera-still:{code}")
    img, draw = _scene(rng)
    draw.rectangle((8, 8, 8 + 8 * len(caption) + 12, 30), fill=(0, 0, 0))
    draw.text((14, 12), caption, fill=(255, 255, 255))
    return jpeg(img)
