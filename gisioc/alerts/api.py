"""The alerts API under /api/alerts/: rules (leaders and administrators), the signed-in
user's notifications (the bell) and the alerts' history (what the reader's role is notified
of; a commune officer's within their communes)."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gisioc.alerts.models import Alert, Notification, Rule
from gisioc.alerts.serializers import (
    AlertPageSerializer,
    AlertSerializer,
    NotificationPageSerializer,
    NotificationSerializer,
    ReadAnswerSerializer,
    ReadSerializer,
    RuleSerializer,
    RuleUpdateSerializer,
)
from gisioc.errors import Conflict, Forbidden, InvalidInput, NotFound
from gisioc.geo.access import scope_unit_ids, user_role
from gisioc.geo.models import Role
from gisioc.pagination import LimitOffset, count_param
from gisioc.params import body_fields

EDITORS = frozenset({Role.LEADER, Role.ADMIN})
CONFLICT = OpenApiResponse(description="The rule changed since it was read (its version)")
PAGE = [
    OpenApiParameter("limit", int, description="Rows per page (at most 2000)"),
    OpenApiParameter("offset", int, description="Rows to skip"),
]


def _editor(request: Request) -> None:
    if user_role(request.user) not in EDITORS:
        raise Forbidden(
            "Chỉ lãnh đạo và quản trị viên quản lý quy tắc cảnh báo.",
            "Only leaders and administrators manage alert rules.",
        )


def _rule(pk: int) -> Rule:
    rule = Rule.objects.filter(pk=pk).first()
    if rule is None:
        raise NotFound(f"Không có quy tắc {pk}.", f"No rule {pk}.")
    return rule


def _states_end(rule: Rule) -> None:
    """The rule's conditions are no longer watched: their open alerts end now."""
    alerts = rule.states.exclude(alert=None).values_list("alert_id", flat=True)
    Alert.objects.filter(id__in=list(alerts), resolved_at=None).update(resolved_at=timezone.now())
    rule.states.all().delete()


class RuleListView(APIView):
    """Rules: list and create."""

    permission_classes = [IsAuthenticated]
    queryset = Rule.objects.all()

    @extend_schema(operation_id="alerts_rules", responses={200: RuleSerializer(many=True)})
    def get(self, request: Request) -> Response:
        """Every rule."""
        _editor(request)
        rules = Rule.objects.prefetch_related("states").order_by("id")
        return Response(RuleSerializer(rules, many=True).data)

    @extend_schema(
        operation_id="alerts_rule_create",
        request=RuleSerializer,
        responses={201: RuleSerializer},
    )
    def post(self, request: Request) -> Response:
        """A new rule (its parameters checked for its kind)."""
        _editor(request)
        serializer = RuleSerializer(data=body_fields(request))
        serializer.is_valid(raise_exception=True)
        rule = serializer.save()
        return Response(RuleSerializer(rule).data, status=201)


VERSION = OpenApiParameter(
    "version", int, required=True, description="The version the rule was read at"
)


