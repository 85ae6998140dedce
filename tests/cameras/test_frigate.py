"""Frigate's event JSON through a real mosquitto (scripts/mosquitto.sh on a free port) and a
real paho publisher, into camera events: one event a tracked object, false positives and
other labels skipped, unknown cameras a row error, bad JSON survived, a broker restart too."""

import http.server
import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from django.conf import settings
from django.db import connection
from paho.mqtt.enums import CallbackAPIVersion
from PIL import Image

from gisioc.cameras.frigate import frigate_box, frigate_kind, frigate_parse
from gisioc.cameras.frigate_crowd import Crowds
from gisioc.cameras.frigate_mqtt import FrigateListener, broker_parse
from gisioc.cameras.management.commands.frigate import sample_messages
from gisioc.cameras.models import Camera, CameraEvent
from gisioc.errors import InvalidInput
from gisioc.geo.models import Facility
from gisioc.ingest.models import IngestRun, RawRecord

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "mosquitto.sh"
START = 1_764_900_000.25  # 2025-12-05 02:00:00 UTC


def _free_port() -> int:
    for port in range(18840, 18900):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18840–18899")


class Broker:
    """The project's mosquitto in a var/ of its own."""

    def __init__(self, var: Path) -> None:
        self.port = _free_port()
        self.env = {**os.environ, "GISIOC_VAR_DIR": str(var), "GISIOC_MQTT_PORT": str(self.port)}
        self.var = var

    def script(self, action: str) -> subprocess.CompletedProcess[str]:
        """Run scripts/mosquitto.sh <action>."""
        return subprocess.run(
            ["bash", str(SCRIPT), action], env=self.env, capture_output=True, text=True, timeout=30
        )

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}/frigate"


@pytest.fixture
def broker() -> Iterator[Broker]:
    """A real mosquitto started by scripts/mosquitto.sh; stopped and its files gone after.

    Its var/ is a folder the broker's own user can reach (pytest's tmp_path is private to root).
    """
    var = Path(tempfile.mkdtemp(prefix="gisioc-mqtt-"))
    var.chmod(0o755)
    running = Broker(var)
    started = running.script("start")
    assert started.returncode == 0, started.stderr
    yield running
    running.script("stop")
    shutil.rmtree(var, ignore_errors=True)


@pytest.fixture
def frigate_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Frames of 1280×720, the source 'frigate-test', snapshots to the test's folder."""
    monkeypatch.setattr(
        settings,
        "CONFIG",
        settings.CONFIG.model_copy(
            update={
                "frigate_frames": {"*": (1280, 720)},
                "frigate_source": "frigate-test",
                "frigate_url": "",
                "frigate_labels": {},
                "frigate_crowd": 3,
            }
        ),
    )
    monkeypatch.setattr(settings, "GISIOC_MEDIA_DIR", tmp_path / "media", raising=False)


def camera_make() -> Camera:
    """One camera, 'nga_tu_vinh_dien' in Frigate."""
    facility = Facility.objects.create(
        kind=Facility.Kind.CAMERA,
        code="CAM-FRIGATE-1",
        name="Ngã tư Vĩnh Điện",
        geom="SRID=4326;POINT(108.2507 15.8955)",
    )
    return Camera.objects.create(facility=facility, nvr_name="nga_tu_vinh_dien")


@pytest.fixture
def camera(db: None) -> Camera:
    """The camera, in the test's transaction."""
    return camera_make()


@pytest.fixture
def listener(broker: Broker, frigate_settings: None) -> Iterator[FrigateListener]:
    """The subscriber, connected and subscribed; the test pumps its batches."""
    said: list[str] = []  # what it reports, as `gisioc frigate listen` prints it
    subscriber = FrigateListener(broker_parse(broker.url), progress=said.append)
    subscriber.said = said  # type: ignore[attr-defined]
    subscriber.start()
    assert subscriber.ready.wait(10), "the subscriber did not connect"
    yield subscriber
    subscriber.close()


