"""XML 130 files built in the tests: the GIAMDINHHS envelope, each HOSO's tables in base64."""

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Table = tuple[str, str | bytes]  # (LOAIHOSO, inner document, or the NOIDUNGFILE as is)


def inner(root: str, values: Mapping[str, object]) -> str:
    """An inner table document: `<root><TAG>value</TAG>…</root>`."""
    cells = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in values.items() if v is not None)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<{root}>{cells}</{root}>'


def summary(values: Mapping[str, object]) -> Table:
    """Table XML1 (TONG_HOP) of one encounter."""
    return "XML1", inner("TONG_HOP", values)


def drugs(link: str) -> Table:
    """A table XML2 (drugs) the reader ignores."""
    row = inner("CHI_TIET_THUOC", {"MA_LK": link, "STT": 1, "MA_THUOC": "40.17", "SO_LUONG": 10})
    return "XML2", f"<DSACH_CHI_TIET_THUOC>{row.split('?>', 1)[1]}</DSACH_CHI_TIET_THUOC>"


def envelope(facility: str, records: Sequence[Sequence[Table]]) -> str:
    """The GIAMDINHHS document; a table given as bytes is put in NOIDUNGFILE unencoded."""
    hosos = []
    for tables in records:
        files = []
        for kind, content in tables:
            encoded = (
                content.decode() if isinstance(content, bytes)
                else base64.b64encode(content.encode()).decode()
            )  # fmt: skip
            files.append(
                f"<FILEHOSO><LOAIHOSO>{kind}</LOAIHOSO><NOIDUNGFILE>{encoded}</NOIDUNGFILE>"
                "</FILEHOSO>"
            )
        hosos.append(f"<HOSO>{''.join(files)}</HOSO>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<GIAMDINHHS>'
        f"<THONGTINDONVI><MACSKCB>{facility}</MACSKCB></THONGTINDONVI>"
        f"<THONGTINHOSO><NGAYLAP>20250110</NGAYLAP><SOLUONGHOSO>{len(records)}</SOLUONGHOSO>"
        f"<DANHSACHHOSO>{''.join(hosos)}</DANHSACHHOSO></THONGTINHOSO>"
        "<CHUKYDONVI></CHUKYDONVI></GIAMDINHHS>"
    )


def write(path: Path, facility: str, records: Sequence[Sequence[Table]]) -> Path:
    """The envelope written to `path`."""
    path.write_text(envelope(facility, records), encoding="utf-8")
    return path
