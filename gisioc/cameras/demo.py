"""The camera demo: twenty cameras at Nam Phước's junctions, along Quốc lộ 1A and the coastal
road ĐT129 (the demo facilities CAM-DX-001…020), fourteen months of their AI's events
(September 2025 – the snapshot) at realistic rates (`demo_events`), a few outages, shared
snapshot pictures drawn by our own code, and short HLS/MJPEG loops made with ffmpeg.

The cameras are upserted and their streams made on every load (both idempotent); the events
and outages go in once per generator version (`KEY`), in bulk (COPY), one transaction. A load
on a later day than the snapshot's also adds the events the cameras would have seen since, up
to the start of that day (once a day: the same rows whenever it is run that day); the fake
cameras (`fake.py`) send today's."""

import datetime as dt
import time
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from gisioc.cameras import demo_catalog as c
from gisioc.cameras.demo_events import Drawn, Stretch, demo_history, events_after_snapshot
from gisioc.cameras.demo_images import media_write, pictures_write, still, stored_name
from gisioc.cameras.models import Camera, CameraEvent, CameraSeen, Outage
from gisioc.cameras.streams import PLAYLIST, SNAPSHOT, media_base, streams_make
from gisioc.cameras.system import SYSTEM
from gisioc.geo.demo_facilities import NEW_COMMITTEE
from gisioc.geo.models import Facility
from gisioc.geo.services import Progress
from gisioc.ingest.copy import objects_copy
from gisioc.ingest.models import IngestRun
from gisioc.periods import VIETNAM

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-cameras-v2"  # change when the generator changes, so the demo loads again
CHUNK = 5_000


def _agencies() -> dict[str, int]:
    """The owner agencies' facility ids by code (the city's centre and the sanitation
    company come with the feedback demo's agencies, upserted here too)."""
    from gisioc.feedback.demo_world import agencies_load

    agencies_load()
    return dict(Facility.objects.filter(kind=Facility.Kind.AGENCY).values_list("code", "pk"))


def _urls(spec: c.CameraSpec) -> dict[str, str]:
    if not spec.stream:
        return {"stream_url": "", "snapshot_url": ""}
    base = f"{media_base()}/{spec.code}"
    stream = f"{base}/{PLAYLIST}" if spec.stream == c.HLS else f"{base}/mjpeg"
    return {"stream_url": stream, "snapshot_url": f"{base}/{SNAPSHOT}"}


def cameras_load(*, now: dt.datetime | None = None) -> dict[str, Camera]:
    """Upsert the demo's cameras on their facilities; {code: Camera}. A camera first seen
    now is online since now (the broken gauge offline since its outage began)."""
    now = now or timezone.now()
    facilities = Facility.objects.filter(code__in=[s.code for s in c.CAMERAS]).select_related(
        "unit"
    )
    by_code = {f.code: f for f in facilities}
    missing = [s.code for s in c.CAMERAS if s.code not in by_code]
    if missing:
        raise LookupError(f"Demo camera facilities missing (load the geo demo first): {missing}")
    agencies = _agencies()
    out = {}
    for spec in c.CAMERAS:
        facility = by_code[spec.code]
        owner = spec.agency or NEW_COMMITTEE.format(
            code=facility.unit.code if facility.unit else ""
        )
        values: dict[str, Any] = {
            "kind": spec.kind,
            "road": (facility.attributes or {}).get("road", ""),
            "agency_id": agencies.get(owner),
            "stream": spec.stream,
            "nvr_name": spec.nvr_name,
            **_urls(spec),
        }
        camera, created = Camera.objects.update_or_create(facility=facility, defaults=values)
        if created or camera.last_seen_at is None:
            broken = spec.code == c.BROKEN
            since = dt.datetime(2026, 10, 29, 3, 12, 40, tzinfo=VIETNAM) if broken else now
            camera.status = Camera.Status.OFFLINE if broken else Camera.Status.ONLINE
            camera.status_since = since
            camera.save(update_fields=["status", "status_since"])
            CameraSeen.objects.update_or_create(camera=camera, defaults={"at": since})
        out[spec.code] = camera
    return out


def stills_load(cameras: dict[str, Camera]) -> None:
    """A still picture for each camera without a stream, as its latest snapshot."""
    for spec in c.CAMERAS:
        if spec.stream:
            continue
        name = stored_name(f"still:{spec.code}")
        media_write(name, still(spec.code, f"{spec.code}  {c.SNAPSHOT:%d/%m/%Y %H:%M}"))
        camera = cameras[spec.code]
        if camera.snapshot_file != name:
            camera.snapshot_file, camera.snapshot_at = name, c.SNAPSHOT
            camera.save(update_fields=["snapshot_file", "snapshot_at"])


def _units(cameras: dict[str, Camera]) -> dict[str, int | None]:
    """Each camera's commune over the demo (all after the 2025 reform: one version)."""
    ids = {cam.facility_id: code for code, cam in cameras.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, gisioc_locate_point(geom, %s) FROM geo_facility WHERE id = ANY(%s)",
            [c.START, list(ids)],
        )
        return {ids[pk]: unit for pk, unit in cursor.fetchall()}


