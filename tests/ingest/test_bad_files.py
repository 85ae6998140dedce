"""Files that used to break an import: XML bombs and external entities in XLSX, NUL, lone
surrogates, NaN and Infinity in cells, JSON nested too deep. Each is a row finding or a clear
refusal of the file, never a traceback; the good rows before or around it are kept."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.report import RunReport
from gisioc.ingest.services import ingest_file
from gisioc.public_services.models import Dossier
from tests.ingest.test_push_api import _record

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HEADERS = [*_record(0), "SoLanBoSung", "GhiChu"]
BOMB = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def _cells(n: int, **more: object) -> list[object]:
    values = _record(n) | {"SoLanBoSung": 1, "GhiChu": "gấp"} | more
    return [values[h] for h in HEADERS]


def _ingest(path: Path) -> RunReport:
    return ingest_file(system="public_services", path=path, progress=lambda _: None)


def _xlsx(path: Path, rows: list[list[object]], **members: tuple[str, str]) -> Path:
    """A real workbook, then in member `name` the text `old` replaced by `new`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    if members:
        with zipfile.ZipFile(path) as z:
            parts = {name: z.read(name) for name in z.namelist()}
        for name, (old, new) in members.items():
            text = parts[name].decode()
            assert old in text, (name, old)
            parts[name] = text.replace(old, new, 1).encode()
        with zipfile.ZipFile(path, "w") as z:
            for name, data in parts.items():
                z.writestr(name, data)
    return path


def _errors(report: RunReport) -> list[tuple[int, str, str]]:
    return [(e.row, e.field, e.en) for e in report.errors]


def test_openpyxl_reads_through_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


SHEET = "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    ("member", "old", "new"),
    [
        (SHEET, "<worksheet", BOMB + "<worksheet"),
        (
            "xl/workbook.xml",
            "<workbook",
            '<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/hostname">]><workbook',
        ),
        (SHEET, "<worksheet", '<!DOCTYPE s [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]><worksheet'),
    ],
    ids=["billion-laughs", "external-file", "external-url"],
)
def test_an_xlsx_declaring_xml_entities_is_refused_unexpanded(
    tmp_path: Path, member: str, old: str, new: str
) -> None:
    path = _xlsx(tmp_path / "bomb.xlsx", [_cells(1)], **{member: (old, new)})
    report = _ingest(path)
    assert report.status == "failed"
    assert "declares XML entities" in report.message and "thực thể XML" in report.message
    assert str(tmp_path) not in report.message
    assert Dossier.objects.count() == 0
    with pytest.raises(CommandError, match="declares XML entities"):
        call_command("ingest", "public_services", str(path), stdout=io.StringIO())