@pytest.fixture
def publish(broker: Broker) -> Iterator[Callable[..., None]]:
    """A real paho publisher on the broker: a dict is sent as JSON, bytes as they are."""
    client = mqtt.Client(CallbackAPIVersion.VERSION2)
    client.reconnect_delay_set(min_delay=1, max_delay=2)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()

    def send(message: object, topic: str = "frigate/events", qos: int = 1) -> None:
        payload = message if isinstance(message, bytes) else json.dumps(message)
        for _ in range(100):  # after a broker restart, until the publisher is back
            if client.is_connected():
                break
            time.sleep(0.1)
        client.publish(topic, payload, qos=qos).wait_for_publish(5)

    yield send
    client.disconnect()
    client.loop_stop()


def pump_until(listener: FrigateListener, done: Callable[[], bool], seconds: float = 10) -> None:
    """Run the subscriber's batches in this thread (the test's transaction) until `done`."""
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "not ingested in time"
        listener.pump(stop)


def frigate(kind: str, after: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A Frigate events message: its type and the object's state after."""
    state = {
        "id": "1764900000.25-fire01",
        "camera": "nga_tu_vinh_dien",
        "frame_time": START + 1,
        "label": "smoke",
        "sub_label": None,
        "top_score": 0.72,
        "score": 0.7,
        "false_positive": False,
        "start_time": START,
        "end_time": None,
        "box": [128, 72, 448, 432],
        "area": 115200,
        "region": [0, 0, 640, 640],
        "current_zones": [],
        "entered_zones": [],
        "has_snapshot": False,
        "has_clip": False,
        "stationary": False,
        **after,
    }
    return {"type": kind, "before": state, "after": state, **more}


def runs() -> list[IngestRun]:
    return list(IngestRun.objects.filter(source="frigate-test").order_by("id"))


def test_new_update_end_become_one_event(
    camera: Camera, listener: FrigateListener, publish: Callable[..., None]
) -> None:
    publish(frigate("new", {}))
    pump_until(listener, lambda: CameraEvent.objects.exists())
    event = CameraEvent.objects.get()
    assert (event.source, event.external_id, event.camera_id) == (
        "frigate-test",
        "1764900000.25-fire01",
        camera.pk,
    )
    assert (event.kind, event.confidence, event.label, event.ended_at) == (
        "fire_smoke",
        0.72,
        "smoke",
        None,
    )
    assert event.occurred_at.timestamp() == pytest.approx(START, abs=0.001)
    assert event.bbox == [0.1, 0.1, 0.25, 0.5]  # 128/1280, 72/720, 320/1280, 360/720
    assert event.geom == camera.facility.geom
    # An update (a better snapshot's box) and the end, in one batch: the same event completed.
    publish(frigate("update", {"snapshot": {"box": [256, 144, 512, 504]}, "score": 0.65}))
    publish(frigate("end", {"snapshot": {"box": [256, 144, 512, 504]}, "end_time": START + 9}))
    pump_until(listener, lambda: CameraEvent.objects.filter(ended_at__isnull=False).exists())
    event = CameraEvent.objects.get()
    assert event.ended_at.timestamp() == pytest.approx(START + 9, abs=0.001)
    assert event.bbox == [0.2, 0.2, 0.2, 0.5] and event.kind == "fire_smoke"
    done = runs()
    assert [(r.kind, r.status, r.created, r.updated, r.rejected) for r in done] == [
        ("push", "done", 1, 0, 0),
        ("push", "done", 0, 1, 0),
    ]
    assert done[1].received == 1 and done[1].details["messages"] == 2
    assert done[1].file_name == f"mqtt://127.0.0.1:{listener.broker.port}/frigate/events"


def test_false_positives_and_other_labels_are_skipped_and_counted(
    camera: Camera, listener: FrigateListener, publish: Callable[..., None]
) -> None:
    publish(frigate("new", {"id": "fp-1", "false_positive": True}))
    publish(frigate("new", {"id": "dog-1", "label": "dog"}))
    publish(frigate("new", {"id": "person-1", "label": "person"}))  # in no crowd zone
    publish(frigate("new", {"id": "crowd-1", "label": "person", "current_zones": ["Tụ tập chợ"]}))
    pump_until(listener, lambda: CameraEvent.objects.exists())
    assert list(CameraEvent.objects.values_list("external_id", "kind")) == [("crowd-1", "crowd")]
    (run,) = runs()
    assert (run.received, run.created, run.rejected) == (1, 1, 0)
    notes = " | ".join(run.details["notes"])
    assert "1 false positives ignored" in notes, notes
    assert "dog × 1" in notes and "person × 1" in notes, notes


def test_an_unknown_camera_is_a_row_error_of_the_run(
    camera: Camera, listener: FrigateListener, publish: Callable[..., None]
) -> None:
    publish(frigate("new", {"id": "x-1", "camera": "cong_sau"}))
    publish(frigate("new", {"id": "x-2"}))
    pump_until(listener, lambda: bool(runs()))
    (run,) = runs()
    assert (run.status, run.received, run.created, run.rejected) == ("done", 2, 1, 1)
    bad = RawRecord.objects.get(run=run, external_id="x-1")
    assert bad.outcome == "rejected" and bad.errors[0]["field"] == "camera"
    assert "cong_sau" in bad.errors[0]["en"]
    assert list(CameraEvent.objects.values_list("external_id", flat=True)) == ["x-2"]


def test_malformed_json_is_logged_by_size_and_skipped(
    camera: Camera,
    listener: FrigateListener,
    publish: Callable[..., None],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="gisioc.cameras.frigate")
    cut = b'{"type": "new", "after": {"camera": "secret-plate-43A12345"'
    for bad in (cut, b"\xff\xfe not utf-8", b"[1, 2, 3]", b'{"type": "new", "after": 7}'):
        publish(bad)
    publish(frigate("new", {"id": "after-bad"}))
    pump_until(listener, lambda: CameraEvent.objects.filter(external_id="after-bad").exists())
    skipped = [r for r in caplog.records if "not Frigate event JSON" in r.getMessage()]
    assert len(skipped) == 4, caplog.text
    assert f"({len(cut)} bytes)" in caplog.text and "secret-plate" not in caplog.text


def test_a_broker_restart_is_survived(
    camera: Camera, broker: Broker, listener: FrigateListener, publish: Callable[..., None]
) -> None:
    publish(frigate("new", {"id": "before-restart"}))
    pump_until(listener, lambda: CameraEvent.objects.exists())
    assert broker.script("stop").returncode == 0
    for _ in range(50):
        if not listener.ready.is_set():
            break
        time.sleep(0.1)
    assert not listener.ready.is_set(), "the subscriber did not notice the broker going"
    assert broker.script("start").returncode == 0
    assert listener.ready.wait(40), "the subscriber did not reconnect"
    publish(frigate("new", {"id": "after-restart", "label": "fire"}))
    pump_until(listener, lambda: CameraEvent.objects.count() == 2)
    assert CameraEvent.objects.get(external_id="after-restart").kind == "fire_smoke"


def test_counts_of_people_make_one_crowd_while_they_last(
    camera: Camera, listener: FrigateListener, publish: Callable[..., None]
) -> None:
    for count in (b"1", b"3", b"5", b"4", b"many", b"2"):
        publish(count, "frigate/nga_tu_vinh_dien/person")
    publish(b"9", "frigate/cong_cho/person")  # a zone's count: the names are shared
    pump_until(listener, lambda: CameraEvent.objects.filter(ended_at__isnull=False).exists())
    event = CameraEvent.objects.get()
    assert event.external_id.startswith("crowd:nga_tu_vinh_dien:")
    assert (event.kind, event.label, event.camera_id) == ("crowd", "person × 5", camera.pk)
    assert event.occurred_at <= event.ended_at
    # Skipped, and said: in the notes of the run of their batch, or by the subscriber when
    # their batch made no run.
    pump_until(listener, lambda: "cong_cho × 1" in " ".join(listener.said), 3)  # type: ignore[attr-defined]
    said = " | ".join(listener.said)  # type: ignore[attr-defined]
    assert said.count("messages of Frigate not understood") == 1, said


def test_crowds_open_grow_and_end_with_the_count() -> None:
    crowds = Crowds(3)
    assert crowds.count("c", b"2", 10.0) is None
    opened = crowds.count("c", b"3", 11.0)
    assert isinstance(opened, dict) and opened["end_time"] is None and opened["time"] == "11.000"
    assert crowds.count("c", b"3", 12.0) is None  # no more than before
    grown = crowds.count("c", b" 7\n", 13.0)
    assert isinstance(grown, dict) and grown["label"] == "person × 7"
    assert grown["id"] == opened["id"]
    assert crowds.count("c", b"-", 14.0) == "malformed"
    ended = crowds.count("c", b"0", 15.0)
    assert isinstance(ended, dict) and ended["end_time"] == "15.000" and ended["id"] == opened["id"]
    again = crowds.count("c", b"4", 16.0)
    assert isinstance(again, dict) and again["id"] != opened["id"]


def test_events_sent_while_the_subscriber_is_away_come_when_it_is_back(
    camera: Camera, broker: Broker, listener: FrigateListener, publish: Callable[..., None]
) -> None:
    listener.close()
    # At QoS 0, as Frigate publishes: the broker keeps them for our persistent session.
    publish(frigate("new", {"id": "while-away"}), qos=0)
    back = FrigateListener(broker_parse(broker.url), progress=lambda _: None)
    back.start()
    try:
        pump_until(back, lambda: CameraEvent.objects.filter(external_id="while-away").exists())
    finally:
        back.close()


class _Frigate(http.server.BaseHTTPRequestHandler):
    """Frigate's HTTP API as far as snapshots go."""

    asked: list[str] = []

    def do_GET(self) -> None:
        type(self).asked.append(self.path)
        if not self.path.endswith("/snapshot.jpg"):
            self.send_error(404)
            return
        out = io.BytesIO()
        Image.new("RGB", (160, 90), (90, 90, 90)).save(out, "JPEG")
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(out.getvalue())))
        self.end_headers()
        self.wfile.write(out.getvalue())

    def log_message(self, *args: object) -> None:
        pass


