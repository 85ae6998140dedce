"""A year and a half of citizen reports in Duy Xuyên (May 2025 – October 2026), deterministic.

About 5,000 reports at the channel mix of Đà Nẵng's 1022 (web/app, hotline, Zalo, Facebook,
chatbot, e-mail), with the season's peaks, placed in the communes in force on the day; each
is received and handled with its own times up to the snapshot: verified, rejected or merged,
routed to its agency, resolved (most on time), published with "after" photos, rated, closed;
about 5 % are left open past their deadline. The reports and their history are written in bulk
as the workflow services write them (`demo_bulk`); the photos through `media_store`. Loading
is one transaction, once per generator version; the agencies and routing rules are upserted.
"""

import io
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from gisioc.feedback.demo_bulk import lives_write_bulk
from gisioc.feedback.demo_lives import SNAPSHOT, Generator, Life
from gisioc.feedback.demo_world import agencies_load, communes_read, officer_member_load
from gisioc.feedback.media import media_store
from gisioc.feedback.models import Report
from gisioc.feedback.system import SYSTEM
from gisioc.geo.services import Progress
from gisioc.ingest.models import IngestRun
from gisioc.ingest.sources import source_purge

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-feedback-v4"  # change when the generator changes, so the demo loads again
PHOTO_WORKERS = 4
COLOURS = {
    "duong_sa": (120, 110, 100), "chieu_sang": (40, 50, 90), "cap_nuoc": (60, 120, 170),
    "thoat_nuoc": (70, 100, 120), "moi_truong": (80, 130, 60), "trat_tu_xay_dung": (150, 120, 90),
    "trat_tu_giao_thong": (110, 110, 120), "dich_vu_cong": (150, 150, 160), "khac": (130, 120, 140),
}  # fmt: skip


def demo_lives() -> Iterator[Life]:
    """The demo's reports from the communes in the database, identical on every call."""
    return Generator(communes_read()).lives()


def photo(code: str, category: str, stage: str) -> bytes:
    """A small deterministic JPEG standing for a photo of the place, before or after."""
    rng = random.Random(f"gisioc-demo-feedback-photo:{code}:{stage}")
    base = COLOURS[category]
    after = stage == "result"
    img = Image.new("RGB", (320, 240), tuple(min(255, x + (50 if after else 0)) for x in base))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 150, 320, 240), fill=(90, 90, 90) if after else (70, 60, 50))  # road
    for _ in range(3 if after else 9):  # debris, puddles, potholes — fewer once handled
        x, y = rng.randint(10, 290), rng.randint(140, 220)
        r = rng.randint(6, 22)
        draw.ellipse((x, y, x + r * 2, y + r), fill=(30, 30, 30) if not after else (110, 110, 110))
    draw.text((8, 8), "SAU XỬ LÝ" if after else "HIỆN TRẠNG", fill=(255, 255, 255))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


def _store(jobs: list[tuple[Report, str, str, str]], *, own_connection: bool) -> int:
    try:
        for report, code, category, stage in jobs:
            media_store(report=report, data=photo(code, category, stage), stage=stage)
    finally:
        if own_connection:  # a worker thread's connection, opened by its first query
            connection.close()
    return len(jobs)


def photos_write(lives: list[Life], reports: dict[str, Report], *, workers: int = 0) -> int:
    """ "Before" photos with some reports, "after" photos with results, through media_store
    (which syncs each file to disk: `workers` threads overlap those waits); how many."""
    jobs = []
    for life in lives:
        report, category = reports[life.code], life.values["category"]
        if life.before_photo:
            jobs.append((report, life.code, category, "report"))
        if life.after_photo and report.resolved_at is not None:
            jobs.append((report, life.code, category, "result"))
    if workers <= 1:
        return _store(jobs, own_connection=False)
    parts = [jobs[n::workers] for n in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        return sum(pool.map(lambda part: _store(part, own_connection=True), parts))


def _in_demo_time(lives: list[Life]) -> list[Life]:
    return [life for life in lives if life.received <= SNAPSHOT]


def load(
    *, progress: Progress = print, lives: Callable[[], Any] = demo_lives, photos: bool = True
) -> None:
    """The feedback part of `gisioc demo load`: agencies and routing always (upserted), the
    reports once per generator version (one transaction), then their photos; the run is done
    once both are. A run left undone (interrupted) is removed with its reports and loaded
    again."""
    started = time.perf_counter()
    with transaction.atomic():
        ids = agencies_load()
        officer_member_load(ids)
        runs = IngestRun.objects.filter(source=SOURCE, idempotency_key=KEY)
        if runs.filter(status=IngestRun.Status.DONE).exists():
            progress("Phản ánh / citizen reports: đã có / already loaded")
            return
        if IngestRun.objects.filter(source=SOURCE).exists():
            gone = source_purge(source=SOURCE, apply=True, stop_pull=False)
            progress(f"Phản ánh: bỏ bản minh họa cũ / previous demo removed ({gone.records:,})")
        run = IngestRun.objects.create(
            system=SYSTEM.name, source=SOURCE, kind=IngestRun.Kind.DEMO, idempotency_key=KEY
        )
        drawn = _in_demo_time(list(lives()))
        rng = random.Random("gisioc-demo-feedback-tickets")
        reports = lives_write_bulk(drawn, run, until=SNAPSHOT, rng=rng)
    # Threads see the reports only once committed; inside a caller's transaction, no threads.
    workers = 0 if connection.in_atomic_block else PHOTO_WORKERS
    stored = photos_write(drawn, reports, workers=workers) if photos else 0
    run.received = run.created = len(drawn)
    run.status, run.finished_at = IngestRun.Status.DONE, timezone.now()
    run.save()
    seconds = time.perf_counter() - started
    progress(
        f"Phản ánh / citizen reports ({seconds:.1f} s): {len(drawn):,}, ảnh / photos {stored:,}"
    )