class RuleDetailView(APIView):
    """One rule: read, change (naming the version read), delete (its alerts stay)."""

    permission_classes = [IsAuthenticated]
    queryset = Rule.objects.all()

    @extend_schema(operation_id="alerts_rule", responses={200: RuleSerializer})
    def get(self, request: Request, pk: int) -> Response:
        """The rule."""
        _editor(request)
        return Response(RuleSerializer(_rule(pk)).data)

    def _change(self, request: Request, pk: int, *, partial: bool) -> Response:
        _editor(request)
        data = body_fields(request)
        with transaction.atomic():
            rule = Rule.objects.select_for_update().filter(pk=pk).first()
            if rule is None:
                raise NotFound(f"Không có quy tắc {pk}.", f"No rule {pk}.")
            serializer = RuleUpdateSerializer(rule, data=data, partial=partial)
            if partial and "version" not in data:
                raise InvalidInput(
                    "Thiếu version (phiên bản đã đọc).",
                    "version (as read) is required.",
                    field="version",
                )
            serializer.is_valid(raise_exception=True)
            if serializer.validated_data.pop("version") != rule.version:
                raise Conflict(
                    f"Quy tắc đã được sửa (phiên bản {rule.version}); hãy tải lại.",
                    f"The rule has changed (version {rule.version}); reload it.",
                )
            changed = serializer.save(version=rule.version + 1)
            if not changed.enabled:
                _states_end(changed)  # a rule turned off starts afresh when on
        return Response(RuleSerializer(changed).data)

    @extend_schema(
        operation_id="alerts_rule_replace",
        request=RuleUpdateSerializer,
        responses={200: RuleSerializer, 409: CONFLICT},
    )
    def put(self, request: Request, pk: int) -> Response:
        """Replace the rule."""
        return self._change(request, pk, partial=False)

    @extend_schema(
        operation_id="alerts_rule_change",
        request=RuleUpdateSerializer(partial=True),
        responses={200: RuleSerializer, 409: CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change some of the rule's fields."""
        return self._change(request, pk, partial=True)

    @extend_schema(
        operation_id="alerts_rule_delete",
        parameters=[VERSION],
        request=None,
        responses={204: None, 409: CONFLICT},
    )
    def delete(self, request: Request, pk: int) -> Response:
        """Delete the rule (its alerts stay in the history)."""
        _editor(request)
        raw = request.query_params.get("version")
        if raw is None and isinstance(request.data, dict):
            raw = request.data.get("version")
        if raw is None or not str(raw).isdigit() or len(str(raw)) > 9:
            raise InvalidInput(
                "Thiếu version (phiên bản đã đọc).",
                "version (as read) is required.",
                field="version",
            )
        with transaction.atomic():
            rule = Rule.objects.select_for_update().filter(pk=pk).first()
            if rule is None:
                raise NotFound(f"Không có quy tắc {pk}.", f"No rule {pk}.")
            if int(raw) != rule.version:
                raise Conflict(
                    f"Quy tắc đã được sửa (phiên bản {rule.version}); hãy tải lại.",
                    f"The rule has changed (version {rule.version}); reload it.",
                )
            _states_end(rule)
            rule.delete()
        return Response(status=204)


def _unread(request: Request) -> int:
    return Notification.objects.filter(user=request.user, read_at=None).count()


class NotificationListView(APIView):
    """The signed-in user's notifications, newest first, with the unread count."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="alerts_notifications",
        parameters=[
            *PAGE,
            OpenApiParameter("unread", bool, description="Only the unread ones"),
        ],
        responses={200: NotificationPageSerializer},
    )
    def get(self, request: Request) -> Response:
        """My notifications."""
        rows = Notification.objects.filter(user=request.user).select_related("alert")
        unread = request.query_params.get("unread", "")
        if unread not in ("", "true", "false"):
            raise InvalidInput("unread: true hoặc false.", "unread: true or false.", field="unread")
        if unread == "true":
            rows = rows.filter(read_at=None)
        paginator = LimitOffset()
        paginator.default_limit = 20
        page = paginator.paginate_queryset(rows.order_by("-created_at", "-id"), request)
        response = paginator.get_paginated_response(NotificationSerializer(page, many=True).data)
        response.data["unread"] = _unread(request)
        return response


class NotificationReadView(APIView):
    """Mark notifications read: some by id, or all of them."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="alerts_notifications_read",
        request=ReadSerializer,
        responses={200: ReadAnswerSerializer},
    )
    def post(self, request: Request) -> Response:
        """Mark read."""
        serializer = ReadSerializer(data=body_fields(request))
        serializer.is_valid(raise_exception=True)
        rows = Notification.objects.filter(user=request.user, read_at=None)
        if not serializer.validated_data.get("all"):
            rows = rows.filter(id__in=serializer.validated_data["ids"])
        marked = rows.update(read_at=timezone.now())
        return Response({"marked": marked, "unread": _unread(request)})


def alerts_readable(user: Any) -> QuerySet[Alert]:
    """Alerts a user reads: leaders and administrators all; other roles those their role is
    notified of, a commune officer's only within their communes."""
    role = user_role(user)
    if role is None:
        raise Forbidden("Cần đăng nhập.", "Sign-in required.")
    alerts = Alert.objects.all()
    if role in EDITORS:
        return alerts
    alerts = alerts.filter(roles__contains=[role])
    scope = scope_unit_ids(user)
    if scope is not None:
        alerts = alerts.filter(Q(unit_id__in=list(scope)))
    return alerts


def _moment(request: Request, name: str) -> dt.datetime | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        moment = None
    if moment is None or not 1990 <= moment.year <= 2100:
        raise InvalidInput(
            f"{name}: một thời điểm ISO 8601 (2026-11-05T08:00+07:00).",
            f"{name}: an ISO 8601 time (2026-11-05T08:00+07:00).",
            field=name,
        )
    return moment if moment.tzinfo else timezone.make_aware(moment, dt.UTC)


class AlertHistoryView(APIView):
    """The alerts' history, newest first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="alerts_history",
        parameters=[
            *PAGE,
            OpenApiParameter("rule", int, description="Only this rule's alerts"),
            OpenApiParameter("since", dt.datetime, description="Fired at or after"),
            OpenApiParameter("until", dt.datetime, description="Fired before"),
            OpenApiParameter("active", bool, description="Only those not resolved"),
        ],
        responses={200: AlertPageSerializer},
    )
    def get(self, request: Request) -> Response:
        """Alerts fired."""
        alerts = alerts_readable(request.user)
        if request.query_params.get("rule"):
            rule = count_param(request, "rule", 0, least=1)
            alerts = alerts.filter(rule_id=min(rule, 2**31))
        since, until = _moment(request, "since"), _moment(request, "until")
        if since:
            alerts = alerts.filter(fired_at__gte=since)
        if until:
            alerts = alerts.filter(fired_at__lt=until)
        active = request.query_params.get("active", "")
        if active not in ("", "true", "false"):
            raise InvalidInput("active: true hoặc false.", "active: true or false.", field="active")
        if active:
            alerts = alerts.filter(resolved_at__isnull=active == "true")
        paginator = LimitOffset()
        paginator.default_limit = 100
        page = paginator.paginate_queryset(alerts.order_by("-fired_at", "-id"), request)
        return paginator.get_paginated_response(AlertSerializer(page, many=True).data)
