"""The Ministry of Health's XML envelope (QĐ 130/QĐ-BYT, amended by QĐ 4750/QĐ-BYT) as rows.

`GIAMDINHHS` > THONGTINDONVI (MACSKCB) and THONGTINHOSO > DANHSACHHOSO > HOSO, one HOSO per
encounter, each with FILEHOSO entries: LOAIHOSO (XML1 … XML15) and NOIDUNGFILE, the table's own
XML document in base64. Only XML1 (TONG_HOP, the encounter summary) is read; the other tables
are counted in the run's notes. A HOSO whose XML1 is missing, not base64 or not XML becomes one
refused row naming it; the others go on. No DTD or entity is accepted, outside or inside.
"""

import base64
import binascii
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse

from gisioc.errors import InvalidInput
from gisioc.ingest.readers import BadRow, RawRow, Row, Source
from gisioc.ingest.values import clean, text_storable

ENVELOPE, RECORD, TABLE = "GIAMDINHHS", "HOSO", "XML1"
SUMMARY = "TONG_HOP"
MAX_TABLE = 4 << 20  # bytes of base64 per table: XML1 is a few kilobytes
# Table XML1's columns (QĐ 4750/QĐ-BYT), the headers the run reports on.
XML1_TAGS = (
    "MA_LK", "STT", "MA_BN", "HO_TEN", "SO_CCCD", "NGAY_SINH", "GIOI_TINH", "NHOM_MAU",
    "MA_QUOCTICH", "MA_DANTOC", "MA_NGHE_NGHIEP", "DIA_CHI", "MATINH_CU_TRU", "MAHUYEN_CU_TRU",
    "MAXA_CU_TRU", "DIEN_THOAI", "MA_THE_BHYT", "MA_DKBD", "GT_THE_TU", "GT_THE_DEN",
    "NGAY_MIEN_CCT", "LY_DO_VV", "LY_DO_VNT", "MA_LY_DO_VNT", "CHAN_DOAN_VAO", "CHAN_DOAN_RV",
    "MA_BENH_CHINH", "MA_BENH_KT", "MA_BENH_YHCT", "MA_PTTT_QT", "MA_DOITUONG_KCB", "MA_NOI_DI",
    "MA_NOI_DEN", "MA_TAI_NAN", "NGAY_VAO", "NGAY_VAO_NOI_TRU", "NGAY_RA", "GIAY_CHUYEN_TUYEN",
    "SO_NGAY_DTRI", "PP_DIEU_TRI", "KET_QUA_DTRI", "MA_LOAI_RV", "GHI_CHU", "NGAY_TTOAN",
    "T_THUOC", "T_VTYT", "T_TONGCHI_BV", "T_TONGCHI_BH", "T_BNTT", "T_BNCCT", "T_BHTT",
    "T_NGUONKHAC", "T_BHTT_GDV", "NAM_QT", "THANG_QT", "MA_LOAI_KCB", "MA_KHOA", "MA_CSKCB",
    "MA_KHUVUC", "CAN_NANG", "CAN_NANG_CON", "NAM_NAM_LIEN_TUC", "NGAY_TAI_KHAM", "MA_HSBA",
    "MA_TTDV", "DU_PHONG",
)  # fmt: skip


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _refused(path: Path, exc: BaseException) -> InvalidInput:
    name = text_storable(path.name)
    if isinstance(exc, DefusedXmlException):
        return InvalidInput(
            f"Tệp XML {name} có khai báo DTD hoặc thực thể (có thể là bom XML); không đọc.",
            f"XML file {name} declares a DTD or entities (maybe an XML bomb); refused.",
        )
    return InvalidInput(
        f"Tệp XML {name} hỏng, không đọc được: {exc}", f"XML file {name} is broken: {exc}"
    )


def _envelope_scan(path: Path) -> tuple[str, int, Counter[str]]:
    """The facility code, the number of HOSO and each table's count, read once through."""
    facility, records, tables = "", 0, Counter[str]()
    try:
        events = iterparse(str(path), events=("start", "end"), forbid_dtd=True)
        _, root = next(events)
        if _local(root.tag) != ENVELOPE:
            raise InvalidInput(
                f"Tệp {text_storable(path.name)} không phải hồ sơ XML theo QĐ 130/QĐ-BYT (thẻ "
                f"gốc {text_storable(_local(root.tag))[:40]}, cần {ENVELOPE}).",
                f"{text_storable(path.name)} is not an XML file of QĐ 130/QĐ-BYT (root "
                f"{text_storable(_local(root.tag))[:40]}, expected {ENVELOPE}).",
            )
        for event, element in events:
            if event != "end":
                continue
            name = _local(element.tag)
            if name == "MACSKCB" and not facility:
                facility = _text(element)
            elif name == "LOAIHOSO":
                tables[_text(element).upper() or "?"] += 1
            elif name == RECORD:
                records += 1
                element.clear()
    except (ParseError, DefusedXmlException) as exc:
        raise _refused(path, exc) from exc
    return facility, records, tables


