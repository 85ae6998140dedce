"""Photos and videos of citizen reports: the riskiest input of the product, checked by content.

`media_check` reads what a file IS from its bytes (never its name or declared type) and
refuses anything but JPEG/PNG/WebP photos and MP4/MOV/WebM videos within the limits below,
polyglots (data after the image's end, HTML or script markers, an attached ZIP/JAR) and
decompression bombs (pixels counted from the header before any decoding). `media_store`
re-encodes photos (orientation applied, no EXIF/GPS/ICC/XMP left) and keeps videos as sent,
under random names outside the static root. `media_moderate` hides, blurs or shows an item.
"""

import datetime as dt
import hashlib
import io
import math
import os
import secrets
import time
import warnings
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from PIL import Image, ImageFilter, ImageOps

from gisioc.errors import InvalidInput, NotFound, TooLarge
from gisioc.feedback import media_formats as fmt
from gisioc.feedback import media_video as video
from gisioc.feedback import services
from gisioc.feedback.media_formats import Sniffed
from gisioc.feedback.models import Report, ReportEvent, ReportMedia

MB = 1024 * 1024
PHOTO_MAX_BYTES = 10 * MB
VIDEO_MAX_BYTES = 50 * MB
VIDEO_MAX_SECONDS = 60
PIXELS_MAX = 40_000_000
SIDE_MIN = 16
LONG_SIDE_MAX = 2560  # stored photos, long side
THUMB_SIDE = 320
BLUR_SIDE = 800  # the blurred public copy: detail is gone anyway
JPEG_QUALITY = 85
PHOTOS_MAX = 5  # per report and stage
VIDEOS_MAX = 1
SUBDIR = "feedback"
FILE_MODE = 0o640

# Pillow's own guard, behind ours: it warns past MAX_IMAGE_PIXELS (and raises past twice
# that); the warning made an error, it raises past PIXELS_MAX.
Image.MAX_IMAGE_PIXELS = PIXELS_MAX
warnings.simplefilter("error", Image.DecompressionBombWarning)

Kind = ReportMedia.Kind
PHOTO_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def media_dir() -> Path:
    """The folder of stored report media (GISIOC_MEDIA_DIR/feedback), created on demand."""
    folder = Path(settings.GISIOC_MEDIA_DIR) / SUBDIR
    folder.mkdir(mode=0o750, parents=True, exist_ok=True)
    return folder


def media_path(rel: str) -> Path:
    """The absolute path of a stored name (`feedback/<random>.<ext>`), never outside the dir."""
    base = Path(settings.GISIOC_MEDIA_DIR).resolve()
    path = (base / rel).resolve()
    if not path.is_relative_to(base / SUBDIR) or not fmt.NAME_RE.fullmatch(path.name):
        raise InvalidInput("Tên tệp không hợp lệ.", "Invalid file name.")
    return path


def media_url(rel: str) -> str:
    """The URL of a stored name (file, thumb or public_file) under /api/feedback/; "" if none."""
    return reverse("feedback-media", args=[rel.rsplit("/", 1)[-1]]) if rel else ""


def _bytes(data: bytes | IO[bytes]) -> bytes:
    """The upload's bytes (bytes, an UploadedFile or a binary file), read no further than the
    largest file accepted."""
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    if getattr(data, "size", 0) and data.size > VIDEO_MAX_BYTES:  # type: ignore[union-attr]
        raise _too_large(data.size)  # type: ignore[union-attr]
    if hasattr(data, "seek"):
        data.seek(0)
    raw = data.read(VIDEO_MAX_BYTES + 1)
    if len(raw) > VIDEO_MAX_BYTES:
        raise _too_large(len(raw))
    return raw


def _too_large(size: int) -> TooLarge:
    return TooLarge(
        f"Tệp nặng {size / MB:.1f} MB, quá giới hạn {VIDEO_MAX_BYTES // MB} MB cho video "
        f"và {PHOTO_MAX_BYTES // MB} MB cho ảnh.",
        f"The file is {size / MB:.1f} MB, over the limit of {VIDEO_MAX_BYTES // MB} MB for a "
        f"video and {PHOTO_MAX_BYTES // MB} MB for a photo.",
    )


