"""`gisioc frigate listen|send`: Frigate's events from its MQTT broker into the camera system."""

import json
import os
import signal
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

import paho.mqtt.client as mqtt
from django.conf import settings
from django.core.management.base import CommandError
from paho.mqtt.enums import CallbackAPIVersion

from gisioc.cameras.frigate_mqtt import Broker, FrigateListener, broker_parse
from gisioc.commands import GisiocCommand


def _broker(opts: dict[str, Any]) -> Broker:
    """--url, else GISIOC_FRIGATE_MQTT; unset in the demo: the demo's broker, as make run."""
    url = opts["url"] if opts["url"] is not None else settings.CONFIG.frigate_mqtt
    if url is None and settings.CONFIG.demo:
        url = f"mqtt://127.0.0.1:{os.environ.get('GISIOC_MQTT_PORT') or 1883}/frigate"
    if not url:
        raise CommandError(
            "Chưa đặt GISIOC_FRIGATE_MQTT (hoặc --url) — GISIOC_FRIGATE_MQTT (or --url) is not set"
        )
    return broker_parse(url)


def sample_messages(camera: str, label: str, zones: list[str]) -> list[dict[str, Any]]:
    """A tracked object's life as Frigate tells it: new, update (a better score), end."""
    start = time.time() - 3
    after = {
        "id": f"{start:.6f}-gisioc",
        "camera": camera,
        "label": label,
        "sub_label": None,
        "top_score": 0.74,
        "score": 0.74,
        "false_positive": False,
        "start_time": start,
        "end_time": None,
        "box": [420, 300, 640, 520],
        "region": [320, 200, 740, 620],
        "current_zones": zones,
        "entered_zones": zones,
        "has_snapshot": False,
    }
    better = {**after, "top_score": 0.91, "score": 0.91, "box": [430, 310, 660, 540]}
    ended = {**better, "end_time": start + 2.5}
    return [
        {"type": "new", "before": after, "after": after},
        {"type": "update", "before": after, "after": better},
        {"type": "end", "before": better, "after": ended},
    ]


class Command(GisiocCommand):
    help = (
        "Nhận sự kiện Frigate qua MQTT — subscribe to Frigate's <prefix>/events on its MQTT "
        "broker (GISIOC_FRIGATE_MQTT) and store them as camera events."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listen = sub.add_parser("listen", help="Nhận đến khi Ctrl-C — subscribe until Ctrl-C")
        listen.add_argument("--url", help="mqtt://[user:password@]host[:port][/prefix]")
        send = sub.add_parser(
            "send", help="Gửi thử một sự kiện như Frigate — publish a sample event as Frigate does"
        )
        send.add_argument("--url", help="mqtt://[user:password@]host[:port][/prefix]")
        send.add_argument("--camera", required=True, help="Frigate's camera name (nvr_name)")
        send.add_argument("--label", default="fire", help="e.g. fire, smoke, car, person")
        send.add_argument("--zone", action="append", default=[], help="e.g. nguoc_chieu")

    def _listen(self, opts: dict[str, Any]) -> None:
        broker = _broker(opts)
        stop = threading.Event()

        def shut(signum: int, frame: FrameType | None) -> None:
            stop.set()
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C: now

        signal.signal(signal.SIGTERM, shut)
        signal.signal(signal.SIGINT, shut)
        self.stdout.write(f"Nhận sự kiện Frigate / listening to {broker.where()} (Ctrl-C dừng)")
        FrigateListener(broker, progress=self.stdout.write).run(stop)
        self.stdout.write("Đã dừng / stopped")

    def _send(self, opts: dict[str, Any]) -> None:
        broker = _broker(opts)
        client = mqtt.Client(CallbackAPIVersion.VERSION2)
        if broker.username:
            client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            client.tls_set()
        try:
            client.connect(broker.host, broker.port)
        except OSError as exc:
            raise CommandError(
                f"Không kết nối được {broker.where()} — cannot reach it ({exc})"
            ) from exc
        client.loop_start()
        for message in sample_messages(opts["camera"], opts["label"], opts["zone"]):
            client.publish(broker.topic, json.dumps(message), qos=1).wait_for_publish(5)
        client.disconnect()
        client.loop_stop()
        self.stdout.write(f"Đã gửi / sent new, update, end to {broker.where()}")
