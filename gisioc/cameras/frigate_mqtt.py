"""The Frigate subscriber: paho-mqtt on `<prefix>/events` of Frigate's broker, its messages
gathered for about a second and run through the cameras ingest (`frigate.frigate_ingest`).

paho's network thread only queues messages; this loop ingests them. The session is persistent
(a fixed client id, clean session off) and subscribed at QoS 1, and a QoS 1 message is
acknowledged only after its batch is stored: whatever the broker holds for us while we are
away comes again, and a batch the database refused is tried again every few seconds (a batch
our own code fails on is logged, its run marked failed, and dropped, so one strange message
cannot stall the subscriber). paho reconnects by itself after a broker loss (1 s,
doubling to 30 s) and each connection subscribes again.
"""

import copy
import logging
import queue
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from paho.mqtt.enums import CallbackAPIVersion

from gisioc.cameras.frigate import Snapshots, extra_labels, frigate_ingest, notes_of
from gisioc.cameras.frigate_crowd import COUNT_OBJECT, Crowds
from gisioc.errors import InvalidInput
from gisioc.ingest.report import Progress

log = logging.getLogger(__name__)
WINDOW = 1.0  # seconds a batch gathers messages after its first
QUIET = 0.25  # … or until none came for this long
MAX_BATCH = 500  # messages a batch
RETRY = 5.0  # seconds before a batch the database refused is tried again
KEEPALIVE = 30


@dataclass(frozen=True)
class Broker:
    """Where Frigate publishes: host, port, credentials, TLS and the topic prefix."""

    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool
    prefix: str

    @property
    def topic(self) -> str:
        """The events topic."""
        return f"{self.prefix}/events"

    def where(self) -> str:
        """The broker and topic without credentials, for logs and runs."""
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}/{self.topic}"


def broker_parse(url: str) -> Broker:
    """mqtt[s]://[user:password@]host[:port][/prefix] (prefix default "frigate")."""
    parts = urllib.parse.urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl") or not parts.hostname or port == -1:
        raise InvalidInput(
            "GISIOC_FRIGATE_MQTT phải có dạng mqtt://[người dùng:mật khẩu@]máy[:cổng][/tiền tố]",
            "GISIOC_FRIGATE_MQTT must look like mqtt://[user:password@]host[:port][/prefix]",
        )
    tls = parts.scheme in ("mqtts", "ssl")
    return Broker(
        host=parts.hostname,
        port=port or (8883 if tls else 1883),
        username=urllib.parse.unquote(parts.username) if parts.username else None,
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        tls=tls,
        prefix=parts.path.strip("/") or "frigate",
    )


