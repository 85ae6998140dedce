"""Cameras (a facility of kind camera with what a camera has besides), their outages, and the
events their AI detects."""

import datetime as dt

from django.contrib.gis.db import models
from django.utils import timezone

from gisioc.geo.models import Facility
from gisioc.ingest.models import SourcedRecord


class Camera(models.Model):
    """What a camera has besides its facility (point, name, code, commune, road in `address`).

    `last_seen_at` is its newest heartbeat (or event); it is `offline` once silent longer than
    `silence_s` (or the setting's default), and an `Outage` row holds each offline stretch.
    """

    class Kind(models.TextChoices):
        TRAFFIC = "traffic", "Giao thông / Traffic"
        SECURITY = "security", "An ninh trật tự / Security"
        FLOOD_GAUGE = "flood_gauge", "Đo mực nước ngập / Flood gauge"
        ENVIRONMENT = "environment", "Môi trường / Environment"

    class Status(models.TextChoices):
        ONLINE = "online", "Đang hoạt động / Online"
        OFFLINE = "offline", "Mất kết nối / Offline"
        MAINTENANCE = "maintenance", "Bảo trì / Maintenance"

    class Stream(models.TextChoices):
        NONE = "", "Không có / None"
        HLS = "hls", "HLS"
        MJPEG = "mjpeg", "MJPEG"

    facility = models.OneToOneField(
        Facility,
        on_delete=models.CASCADE,
        related_name="camera",
        limit_choices_to={"kind": Facility.Kind.CAMERA},
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.TRAFFIC)
    road = models.CharField(max_length=200, blank=True)
    agency = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Facility.Kind.AGENCY},
        help_text="Cơ quan quản lý / owner agency",
    )
    stream = models.CharField(max_length=8, choices=Stream.choices, blank=True, default="")
    stream_url = models.CharField(max_length=500, blank=True)
    snapshot_url = models.CharField(max_length=500, blank=True)
    # The camera's name in an NVR that reports for it (Frigate's `camera` in its events).
    nvr_name = models.CharField(max_length=80, blank=True, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ONLINE)
    status_since = models.DateTimeField(null=True, blank=True)
    silence_s = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offline after this silence; empty: the default"
    )
    # The newest snapshot (a stored, re-encoded image under GISIOC_MEDIA_DIR), if any.
    snapshot_file = models.CharField(max_length=200, blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)
    # When the camera joined the registry: uptime is not counted before it.
    registered_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.facility.name

    @property
    def last_seen_at(self) -> dt.datetime | None:
        """Its newest heartbeat or event (`CameraSeen`), None if never seen."""
        try:
            return self.seen.at
        except CameraSeen.DoesNotExist:
            return None


class CameraSeen(models.Model):
    """A camera's newest heartbeat or event, kept apart from `Camera`, which layers read: a
    write there bumps their data version, and a heartbeat every 30 s per camera would empty
    every cached tile, KPI and profile answer each time."""

    camera = models.OneToOneField(
        Camera, on_delete=models.CASCADE, primary_key=True, related_name="seen"
    )
    at = models.DateTimeField()


class Outage(models.Model):
    """One stretch a camera was offline (`ended_at` empty while it lasts)."""

    camera = models.ForeignKey(Camera, on_delete=models.CASCADE, related_name="outages")
    started_at = models.DateTimeField(help_text="the last heartbeat before the silence")
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["camera", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["camera"], condition=models.Q(ended_at=None), name="one_open_outage"
            )
        ]


class CameraEvent(SourcedRecord):
    """A detection by a camera's AI, placed at the camera (`geom`, `unit` on its Vietnam day).

    `external_id` is the sender's event id (Frigate's `id`), so a replay is the same record.
    """

    class Kind(models.TextChoices):
        TRAFFIC_VIOLATION = "traffic_violation", "Vi phạm giao thông / Traffic violation"
        WRONG_WAY = "wrong_way", "Đi ngược chiều / Wrong-way"
        CROWD = "crowd", "Tụ tập đông người / Crowd"
        FLOODING = "flooding", "Ngập nước / Flooding"
        FIRE_SMOKE = "fire_smoke", "Cháy, khói / Fire or smoke"
        ILLEGAL_DUMPING = "illegal_dumping", "Đổ rác trái phép / Illegal dumping"
        ENCROACHMENT = "encroachment", "Lấn chiếm vỉa hè / Pavement encroachment"

    class Status(models.TextChoices):
        NEW = "new", "Mới / New"
        ACKNOWLEDGED = "acknowledged", "Đã xem / Acknowledged"
        DISMISSED = "dismissed", "Bỏ qua / Dismissed"
        REPORTED = "reported", "Đã tạo phản ánh / Ticket opened"
        INCIDENT = "incident", "Đã đưa vào sự việc / In an incident"

    camera = models.ForeignKey(Camera, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    confidence = models.FloatField(help_text="0–1")
    occurred_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    # [x, y, width, height] as shares of the frame (0–1), top-left origin.
    bbox = models.JSONField(null=True, blank=True)
    label = models.CharField(max_length=60, blank=True, help_text="the detector's own label")
    snapshot_file = models.CharField(max_length=200, blank=True)
    thumb_file = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.NEW)
    report = models.ForeignKey(
        "feedback.Report", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(SourcedRecord.Meta):
        constraints = [*SourcedRecord.Meta.constraints]
        indexes = [
            models.Index(fields=["occurred_at"]),
            models.Index(fields=["camera", "occurred_at"]),
            models.Index(fields=["kind", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} @ {self.camera_id}"

    @property
    def snapshot(self) -> str | None:
        """The staff-only URL of its snapshot; None without one."""
        from gisioc.cameras.services import snapshot_url

        return snapshot_url(self.snapshot_file)

    @property
    def thumb(self) -> str | None:
        """The staff-only URL of its snapshot's thumbnail; None without one."""
        from gisioc.cameras.services import snapshot_url

        return snapshot_url(self.thumb_file)


from gisioc.cameras.stats import *  # noqa: E402, F403  (the layers' views, unmanaged)
