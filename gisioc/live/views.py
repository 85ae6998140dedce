"""`GET /api/live/`: where the live stream is and the token to open it with."""

from django.conf import settings
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.errors import Forbidden
from gisioc.geo.access import scope_unit_ids, user_role
from gisioc.geo.models import Role
from gisioc.live.tokens import MAX_AGE_S, Listener, token_make


def _bad_wall() -> Forbidden:
    return Forbidden(
        "Mã màn hình không hợp lệ hoặc màn hình đã tắt.",
        "The wall screen's token is invalid, or the screen is disabled.",
    )


def stream_url(request: Request) -> str:
    """The stream's absolute URL as this browser reaches it."""
    config = settings.CONFIG
    if config.live_url:
        return request.build_absolute_uri(config.live_url)
    host = request.get_host()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return f"{request.scheme}://{name}:{config.live_port}/events"


def _listener(request: Request) -> Listener:
    wall = request.query_params.get("wall")
    if wall is not None:
        try:
            from gisioc.wall.selectors import wall_by_token
        except ImportError:
            raise _bad_wall() from None
        if wall_by_token(wall) is None:
            raise _bad_wall()
        return Listener(role=Role.LEADER.value, scope=None, wall=True)
    role = user_role(request.user)
    scope = scope_unit_ids(request.user) if role is not None else None
    return Listener(role=None if role is None else role.value, scope=scope)


@extend_schema(
    summary="Luồng cập nhật trực tuyến / The live stream",
    description="The URL of the live server's Server-Sent Events and a signed token (valid "
    f"{MAX_AGE_S // 3600} h) carrying the reader's role and scope: open "
    "`EventSource(url + '?token=' + token)`. The public gets a public token; `wall` (a wall "
    "screen's kiosk token) gives a read-only one. Both null when live updates are off.",
    parameters=[OpenApiParameter("wall", str, description="A wall screen's kiosk token.")],
    responses={
        200: inline_serializer(
            "LiveStream",
            {
                "url": serializers.CharField(allow_null=True),
                "token": serializers.CharField(allow_null=True),
            },
        ),
        403: OpenApiResponse(description="The wall screen's token is unknown or disabled"),
    },
)
@api_view(["GET"])
def live_stream(request: Request) -> Response:
    """Where the live stream is, and a token for this reader (no-store)."""
    if not settings.CONFIG.live:
        body = {"url": None, "token": None}
    else:
        body = {"url": stream_url(request), "token": token_make(_listener(request))}
    return Response(body, headers={"Cache-Control": "no-store"})
