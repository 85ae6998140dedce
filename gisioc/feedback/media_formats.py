"""Reading what a photo is from its bytes: magic numbers, structure walks, polyglot markers.

Pure functions, no Django: JPEG segments up to the main image's EOI, PNG chunks up to IEND,
WebP's RIFF size, ISO BMFF boxes; HTML/script markers and attached archives in any file.
Videos (MP4/MOV, WebM) are media_video's.
"""

import re
import struct
from dataclasses import dataclass

from gisioc.errors import InvalidInput, UnsupportedMediaType

NAME_RE = re.compile(r"[A-Za-z0-9_-]{24}\.(?:jpg|mp4|mov|webm)")
# Searched in the lowered bytes: any case matches, ~8× faster than re.IGNORECASE on 50 MB.
MARKUP_RE = re.compile(rb"<(?:html|script|\?php|svg|!doctype|iframe)|javascript:")
ZIP_METHODS = frozenset({0, 1, 6, 8, 9, 12, 14, 93, 95, 98, 99})
ACCEPTED = (
    "Chỉ nhận ảnh JPEG, PNG, WebP hoặc video MP4, MOV, WebM",
    "Only JPEG, PNG or WebP photos and MP4, MOV or WebM videos are accepted",
)


# A progressive JPEG takes ~10 scans; thousands make a small file cost minutes to decode.
SCANS_MAX = 100


class TooManyScans(ValueError):
    """A JPEG with more scans than any camera writes (a CPU bomb)."""


@dataclass(frozen=True)
class Sniffed:
    """What a file is by its content: kind (photo/video), type, stored extension, size."""

    kind: str
    content_type: str
    ext: str
    width: int | None = None
    height: int | None = None
    seconds: float | None = None


def label(name: str) -> str:
    """' «name»' for messages (printable, at most 60 characters), or nothing."""
    name = "".join(c for c in (name or "").rsplit("/", 1)[-1] if c.isprintable())[:60]
    return f" «{name}»" if name else ""


def markup_marker(data: bytes) -> str | None:
    """The first HTML/script/PHP/SVG marker anywhere in the file (any case), if one."""
    found = MARKUP_RE.search(data.lower())
    return found.group().decode("latin-1") if found else None


def zip_inside(data: bytes) -> bool:
    """Whether a ZIP/JAR is attached: an end-of-central-directory record ending the file, or a
    local file header with plausible fields anywhere."""
    n = len(data)
    tail = max(0, n - 65_557)
    at = data.rfind(b"PK\x05\x06", tail)
    while at >= 0:
        if at + 22 <= n and at + 22 + int.from_bytes(data[at + 20 : at + 22], "little") == n:
            return True
        at = data.rfind(b"PK\x05\x06", tail, at)
    for hit in re.finditer(rb"PK\x03\x04", data):
        head = data[hit.start() : hit.start() + 30]
        if len(head) < 30:
            continue
        version, _, method = struct.unpack_from("<HHH", head, 4)
        name_len = int.from_bytes(head[26:28], "little")
        name = data[hit.start() + 30 : hit.start() + 30 + name_len]
        plausible_name = 0 < name_len <= 1024 and len(name) == name_len and name.isascii()
        if version <= 63 and method in ZIP_METHODS and plausible_name:
            return True
    return False


def damaged(vi: str, en: str, shown: str) -> InvalidInput:
    return InvalidInput(
        f"Tệp{shown} không phải {vi} hợp lệ (cấu trúc hỏng hoặc bị cắt).",
        f"The file{shown} is not a valid {en} (damaged or cut short).",
    )


def _trailing(shown: str) -> InvalidInput:
    return InvalidInput(
        f"Tệp{shown} có dữ liệu lạ sau phần cuối của ảnh; hãy gửi ảnh gốc từ máy ảnh.",
        f"The file{shown} carries data after the end of the image; send the photo as taken.",
    )


def photo_sniff(data: bytes, shown: str = "") -> Sniffed:
    """A photo's type from its magic bytes and structure; a refusal naming what we accept."""
    if data[:3] == b"\xff\xd8\xff":
        return _jpeg(data, shown)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png(data, shown)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data, shown)
    raise UnsupportedMediaType(
        f"{ACCEPTED[0]}; tệp{shown} không thuộc loại nào trong đó.",
        f"{ACCEPTED[1]}; the file{shown} is none of them.",
    )


# JPEG ----------------------------------------------------------------------------------------


