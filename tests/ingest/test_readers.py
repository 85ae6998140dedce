"""Streaming readers: encodings, separators, title rows above the header, JSON shapes, memory."""

import json
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from gisioc.errors import InvalidInput
from gisioc.ingest import jsonstream
from gisioc.ingest.readers import BadRow, RawRow, source_open

KNOWN = {"ma ho so", "trang thai", "ngay tiep nhan"}
TONES = "\u0300\u0301\u0303\u0309\u0323"


def _encode(text: str, encoding: str) -> bytes:
    """Text as Windows software writes it: cp1258 keeps tone marks as separate characters."""
    if encoding != "cp1258":
        return text.encode(encoding)
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def known(header: str) -> bool:
    from gisioc.geo.text import fold

    return fold(header) in KNOWN


def _rows(path: Path) -> tuple[object, list]:
    source = source_open(path=path, known=known)
    return source, list(source.rows)


@pytest.mark.parametrize(
    ("encoding", "separator", "label"),
    [("utf-8-sig", ",", "utf-8 (BOM)"), ("utf-8", ";", "utf-8"), ("cp1258", "\t", "cp1258")],
)
def test_csv_encodings_and_separators(tmp_path: Path, encoding: str, separator: str, label: str):
    path = tmp_path / "hs.csv"
    lines = [
        ["Mã hồ sơ", "Trạng thái"],
        ["HS-1", "Đã trả kết quả"],
        ["", ""],
        ["HS-2", "Đang xử lý"],
    ]
    path.write_bytes(_encode("\n".join(separator.join(r) for r in lines), encoding))
    source, rows = _rows(path)
    assert (source.format, source.encoding, source.header_row) == ("csv", label, 1)
    assert source.headers == ["Mã hồ sơ", "Trạng thái"]
    # The blank row is skipped; row numbers are those a spreadsheet shows.
    assert rows == [
        RawRow(2, {"Mã hồ sơ": "HS-1", "Trạng thái": "Đã trả kết quả"}),
        RawRow(4, {"Mã hồ sơ": "HS-2", "Trạng thái": "Đang xử lý"}),
    ]


def test_header_row_found_below_title_rows(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["UBND XÃ THU BỒN"])
    sheet.append(["DANH SÁCH HỒ SƠ", None, "Từ 01/06/2025"])
    sheet.append([])
    sheet.append(["STT", "Mã hồ sơ", "Trạng thái", None, "Mã hồ sơ"])
    sheet.append([1, "HS-1", "Mới tiếp nhận", None, "dup"])
    book.save(path)
    source, rows = _rows(path)
    assert source.header_row == 4
    assert source.headers == ["STT", "Mã hồ sơ", "Trạng thái", "Mã hồ sơ (2)"]
    assert rows == [
        RawRow(
            5, {"STT": 1, "Mã hồ sơ": "HS-1", "Trạng thái": "Mới tiếp nhận", "Mã hồ sơ (2)": "dup"}
        )
    ]


def test_json_lines_keep_going_after_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "push.jsonl"
    path.write_text('{"ma_ho_so": "A"}\nnot json\n\n[1, 2]\n{"ma_ho_so": "B"}\n', encoding="utf-8")
    source, rows = _rows(path)
    assert source.headers == ["ma_ho_so"]
    assert rows[0] == RawRow(1, {"ma_ho_so": "A"})
    assert isinstance(rows[1], BadRow) and rows[1].number == 2
    assert isinstance(rows[2], BadRow) and rows[2].number == 4
    assert rows[3] == RawRow(5, {"ma_ho_so": "B"})


def test_geojson_features_after_other_keys(tmp_path: Path) -> None:
    point = {"type": "Point", "coordinates": [108.2, 15.8]}
    path = tmp_path / "points.geojson"
    collection = {
        "type": "FeatureCollection",
        "name": "features are not here",
        "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
        "features": [
            {"type": "Feature", "id": 7, "properties": {"a": " x "}, "geometry": point},
            {"type": "Feature", "properties": {"a": 2}, "geometry": None},
        ],
    }  # fmt: skip
    path.write_text(json.dumps(collection), encoding="utf-8")
    _, rows = _rows(path)
    assert rows[0].values == {
        "a": "x",
        "geometry": {"type": "Point", "coordinates": [108.2, 15.8]},
        "id": 7,
    }
    assert rows[1] == RawRow(2, {"a": 2})


def test_json_array_split_across_tiny_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(jsonstream, "BLOCK", 5)
    path = tmp_path / "records.json"
    records = [{"n": 12345678901, "text": 'Đà Nẵng, "trích dẫn" ]}'}, {"n": 2.5e-3}, {}]
    path.write_text(json.dumps({"meta": {"x": [1, 2]}, "records": records}), encoding="utf-8")
    _, rows = _rows(path)
    assert [r.values for r in rows] == [
        {"n": 12345678901, "text": 'Đà Nẵng, "trích dẫn" ]}'},
        {"n": 0.0025},
        {},
    ]


def test_malformed_json_array_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    good = ", ".join('{"a": 1}' for _ in range(300))
    path.write_text(f'[{good}, {{"a": 2,, ]', encoding="utf-8")
    source = source_open(path=path, known=known)
    rows = source.rows
    assert [next(rows) for _ in range(300)][-1] == RawRow(300, {"a": 1})  # these read fine
    with pytest.raises(InvalidInput, match="Malformed JSON"):
        next(rows)


@pytest.mark.parametrize("name", ["old.xls", "notes.txtx", "missing.csv"])
def test_unsupported_or_missing_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name != "missing.csv":
        path.write_bytes(b"x")
    with pytest.raises(InvalidInput):
        source_open(path=path, known=known)


def test_csv_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("Mã hồ sơ,Trạng thái,Ngày tiếp nhận\n")
        for i in range(120_000):
            f.write(f"HS-{i:07d},Đã trả kết quả,15/03/2025 08:{i % 60:02d}\n")
    assert path.stat().st_size > 5_000_000
    tracemalloc.start()
    source = source_open(path=path, known=known)
    count = sum(1 for _ in source.rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 120_000
    assert peak < 3_000_000, f"peak {peak:,} bytes: rows are not streamed"
