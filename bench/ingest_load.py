"""Measure 1: file import with geocoding, ours against two peers writing into the same tables.

- ours: `gisioc.ingest.services.ingest_file` on the CSV (read, map, validate, geocode, upsert,
  one raw record per row, run counts), first into an empty table, then the same file again.
- floor: one psycopg2 COPY of the very rows our import stored (exported from the table after
  it, so the values are identical) into the emptied dossier table: the bare write.
- sql: the whole job in PostgreSQL: COPY of the CSV into an unlogged staging table, then one
  statement that parses, maps the demo's words, places each (office, day) once with
  `gisioc_locate_point`, upserts (ON CONFLICT … WHERE IS DISTINCT FROM) and writes one raw
  record per row with its outcome; twice, like ours.
All three write into the real `public_services_dossier` (same indexes, foreign keys and
data-version triggers), each into an emptied table except the re-imports; see bench/README.md.
"""

import contextlib
import re
import time
from pathlib import Path
from typing import Any

from bench import floor
from bench.__main__ import load_average
from bench.ingest_data import OUT_DIR, SOURCE, Log, reset, vacuum_analyze

MIB = 1024.0
COLUMNS = (
    "geom", "locate_on", "locate_method", "locate_confidence", "locate_reason", "source",
    "external_id", "dossier_code", "procedure_code", "procedure_name", "field", "office_code",
    "channel", "service_level", "received_at", "due_at", "finished_at", "returned_at", "status",
    "supplement_count", "applicant_commune", "online_payment", "office_id", "run_id", "unit_id",
)  # fmt: skip
COMPARED = tuple(c for c in COLUMNS if c not in ("source", "external_id", "run_id"))


