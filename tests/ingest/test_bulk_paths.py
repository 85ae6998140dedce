"""The bulk paths of an import: value tuples to COPY, re-imports compared as tuples, cells and
placements remembered per run, each giving what the careful per-row way gives."""

import csv
import datetime as dt
import json
import math
import threading
from pathlib import Path

import pytest
from django.db import connection

from gisioc.geo import selectors
from gisioc.ingest import services, systems, upsert
from gisioc.ingest.copy import rows_copy
from gisioc.ingest.locate import Locator
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_file, ingest_rows
from gisioc.ingest.values import BadValue, json_ready, json_text
from gisioc.public_services.ingest import SYSTEM, dossier_locate
from gisioc.public_services.models import Dossier

pytestmark = pytest.mark.django_db


def _row(n: int, **cells: str) -> RawRow:
    values = {
        "Mã hồ sơ": f"HS-{n:04d}",
        "Mã thủ tục": "2.000488",
        "Ngày tiếp nhận": "02/07/2025 08:00",
        "Trạng thái": "Mới tiếp nhận",
        "Nơi tiếp nhận": "MOTCUA-DX",
        "Địa chỉ": "xã Duy Phú",
    }
    return RawRow(n, values | cells)


def _push(rows: list[RawRow]) -> tuple[int, int, int]:
    r = ingest_rows(system="public_services", rows=rows, source="s", progress=lambda _: None)
    return r.created, r.updated, r.unchanged


@pytest.mark.usefixtures("geo")
def test_a_reimport_compares_every_stored_value_and_writes_only_what_changed() -> None:
    rows = [_row(1), _row(2), _row(3, **{"Nơi tiếp nhận": "HCC-20599"})]
    assert _push(rows) == (3, 0, 0)
    before = {d.external_id: d for d in Dossier.objects.all()}
    assert before["HS-0003"].geom is not None  # a point: compared as its EWKB
    assert _push(rows) == (0, 0, 3)
    changed = [
        _row(1, **{"Trạng thái": "Đang giải quyết"}),  # text
        _row(2, **{"Nơi tiếp nhận": "HCC-20599"}),  # point, facility and maybe commune
        _row(3, **{"Nơi tiếp nhận": "HCC-20599"}),
    ]
    assert _push(changed) == (0, 2, 1)
    after = {d.external_id: d for d in Dossier.objects.all()}
    assert after["HS-0001"].status == "in_progress"
    assert after["HS-0002"].geom.equals_exact(before["HS-0003"].geom, 1e-9)
    assert after["HS-0002"].office_id == before["HS-0003"].office_id
    assert after["HS-0003"].run_id == before["HS-0003"].run_id  # unchanged: not rewritten
    assert after["HS-0002"].run_id != before["HS-0002"].run_id


@pytest.mark.usefixtures("geo")
def test_a_row_repeating_a_new_record_in_its_batch_updates_it_as_if_sent_later() -> None:
    rows = [_row(1), _row(1, **{"Trạng thái": "Đang giải quyết"}), _row(1)]
    assert _push(rows) == (1, 2, 0)
    assert Dossier.objects.get().status == "received"  # the latest values, written once
    assert _push([_row(1), _row(1)]) == (0, 0, 2)


@pytest.mark.usefixtures("geo")
def test_lines_written_ahead_store_what_the_writer_would_have_written() -> None:
    """A chunk's COPY lines written where it is read (`System.new_lines`) store the very
    records `records_upsert` writes itself, the latest of a repeated id included."""
    rows = [
        _row(1),
        _row(2, **{"Nơi tiếp nhận": "HCC-20599"}),
        _row(1, **{"Trạng thái": "Đang giải quyết"}),
    ]
    locator = Locator()
    values = [SYSTEM.normalise(plan_row)[0] for plan_row in (_mapped(r) for r in rows)]
    for v in values:
        SYSTEM.locate(v, locator)
    run = IngestRun.objects.create(system=SYSTEM.name, source="ahead")
    lines = SYSTEM.new_lines(values, run)
    assert lines is not None and len(lines) == 3 and all(line.endswith("\n") for line in lines)
    assert SYSTEM.upsert_lines(values, run, lines) == ["created", "created", "updated"]
    other = IngestRun.objects.create(system=SYSTEM.name, source="itself")
    assert upsert.records_upsert(model=Dossier, rows=values, run=other) == [
        "created",
        "created",
        "updated",
    ]
    skip = {"id", "source", "run", "created_at", "updated_at"}
    names = [f.attname for f in Dossier._meta.concrete_fields if f.name not in skip]

    def stored(source: str) -> list[tuple]:
        found = Dossier.objects.filter(source=source).order_by("external_id")
        return [tuple(str(getattr(d, n)) for n in names) for d in found]

    assert stored("ahead") == stored("itself") and len(stored("ahead")) == 2
    assert Dossier.objects.get(source="ahead", external_id="HS-0001").status == values[2]["status"]