class FrigateListener:
    """A subscriber to Frigate's events that ingests them in batches until stopped."""

    def __init__(self, broker: Broker, *, progress: Progress = print) -> None:
        self.broker = broker
        self.progress = progress
        self.messages: queue.Queue[tuple[mqtt.MQTTMessage, float]] = queue.Queue()
        self.ready = threading.Event()  # connected and subscribed
        self.extra = extra_labels()  # a wrong setting fails here, before anything connects
        base = settings.CONFIG.frigate_url
        self.snapshots = Snapshots(base) if base else None
        crowd = settings.CONFIG.frigate_crowd
        self.crowds = Crowds(crowd) if crowd else None
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id=f"gisioc-{settings.CONFIG.frigate_source}"[:23],
            clean_session=False,
            manual_ack=True,
        )
        if broker.username:
            self.client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            self.client.tls_set()
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._connected
        self.client.on_disconnect = self._disconnected
        self.client.on_subscribe = self._subscribed
        self.client.on_message = self._message

    def _connected(self, client: mqtt.Client, *args: object) -> None:
        code = args[2]  # (userdata, flags, reason code, properties)
        if getattr(code, "is_failure", False):
            log.warning("frigate: %s refused the connection: %s", self.broker.where(), code)
            return
        topics = [(self.broker.topic, 1)]
        if self.crowds is not None:
            topics.append((f"{self.broker.prefix}/+/{COUNT_OBJECT}", 1))
        client.subscribe(topics)

    def _subscribed(
        self, _c: mqtt.Client, _u: object, _m: int, codes: list[Any], *_: object
    ) -> None:
        if any(getattr(code, "is_failure", False) for code in codes):
            log.warning("frigate: %s refused the subscription: %s", self.broker.where(), codes)
            return
        self.ready.set()
        self.progress(f"Đã kết nối / connected to {self.broker.where()}")

    def _disconnected(self, _c: mqtt.Client, *args: object) -> None:
        code = args[2]  # (userdata, flags, reason code, properties)
        if self.ready.is_set():
            self.progress(f"Mất kết nối / lost {self.broker.where()} ({code}); nối lại / retrying")
        self.ready.clear()

    def _message(self, _c: mqtt.Client, _u: object, message: mqtt.MQTTMessage) -> None:
        self.messages.put((message, time.time()))

    def _batch(self, stop: threading.Event) -> list[tuple[mqtt.MQTTMessage, float]]:
        """Messages that came within WINDOW of the first (or until QUIET); [] when none."""
        try:
            batch = [self.messages.get(timeout=0.5)]
        except queue.Empty:
            return []
        closes = time.monotonic() + WINDOW
        while len(batch) < MAX_BATCH and not stop.is_set():
            wait = min(QUIET, closes - time.monotonic())
            if wait <= 0:
                break
            try:
                batch.append(self.messages.get(timeout=wait))
            except queue.Empty:
                break
        return batch

    def _ingest(self, batch: list[tuple[mqtt.MQTTMessage, float]], stop: threading.Event) -> None:
        """Store the batch, retrying while the database refuses; then acknowledge it."""
        events = [m.payload for m, _ in batch if m.topic == self.broker.topic]
        counts = [
            (m.topic.split("/")[-2], m.payload, at)
            for m, at in batch
            if m.topic != self.broker.topic
        ]
        while not stop.is_set():
            if not connection.in_atomic_block:  # the loop outlives connections
                close_old_connections()
            crowds_before = copy.deepcopy(self.crowds.open) if self.crowds is not None else {}
            try:
                result = frigate_ingest(
                    events,
                    where=self.broker.where(),
                    snapshots=self.snapshots,
                    extra=self.extra,
                    counts=counts,
                    crowds=self.crowds,
                )
            except DatabaseError:  # the database is away: the same batch again, later
                log.exception("frigate: a batch of %d messages failed; retrying", len(batch))
                if self.crowds is not None:  # the counts are taken again from where they were
                    self.crowds.open = crowds_before
                connection.close()
                stop.wait(RETRY)
                continue
            except Exception:  # a fault of ours: logged (the run too), never retried forever
                log.exception("frigate: a batch of %d messages failed; dropped", len(batch))
                break
            report = result.report
            if report is not None:  # its counts, notes and first row errors
                shown = 2 + bool(report.message) + len(report.notes) + 5
                self.progress("\n".join(report.lines()[:shown]))
            else:
                self.progress("\n".join(notes_of(result.skipped)))
            break
        else:
            return  # stopping: not acknowledged, the broker sends them again
        for message, _ in batch:
            if message.qos > 0:
                self.client.ack(message.mid, message.qos)

    def start(self) -> None:
        """Connect in paho's own thread, retrying until the broker answers."""
        self.client.connect_async(self.broker.host, self.broker.port, keepalive=KEEPALIVE)
        self.client.loop_start()

    def pump(self, stop: threading.Event) -> int:
        """Ingest the next batch (waiting up to half a second for one); its size."""
        batch = self._batch(stop)
        if batch:
            self._ingest(batch, stop)
        return len(batch)

    def close(self) -> None:
        """Disconnect; what was not acknowledged comes again at the next connection."""
        self.ready.clear()  # a leaving, not a loss to report
        self.client.disconnect()
        self.client.loop_stop()

    def run(self, stop: threading.Event) -> None:
        """Connect, then ingest in this thread until `stop` is set."""
        self.start()
        try:
            while not stop.is_set():
                self.pump(stop)
        finally:
            self.close()
