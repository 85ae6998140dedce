"""Alert rules, the conditions they hold true now (for de-duplication), the alerts they fired
(the history) and each user's notification of one (the bell)."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField


class Rule(models.Model):
    """A condition on a KPI, an indicator's trend or an event stream, and whom it notifies.

    `params` are the kind's own (checked by `gisioc.alerts.kinds`); the value each key (a
    commune, a camera, a cluster) has is compared with `threshold`. `version` grows with each
    change: an edit or a deletion names the version it read, so no change is lost.
    """

    class Kind(models.TextChoices):
        KPI = "kpi", "Chỉ tiêu theo xã / KPI per commune"
        INDICATOR_TREND = "indicator_trend", "Xu hướng theo tuần / Weekly trend"
        EVENT_CLUSTER = "event_cluster", "Cụm sự kiện camera / Camera event cluster"
        CAMERA_OFFLINE = "camera_offline", "Camera mất kết nối / Camera offline"

    class Comparison(models.TextChoices):
        GT = "gt", ">"
        GE = "ge", "≥"
        LT = "lt", "<"
        LE = "le", "≤"

    class Level(models.TextChoices):
        INFO = "info", "Thông tin / Info"
        WARNING = "warning", "Cảnh báo / Warning"
        CRITICAL = "critical", "Khẩn cấp / Critical"

    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    comparison = models.CharField(max_length=2, choices=Comparison.choices, default="gt")
    threshold = models.FloatField()
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.WARNING)
    roles = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    emails = ArrayField(models.EmailField(), default=list, blank=True)
    email_roles = models.BooleanField(
        default=True, help_text="Also e-mail the users of the roles who have an address"
    )
    webhook_url = models.URLField(max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=200, blank=True)
    enabled = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True, help_text="the last evaluation's failure")

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name_vi


class AlertState(models.Model):
    """A key whose condition holds now: the rule fired for it once, and fires again only after
    the condition was false (the row is gone then)."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="states")
    key = models.CharField(max_length=120)
    since = models.DateTimeField()
    checked_at = models.DateTimeField()
    value = models.FloatField()
    point = models.PointField(srid=4326, null=True, blank=True)
    alert = models.ForeignKey("Alert", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "key"], name="alert_state_key")]


class Alert(models.Model):
    """One firing of a rule for a key (the history), with how its e-mail and webhook went."""

    class Delivery(models.TextChoices):
        NONE = "", "Không có / None"
        PENDING = "pending", "Đang gửi / Pending"
        SENT = "sent", "Đã gửi / Sent"
        FAILED = "failed", "Lỗi / Failed"
        SKIPPED = "skipped", "Bỏ qua / Skipped"

    rule = models.ForeignKey(Rule, on_delete=models.SET_NULL, null=True, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Rule.Kind.choices)
    key = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Rule.Level.choices)
    fired_at = models.DateTimeField(db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    value = models.FloatField()
    threshold = models.FloatField()
    title_vi = models.CharField(max_length=400)
    title_en = models.CharField(max_length=400)
    geom = models.PointField(srid=4326, null=True, blank=True)
    unit_id = models.IntegerField(null=True, blank=True, help_text="admin unit (any version)")
    link = models.CharField(max_length=300, help_text="the map at the place")
    roles = ArrayField(models.CharField(max_length=24), default=list, blank=True)
    email_status = models.CharField(max_length=8, choices=Delivery.choices, blank=True)
    email_to = models.PositiveIntegerField(default=0, help_text="recipients")
    email_error = models.CharField(max_length=500, blank=True)
    webhook_status = models.CharField(max_length=8, choices=Delivery.choices, blank=True)
    webhook_attempts = models.PositiveSmallIntegerField(default=0)
    webhook_code = models.PositiveSmallIntegerField(null=True, blank=True)
    webhook_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-fired_at", "-id"]
        indexes = [models.Index(fields=["rule", "fired_at"])]

    def __str__(self) -> str:
        return self.title_vi


class Notification(models.Model):
    """An alert in one user's bell, unread until `read_at`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "alert"], name="notification_once")]
        indexes = [models.Index(fields=["user", "read_at"])]