def test_an_xlsx_that_is_a_zip_bomb_is_refused_from_its_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook is a zip: 64 MB of one repeated character packed ~1,000:1 into its shared
    strings is refused before openpyxl (or anyone) unpacks a byte."""
    path = _xlsx(tmp_path / "bomb.xlsx", [_cells(1)])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"<sst>" + b"A" * (64 * 1024**2) + b"</sst>")

    def unpacked(*args: object, **kwargs: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr("gisioc.ingest.readers.load_workbook", unpacked)
    report = _ingest(path)
    assert report.status == "failed"
    assert "sharedStrings.xml' of bomb.xlsx is compressed too much" in report.message
    assert "nén quá mức" in report.message and str(tmp_path) not in report.message
    assert Dossier.objects.count() == 0


def test_broken_xml_in_an_xlsx_is_a_clear_refusal(tmp_path: Path) -> None:
    # A NUL written as a character reference: XML 1.0 has no such character.
    path = _xlsx(tmp_path / "nul.xlsx", [_cells(1, GhiChu="XYZ")], **{SHEET: ("XYZ", "&#0;")})
    report = _ingest(path)
    assert report.status == "failed" and "broken XML" in report.message


def test_infinite_and_unreadable_numbers_in_xlsx_cells(tmp_path: Path) -> None:
    rows = [_cells(1), _cells(2, SoLanBoSung=987654321), _cells(3)]
    infinite = _xlsx(tmp_path / "inf.xlsx", rows, **{SHEET: ("987654321", "1e999")})
    report = _ingest(infinite)
    assert (report.status, report.created, report.rejected) == ("done", 2, 1)
    assert _errors(report) == [(3, "supplement_count", "not a finite number: inf")]
    nan = _xlsx(tmp_path / "nan.xlsx", rows, **{SHEET: ("987654321", "NaN")})
    report = _ingest(nan)
    assert report.status == "failed"
    assert "Cannot read row 3 of Excel file nan.xlsx" in report.message


def test_nul_in_csv_cells_is_a_finding_of_its_row_and_column(tmp_path: Path) -> None:
    rows = [
        _cells(1),
        _cells(2, MaHoSo="HS-\x000002"),
        _cells(3, TrangThaiHoSo="Mới\x00"),
        _cells(4, GhiChu="a\x00b"),  # a column that feeds nothing: not read, not kept
    ]
    path = tmp_path / "nul.csv"
    path.write_text(
        "\n".join(",".join(f'"{c}"' for c in row) for row in [HEADERS, *rows]), encoding="utf-8"
    )
    report = _ingest(path)
    assert (report.status, report.created, report.rejected) == ("done", 2, 2)
    assert _errors(report) == [
        (3, "dossier_code", "holds a NUL character (\\u0000)"),
        (4, "status", "holds a NUL character (\\u0000)"),
    ]
    stored = json.dumps(list(RawRecord.objects.values("raw", "external_id", "errors")))
    assert "\\u0000" not in stored.replace(
        "\\\\u0000", ""
    )  # the reason names it, no value holds it


BAD_JSON = (
    "["
    + ", ".join(
        [
            json.dumps(_record(1)),
            json.dumps(_record(2))[:-1] + ', "SoLanBoSung": NaN}',
            json.dumps(_record(3))[:-1] + ', "SoLanBoSung": -Infinity}',
            json.dumps(_record(4))[:-1] + ', "TrangThaiHoSo": "\\ud800"}',
            json.dumps(_record(5))[:-1] + ', "MaHoSo": "HS-\\u0000"}',
            json.dumps(_record(6))[:-1] + ', "Ghi\\udc00Chu": "x", "K\\u0000": "\\ud800"}',
        ]
    )
    + "]"
)


def test_json_values_that_cannot_be_stored_are_findings(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(BAD_JSON, encoding="utf-8")
    report = _ingest(path)
    assert (report.status, report.created, report.rejected) == ("done", 2, 4)
    assert [(row, field) for row, field, _ in _errors(report)] == [
        (2, "supplement_count"),
        (3, "supplement_count"),
        (4, "status"),
        (5, "dossier_code"),
    ]
    assert _errors(report)[0][2] == "not a finite number: nan"
    assert "lone surrogate" in _errors(report)[2][2]
    run = IngestRun.objects.get(pk=report.run_id)
    assert "Ghi\ufffdChu" in run.details["columns"]["ignored"]  # named, made storable


def _command(*args: str | bytes) -> subprocess.CompletedProcess:
    env = {**os.environ, "GISIOC_DB_NAME": connection.settings_dict["NAME"]}
    argv = [sys.executable, "-m", "gisioc.cli", "ingest", "public_services", *args]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, timeout=120)
    assert b"Traceback" not in done.stdout + done.stderr, done.stderr.decode()[-3000:]
    return done


def test_the_command_line_reports_them_without_a_traceback(
    transactional_db: None, tmp_path: Path
) -> None:
    # A file name written in Windows-1258 ("Báo cáo"), not UTF-8, as unzip may leave it.
    path = os.path.join(os.fsencode(tmp_path), "B\xe1o c\xe1o.json".encode("latin-1"))
    Path(os.fsdecode(path)).write_text(BAD_JSON, encoding="utf-8")
    done = _command(path)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "LỖI / ERROR dòng/row 4" in out and "lone surrogate" in out
    assert IngestRun.objects.get().file_name == "B\ufffdo c\ufffdo.json"
    wrong = _command(path, b"--source", b"motcua-\xff")
    assert wrong.returncode == 1 and "Invalid source name" in wrong.stderr.decode()


def test_json_nested_too_deep(tmp_path: Path) -> None:
    deep = "[" * 10_000 + "]" * 10_000
    lines = tmp_path / "deep.jsonl"
    lines.write_text(f"{json.dumps(_record(1))}\n{deep}\n{json.dumps(_record(3))}\n")
    report = _ingest(lines)
    assert (report.status, report.created, report.rejected) == ("done", 2, 1)
    assert report.errors[0].row == 2 and "malformed JSON line" in report.errors[0].en
    array = tmp_path / "deep.json"
    array.write_text(f"[{json.dumps(_record(1))}, {deep}, {json.dumps(_record(3))}]")
    report = _ingest(array)
    assert report.status == "failed" and "nested too deep" in report.message
    assert "RecursionError" not in report.message
