"""The cameras' own API under /api/cameras/ (the kit adds `events/` and `kpis/`).

Where cameras are and whether they work is public, as on the map (a traffic camera is on a
pole in the street; its status tells citizens nothing about anyone): the list, outages and
uptime are the same for everyone. What a camera sees is not: stream and snapshot URLs and
the latest snapshot go to signed-in staff only, and events (the kit's record API) to staff
within their scope. Actions on an event are the leaders', admins' and (in their communes)
commune officers'; field staff may acknowledge one.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from gisioc.cameras import selectors, services
from gisioc.cameras.models import Camera, CameraEvent
from gisioc.errors import InvalidInput
from gisioc.geo.access import user_role
from gisioc.geo.models import Facility
from gisioc.pagination import GeoJsonList
from gisioc.params import body_fields
from gisioc.periods import PATTERN, period_bounds, period_default, period_parse
from gisioc.records import TRUE, choice_param
from gisioc.texts import Text

PERIOD = OpenApiParameter(
    "period", str, description="2025, 2025-Q3 or 2025-07 (default: this year)", pattern=PATTERN
)
CAMERA = OpenApiParameter("camera", str, description="Camera code, e.g. CAM-DX-001")
ACTIONS = ("acknowledge", "dismiss", "report", "incident")


class CameraSerializer(GeoFeatureModelSerializer):
    """A camera as a GeoJSON feature at its facility (id: the camera's); stream and snapshot
    URLs for staff only."""

    id = serializers.IntegerField(source="camera.pk", read_only=True)
    kind = serializers.CharField(source="camera.kind", read_only=True)
    road = serializers.CharField(source="camera.road", read_only=True)
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, default=None, allow_null=True
    )
    agency_name = serializers.CharField(
        source="camera.agency.name", read_only=True, default=None, allow_null=True
    )
    status = serializers.CharField(source="camera.status", read_only=True)
    status_since = serializers.DateTimeField(
        source="camera.status_since", read_only=True, allow_null=True
    )
    last_seen_at = serializers.DateTimeField(
        source="camera.last_seen_at", read_only=True, allow_null=True
    )
    stream = serializers.CharField(source="camera.stream", read_only=True)
    stream_url = serializers.SerializerMethodField()
    snapshot_url = serializers.SerializerMethodField()
    snapshot = serializers.SerializerMethodField()
    snapshot_at = serializers.DateTimeField(
        source="camera.snapshot_at", read_only=True, allow_null=True
    )
    labels = serializers.SerializerMethodField()

    class Meta:
        model = Facility
        geo_field = "geom"
        id_field = "id"
        fields = (
            "id",
            "code",
            "name",
            "kind",
            "road",
            "unit_id",
            "unit_name",
            "agency_name",
            "status",
            "status_since",
            "last_seen_at",
            "stream",
            "stream_url",
            "snapshot_url",
            "snapshot",
            "snapshot_at",
            "labels",
        )

    def _staff(self) -> bool:
        request = self.context.get("request")
        return request is not None and user_role(request.user) is not None

    def get_stream_url(self, facility: Facility) -> str | None:
        """The live stream (HLS or MJPEG), staff only."""
        return (facility.camera.stream_url or None) if self._staff() else None

    def get_snapshot_url(self, facility: Facility) -> str | None:
        """The camera's own still-image URL, staff only."""
        return (facility.camera.snapshot_url or None) if self._staff() else None

    def get_snapshot(self, facility: Facility) -> str | None:
        """The newest snapshot received with an event (stored by us), staff only."""
        return services.snapshot_url(facility.camera.snapshot_file) if self._staff() else None

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "object"}, "description": "vi/en"}
    )
    def get_labels(self, facility: Facility) -> dict[str, dict[str, str]]:
        """Labels of the camera's kind, status and stream in Vietnamese and English."""
        camera = facility.camera
        found = {
            "kind": camera.get_kind_display(),
            "status": camera.get_status_display(),
            "stream": camera.get_stream_display(),
        }
        return {k: Text.of(v).as_dict() for k, v in found.items() if v}


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, enum=list(Camera.Status.values)),
        OpenApiParameter("q", str, description="Part of a code, name or road"),
    ]
)
class CameraViewSet(GeoJsonList, viewsets.ReadOnlyModelViewSet):
    """Cameras as GeoJSON, by code: public positions and status; streams for staff only."""

    serializer_class = CameraSerializer
    queryset = Camera.objects.none()  # its rows are facilities with their camera (below)
    lookup_field = "camera__pk"
    lookup_url_kwarg = "pk"

    def get_queryset(self) -> QuerySet[Facility]:
        params = self.request.query_params
        status = choice_param(params, "status", list(Camera.Status.values)) or ""
        q = (params.get("q") or "").strip()[:100]
        return selectors.camera_facilities(status=status, q=q)


class OutageSerializer(serializers.Serializer):
    """One outage with how long it lasted (so far, when open)."""

    id = serializers.IntegerField()
    camera_id = serializers.IntegerField()
    code = serializers.CharField(source="camera.facility.code")
    name = serializers.CharField(source="camera.facility.name")
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    open = serializers.SerializerMethodField()
    duration_s = serializers.SerializerMethodField()

    def get_open(self, outage: Any) -> bool:
        """Whether the camera is still offline."""
        return outage.ended_at is None

    def get_duration_s(self, outage: Any) -> int:
        """Seconds offline (up to now when open)."""
        return round(selectors.outage_seconds(outage))