def media_check(data: bytes | IO[bytes], *, declared_name: str = "") -> Sniffed:
    """What the file is, by its content; refuses (vi+en) anything we do not accept.

    `declared_name` (default: an upload's name) only names the file in messages."""
    name = declared_name or str(getattr(data, "name", "") or "")
    return _inspect(_bytes(data), declared_name=name)[0]


def _inspect(data: bytes, *, declared_name: str = "") -> tuple[Sniffed, Image.Image | None]:
    """The file's type and, for a photo, its decoded image; every refusal explained."""
    shown = fmt.label(declared_name)
    if not data:
        raise InvalidInput(f"Tệp{shown} rỗng.", f"The file{shown} is empty.")
    if len(data) > VIDEO_MAX_BYTES:
        raise _too_large(len(data))
    if marker := fmt.markup_marker(data):
        raise InvalidInput(
            f"Tệp{shown} chứa mã HTML/script ({marker}); không nhận tệp này.",
            f"The file{shown} contains HTML or script code ({marker}); it is refused.",
        )
    if fmt.zip_inside(data):
        raise InvalidInput(
            f"Tệp{shown} có gắn kèm một tệp nén ZIP/JAR; không nhận tệp này.",
            f"The file{shown} has a ZIP/JAR archive attached; it is refused.",
        )
    sniffed = _sniff(data, shown)
    if sniffed.kind == Kind.VIDEO:
        _video_limits(data, sniffed, shown)
        return sniffed, None
    if len(data) > PHOTO_MAX_BYTES:
        raise TooLarge(
            f"Ảnh{shown} nặng {len(data) / MB:.1f} MB, quá giới hạn {PHOTO_MAX_BYTES // MB} MB; "
            "hãy gửi ảnh nhỏ hơn.",
            f"The photo{shown} is {len(data) / MB:.1f} MB, over the {PHOTO_MAX_BYTES // MB} MB "
            "limit; send a smaller one.",
        )
    w, h = sniffed.width or 0, sniffed.height or 0
    _pixel_limits(w, h, shown)
    return sniffed, _decode(data, sniffed, shown)


def _sniff(data: bytes, shown: str) -> Sniffed:
    """The file's type by its magic bytes and structure (videos, else photos), or a refusal."""
    if data[4:8] == b"ftyp":
        return video.bmff_sniff(data, shown)
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return video.webm_sniff(data, shown)
    return fmt.photo_sniff(data, shown)


def _video_limits(data: bytes, sniffed: Sniffed, shown: str) -> None:
    if len(data) > VIDEO_MAX_BYTES:
        raise _too_large(len(data))
    if sniffed.seconds is not None and sniffed.seconds > VIDEO_MAX_SECONDS:
        raise InvalidInput(
            f"Video{shown} dài {sniffed.seconds:.0f} giây, quá giới hạn {VIDEO_MAX_SECONDS} "
            "giây; hãy gửi đoạn ngắn hơn.",
            f"The video{shown} lasts {sniffed.seconds:.0f} seconds, over the "
            f"{VIDEO_MAX_SECONDS}-second limit; send a shorter clip.",
        )


def _pixel_limits(w: int, h: int, shown: str) -> None:
    if w * h > PIXELS_MAX:
        raise InvalidInput(
            f"Ảnh{shown} có {w}×{h} điểm ảnh, quá giới hạn {PIXELS_MAX // 1_000_000} megapixel "
            "(có thể là ảnh «bom giải nén»); hãy gửi ảnh nhỏ hơn.",
            f"The photo{shown} has {w}×{h} pixels, over the {PIXELS_MAX // 1_000_000} "
            "megapixel limit (it may be a decompression bomb); send a smaller one.",
        )
    if min(w, h) < SIDE_MIN:
        raise InvalidInput(
            f"Ảnh{shown} chỉ {w}×{h} điểm ảnh; mỗi cạnh phải từ {SIDE_MIN} điểm ảnh trở lên.",
            f"The photo{shown} is only {w}×{h} pixels; each side must be {SIDE_MIN} or more.",
        )


