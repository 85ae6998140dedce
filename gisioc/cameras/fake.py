"""The demo's fake cameras, a system of their own as a town's cameras and NVRs are
(`gisioc camera-fake`, started by scripts/serve.sh beside the other fakes):

- a small HTTP server of their streams as ffmpeg made them at demo load (`streams.py`): the
  HLS playlists and segments, a snapshot, and an MJPEG loop, the one long-lived answer, which
  therefore never reaches the main app's few WSGI threads; CORS open, as cameras' are;
- a sender that pushes, through the cameras' push API with the demo source's key, an AI event
  every 10–30 s (kinds weighted by the demo's rates at this hour) and every camera's heartbeat
  every 30 s; the flaky camera falls silent a few minutes in every quarter hour, so it turns
  offline and back, and the broken flood gauge never reports.
"""

import base64
import datetime as dt
import json
import logging
import random
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from django.conf import settings

from gisioc.cameras import demo_catalog as c
from gisioc.cameras.demo_events import rates
from gisioc.cameras.demo_images import event_image, jpeg
from gisioc.cameras.streams import MJPEG_FPS, mjpeg_frames, streams_dir
from gisioc.config import private_file_write
from gisioc.periods import VIETNAM

log = logging.getLogger("gisioc.cameras.fake")
FILES = re.compile(
    r"(?P<code>[A-Z0-9-]{3,30})/(?P<file>index\.m3u8|seg\d{1,4}\.ts|snapshot\.jpg|mjpeg)"
)
TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".ts": "video/mp2t", ".jpg": "image/jpeg"}
MAX_MJPEG = 40  # viewers at once; more are told to come back
HEARTBEAT_S = 30.0
EVENT_S = (10.0, 30.0)
FLAKY_CYCLE_S, FLAKY_SILENT_S = 15 * 60, 4 * 60  # silent 4 minutes in every 15


