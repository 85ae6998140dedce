"""The wall's API under /api/wall/: the kiosk's setup by its token and the headline KPIs (both
read-only, GET only), and the wall screens for leaders and administrators."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import answers
from gisioc.errors import Forbidden, InvalidInput, NotFound
from gisioc.geo import access
from gisioc.geo.models import Role
from gisioc.periods import period_parse
from gisioc.wall import services
from gisioc.wall.headlines import headlines
from gisioc.wall.models import WallScreen
from gisioc.wall.pages import build_id
from gisioc.wall.selectors import wall_by_token_any, walls_list

MANAGERS = frozenset({Role.LEADER, Role.ADMIN})
TOKEN = OpenApiParameter("token", str, required=True, description="The wall's kiosk token")


class TextSerializer(serializers.Serializer):
    vi = serializers.CharField()
    en = serializers.CharField()


class ViewSerializer(serializers.Serializer):
    title = TextSerializer()
    map = serializers.CharField(help_text="z/lat/lon[/bearing]")
    layers = serializers.ListField(child=serializers.CharField())
    period = serializers.CharField(required=False)


class KioskSerializer(serializers.Serializer):
    name = serializers.CharField()
    rotate_s = serializers.IntegerField()
    views = ViewSerializer(many=True)
    build = serializers.CharField(help_text="The wall page's build; a change means reload")


class FigureSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = TextSerializer()
    format = serializers.ChoiceField(choices=["int", "percent", "decimal"])
    unit = TextSerializer(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    worse = serializers.BooleanField(help_text="A higher value is worse")


class SystemKpisSerializer(serializers.Serializer):
    system = serializers.CharField()
    record = serializers.CharField()
    order = serializers.IntegerField()
    title = TextSerializer()
    records = TextSerializer()
    api = serializers.CharField(help_text="The system's public KPI API")
    figures = FigureSerializer(many=True)


class HeadlinesSerializer(serializers.Serializer):
    period = serializers.CharField()
    systems = SystemKpisSerializer(many=True)


class WallSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    views = ViewSerializer(many=True)

    class Meta:
        model = WallScreen
        fields = ["id", "name", "enabled", "rotate_s", "views", "created_by", "created_at",
                  "last_seen_at"]  # fmt: skip


class WallCreateSerializer(serializers.Serializer):
    name = serializers.CharField()
    rotate_s = serializers.IntegerField(required=False, default=30)
    views = ViewSerializer(many=True, required=False, help_text="The district's four by default")


class WallCreatedSerializer(WallSerializer):
    token = serializers.CharField(help_text="The kiosk token: shown this once, never again")
    url = serializers.CharField(help_text="The kiosk page's address")

    class Meta(WallSerializer.Meta):
        fields = [*WallSerializer.Meta.fields, "token", "url"]


class WallSwitchSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enabled = serializers.BooleanField()


def kiosk_wall(token: Any) -> WallScreen:
    """The enabled wall of a kiosk token: 404 when unknown, 403 when disabled."""
    wall = wall_by_token_any(token if isinstance(token, str) else None)
    if wall is None:
        raise NotFound("Không có màn hình với khóa này.", "No wall screen has this token.")
    if not wall.enabled:
        raise Forbidden("Màn hình này đã bị tắt.", "This wall screen is disabled.")
    return wall


@extend_schema(operation_id="wall_kiosk", parameters=[TOKEN], responses={200: KioskSerializer})
@api_view(["GET"])
def kiosk_view(request: Request) -> Response:
    """A wall's setup for its kiosk page: name, views in order, seconds per view, build."""
    wall = kiosk_wall(request.query_params.get("token"))
    services.wall_seen(wall)
    return Response(
        {"name": wall.name, "rotate_s": wall.rotate_s, "views": wall.views, "build": build_id()}
    )


@extend_schema(
    operation_id="wall_kpis",
    parameters=[OpenApiParameter("period", str, description="Default: this year")],
    responses={200: HeadlinesSerializer},
)
@api_view(["GET"])
@answers.cached("kpis", params=("period",))
def kpis_view(request: Request) -> Response:
    """Headline KPIs of every system, as the public KPI APIs answer them."""
    asked = request.query_params.get("period")
    period = period_parse(asked)
    if asked and period is None:
        raise InvalidInput(
            f"Kỳ '{asked}' không hợp lệ.", f"Invalid period '{asked}'.", field="period"
        )
    return Response(headlines(period))


def _manager(request: Request) -> None:
    if not access.may_see(request.user, MANAGERS):
        raise Forbidden(
            "Chỉ lãnh đạo và quản trị viên quản lý màn hình điều hành.",
            "Only leaders and administrators manage wall screens.",
        )


def kiosk_url(request: Request, token: str) -> str:
    """The address to open on the wall."""
    return request.build_absolute_uri(f"/wall/?token={token}")


@extend_schema(
    methods=["GET"], operation_id="wall_screens_list", responses={200: WallSerializer(many=True)}
)
@extend_schema(
    methods=["POST"],
    operation_id="wall_screens_create",
    request=WallCreateSerializer,
    responses={201: WallCreatedSerializer, 409: OpenApiResponse(description="Name taken")},
)
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def screens_view(request: Request) -> Response:
    """Wall screens (leaders, administrators); POST creates one and shows its token once."""
    _manager(request)
    if request.method == "GET":
        return Response(WallSerializer(walls_list(), many=True).data)
    data = request.data if isinstance(request.data, dict) else None
    if data is None:
        raise InvalidInput(
            "Nội dung phải là một đối tượng JSON.", "The body must be a JSON object."
        )
    wall, token = services.wall_create(
        name=data.get("name") if isinstance(data.get("name"), str) else "",
        views=data.get("views"),
        rotate_s=data.get("rotate_s", 30),
        actor=request.user,
    )
    body = dict(WallSerializer(wall).data)
    body.update(token=token, url=kiosk_url(request, token))
    return Response(body, status=201)


@extend_schema(
    operation_id="wall_screens_switch",
    request=WallSwitchSerializer,
    responses={200: WallSerializer},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def switch_view(request: Request) -> Response:
    """Turn a wall screen off (its kiosk stops at once) or on again."""
    _manager(request)
    data = request.data if isinstance(request.data, dict) else {}
    wall_id, enabled = data.get("id"), data.get("enabled")
    if isinstance(wall_id, bool) or not isinstance(wall_id, int):
        raise InvalidInput("Thiếu id màn hình.", "The wall's id is missing.", field="id")
    if not isinstance(enabled, bool):
        raise InvalidInput(
            "enabled phải là true/false.", "enabled must be true or false.", field="enabled"
        )
    return Response(WallSerializer(services.wall_enable(wall_id=wall_id, enabled=enabled)).data)
