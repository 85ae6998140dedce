"""Reading what a video is from its bytes: ISO BMFF boxes (ftyp brands, moov › mvhd, tkhd,
mvex › mehd) for MP4/MOV, the EBML header and segment for WebM; HEIC/AVIF stills refused."""

import re
import struct

from gisioc.errors import UnsupportedMediaType
from gisioc.feedback.media_formats import ACCEPTED, Sniffed, boxes, damaged

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


def bmff_sniff(data: bytes, shown: str) -> Sniffed:
    """An MP4 or MOV by its brands and whole box structure (a moov); HEIC/AVIF refused."""
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
        raise damaged(
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


def webm_sniff(data: bytes, shown: str) -> Sniffed:
    """A WebM by its EBML header's DocType and one Segment after it; Matroska refused."""
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
        raise damaged("video WebM", "WebM video", shown) from exc
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