def _mapped(row: RawRow) -> dict[str, object]:
    from gisioc.ingest.mapping import HeaderPlan

    return HeaderPlan(SYSTEM, None).fields_of(row.values)


def test_a_cell_remembered_gives_the_careful_answer_and_its_error_every_time() -> None:
    fields = {f.name: f for f in SYSTEM.fields}
    cells = {
        "received_at": ["02/07/2025 08:00", "2025-07-02T08:00", "31/02/2025", "x", "02/07/2025"],
        "due_at": ["02/07/2025", "02/07/2025 17:00", "bad"],
        "channel": ["Trực tuyến", "truc tuyen", "DVCTT", "telegram"],
        "supplement_count": ["2", " 3 ", "1.5", "9" * 20],
        "online_payment": ["Có", "không", "maybe"],
        "dossier_code": ["HS-1", "x" * 81, "a\x00b"],
    }
    for name, values in cells.items():
        field = fields[name]
        for value in values * 2:  # the second time from memory
            try:
                careful: object = field._read(value)
            except BadValue as exc:
                careful = (exc.vi, exc.en)
            try:
                remembered: object = field.read(value)
            except BadValue as exc:
                remembered = (exc.vi, exc.en)
            assert remembered == careful, (name, value)


def test_raw_json_text_is_the_careful_json_of_any_row() -> None:
    rows = [
        {"Mã hồ sơ": "HS-1", "Địa chỉ": 'xã "Duy Phú"\nthôn 3', "n": 3, "f": 1.5, "b": None},
        {"a": "NUL\x00here", "b": "lone \ud800 surrogate"},
        {"a": math.nan, "b": math.inf},
        {"a": dt.date(2025, 7, 1), "b": dt.datetime(2025, 7, 1, 8, 30), "c": [1, {"d": "e"}]},
        {1: "a number as header", 2.5: "another"},
    ]
    for row in rows:
        assert json.loads(json_text(row)) == json_ready(row), row


def test_rows_copy_keeps_nulls_blanks_quotes_and_line_breaks_apart() -> None:
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE copy_probe (a text, b text, c boolean, d jsonb)")
    rows = [(None, "", True, {"k": 'v "q"'}), ('a "quoted", b', "line\nbreak", None, None)]
    texts = (str, str, lambda v: "t" if v else "f", json.dumps)
    assert rows_copy(table="copy_probe", columns=("a", "b", "c", "d"), texts=texts, rows=rows) == 2
    with connection.cursor() as cur:
        cur.execute("SELECT a, b, c, d::text FROM copy_probe ORDER BY b")
        assert cur.fetchall() == [
            (None, "", True, '{"k": "v \\"q\\""}'),
            ('a "quoted", b', "line\nbreak", None, None),
        ]


DAYS = [
    dt.date(2018, 12, 31),  # before every version
    dt.date(2019, 1, 1),
    dt.date(2024, 11, 1),  # the 2019 district in force, before the 2025 reform
    dt.date(2025, 6, 30),  # the reform's eve
    dt.date(2025, 7, 1),  # its first day
    dt.date(2026, 3, 1),
]


@pytest.mark.usefixtures("geo")
def test_versions_from_one_read_are_those_in_force_each_day() -> None:
    locator = Locator()
    for day in DAYS:
        expected = tuple(selectors.versions_in_force(on=day).values_list("pk", flat=True))
        assert locator.versions(day) == expected, day