def events_write(
    events: list[Drawn], stretches: list[Stretch], cameras: dict[str, Camera], run: IngestRun
) -> int:
    """Write the events (COPY, in chunks) and the outages; how many events."""
    pictures = pictures_write()
    units = _units(cameras)
    points = {code: cam.facility.geom for code, cam in cameras.items()}
    written = 0
    for start in range(0, len(events), CHUNK):
        rows = []
        for e in events[start : start + CHUNK]:
            picture = pictures[e.kind][e.variant]
            rows.append(
                CameraEvent(
                    source=SOURCE, external_id=e.external_id, run_id=run.pk,
                    geom=points[e.camera], unit_id=units[e.camera],
                    locate_on=e.occurred_at.astimezone(VIETNAM).date(),
                    locate_method=CameraEvent.Method.FACILITY, locate_confidence=1.0,
                    locate_reason="", camera_id=cameras[e.camera].pk, kind=e.kind,
                    confidence=e.confidence, occurred_at=e.occurred_at, ended_at=e.ended_at,
                    bbox=list(picture.bbox), label=e.label, snapshot_file=picture.snapshot,
                    thumb_file=picture.thumb, status=e.status, report_id=None,
                )
            )  # fmt: skip
        written += objects_copy(objects=rows)
    Outage.objects.bulk_create(
        Outage(camera=cameras[s.camera], started_at=s.started_at, ended_at=s.ended_at)
        for s in stretches
    )
    return written


def history_remove(cameras: dict[str, Camera]) -> int:
    """Remove an earlier demo's events and the demo cameras' outages; how many events."""
    gone, _ = CameraEvent.objects.filter(source=SOURCE).delete()
    Outage.objects.filter(camera__in=cameras.values()).delete()
    IngestRun.objects.filter(source=SOURCE, kind=IngestRun.Kind.DEMO).delete()
    return gone


def catch_up(cameras: dict[str, Camera], *, now: dt.datetime) -> int:
    """The events the demo's cameras saw from the snapshot to the start of today (Vietnam),
    once a day (a run per day caught up to), as make run's demo goes on past its snapshot;
    how many were added. Today's come from the fake cameras."""
    today = now.astimezone(VIETNAM).date()
    until = dt.datetime.combine(today, dt.time(), tzinfo=VIETNAM)
    key = f"{KEY}:to:{today.isoformat()}"
    runs = IngestRun.objects.filter(source=SOURCE, idempotency_key=key)
    if until <= c.SNAPSHOT or runs.filter(status=IngestRun.Status.DONE).exists():
        return 0
    with transaction.atomic():
        runs.delete()
        after = CameraEvent.objects.filter(source=SOURCE, occurred_at__gt=c.SNAPSHOT)
        have = set(after.values_list("external_id", flat=True))
        new = [e for e in events_after_snapshot(until) if e.external_id not in have]
        run = IngestRun.objects.create(
            system=SYSTEM.name, source=SOURCE, kind=IngestRun.Kind.DEMO, idempotency_key=key
        )
        run.received = run.created = events_write(new, [], cameras, run)
        run.status, run.finished_at = IngestRun.Status.DONE, timezone.now()
        run.save()
    return run.created


def load(
    *, progress: Progress = print, streams: bool = True, now: dt.datetime | None = None
) -> None:
    """The camera part of `gisioc demo load` (see the module's docstring)."""
    started = time.perf_counter()
    now = now or timezone.now()
    with transaction.atomic():
        cameras = cameras_load(now=now)
        stills_load(cameras)
    made = 0
    if streams:
        made = streams_make(
            (s.code, int(s.code[-3:]), s.stream == c.MJPEG) for s in c.CAMERAS if s.stream
        )
    runs = IngestRun.objects.filter(source=SOURCE, idempotency_key=KEY)
    if runs.filter(status=IngestRun.Status.DONE).exists():
        added = catch_up(cameras, now=now)
        progress(
            f"Camera AI / AI cameras: {len(cameras)}, luồng / streams {made}; "
            f"sự kiện đã có / events already loaded; đến hôm nay / caught up {added:,}"
        )
        return
    with transaction.atomic():
        removed = history_remove(cameras)
        if removed:
            progress(f"Camera AI: bỏ bản minh họa cũ / previous demo removed ({removed:,})")
        run = IngestRun.objects.create(
            system=SYSTEM.name, source=SOURCE, kind=IngestRun.Kind.DEMO, idempotency_key=KEY
        )
        events, stretches = demo_history()
        written = events_write(events, stretches, cameras, run)
        run.received = run.created = written
        run.status, run.finished_at = IngestRun.Status.DONE, timezone.now()
        run.save()
    added = catch_up(cameras, now=now)
    seconds = time.perf_counter() - started
    progress(
        f"Camera AI / AI cameras ({seconds:.1f} s): {len(cameras)} camera, luồng / streams {made}, "
        f"sự kiện / events {written:,} (+{added:,} đến hôm nay / caught up), "
        f"mất kết nối / outages {len(stretches)}"
    )