def test_snapshots_come_from_frigates_http_api_once(
    camera: Camera,
    broker: Broker,
    frigate_settings: None,
    publish: Callable[..., None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Frigate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"frigate_url": base})
    )
    subscriber = FrigateListener(broker_parse(broker.url), progress=lambda _: None)
    subscriber.start()
    try:
        assert subscriber.ready.wait(10)
        publish(frigate("new", {"id": "shot-1", "has_snapshot": True}))
        pump_until(subscriber, lambda: CameraEvent.objects.exists())
        publish(frigate("end", {"id": "shot-1", "has_snapshot": True, "end_time": START + 5}))
        pump_until(subscriber, lambda: CameraEvent.objects.filter(ended_at__isnull=False).exists())
    finally:
        subscriber.close()
        server.shutdown()
    event = CameraEvent.objects.get()
    assert event.snapshot_file and event.thumb_file
    assert _Frigate.asked == ["/api/events/shot-1/snapshot.jpg"]


def _waited(done: Callable[[], bool], seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"{what}:\n{log.read_text()[-2000:]}"
        time.sleep(0.1)


def test_the_command_listens_until_sigterm(
    transactional_db: None, broker: Broker, publish: Callable[..., None], tmp_path: Path
) -> None:
    camera_make()
    env = {
        **os.environ,
        "GISIOC_DB_NAME": connection.settings_dict["NAME"],
        "GISIOC_FRIGATE_MQTT": broker.url,
        "GISIOC_FRIGATE_SOURCE": "frigate-cli",
        "GISIOC_FRIGATE_FRAMES": '{"*": [1280, 720]}',
        "GISIOC_MEDIA_DIR": str(tmp_path),
    }
    gisioc = [sys.executable, "-m", "gisioc.cli", "frigate"]
    log = tmp_path / "frigate.log"
    with log.open("wb") as out:
        listening = subprocess.Popen(
            [*gisioc, "listen"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _waited(lambda: "connected to" in log.read_text(), 30, "not connected", log)
        # What `gisioc frigate send` publishes (a car driving the wrong way: new, update, end).
        for message in sample_messages("nga_tu_vinh_dien", "car", ["Ngược chiều"]):
            publish(message)
        stored = CameraEvent.objects.filter(source="frigate-cli", ended_at__isnull=False)
        _waited(stored.exists, 30, "not stored", log)
        event = stored.get()
        assert (event.kind, event.label) == ("wrong_way", "car")
        assert event.bbox is not None and event.confidence in (0.74, 0.91)
    finally:
        listening.send_signal(signal.SIGTERM)
        assert listening.wait(timeout=20) == 0, log.read_text()
    assert "Đã dừng / stopped" in log.read_text()


@pytest.mark.parametrize(
    ("label", "zones", "kind"),
    [
        ("fire", [], "fire_smoke"),
        ("smoke", ["anywhere"], "fire_smoke"),
        ("car", ["nguoc_chieu_QL1A"], "wrong_way"),
        ("motorcycle", ["Ngược chiều"], "wrong_way"),
        ("car", ["vuot-den-do"], "traffic_violation"),
        ("car", ["cam_do_rac"], "illegal_dumping"),
        ("motorcycle", ["via_he_tran_phu"], "encroachment"),
        ("umbrella", ["Vỉa hè"], "encroachment"),
        ("person", ["tu_tap"], "crowd"),
        ("garbage", [], "illegal_dumping"),
        ("person", ["cong_chinh"], None),
        ("car", [], None),
        ("dog", ["tu_tap"], None),
        ("person", ["nguoc_chieu"], None),
    ],
)
def test_labels_and_zones_name_our_kinds(label: str, zones: list[str], kind: str | None) -> None:
    assert frigate_kind(label, zones) == kind


def test_extra_labels_come_first() -> None:
    extra = {("bus", "ben xe"): "crowd", ("car", ""): "traffic_violation"}
    assert frigate_kind("bus", ["Bến xe"], extra) == "crowd"
    assert frigate_kind("bus", ["other"], extra) is None
    assert frigate_kind("car", [], extra) == "traffic_violation"


def test_boxes_become_shares_of_the_frame_or_nothing() -> None:
    assert frigate_box([0, 0, 640, 360], (1280, 720)) == [0.0, 0.0, 0.5, 0.5]
    assert frigate_box([1200, 700, 1400, 800], (1280, 720)) == [0.9375, 0.97222, 0.0625, 0.02778]
    assert frigate_box([0, 0, 640, 360], None) is None
    assert frigate_box([10, 10, 5, 20], (1280, 720)) is None
    assert frigate_box("0,0,1,1", (1280, 720)) is None
    assert frigate_box([0, 0, "a", 1], (1280, 720)) is None


def test_a_message_without_a_frame_size_has_no_box(frigate_settings: None) -> None:
    settings.CONFIG.frigate_frames.clear()
    parsed = frigate_parse(json.dumps(frigate("new", {})).encode())
    assert parsed.record is not None and parsed.record["bbox"] is None
    assert parsed.record["time"] == f"{START:.3f}" and parsed.record["confidence"] == 0.72


def test_broker_urls() -> None:
    full = broker_parse("mqtts://fri%40gate:p%3Ass@nvr.local/town/frigate")
    assert (full.host, full.port, full.username, full.password, full.tls, full.topic) == (
        "nvr.local",
        8883,
        "fri@gate",
        "p:ss",
        True,
        "town/frigate/events",
    )
    assert "p:ss" not in full.where() and "fri@gate" not in full.where()
    plain = broker_parse("mqtt://127.0.0.1")
    assert (plain.port, plain.topic) == (1883, "frigate/events")
    for bad in ("http://x", "mqtt://", "mqtt://h:notaport", "127.0.0.1:1883"):
        with pytest.raises(InvalidInput):
            broker_parse(bad)


def test_the_broker_script_is_idempotent_and_reports_status(broker: Broker) -> None:
    assert broker.script("start").returncode == 0  # already running: nothing to do
    status = broker.script("status")
    assert status.returncode == 0 and f"127.0.0.1:{broker.port}" in status.stdout
    conf = (broker.var / "mosquitto" / "mosquitto.conf").read_text()
    assert f"listener {broker.port} 127.0.0.1" in conf and "allow_anonymous true" in conf
    assert broker.script("stop").returncode == 0
    assert broker.script("status").returncode == 3
    exposed = subprocess.run(
        ["bash", str(SCRIPT), "start"],
        env={**broker.env, "GISIOC_MQTT_BIND": "0.0.0.0"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert exposed.returncode == 1 and "password file" in exposed.stderr
