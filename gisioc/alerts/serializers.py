"""What the alerts API reads and writes: rules (checked per kind), alerts, notifications."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from gisioc.alerts.kinds import params_check
from gisioc.alerts.models import Alert, Notification, Rule
from gisioc.errors import GisiocError
from gisioc.geo.models import Role


class AlertTextSerializer(serializers.Serializer):
    """A text in Vietnamese and English."""

    vi = serializers.CharField()
    en = serializers.CharField()


def _choices(values: list[str]) -> type[serializers.ChoiceField]:
    """A choice field whose enum the schema keeps inline, out of the shared enum components
    (`kind` names other choice sets elsewhere in the API; two statuses share one set)."""

    @extend_schema_field({"oneOf": [{"type": "string", "enum": values}]})
    class Field(serializers.ChoiceField):
        pass

    return Field


KindField = _choices(list(Rule.Kind.values))
DeliveryField = _choices(list(Alert.Delivery.values))


class RuleSerializer(serializers.ModelSerializer):
    """A rule as leaders and administrators write and read it (the webhook's secret is
    written, never read back: `webhook_signed` says whether there is one)."""

    kind = KindField(choices=Rule.Kind.choices)
    params = serializers.DictField(required=False, help_text="The kind's parameters")
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=Role.choices), min_length=1, max_length=6
    )
    emails = serializers.ListField(
        child=serializers.EmailField(max_length=254), required=False, max_length=50
    )
    threshold = serializers.FloatField(min_value=-1e12, max_value=1e12)
    webhook_secret = serializers.CharField(
        max_length=200, required=False, allow_blank=True, write_only=True
    )
    webhook_signed = serializers.SerializerMethodField()
    active = serializers.SerializerMethodField()

    class Meta:
        model = Rule
        fields = [
            "id",
            "name_vi",
            "name_en",
            "kind",
            "params",
            "comparison",
            "threshold",
            "level",
            "roles",
            "emails",
            "email_roles",
            "webhook_url",
            "webhook_secret",
            "webhook_signed",
            "enabled",
            "version",
            "created_at",
            "updated_at",
            "evaluated_at",
            "error",
            "active",
        ]
        read_only_fields = ["version", "created_at", "updated_at", "evaluated_at", "error"]

    def get_webhook_signed(self, rule: Rule) -> bool:
        return bool(rule.webhook_secret)

    def get_active(self, rule: Rule) -> int:
        """Keys whose condition holds now."""
        return rule.states.count()

    def validate_webhook_url(self, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise serializers.ValidationError("Chỉ http hoặc https — http or https only.")
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        kind = data.get("kind", getattr(self.instance, "kind", None))
        if "kind" in data or "params" in data:
            params = data.get("params", getattr(self.instance, "params", {}))
            try:
                data["params"] = params_check(kind, params)
            except GisiocError as exc:
                raise serializers.ValidationError({"params": [f"{exc.vi} — {exc.en}"]}) from exc
        if data.get("kind", getattr(self.instance, "kind", None)) == "event_cluster":
            comparison = data.get("comparison", getattr(self.instance, "comparison", "gt"))
            if comparison not in ("gt", "ge"):
                raise serializers.ValidationError(
                    {"comparison": ["Cụm sự kiện: chỉ > hoặc ≥ — clusters: > or ≥ only."]}
                )
        return data


class RuleUpdateSerializer(RuleSerializer):
    """A change of a rule names the version it was read at (a later change: 409)."""

    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)

    class Meta(RuleSerializer.Meta):
        read_only_fields = ["created_at", "updated_at", "evaluated_at", "error"]


class AlertSerializer(serializers.ModelSerializer):
    """An alert of the history: what fired, where, and how its deliveries went."""

    kind = KindField(choices=Rule.Kind.choices)
    email_status = DeliveryField(choices=Alert.Delivery.choices)
    webhook_status = DeliveryField(choices=Alert.Delivery.choices)
    title = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    lat = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "rule",
            "kind",
            "key",
            "level",
            "fired_at",
            "resolved_at",
            "value",
            "threshold",
            "title",
            "lon",
            "lat",
            "unit_id",
            "link",
            "email_status",
            "email_to",
            "email_error",
            "webhook_status",
            "webhook_attempts",
            "webhook_code",
            "webhook_error",
        ]

    @extend_schema_field(AlertTextSerializer)
    def get_title(self, alert: Alert) -> dict[str, str]:
        return {"vi": alert.title_vi, "en": alert.title_en}

    def get_lon(self, alert: Alert) -> float | None:
        return alert.geom.x if alert.geom else None

    def get_lat(self, alert: Alert) -> float | None:
        return alert.geom.y if alert.geom else None


class NotificationSerializer(serializers.ModelSerializer):
    """An alert in the user's bell."""

    title = serializers.SerializerMethodField()
    level = serializers.CharField(source="alert.level")
    link = serializers.CharField(source="alert.link")
    fired_at = serializers.DateTimeField(source="alert.fired_at")
    resolved_at = serializers.DateTimeField(source="alert.resolved_at", allow_null=True)

    class Meta:
        model = Notification
        fields = ["id", "alert", "title", "level", "link", "fired_at", "resolved_at", "read_at"]

    @extend_schema_field(AlertTextSerializer)
    def get_title(self, n: Notification) -> dict[str, str]:
        return {"vi": n.alert.title_vi, "en": n.alert.title_en}


class NotificationPageSerializer(serializers.Serializer):
    """A page of the user's notifications, with the unread count."""

    unread = serializers.IntegerField()
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = NotificationSerializer(many=True)


class AlertPageSerializer(serializers.Serializer):
    """A page of alerts."""

    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = AlertSerializer(many=True)


class ReadSerializer(serializers.Serializer):
    """Which notifications to mark read: some by id, or all."""

    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=500,
    )
    all = serializers.BooleanField(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data.get("ids") and not data.get("all"):
            raise serializers.ValidationError(
                {"ids": ["Chọn thông báo (ids) hoặc tất cả (all) — name ids, or all."]}
            )
        return data


class ReadAnswerSerializer(serializers.Serializer):
    """How many were marked read, and how many stay unread."""

    marked = serializers.IntegerField()
    unread = serializers.IntegerField()