class _Handler(BaseHTTPRequestHandler):
    server: "CameraServer"

    def _head(self, status: int, kind: str, length: int | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache")
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
        self._head(status, kind, len(body))
        self.wfile.write(body)

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Range")
        self.end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        found = FILES.fullmatch(path.removeprefix("/cameras/"))
        if not path.startswith("/cameras/") or found is None:
            self._send(404, b"not found")
            return
        folder = self.server.root / found["code"]
        if found["file"] == "mjpeg":
            self._mjpeg(found["code"])
            return
        file = folder / found["file"]
        if not file.is_file():
            self._send(404, b"not found")
            return
        self._send(200, file.read_bytes(), TYPES[file.suffix])
        self.server.served.append(path)

    def _mjpeg(self, code: str) -> None:
        frames = self.server.frames(code)
        if not frames:
            self._send(404, b"no mjpeg stream")
            return
        if not self.server.viewers.acquire(blocking=False):
            self._send(503, b"too many viewers")
            return
        self.server.watching += 1
        try:
            self._head(200, "multipart/x-mixed-replace; boundary=frame")
            n = 0
            while not self.server.stopping.is_set():
                frame = frames[n % len(frames)]
                part = (
                    f"--frame\r\nContent-Type: image/jpeg\r\nContent-Length: {len(frame)}\r\n\r\n"
                )
                self.wfile.write(part.encode() + frame + b"\r\n")
                self.wfile.flush()
                n += 1
                self.server.stopping.wait(1 / MJPEG_FPS)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the viewer closed the popup
        finally:
            self.server.watching -= 1
            self.server.viewers.release()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug(format, *args)


class CameraServer(ThreadingHTTPServer):
    """The fake cameras' streams over HTTP (see the module's docstring)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path) -> None:
        super().__init__(address, _Handler)
        self.root = root
        self.stopping = threading.Event()
        self.viewers = threading.BoundedSemaphore(MAX_MJPEG)
        self.served: list[str] = []  # paths answered (tests look)
        self.watching = 0  # MJPEG viewers now
        self._frames: dict[str, list[bytes]] = {}

    def frames(self, code: str) -> list[bytes]:
        """A camera's MJPEG frames, read once."""
        if code not in self._frames:
            self._frames[code] = mjpeg_frames(code) if (self.root / code).is_dir() else []
        return self._frames[code]

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A viewer that went away is not an error."""


@contextmanager
def cameras_serving(*, host: str = "127.0.0.1", port: int = 0) -> Iterator[CameraServer]:
    """Serve the streams in a thread for the block (port 0: a free one)."""
    server = CameraServer((host, port), streams_dir())
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def flaky_silent(now: dt.datetime) -> bool:
    """True while the flaky camera keeps quiet (4 minutes in every quarter hour)."""
    return now.timestamp() % FLAKY_CYCLE_S >= FLAKY_CYCLE_S - FLAKY_SILENT_S


def reporting(now: dt.datetime) -> list[str]:
    """The cameras whose heartbeats go out now."""
    quiet = {c.BROKEN} | ({c.FLAKY} if flaky_silent(now) else set())
    return [s.code for s in c.CAMERAS if s.code not in quiet]


def heartbeats(now: dt.datetime) -> list[dict[str, Any]]:
    """Heartbeat records of the reporting cameras."""
    at = now.isoformat(timespec="seconds")
    return [{"type": "heartbeat", "camera": code, "time": at} for code in reporting(now)]


def event_draw(rng: random.Random, now: dt.datetime, *, snapshot: bool = True) -> dict[str, Any]:
    """One event now: a reporting camera and a kind drawn by the demo's rates at this hour."""
    day, live = now.astimezone(VIETNAM).date(), set(reporting(now))
    choices: list[tuple[str, str, float]] = []
    hour = now.astimezone(VIETNAM).hour
    for spec in c.CAMERAS:
        if spec.code not in live:
            continue
        for kind, mean in rates(spec, day).items():
            choices.append((spec.code, kind, mean * c.HOURS[kind][hour]))
    code, kind, _ = rng.choices(choices, weights=[w for *_, w in choices])[0]
    variant = rng.randrange(3)
    low, high = c.CONFIDENCE[kind]
    img, box = event_image(kind, variant)
    record: dict[str, Any] = {
        "type": "event",
        "id": f"fake-{code}-{uuid.uuid4().hex[:12]}",
        "camera": code,
        "kind": kind,
        "confidence": round(rng.triangular(low, high, high - 0.05), 3),
        "time": now.isoformat(timespec="seconds"),
        "bbox": list(box),
        "label": rng.choice(c.LABELS[kind]),
    }
    if snapshot:
        record["snapshot"] = base64.b64encode(jpeg(img)).decode()
    return record


def key_file() -> Path:
    """Where the fake keeps its push key (mode 600)."""
    return Path(settings.CONFIG.var_dir) / "camera-fake.key"


def push_key() -> str:
    """The demo source's push key: the one kept under var/ while it is active, else a new one."""
    from gisioc.cameras.system import SYSTEM
    from gisioc.errors import GisiocError
    from gisioc.ingest.keys import source_key_check, source_key_create

    path = key_file()
    if path.is_file():
        key = path.read_text().strip()
        try:
            source_key_check(key=key)
            return key
        except GisiocError:
            pass
    _, key = source_key_create(system=SYSTEM.name, source=SYSTEM.demo_source or "")
    private_file_write(path, key)
    return key


def push(url: str, key: str, records: list[dict[str, Any]], *, batch: str) -> dict[str, Any]:
    """POST one batch to the push API; its report (raises on HTTP or network errors)."""
    body = json.dumps({"idempotency_key": batch, "records": records}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Api-Key {key}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # our own app's URL
        return json.loads(answer.read())


class Sender:
    """Pushes events and heartbeats on the demo's rhythm until `stop` is set."""

    def __init__(self, *, url: str, key: str, seed: str = "", snapshot: bool = True) -> None:
        self.url, self.key, self.snapshot = url, key, snapshot
        self.rng = random.Random(seed or None)
        self.stop = threading.Event()
        self.sent = {"event": 0, "heartbeat": 0, "failed": 0}

    def _send(self, records: list[dict[str, Any]]) -> None:
        batch = f"camera-fake-{uuid.uuid4().hex}"
        for attempt in range(3):  # the same batch again: a replay is harmless
            try:
                push(self.url, self.key, records, batch=batch)
                for record in records:
                    self.sent[record["type"]] += 1
                return
            except (urllib.error.URLError, OSError, ValueError) as exc:
                log.warning("camera-fake: push failed (%s), try %d", exc, attempt + 1)
                if self.stop.wait(2.0 * (attempt + 1)):
                    return
        self.sent["failed"] += len(records)

    def run(self) -> None:
        """The loop: heartbeats every 30 s, an event every 10–30 s."""
        next_beat = next_event = time.monotonic()
        while not self.stop.is_set():
            now = dt.datetime.now(VIETNAM)
            tick = time.monotonic()
            if tick >= next_beat:
                self._send(heartbeats(now))
                next_beat = tick + HEARTBEAT_S
            if tick >= next_event:
                self._send([event_draw(self.rng, now, snapshot=self.snapshot)])
                next_event = tick + self.rng.uniform(*EVENT_S)
            self.stop.wait(max(0.2, min(next_beat, next_event) - time.monotonic()))