def _decoded(content: str) -> bytes:
    if len(content) > MAX_TABLE:
        raise ValueError("too large")
    return base64.b64decode("".join(content.split()), validate=True)


def _summary(document: bytes) -> dict[str, object]:
    root = fromstring(document, forbid_dtd=True)
    summary = root if _local(root.tag) == SUMMARY else None
    if summary is None:
        summary = next((e for e in root.iter() if _local(e.tag) == SUMMARY), root)
    return {_local(c.tag): clean(_text(c)) for c in summary if len(c) == 0}


def _link_of(files: list[tuple[str, str]]) -> str:
    """MA_LK as another table of the HOSO gives it (to name a HOSO without a readable XML1)."""
    for _, content in files:
        try:
            root = fromstring(_decoded(content), forbid_dtd=True)
        except (ValueError, binascii.Error, ParseError, DefusedXmlException):
            continue
        found = next((e for e in root.iter() if _local(e.tag) == "MA_LK"), None)
        if found is not None and _text(found):
            return text_storable(_text(found))[:100]
    return ""


def _bad(number: int, link: str, vi: str, en: str) -> BadRow:
    named = f" (MA_LK {link})" if link else ""
    return BadRow(number, f"Hồ sơ (HOSO) thứ {number}{named}: {vi}", f"HOSO {number}{named}: {en}")


def _record(number: int, element: Element, facility: str) -> Row:
    files = []
    for entry in element.iter():
        if _local(entry.tag) == "FILEHOSO":
            kind = _text(_child(entry, "LOAIHOSO")).upper()
            files.append((kind, _text(_child(entry, "NOIDUNGFILE"))))
    content = next((c for kind, c in files if kind == TABLE), None)
    if content is None:
        return _bad(number, _link_of(files), "không có bảng XML1", "no table XML1")
    try:
        document = _decoded(content)
    except (ValueError, binascii.Error):
        return _bad(
            number,
            _link_of(files),
            "NOIDUNGFILE của XML1 không phải base64 hợp lệ",
            "XML1's NOIDUNGFILE is not valid base64",
        )
    try:
        values = _summary(document)
    except DefusedXmlException:
        return _bad(number, _link_of(files), "XML1 có khai báo DTD/thực thể", "XML1 declares a DTD")
    except ParseError as exc:
        return _bad(
            number, _link_of(files), f"XML1 hỏng ({exc})", f"XML1 is not well-formed ({exc})"
        )
    if not values.get("MA_CSKCB") and facility:
        values["MA_CSKCB"] = facility
    return RawRow(number, values)


def _rows(path: Path) -> Iterator[Row]:
    facility, number = "", 0
    try:
        events = iterparse(str(path), events=("end",), forbid_dtd=True)
        for _, element in events:
            name = _local(element.tag)
            if name == "MACSKCB" and not facility:
                facility = _text(element)
            elif name == RECORD:
                number += 1
                yield _record(number, element, facility)
                element.clear()
    except (ParseError, DefusedXmlException) as exc:
        raise _refused(path, exc) from exc


def xml130_open(*, path: Path) -> Source:
    """An XML 130 file as a stream of XML1 rows keyed by tag, the others tables counted."""
    if not path.is_file():
        raise InvalidInput(
            f"Không tìm thấy tệp {text_storable(path.name)}.",
            f"File not found: {text_storable(path.name)}.",
        )
    facility, records, tables = _envelope_scan(path)
    others = ", ".join(f"{k} ×{n}" for k, n in sorted(tables.items()) if k != TABLE) or "—"
    notes = [
        f"QĐ 130/QĐ-BYT: {records} hồ sơ, cơ sở {facility or '?'}; đọc bảng XML1 / "
        f"{records} records of facility {facility or '?'}; table XML1 read",
        f"Các bảng khác bỏ qua / other tables ignored: {others}",
    ]
    return Source("xml130", "utf-8", list(XML1_TAGS), None, _rows(path), notes)
