"""Reading what a file is from its bytes: magic numbers, structure walks, polyglot markers.

Pure functions, no Django: JPEG segments up to the main image's EOI, PNG chunks up to IEND,
WebP's RIFF size, ISO BMFF boxes (ftyp brands, moov/mvhd duration), WebM's EBML header.
"""

import re
import struct
from dataclasses import dataclass

from gisioc.errors import InvalidInput, UnsupportedMediaType

NAME_RE = re.compile(r"[A-Za-z0-9_-]{24}\.(?:jpg|mp4|mov|webm)")
# Searched in the lowered bytes: any case matches, ~8× faster than re.IGNORECASE on 50 MB.
MARKUP_RE = re.compile(rb"<(?:html|script|\?php|svg|!doctype|iframe)|javascript:")
# ISO BMFF brands: MP4 family (and QuickTime's), and the HEIF/AVIF still-image ones we refuse.
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso8", b"mp41", b"mp42", b"mp71"}
    | {b"avc1", b"M4V ", b"M4VH", b"M4VP", b"MSNV", b"dash", b"mmp4", b"XAVC", b"f4v ", b"qt  "}
    | {b"3gp4", b"3gp5", b"3gp6", b"3g2a"}
)
HEIF_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"mif2"}
    | {b"msf1", b"avif", b"avis"}
)
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


def _damaged(vi: str, en: str, shown: str) -> InvalidInput:
    return InvalidInput(
        f"Tệp{shown} không phải {vi} hợp lệ (cấu trúc hỏng hoặc bị cắt).",
        f"The file{shown} is not a valid {en} (damaged or cut short).",
    )


def _trailing(shown: str) -> InvalidInput:
    return InvalidInput(
        f"Tệp{shown} có dữ liệu lạ sau phần cuối của ảnh; hãy gửi ảnh gốc từ máy ảnh.",
        f"The file{shown} carries data after the end of the image; send the photo as taken.",
    )


def sniff(data: bytes, shown: str = "") -> Sniffed:
    """The file's kind and type from its magic bytes and structure; a refusal otherwise."""
    if data[:3] == b"\xff\xd8\xff":
        return _jpeg(data, shown)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return _png(data, shown)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data, shown)
    if data[4:8] == b"ftyp":
        return _bmff(data, shown)
    if data[:4] == b"\x1a\x45\xdf\xa3":
        return _webm(data, shown)
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
        raise _damaged("ảnh JPEG", "JPEG photo", shown) from exc
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
    raise _damaged("ảnh PNG", "PNG photo", shown)


# WebP ----------------------------------------------------------------------------------------


def _webp(data: bytes, shown: str) -> Sniffed:
    total = 8 + int.from_bytes(data[4:8], "little")
    if len(data) > total + (total & 1):
        raise _trailing(shown)
    if len(data) < total or len(data) < 30:
        raise _damaged("ảnh WebP", "WebP photo", shown)
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
        raise _damaged("ảnh WebP", "WebP photo", shown)
    return Sniffed("photo", "image/webp", "jpg", w, h)


# ISO BMFF (MP4, MOV; HEIC refused) -----------------------------------------------------------


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


def _bmff(data: bytes, shown: str) -> Sniffed:
    ftyp_size = int.from_bytes(data[:4], "big")
    brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(ftyp_size, 256) - 3, 4)}
    major = data[8:12]
    if major in HEIF_BRANDS or (brands & HEIF_BRANDS and not brands & MP4_BRANDS):
        raise UnsupportedMediaType(
            f"Ảnh HEIC/HEIF/AVIF{shown} chưa được nhận; hãy gửi ảnh JPEG hoặc PNG (trên iPhone: "
            "Cài đặt › Camera › Định dạng › Tương thích nhất).",
            f"HEIC/HEIF/AVIF photos{shown} are not accepted; send a JPEG or PNG (on an iPhone: "
            "Settings › Camera › Formats › Most Compatible).",
        )
    if not brands & MP4_BRANDS:
        raise UnsupportedMediaType(
            f"{ACCEPTED[0]}; tệp{shown} (ftyp «{major.decode('latin-1')}») không thuộc loại đó.",
            f"{ACCEPTED[1]}; the file{shown} (ftyp '{major.decode('latin-1')}') is none of them.",
        )
    try:
        top = boxes(data, 0, len(data))
        moov = next((b for b in top if b[0] == b"moov"), None)
        if moov is None:
            raise ValueError("no moov box")
        seconds = _mvhd_seconds(data, moov)
        width, height = _tkhd_size(data, moov)
    except ValueError as exc:
        raise _damaged(
            "video MP4/MOV (hộp ftyp/moov)", "MP4/MOV video (ftyp/moov boxes)", shown
        ) from exc
    quicktime = major == b"qt  "
    return Sniffed(
        "video",
        "video/quicktime" if quicktime else "video/mp4",
        "mov" if quicktime else "mp4",
        width=width,
        height=height,
        seconds=seconds,
    )


def _tkhd_size(data: bytes, moov: tuple[bytes, int, int]) -> tuple[int | None, int | None]:
    """Width and height of the first track that has them (a video's), from its tkhd."""
    for kind, start, end in boxes(data, moov[1], moov[2]):
        if kind != b"trak":
            continue
        for inner, at, stop in boxes(data, start, end):
            offset = 88 if data[at] == 1 else 76
            if inner == b"tkhd" and stop - at >= offset + 8:
                w, h = struct.unpack_from(">II", data, at + offset)
                if w >> 16 and h >> 16:
                    return w >> 16, h >> 16
    return None, None