@pytest.mark.usefixtures("geo")
def test_a_placement_remembered_is_the_one_computed_afresh_on_tricky_rows() -> None:
    """On each day around the 2025 reform: a known office, an unknown one, none; an address in
    a commune, one on no map, a former commune's name, none."""
    offices = ["MOTCUA-DX", "HCC-20599", "NO-SUCH-OFFICE", ""]
    addresses = ["xã Duy Phú", "Thôn 3, xã Duy Châu", "phường Atlantis", "xã Duy Xuyên", ""]
    remembering = Locator()
    for day in DAYS:
        received = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        for office in offices:
            for address in addresses:
                values = {
                    "received_at": received,
                    "office_code": office,
                    "applicant_commune": address,
                }
                fresh = dict(values)
                fresh.update(dossier_locate._place(day, office, address, Locator()), locate_on=day)
                dossier_locate(values, remembering)  # twice: the second from memory
                dossier_locate(values, remembering)
                assert values == fresh, (day, office, address)
                if values["unit_id"] is None:  # stored with its reason
                    assert values["locate_reason"], (day, office, address)
    placed = {k[1:]: v["unit_id"] for k, v in remembering.placed.items()}
    assert any(unit is None for unit in placed.values())  # some rows are not located …
    assert any(unit is not None for unit in placed.values())  # … and some are


def _csv(path: Path, rows: list[RawRow]) -> Path:
    headers = list(dict.fromkeys(h for row in rows for h in row.values))
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(headers)
        out.writerows([row.values.get(h, "") for h in headers] for row in rows)
    return path


def _file_rows() -> list[RawRow]:
    rows = [_row(n) for n in range(1, 24)]
    rows[4] = _row(5, **{"Ngày tiếp nhận": "31/02/2025"})  # refused, alone
    rows[9] = _row(10, **{"Nơi tiếp nhận": "NO-SUCH-OFFICE", "Địa chỉ": "phường Atlantis"})
    return rows


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("geo")
def test_a_file_written_by_the_writer_thread_keeps_every_guarantee(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a transaction a file's chunks are written by a thread while the next is read:
    the same counts, raw rows, refusals and reasons; the same file again changes nothing."""
    path = _csv(tmp_path / "hs.csv", _file_rows())
    writers: set[str] = set()
    real = services._write

    def write(*args: object) -> None:
        writers.add(threading.current_thread().name)
        real(*args)

    monkeypatch.setattr(services, "_write", write)
    lines: list[str] = []
    first = ingest_file(system="public_services", path=path, chunk_size=4, progress=lines.append)
    assert (first.status, first.received, first.created, first.rejected) == ("done", 23, 22, 1)
    assert first.not_located == 1 and first.errors[0].row == 6
    assert sum("rows/s" in line for line in lines) == 6  # one line per chunk, in the caller
    run = IngestRun.objects.get(pk=first.run_id)
    assert (run.received, run.created, run.rejected, run.not_located) == (23, 22, 1, 1)
    raw = RawRecord.objects.filter(run=run).order_by("row")
    assert [r.row for r in raw] == list(range(2, 25))
    assert raw.get(external_id="HS-0010").note  # not located: stored with its reason
    assert Dossier.objects.get(external_id="HS-0010").locate_reason
    again = ingest_file(system="public_services", path=path, chunk_size=4, progress=lines.append)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 22, 1)
    assert len(writers) == 1 and next(iter(writers)).startswith("ingest-writer")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("geo")
def test_a_write_failing_in_the_writer_thread_fails_the_run_and_keeps_the_chunks_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _csv(tmp_path / "hs.csv", _file_rows())
    calls = {"n": 0}
    real = upsert.records_upsert

    def failing(**kwargs: object) -> list:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk on fire")
        return real(**kwargs)

    monkeypatch.setattr(upsert, "records_upsert", failing)
    monkeypatch.setattr(systems, "records_upsert", failing)
    with pytest.raises(RuntimeError):
        ingest_file(system="public_services", path=path, chunk_size=4, progress=lambda _: None)
    run = IngestRun.objects.get()
    assert run.status == "failed" and "#" in run.message
    kept = Dossier.objects.count()
    assert (run.received, run.created, kept) == (8, 7, 7)  # two chunks whole, nothing of the third
    assert RawRecord.objects.filter(run=run).count() == 8