def jpeg_walk(data: bytes, start: int = 0) -> tuple[int, int, int]:
    """(end after EOI, width, height) of the JPEG stream at `start`; ValueError if malformed."""
    n, i, size, scans = len(data), start + 2, (0, 0), 0
    if data[start : start + 2] != b"\xff\xd8":
        raise ValueError("no SOI")
    while True:
        if i >= n or data[i] != 0xFF:
            raise ValueError("marker expected")
        while i < n and data[i] == 0xFF:
            i += 1
        if i >= n:
            raise ValueError("cut short")
        marker = data[i]
        i += 1
        if marker == 0xD9:
            return i, *size
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if i + 2 > n:
            raise ValueError("cut short")
        length = int.from_bytes(data[i : i + 2], "big")
        if length < 2 or i + length > n:
            raise ValueError("segment beyond the end")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and length >= 7:
            h, w = struct.unpack_from(">HH", data, i + 3)
            size = size if size != (0, 0) else (w, h)
        i += length
        if marker == 0xDA:  # entropy-coded data up to the next real marker
            scans += 1
            if scans > SCANS_MAX:
                raise TooManyScans(scans)
            while True:
                j = data.find(b"\xff", i)
                if j < 0 or j + 1 >= n:
                    raise ValueError("no EOI")
                follower = data[j + 1]
                if follower == 0x00 or 0xD0 <= follower <= 0xD7:
                    i = j + 2
                elif follower == 0xFF:
                    i = j + 1
                else:
                    i = j
                    break


def _jpeg(data: bytes, shown: str) -> Sniffed:
    try:
        end, w, h = jpeg_walk(data)
        # What may follow the main image: more whole JPEGs (MPF: a phone's gain map, depth
        # map, preview), padding, a phone's own trailer; anything else is a polyglot's payload.
        # (Markup and archives were looked for in the whole file before; none of it is kept.)
        while end < len(data) and data[end:].strip(b"\x00\xff"):
            if data[end : end + 2] != b"\xff\xd8":
                if phone_trailer(data, end):
                    break
                raise _trailing(shown)
            end = jpeg_walk(data, end)[0]
    except TooManyScans as exc:
        raise InvalidInput(
            f"Ảnh JPEG{shown} có hơn {SCANS_MAX} lượt quét (scan), điều máy ảnh không làm; "
            "hãy gửi ảnh gốc.",
            f"The JPEG photo{shown} has more than {SCANS_MAX} scans, which no camera writes; "
            "send the original photo.",
        ) from exc
    except ValueError as exc:
        raise damaged("ảnh JPEG", "JPEG photo", shown) from exc
    return Sniffed("photo", "image/jpeg", "jpg", w, h)


def phone_trailer(data: bytes, at: int) -> bool:
    """Whether data[at:] is what phones append to a photo: Samsung's SEFH…SEFT trailer (the
    capture time, a motion photo), or a motion photo's MP4 (Google's) as whole ISO boxes."""
    if data.endswith(b"SEFT") and len(data) - at >= 16:
        head = len(data) - 8 - int.from_bytes(data[-8:-4], "little")
        if at <= head and data[head : head + 4] == b"SEFH":
            return True
    if data[at + 4 : at + 8] == b"ftyp":
        try:
            return any(kind == b"moov" for kind, _, _ in boxes(data, at, len(data)))
        except ValueError:
            return False
    return False


# PNG -----------------------------------------------------------------------------------------


def _png(data: bytes, shown: str) -> Sniffed:
    i, n, size = 8, len(data), None
    while i + 12 <= n:
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if end > n:
            break
        if kind == b"IHDR" and length >= 8:
            size = struct.unpack_from(">II", data, i + 8)
        if kind == b"IEND":
            if end != n:
                raise _trailing(shown)
            if size is None:
                break
            return Sniffed("photo", "image/png", "jpg", *size)
        i = end
    raise damaged("ảnh PNG", "PNG photo", shown)


# WebP ----------------------------------------------------------------------------------------


def _webp(data: bytes, shown: str) -> Sniffed:
    total = 8 + int.from_bytes(data[4:8], "little")
    if len(data) > total + (total & 1):
        raise _trailing(shown)
    if len(data) < total or len(data) < 30:
        raise damaged("ảnh WebP", "WebP photo", shown)
    chunk = data[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
    elif chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        w, h = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        w, h = (v & 0x3FFF for v in struct.unpack_from("<HH", data, 26))
    else:
        raise damaged("ảnh WebP", "WebP photo", shown)
    return Sniffed("photo", "image/webp", "jpg", w, h)


# ISO BMFF boxes (a motion photo's MP4 here, videos in media_video) ----------------------------


def boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, box end) of the boxes filling data[start:end]; ValueError if not."""
    out, i = [], start
    while i < end:
        if i + 8 > end:
            raise ValueError("box header cut short")
        size, kind, head = int.from_bytes(data[i : i + 4], "big"), data[i + 4 : i + 8], 8
        if size == 1:
            if i + 16 > end:
                raise ValueError("box header cut short")
            size, head = int.from_bytes(data[i + 8 : i + 16], "big"), 16
        elif size == 0:
            size = end - i
        if size < head or i + size > end:
            raise ValueError("box beyond its parent")
        out.append((kind, i + head, i + size))
        i += size
    return out