def _cameras(request: Request) -> QuerySet[Camera]:
    cameras = selectors.cameras_list()
    code = (request.query_params.get("camera") or "").strip()
    return cameras.filter(facility__code__iexact=code) if code else cameras


@extend_schema_view(
    get=extend_schema(
        operation_id="cameras_outages",
        parameters=[
            CAMERA,
            OpenApiParameter(
                "period",
                str,
                description="2025, 2025-Q3 or 2025-07 (default: all)",
                pattern=PATTERN,
            ),
            OpenApiParameter("open", bool, description="Only outages still going on"),
        ],
    )
)
class OutageList(generics.ListAPIView):
    """Outages with their durations, open ones first, then the newest; public."""

    serializer_class = OutageSerializer

    def get_queryset(self) -> QuerySet:
        params = self.request.query_params
        period = period_parse(params.get("period"))
        start = end = None
        if period is not None:
            start, end, _ = period_bounds(period)
        outages = selectors.outages_list(cameras=_cameras(self.request), start=start, end=end)
        if params.get("open", "").lower() in TRUE:
            outages = outages.filter(ended_at__isnull=True)
        return outages


class UptimeSerializer(serializers.Serializer):
    """A camera's uptime over the period."""

    camera_id = serializers.IntegerField(source="camera.pk")
    code = serializers.CharField(source="camera.facility.code")
    name = serializers.CharField(source="camera.facility.name")
    status = serializers.CharField(source="camera.status")
    seconds = serializers.FloatField(help_text="time in the period since registration, to now")
    offline_s = serializers.FloatField()
    outages = serializers.IntegerField()
    uptime = serializers.FloatField(allow_null=True, help_text="0–1; null: no time yet")


class UptimeAnswerSerializer(serializers.Serializer):
    """Uptime per camera over a period, and of all of them together."""

    period = serializers.CharField()
    as_of = serializers.DateTimeField(help_text="the minute the uptime is counted to")
    uptime = serializers.FloatField(allow_null=True)
    cameras = UptimeSerializer(many=True)


@extend_schema(
    operation_id="cameras_uptime",
    parameters=[PERIOD, CAMERA],
    responses={200: UptimeAnswerSerializer},
)
@api_view(["GET"])
def uptime_view(request: Request) -> Response:
    """Uptime per camera over the period (1 − offline time / time), clipped to each camera's
    registration and to now; public."""
    period = period_parse(request.query_params.get("period")) or period_default()
    # As of the minute: the same answer for every reader within it (and for caches).
    now = timezone.now().replace(second=0, microsecond=0)
    rows = selectors.uptimes(cameras=_cameras(request), period=period, now=now)
    total = sum(u.seconds for u in rows)
    whole = round(1 - sum(u.offline_s for u in rows) / total, 5) if total else None
    body = {"period": period.label, "as_of": now, "uptime": whole, "cameras": rows}
    return Response(UptimeAnswerSerializer(body).data)


class EventActionSerializer(serializers.Serializer):
    """An event after an action, with the ticket or incident it led to."""

    id = serializers.IntegerField()
    status = serializers.CharField()
    report_id = serializers.IntegerField(allow_null=True)
    ticket = serializers.CharField(allow_null=True)
    incident_id = serializers.IntegerField(allow_null=True)


def _int(data: Any, name: str, default: int | None) -> int | None:
    value = data.get(name, default)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(
            f"{name} phải là số nguyên.", f"{name} must be a whole number.", field=name
        ) from exc


@extend_schema_view(
    post=extend_schema(
        operation_id="cameras_event_action",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={
            200: EventActionSerializer,
            409: OpenApiResponse(description="The event is not in a state that allows it"),
        },
        description="acknowledge, dismiss, report (a citizen-feedback ticket) or incident "
        "(body: `incident` to join an open one, else a new one with `severity` 1–4, `title`).",
    )
)
class EventActionView(generics.GenericAPIView):
    """One action on a camera event by staff allowed to take it."""

    queryset = CameraEvent.objects.none()  # the services find the event and check the actor
    serializer_class = EventActionSerializer
    permission_classes = (IsAuthenticated,)

    def post(self, request: Request, pk: int, action: str) -> Response:
        """Take the action; the event as it now stands."""
        if action not in ACTIONS:
            raise InvalidInput(
                f"Thao tác không hợp lệ; chọn {', '.join(ACTIONS)}.",
                f"Unknown action; choose {', '.join(ACTIONS)}.",
            )
        user, incident_id = request.user, None
        if action == "acknowledge":
            event = services.event_acknowledge(actor=user, event=pk)
        elif action == "dismiss":
            event = services.event_dismiss(actor=user, event=pk)
        elif action == "report":
            event = services.event_report(actor=user, event=pk)
        else:
            data = body_fields(request)
            title = data.get("title") or ""
            if not isinstance(title, str):
                raise InvalidInput("title phải là văn bản.", "title must be text.", field="title")
            incident = services.event_incident(
                actor=user,
                event=pk,
                incident=_int(data, "incident", None),
                severity=_int(data, "severity", 2) or 2,
                title=title.strip()[:200],
            )
            event, incident_id = CameraEvent.objects.get(pk=pk), incident.pk
        body = {
            "id": event.pk,
            "status": event.status,
            "report_id": event.report_id,
            "ticket": event.report.ticket if event.report_id else None,
            "incident_id": incident_id,
        }
        return Response(EventActionSerializer(body).data)