def _decode(data: bytes, sniffed: Sniffed, shown: str) -> Image.Image:
    """The photo decoded (a JPEG at a reduced scale when large), or a refusal if damaged."""
    try:
        with warnings.catch_warnings():  # whatever filters a runner set (pytest resets them)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=[PHOTO_TYPES[sniffed.content_type]])
        _pixel_limits(img.width, img.height, shown)
        scale = LONG_SIDE_MAX / max(img.size)
        if scale < 1:  # a JPEG decodes at 1/2, 1/4 or 1/8 when that still covers the target
            img.draft("RGB", (math.ceil(img.width * scale), math.ceil(img.height * scale)))
        img.load()
        return img
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidInput(
            f"Ảnh{shown} có hơn {PIXELS_MAX // 1_000_000} megapixel (có thể là ảnh «bom giải "
            "nén»); hãy gửi ảnh nhỏ hơn.",
            f"The photo{shown} has more than {PIXELS_MAX // 1_000_000} megapixels (it may be a "
            "decompression bomb); send a smaller one.",
        ) from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
        raise InvalidInput(
            f"Ảnh{shown} bị hỏng hoặc không đọc được.",
            f"The photo{shown} is damaged or cannot be read.",
        ) from exc


def _clean_jpeg(img: Image.Image, side: int, quality: int = JPEG_QUALITY) -> tuple[bytes, int, int]:
    """A fresh RGB JPEG of the image, at most `side` px long: no EXIF, GPS, ICC, XMP, comment."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        img = Image.new("RGB", rgba.size, "white")
        img.paste(rgba, mask=rgba.getchannel("A"))
    else:
        img = img.convert("RGB")
    img.thumbnail((side, side), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGB", img.size, img.tobytes())  # pixels only, no metadata
    out = io.BytesIO()
    clean.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue(), clean.width, clean.height


def _write(content: bytes, ext: str) -> str:
    """Write under a new random name (temp file, then rename), mode 0640; its stored name."""
    folder = media_dir()
    name = f"{secrets.token_urlsafe(18)}.{ext}"
    tmp = folder / f".{name}.tmp"
    fd = os.open(
        tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE
    )
    try:
        os.fchmod(fd, FILE_MODE)  # whatever the umask: readable by the group, never executable
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, folder / name)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return f"{SUBDIR}/{name}"


def _unlink(rel: str) -> None:
    if rel:
        media_path(rel).unlink(missing_ok=True)


def _quota(report: Report, kind: str, stage: str) -> None:
    most = PHOTOS_MAX if kind == Kind.PHOTO else VIDEOS_MAX
    have = ReportMedia.objects.filter(report=report, kind=kind, stage=stage).count()
    if have >= most:
        what_vi, what_en = ("ảnh", "photos") if kind == Kind.PHOTO else ("video", "videos")
        stage_vi, stage_en = ReportMedia.Stage(stage).label.split(" / ")
        raise InvalidInput(
            f"Mỗi phản ánh nhận tối đa {most} {what_vi} ({stage_vi.lower()}); đã có {have}.",
            f"A report takes at most {most} {what_en} ({stage_en.lower()}); it has {have}.",
        )


def media_store(
    *, report: Report, data: bytes | IO[bytes], stage: str = "report", actor: Any = None
) -> ReportMedia:
    """Check and store one photo or video of a report; the new row (photos re-encoded).

    A refusal or a failed row leaves no file. The file is on disk before the caller's
    transaction commits: a caller that may still roll back checks every file with
    `media_check` first; files of a rolled-back transaction are `media_orphans_delete`'s.
    `actor` (who sends it) is accepted for the callers' symmetry; the report's events say who.
    """
    if stage not in ReportMedia.Stage.values:
        raise InvalidInput(
            f"Giai đoạn «{stage}» không hợp lệ; chọn report hoặc result.",
            f"Stage '{stage}' is invalid; choose report or result.",
        )
    raw = _bytes(data)
    sniffed, image = _inspect(raw, declared_name=str(getattr(data, "name", "") or ""))
    _quota(report, sniffed.kind, stage)  # before encoding; again under the report's lock
    width = height = None
    if image is not None:
        try:
            content, width, height = _clean_jpeg(image, LONG_SIDE_MAX)
            thumb = _clean_jpeg(image, THUMB_SIDE, quality=80)[0]
        except (OSError, ValueError) as exc:
            raise InvalidInput(
                "Không chuyển được ảnh sang JPEG; hãy gửi ảnh khác.",
                "The photo could not be converted to JPEG; send another one.",
            ) from exc
        content_type, ext = "image/jpeg", "jpg"
    else:
        content, thumb = raw, None
        content_type, ext = sniffed.content_type, sniffed.ext
        width, height = sniffed.width, sniffed.height
    written: list[str] = []
    try:
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            _quota(report, sniffed.kind, stage)
            written.append(_write(content, ext))
            if thumb is not None:
                written.append(_write(thumb, "jpg"))
            return ReportMedia.objects.create(
                report=report,
                kind=sniffed.kind,
                stage=stage,
                file=written[0],
                thumb=written[1] if thumb is not None else "",
                content_type=content_type,
                size=len(content),
                width=width,
                height=height,
                sha256=hashlib.sha256(content).hexdigest(),
            )
    except BaseException:
        for rel in written:
            _unlink(rel)
        raise


def _blurred(rel: str) -> bytes:
    """A strongly blurred, small JPEG of a stored photo (for the public)."""
    try:
        with Image.open(media_path(rel)) as img:
            img.load()
            img = img.convert("RGB")
    except FileNotFoundError as exc:
        raise NotFound(
            "Không còn tệp gốc của ảnh này để làm mờ.", "The photo's file is missing; cannot blur."
        ) from exc
    img.thumbnail((BLUR_SIDE, BLUR_SIDE))
    small = img.resize((max(1, img.width // 24), max(1, img.height // 24)), Image.Resampling.BOX)
    blurred = small.resize(img.size, Image.Resampling.BICUBIC)
    blurred = blurred.filter(ImageFilter.GaussianBlur(radius=max(img.size) / 20))
    out = io.BytesIO()
    Image.frombytes("RGB", blurred.size, blurred.tobytes()).save(out, "JPEG", quality=70)
    return out.getvalue()


MODERATION = {
    "hide": ("Ẩn {what} #{id} khỏi công chúng", "{What} #{id} hidden from the public"),
    "blur": ("Làm mờ {what} #{id} cho công chúng", "{What} #{id} blurred for the public"),
    "show": ("Hiện lại {what} #{id}", "{What} #{id} shown again"),
}


def media_moderate(*, media: ReportMedia, action: str, actor: Any, note: str = "") -> ReportMedia:
    """Hide, blur or show an item for the public (staff keep the original); audited."""
    if action not in MODERATION:
        raise InvalidInput(
            f"Thao tác «{action}» không hợp lệ; chọn hide, blur hoặc show.",
            f"Action '{action}' is invalid; choose hide, blur or show.",
        )
    if actor is None:
        raise InvalidInput("Kiểm duyệt cần người thực hiện.", "Moderation needs an actor.")
    if action == "blur" and media.kind != Kind.PHOTO:
        raise InvalidInput(
            "Chỉ làm mờ được ảnh; với video hãy chọn ẩn.",
            "Only photos can be blurred; hide a video.",
        )
    fresh = _write(_blurred(media.file), "jpg") if action == "blur" else ""
    dropped, kept = "", False
    try:
        with transaction.atomic():
            item = ReportMedia.objects.select_for_update().select_related("report").get(pk=media.pk)
            item.hidden = action == "hide"
            if action == "blur" and not item.public_file:
                item.public_file = fresh
            elif action == "show":
                dropped, item.public_file = item.public_file, ""
            item.save(update_fields=["hidden", "public_file"])
            vi, en = MODERATION[action]
            what = ("ảnh", "Photo") if item.kind == Kind.PHOTO else ("video", "Video")
            text = f"{vi} / {en}".format(what=what[0], What=what[1], id=item.pk)
            services.report_event_add(
                item.report,
                ReportEvent.Action.MODERATE,
                actor=actor,
                note=f"{text}: {note.strip()}" if note.strip() else text,
            )
        kept = bool(fresh) and item.public_file == fresh
    finally:
        if fresh and not kept:  # a copy not needed (already blurred) or a row that failed
            _unlink(fresh)
    if dropped:
        transaction.on_commit(lambda: _unlink(dropped))
    media.hidden, media.public_file = item.hidden, item.public_file
    return item


def media_orphans_delete(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Delete stored files no row names (an upload whose transaction rolled back, a crash's
    temp file), older than `older_than`; how many. Only where the media directory belongs to
    this database alone (never a directory several databases share, as helpers' checkouts)."""
    names: set[str] = set()
    for row in ReportMedia.objects.values_list("file", "thumb", "public_file"):
        names.update(n.rsplit("/", 1)[-1] for n in row if n)
    cutoff = time.time() - older_than.total_seconds()
    gone = 0
    for path in media_dir().iterdir():
        if path.name not in names and path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            gone += 1
    return gone
