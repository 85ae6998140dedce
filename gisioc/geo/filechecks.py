"""Checks of a GIS officer's file before GDAL reads a byte of it: a zip from its central
directory (members, names, sizes, compression ratio, nesting), a shapefile from its headers."""

import stat
import struct
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from gisioc.errors import InvalidInput

MAX_MEMBERS = 64
MAX_NAME_BYTES = 200  # a file system takes 255
MAX_UNPACKED = 512 * 1024**2
# Deflate rarely packs GIS text past 20:1; a zip bomb packs 1,000:1. Members under RATIO_FROM
# cannot hurt us, whatever their ratio (a zero-filled test file packs 100:1).
MAX_RATIO = 100
RATIO_FROM = 1024**2
ARCHIVE_SUFFIXES = (".zip", ".kmz", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar")
DATASET_SUFFIXES = (".shp", ".geojson", ".json", ".gpkg")
SHAPEFILE_PARTS = (".shx", ".dbf")
_CHUNK = 1024**2
_MB = 1024**2


def _junk(name: str) -> bool:
    """What macOS and Windows add to a zip besides the files: skipped, never extracted."""
    base = PurePosixPath(name).name
    return (
        name.startswith("__MACOSX/") or base.startswith("._") or base in (".DS_Store", "Thumbs.db")
    )


def _member_problem(info: zipfile.ZipInfo) -> tuple[str, str] | None:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or ".." in parts or name[1:2] == ":":
        return "có đường dẫn không an toàn", "has an unsafe path"
    if len(PurePosixPath(name).name.encode()) > MAX_NAME_BYTES:
        return "có tên quá dài", "has too long a name"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "là liên kết (symlink)", "is a symbolic link"
    if info.flag_bits & 0x1:
        return "được mã hóa bằng mật khẩu", "is encrypted"
    if PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES:
        return "là một tệp nén lồng bên trong", "is an archive inside the archive"
    return None


def zip_bomb_check(infos: list[zipfile.ZipInfo], label: str) -> None:
    """InvalidInput for a zip bomb, judged from the central directory before anything is
    unpacked: a large member packed past MAX_RATIO, or members unpacking past MAX_UNPACKED.
    Any zip we read goes through it (boundary files, XLSX workbooks)."""
    for info in infos:
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise InvalidInput(
                f"Tệp {info.filename!r} trong {label} nén quá mức ({ratio:,.0f}:1, tối đa "
                f"{MAX_RATIO}:1); không giải nén.",
                f"The member {info.filename!r} of {label} is compressed too much "
                f"({ratio:,.0f}:1, at most {MAX_RATIO}:1); nothing was unpacked.",
            )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise InvalidInput(
            f"{label} giải nén ra {total / _MB:,.0f} MB (tối đa {MAX_UNPACKED // _MB} MB).",
            f"{label} unpacks to {total / _MB:,.0f} MB (at most {MAX_UNPACKED // _MB} MB).",
        )


def _members(archive: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    """The members worth extracting, once every member passed the central-directory checks."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise InvalidInput(
            f"{label} chứa {len(infos):,} tệp (tối đa {MAX_MEMBERS}).",
            f"{label} holds {len(infos):,} files (at most {MAX_MEMBERS}).",
        )
    for info in infos:
        if problem := _member_problem(info):
            raise InvalidInput(
                f"Tệp {info.filename!r} trong {label} {problem[0]}; không giải nén.",
                f"The member {info.filename!r} of {label} {problem[1]}; nothing was unpacked.",
            )
    zip_bomb_check(infos, label)
    kept = [i for i in infos if not _junk(i.filename)]
    names = [PurePosixPath(i.filename).name.lower() for i in kept]
    if repeated := sorted({n for n in names if names.count(n) > 1}):
        raise InvalidInput(
            f"{label} có nhiều tệp cùng tên: {', '.join(repeated)}.",
            f"{label} holds several files named {', '.join(repeated)}.",
        )
    return kept


def zip_dataset(path: Path, into: Path, *, label: str) -> Path:
    """Unpack the zip at `path` into `into` after checking every member, and return the one
    dataset it holds (a .shp with its parts, a .geojson or a .gpkg)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = _members(archive, label)
            for info in members:
                # ZipExtFile stops at the declared size and checks the CRC: no member can
                # unpack to more than the central directory said.
                with (
                    archive.open(info) as source,
                    (into / PurePosixPath(info.filename).name).open("wb") as out,
                ):
                    while chunk := source.read(_CHUNK):
                        out.write(chunk)
    # A member name flagged UTF-8 that is not: UnicodeDecodeError when the directory is read.
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, UnicodeError) as exc:
        raise InvalidInput(
            f"{label} không phải tệp .zip hợp lệ hoặc đã hỏng.",
            f"{label} is not a valid .zip file, or it is damaged.",
        ) from exc
    found = sorted(p for p in into.iterdir() if p.suffix.lower() in DATASET_SUFFIXES)
    if len(found) != 1:
        names = ", ".join(p.name for p in found) or ", ".join(
            sorted(p.name for p in into.iterdir())
        )
        vi, en = (
            ("không có tệp .shp, .geojson hay .gpkg", "holds no .shp, .geojson or .gpkg")
            if not found
            else ("chứa nhiều lớp dữ liệu, chỉ gửi một", "holds several datasets; send one")
        )
        raise InvalidInput(
            f"{label} {vi} ({names or 'trống'}).", f"{label} {en} ({names or 'empty'})."
        )
    return found[0]


def _bad_header(path: Path) -> tuple[str, str] | None:
    """Why a .shp/.shx/.dbf is not what its name says (zero-filled, truncated, another file)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(100)
    if path.suffix.lower() in (".shp", ".shx"):
        if len(head) < 100 or struct.unpack(">i", head[:4])[0] != 9994:
            return "không có phần đầu shapefile (tệp rỗng, toàn số 0 hoặc tệp khác)", (
                "has no shapefile header (empty, zero-filled or another kind of file)"
            )
        declared = struct.unpack(">i", head[24:28])[0] * 2
    else:
        if len(head) < 32:
            return "không phải bảng dBase (quá ngắn)", "is not a dBase table (too short)"
        records, header, record = struct.unpack("<IHH", head[4:12])
        if header < 33 or record < 1:
            return "không có phần đầu dBase (toàn số 0 hoặc tệp khác)", (
                "has no dBase header (zero-filled or another kind of file)"
            )
        declared = header + records * record
    if size < declared:
        return (
            f"bị cắt cụt: phần đầu ghi {declared:,} byte, tệp chỉ có {size:,}",
            f"is truncated: its header says {declared:,} bytes, the file has {size:,}",
        )
    return None


def shapefile_check(shp: Path, *, label: str) -> None:
    """The .shx and .dbf beside a .shp exist, all three have sound headers, a .prj is text."""
    siblings = {p.suffix.lower(): p for p in shp.parent.iterdir() if p.stem == shp.stem}
    missing = [s for s in SHAPEFILE_PARTS if s not in siblings]
    if missing:
        parts = ", ".join(missing)
        raise InvalidInput(
            f"Shapefile {label} thiếu {parts}: hãy nén .shp cùng .shx, .dbf, .prj (và .cpg) "
            "vào một tệp .zip.",
            f"The shapefile {label} lacks {parts}: zip the .shp with its .shx, .dbf, .prj "
            "(and .cpg) together.",
        )
    for part in (shp, *(siblings[s] for s in SHAPEFILE_PARTS)):
        if problem := _bad_header(part):
            raise InvalidInput(f"{part.name} {problem[0]}.", f"{part.name} {problem[1]}.")
    if prj := siblings.get(".prj"):
        try:
            prj.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{prj.name} không phải văn bản hệ tọa độ (WKT).",
                f"{prj.name} is not the text of a CRS (WKT).",
            ) from exc
