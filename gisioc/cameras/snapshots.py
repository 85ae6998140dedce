"""Camera snapshots: base64 images sent with events, checked and re-encoded as citizens'
photos are (gisioc.feedback.media: type from the bytes, size and pixel limits, decompression
bombs and polyglots refused, no EXIF/GPS left), stored under GISIOC_MEDIA_DIR/cameras."""

import base64
import binascii
import datetime as dt
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from gisioc.errors import GisiocError, InvalidInput
from gisioc.feedback import media

SUBDIR = "cameras"
FILE_MODE = 0o640
SNAPSHOT_MAX_BYTES = 4 * media.MB  # decoded; a camera frame is far smaller
SNAPSHOT_SIDE = 1920  # stored snapshots, long side
NAME_RE = re.compile(r"[A-Za-z0-9_-]{24}\.jpg")
_DATA_URL = re.compile(r"^data:image/[a-z0-9.+-]+;base64,", re.IGNORECASE)


@dataclass(frozen=True)
class Snapshot:
    """A checked snapshot, re-encoded as JPEG (no metadata), with its thumbnail."""

    jpeg: bytes
    thumb: bytes


def snapshot_decode(text: str) -> bytes:
    """The bytes of a base64 image (a `data:image/...;base64,` prefix allowed); InvalidInput
    when it is not base64, TooLarge past the limit (judged before decoding)."""
    body = _DATA_URL.sub("", text.strip(), count=1)
    body = "".join(body.split())
    if len(body) * 3 // 4 > SNAPSHOT_MAX_BYTES:
        raise InvalidInput(
            f"ảnh nặng khoảng {len(body) * 3 // 4 / media.MB:.1f} MB, quá giới hạn "
            f"{SNAPSHOT_MAX_BYTES // media.MB} MB",
            f"the image is about {len(body) * 3 // 4 / media.MB:.1f} MB, over the "
            f"{SNAPSHOT_MAX_BYTES // media.MB} MB limit",
        )
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("không phải ảnh mã hóa base64", "not a base64-encoded image") from exc


def snapshot_check(text: str) -> Snapshot:
    """A snapshot sent as base64, checked by its content and re-encoded; InvalidInput (vi+en)
    saying why it is refused: not base64, not a JPEG/PNG/WebP photo, a video, markup or an
    archive inside, too large, too many pixels (a decompression bomb), damaged."""
    data = snapshot_decode(text)
    try:
        sniffed, image = media._inspect(data)
    except GisiocError as exc:
        raise InvalidInput(exc.vi, exc.en) from exc
    if image is None:
        raise InvalidInput(
            f"là {sniffed.content_type}, không phải ảnh JPEG, PNG hoặc WebP",
            f"is {sniffed.content_type}, not a JPEG, PNG or WebP photo",
        )
    try:
        jpeg = media._clean_jpeg(image, SNAPSHOT_SIDE)[0]
        thumb = media._clean_jpeg(image, media.THUMB_SIDE, quality=80)[0]
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            "không chuyển được ảnh sang JPEG", "the image could not be converted to JPEG"
        ) from exc
    return Snapshot(jpeg, thumb)


def snapshot_dir() -> Path:
    """The folder of stored camera snapshots, created on demand."""
    folder = Path(settings.GISIOC_MEDIA_DIR) / SUBDIR
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    return folder


def snapshot_write(content: bytes) -> str:
    """Write a JPEG under a new random name (temp file, then rename); its stored name."""
    folder = snapshot_dir()
    name = f"{secrets.token_urlsafe(18)}.jpg"
    tmp = folder / f".{name}.tmp"
    fd = os.open(
        tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE
    )
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(tmp, folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return f"{SUBDIR}/{name}"


def snapshot_path(rel: str) -> Path:
    """The absolute path of a stored name (`cameras/<random>.jpg`), never outside the dir."""
    base = Path(settings.GISIOC_MEDIA_DIR).resolve()
    path = (base / rel).resolve()
    if not path.is_relative_to(base / SUBDIR) or not NAME_RE.fullmatch(path.name):
        raise InvalidInput("Tên tệp không hợp lệ.", "Invalid file name.")
    return path


def snapshot_delete(rel: str) -> None:
    """Remove a stored snapshot, if there."""
    if rel:
        snapshot_path(rel).unlink(missing_ok=True)


def snapshots_orphans_delete(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Delete stored snapshots no camera or event names, older than `older_than` (written by
    an ingest chunk that rolled back); how many. Only where one database owns the folder."""
    from gisioc.cameras.models import Camera, CameraEvent

    folder = snapshot_dir()
    cutoff = time.time() - older_than.total_seconds()
    candidates = {
        f"{SUBDIR}/{p.name}": p
        for p in folder.iterdir()
        if NAME_RE.fullmatch(p.name) and p.stat().st_mtime < cutoff
    }
    if not candidates:
        return 0
    names = list(candidates)
    used = set(
        CameraEvent.objects.filter(snapshot_file__in=names).values_list("snapshot_file", flat=True)
    )
    used |= set(
        CameraEvent.objects.filter(thumb_file__in=names).values_list("thumb_file", flat=True)
    )
    used |= set(
        Camera.objects.filter(snapshot_file__in=names).values_list("snapshot_file", flat=True)
    )
    gone = 0
    for rel, path in candidates.items():
        if rel not in used:
            path.unlink(missing_ok=True)
            gone += 1
    return gone
