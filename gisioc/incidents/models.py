"""Incidents (việc đột xuất): an unexpected event at a place, handled until closed."""

from django.conf import settings
from django.contrib.gis.db import models

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.feedback.models import Report
from gisioc.geo.models import Facility, Located


class Incident(Located):
    """A flood, fire, accident, … opened at a point (`geom`, `unit` on its Vietnam day).

    It gathers camera events, citizen reports and cameras near it, and the facilities within
    `radius_m`; its timeline is `actions`. It shows on the map until closed with a summary.
    """

    class Kind(models.TextChoices):
        FLOOD = "flood", "Ngập lụt / Flood"
        FIRE = "fire", "Cháy nổ / Fire"
        ACCIDENT = "accident", "Tai nạn / Accident"
        LANDSLIDE = "landslide", "Sạt lở / Landslide"
        STORM = "storm", "Bão, lốc / Storm"
        OTHER = "other", "Khác / Other"

    class Severity(models.IntegerChoices):
        LOW = 1, "Thấp / Low"
        MEDIUM = 2, "Trung bình / Medium"
        HIGH = 3, "Cao / High"
        CRITICAL = 4, "Nghiêm trọng / Critical"

    class Status(models.TextChoices):
        OPEN = "open", "Đang xử lý / Open"
        CLOSED = "closed", "Đã kết thúc / Closed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    title = models.CharField(max_length=200)
    radius_m = models.PositiveIntegerField(default=1000, help_text="Bán kính ảnh hưởng (m)")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="Tóm tắt khi kết thúc / closing summary")
    events = models.ManyToManyField(CameraEvent, blank=True, related_name="incidents")
    reports = models.ManyToManyField(Report, blank=True, related_name="incidents")
    cameras = models.ManyToManyField(Camera, blank=True, related_name="incidents")

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "opened_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=4), name="incident_severity_1_4"
            ),
            models.CheckConstraint(
                condition=models.Q(radius_m__gte=50, radius_m__lte=20000),
                name="incident_radius_50_20000",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class IncidentAction(models.Model):
    """One line of an incident's timeline: who did what, when."""

    class Action(models.TextChoices):
        OPENED = "opened", "Mở sự việc / Opened"
        NOTE = "note", "Ghi chú / Note"
        ASSIGNED = "assigned", "Giao xử lý / Assigned"
        LINKED = "linked", "Gắn dữ liệu / Linked"
        SEVERITY = "severity", "Đổi mức độ / Severity changed"
        CLOSED = "closed", "Kết thúc / Closed"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    agency = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Facility.Kind.AGENCY},
    )
    assignee = models.CharField(max_length=150, blank=True, help_text="a person or team named")
    severity = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["incident_id", "at", "id"]
        indexes = [models.Index(fields=["incident", "at"])]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