def _mvhd_seconds(data: bytes, moov: tuple[bytes, int, int]) -> float | None:
    """The movie's duration: mvhd's, or a fragmented file's (mvex › mehd) in mvhd's units."""
    children = boxes(data, moov[1], moov[2])
    for kind, start, end in children:
        if kind != b"mvhd":
            continue
        version = data[start]
        if version == 1 and end - start >= 32:
            scale, duration = struct.unpack_from(">IQ", data, start + 20)
        elif end - start >= 20:
            scale, duration = struct.unpack_from(">II", data, start + 12)
        else:
            raise ValueError("mvhd cut short")
        if duration in (0, 2**32 - 1, 2**64 - 1):  # none said: a fragmented file's mehd may
            duration = _mehd_duration(data, children)
        return duration / scale if scale and duration else None
    return None


def _mehd_duration(data: bytes, children: list[tuple[bytes, int, int]]) -> int:
    for kind, start, end in children:
        if kind == b"mvex":
            for inner, at, stop in boxes(data, start, end):
                if inner == b"mehd" and stop - at >= 8:
                    wide = data[at] == 1 and stop - at >= 12
                    return int.from_bytes(data[at + 4 : at + (12 if wide else 8)], "big")
    return 0


# WebM ----------------------------------------------------------------------------------------


def _vint(data: bytes, i: int, *, marker: bool) -> tuple[int, int, bool]:
    """An EBML variable-size integer at i: (value, next index, all value bits set)."""
    if i >= len(data) or data[i] == 0:
        raise ValueError("bad EBML number")
    length = 9 - data[i].bit_length()
    if i + length > len(data):
        raise ValueError("cut short")
    first = data[i] if marker else data[i] & ((1 << (8 - length)) - 1)
    value = int.from_bytes(bytes([first]) + data[i + 1 : i + length], "big")
    return value, i + length, value == (1 << (7 * length)) - 1


def _ebml(data: bytes, start: int, end: int) -> dict[int, tuple[int, int, bool]]:
    """Child elements of data[start:end]: id → (payload start, payload end, unknown size)."""
    out, i = {}, start
    while i < end:
        ident, i, _ = _vint(data, i, marker=True)
        size, i, unknown = _vint(data, i, marker=False)
        stop = end if unknown else i + size
        if stop > end:
            raise ValueError("element beyond its parent")
        out.setdefault(ident, (i, stop, unknown))
        i = stop
        if unknown:
            break
    return out


def _webm(data: bytes, shown: str) -> Sniffed:
    try:
        _, head_start, _ = _vint(data, 0, marker=True)
        head_size, head_start, _ = _vint(data, head_start, marker=False)
        head_end = head_start + head_size
        header = _ebml(data, head_start, head_end)
        doc = data[slice(*header[0x4282][:2])] if 0x4282 in header else b""
        if doc.rstrip(b"\x00") != b"webm":
            raise UnsupportedMediaType(
                f"{ACCEPTED[0]}; tệp{shown} là Matroska/MKV, không phải WebM.",
                f"{ACCEPTED[1]}; the file{shown} is Matroska/MKV, not WebM.",
            )
        segment = _ebml(data, head_end, len(data))
        if set(segment) != {0x18538067}:
            raise ValueError("one Segment expected after the header")
        seconds = _webm_seconds(data, segment[0x18538067])
    except (ValueError, IndexError, struct.error) as exc:
        raise _damaged("video WebM", "WebM video", shown) from exc
    return Sniffed("video", "video/webm", "webm", seconds=seconds)


CLUSTER_RE = re.compile(rb"\x1f\x43\xb6\x75")  # a WebM Cluster's id


def _webm_seconds(data: bytes, segment: tuple[int, int, bool]) -> float | None:
    """Segment › Info › Duration × TimecodeScale; where a recorder left it out (browsers'
    MediaRecorder does), the last Cluster's timecode: the length within a cluster's span."""
    i, end, scale = segment[0], segment[1], 1_000_000
    while i < end:  # the segment's children, until Info; a Cluster means it was not there
        ident, j, _ = _vint(data, i, marker=True)
        size, j, unknown = _vint(data, j, marker=False)
        if ident == 0x1549A966 and not unknown:
            info = _ebml(data, j, j + size)
            if 0x2AD7B1 in info:
                scale = int.from_bytes(data[slice(*info[0x2AD7B1][:2])], "big")
            if 0x4489 in info:
                a, b, _ = info[0x4489]
                duration = struct.unpack(">d" if b - a == 8 else ">f", data[a:b])[0]
                return duration * scale / 1e9
            break
        if ident == 0x1F43B675 or unknown:
            break
        i = j + size
    last = 0
    for hit in CLUSTER_RE.finditer(data, segment[0]):
        try:
            _, j, _ = _vint(data, hit.end(), marker=False)
            if data[j] == 0xE7:  # the cluster's Timecode, its first child
                size, k, _ = _vint(data, j + 1, marker=False)
                last = max(last, int.from_bytes(data[k : k + min(size, 8)], "big"))
        except (ValueError, IndexError):
            continue
    return last * scale / 1e9 if last else None