def _status_kib(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def _peak_reset() -> None:
    """Start a new peak-RSS window (Linux: writing 5 to clear_refs resets VmHWM)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _throttled(log: Log, every: float = 30.0) -> Log:
    last = [time.monotonic()]

    def progress(line: str) -> None:
        if time.monotonic() - last[0] >= every:
            last[0] = time.monotonic()
            log(f"  {line.strip()}")

    return progress


def ours(path: Path, label: str, log: Log) -> dict[str, Any]:
    """One `ingest_file` of the CSV, timed, with this process's RSS before and at its peak."""
    from gisioc.ingest.services import ingest_file

    _peak_reset()
    before = _status_kib("VmRSS")
    load = load_average()
    t0 = time.perf_counter()
    report = ingest_file(
        system="public_services", path=path, source=SOURCE, progress=_throttled(log)
    )
    seconds = time.perf_counter() - t0
    return {
        "target": label,
        "rows": report.received,
        "seconds": round(seconds, 2),
        "rps": round(report.received / seconds, 1),
        "status": report.status,
        "counts": {
            k: getattr(report, k)
            for k in ("created", "updated", "unchanged", "rejected", "not_located")
        },
        "rss_before_mib": round(before / MIB, 1),
        "peak_rss_mib": round(_status_kib("VmHWM") / MIB, 1),
        "load_before": load,
        "load_after": load_average(),
    }


def _connect() -> Any:
    """A psycopg2 connection made as Django makes its own (same OPTIONS), not autocommit."""
    import psycopg2

    return psycopg2.connect(**floor.connection_params({}))  # no session settings of a run


def export_normalised(path: Path) -> int:
    """Our stored dossiers, as COPY text, in insertion order (untimed); the number of rows."""
    conn = _connect()
    try:
        with conn.cursor() as cur, path.open("w", encoding="utf-8") as f:
            cur.copy_expert(
                f"COPY (SELECT {', '.join(COLUMNS)} FROM public_services_dossier "
                "ORDER BY id) TO STDOUT",
                f,
            )
            return cur.rowcount
    finally:
        conn.close()


def _execute(sql: str) -> None:
    """One statement in its own transaction (untimed set-up)."""
    conn = _connect()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


def bare_copy(path: Path, rows: int) -> dict[str, Any]:
    """The floor: one COPY of the normalised rows into the emptied table, one commit."""
    _execute("TRUNCATE public_services_dossier")
    load = load_average()
    conn = _connect()
    try:
        t0 = time.perf_counter()
        with conn, conn.cursor() as cur, path.open(encoding="utf-8") as f:
            cur.copy_expert(f"COPY public_services_dossier ({', '.join(COLUMNS)}) FROM STDIN", f)
            written = cur.rowcount
        seconds = time.perf_counter() - t0
    finally:
        conn.close()
    return {
        "target": "floor: COPY of the normalised rows",
        "rows": written,
        "seconds": round(seconds, 2),
        "rps": round(written / seconds, 1),
        "status": "done" if written == rows else f"wrote {written} of {rows}",
        "counts": {"created": written},
        "load_before": load,
        "load_after": load_average(),
    }


STAGING = """
CREATE UNLOGGED TABLE IF NOT EXISTS bench_ingest_staging (
  n bigint GENERATED ALWAYS AS IDENTITY, code text, proc_code text, proc_name text, field text,
  office text, channel text, level text, received text, due text, finished text, returned text,
  status text, supplements text, address text, payment text)
"""
STAGED = (
    "code",
    "proc_code",
    "proc_name",
    "field",
    "office",
    "channel",
    "level",
    "received",
    "due",
    "finished",
    "returned",
    "status",
    "supplements",
    "address",
    "payment",
)  # fmt: skip, the order of demo.HEADERS


def _ts(column: str) -> str:
    return f"to_timestamp(NULLIF(s.{column}, ''), 'DD/MM/YYYY HH24:MI')"


# The session's time zone is Vietnam's, so to_timestamp reads local times and ::date gives
# Vietnam days. Words are the demo's own (ours folds and accepts every alias).
PIPELINE = f"""
WITH parsed AS (
  SELECT s.n, s.code, s.proc_code, coalesce(s.proc_name, '') AS proc_name,
    coalesce(s.field, '') AS field, coalesce(s.office, '') AS office,
    CASE s.channel WHEN 'Trực tuyến' THEN 'truc_tuyen' WHEN 'Trực tiếp' THEN 'truc_tiep'
      WHEN 'Bưu chính công ích' THEN 'buu_chinh' ELSE '' END AS channel,
    CASE s.level WHEN 'Toàn trình' THEN 'toan_trinh' WHEN 'Một phần' THEN 'mot_phan'
      ELSE '' END AS level,
    {_ts("received")} AS received_at, {_ts("due")} AS due_at,
    {_ts("finished")} AS finished_raw, {_ts("returned")} AS returned_at,
    CASE s.status WHEN 'Đã hủy' THEN 'cancelled' WHEN 'Đã trả kết quả' THEN 'returned'
      WHEN 'Đã giải quyết' THEN 'finished' WHEN 'Đang giải quyết' THEN 'in_progress'
      WHEN 'Tạm dừng' THEN 'paused' WHEN 'Chờ bổ sung' THEN 'supplement_requested'
      ELSE 'received' END AS status,
    coalesce(NULLIF(s.supplements, '')::smallint, 0) AS supplements,
    coalesce(s.address, '') AS address, coalesce(s.payment = 'Có', false) AS payment
  FROM bench_ingest_staging s
), typed AS (
  SELECT p.*, CASE WHEN p.status IN ('finished', 'returned')
    THEN coalesce(p.finished_raw, p.returned_at) ELSE p.finished_raw END AS finished_at,
    p.received_at::date AS day
  FROM parsed p
), places AS (
  SELECT d.office, d.day, f.id AS office_id, f.geom, gisioc_locate_point(f.geom, d.day) AS unit_id
  FROM (SELECT DISTINCT office, day FROM typed) d
  LEFT JOIN geo_facility f ON f.code = d.office AND f.kind = 'one_stop' AND f.active
), up AS (
  INSERT INTO public_services_dossier AS t ({", ".join(COLUMNS)})
  SELECT l.geom, p.day, CASE WHEN l.unit_id IS NULL THEN 'none' ELSE 'facility' END,
    CASE WHEN l.unit_id IS NULL THEN 0.0 ELSE 0.95 END, '', %(source)s, p.code, p.code,
    p.proc_code, p.proc_name, p.field, p.office, p.channel, p.level, p.received_at, p.due_at,
    p.finished_at, p.returned_at, p.status,
    CASE WHEN p.status = 'supplement_requested' THEN greatest(p.supplements, 1)
      ELSE greatest(p.supplements, 0) END,
    p.address, p.payment, l.office_id, %(run)s, l.unit_id
  FROM typed p LEFT JOIN places l ON l.office = p.office AND l.day = p.day
  ON CONFLICT (source, external_id) DO UPDATE
    SET ({", ".join(COMPARED)}, run_id) = ({", ".join(f"EXCLUDED.{c}" for c in COMPARED)},
      EXCLUDED.run_id)
    WHERE ({", ".join(f"t.{c}" for c in COMPARED)})
      IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in COMPARED)})
  RETURNING t.external_id, (t.xmax = 0) AS created
)
INSERT INTO ingest_rawrecord (run_id, "row", external_id, raw, errors, outcome, note)
SELECT %(run)s, s.n + 1, s.code,
  jsonb_build_object({", ".join(f"%({c})s::text, s.{c}" for c in STAGED)}), '[]'::jsonb,
  CASE WHEN up.external_id IS NULL THEN 'unchanged' WHEN up.created THEN 'created'
    ELSE 'updated' END, ''
FROM bench_ingest_staging s LEFT JOIN up ON up.external_id = s.code
"""


def sql_pipeline(path: Path, label: str, *, empty: bool) -> dict[str, Any]:
    """The whole import in PostgreSQL, timed from COPY to commit; `empty` truncates first."""
    from gisioc.ingest.models import IngestRun
    from gisioc.public_services.demo import HEADERS

    if empty:
        _execute("TRUNCATE public_services_dossier")
    run = IngestRun.objects.create(
        system="public_services", source=SOURCE, file_name=path.name, profile="bench-sql"
    )
    params = {"source": SOURCE, "run": run.pk, **dict(zip(STAGED, HEADERS, strict=True))}
    conn = _connect()
    load = load_average()
    try:
        with conn, conn.cursor() as cur:  # set-up, untimed
            cur.execute(STAGING)
            cur.execute("SET TIME ZONE 'Asia/Ho_Chi_Minh'")
        t0 = time.perf_counter()
        with conn, conn.cursor() as cur, path.open("rb") as f:
            cur.execute("TRUNCATE bench_ingest_staging RESTART IDENTITY")
            cur.copy_expert(
                f"COPY bench_ingest_staging ({', '.join(STAGED)}) FROM STDIN "
                "WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')",
                f,
            )
            cur.execute(PIPELINE, params)
            cur.execute(
                "SELECT outcome, count(*) FROM ingest_rawrecord WHERE run_id = %s GROUP BY 1",
                [run.pk],
            )
            counts = dict(cur.fetchall())
        seconds = time.perf_counter() - t0
    finally:
        conn.close()
    rows = sum(counts.values())
    IngestRun.objects.filter(pk=run.pk).update(status="done", received=rows)
    return {
        "target": label,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rps": round(rows / seconds, 1),
        "status": "done",
        "counts": counts,
        "load_before": load,
        "load_after": load_average(),
    }


def measure(path: Path, rows: int, log: Log) -> dict[str, Any]:
    """Ours twice, the SQL pipeline twice, the floor last (its rows are what the KPIs read)."""
    out: dict[str, Any] = {}
    reset()

    def done(key: str, r: dict[str, Any]) -> None:
        out[key] = r
        rss = f", peak RSS {r['peak_rss_mib']:,.0f} MiB" if "peak_rss_mib" in r else ""
        log(
            f"{key}: {r['rows']:,} rows in {r['seconds']:.1f} s = {r['rps']:,.0f} rows/s"
            f"{rss}; {r['counts']}; load {r['load_after']}"
        )

    log(f"ours, first import of {path.name} ({rows:,} rows)")
    done("first", ours(path, "ours: ingest_file, first import", log))
    vacuum_analyze()
    log("ours, the same file again")
    done("again", ours(path, "ours: ingest_file, same file again", log))
    copy_file = OUT_DIR / "ingest-normalised.copy"
    exported = export_normalised(copy_file)
    try:
        log("sql: COPY + one INSERT … SELECT, into the emptied table, then again")
        done("sql_first", sql_pipeline(path, "sql: COPY + INSERT … SELECT, first", empty=True))
        vacuum_analyze()
        done("sql_again", sql_pipeline(path, "sql: COPY + INSERT … SELECT, again", empty=False))
        log("floor: COPY of our normalised rows into the emptied table")
        done("floor", bare_copy(copy_file, exported))
    finally:
        copy_file.unlink(missing_ok=True)
        _execute("DROP TABLE IF EXISTS bench_ingest_staging")
    vacuum_analyze()
    return out
