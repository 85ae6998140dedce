"""GET /api/search/?q=: communes (old and new names), facilities and record codes."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.geo.text import fold, split_unit_type
from gisioc.params import int_param
from gisioc.search.registry import search

HIT = inline_serializer(
    "SearchHit",
    {
        "type": serializers.CharField(help_text="unit, facility, or a record type"),
        "id": serializers.IntegerField(),
        "code": serializers.CharField(),
        "label": serializers.CharField(),
        "sublabel": serializers.CharField(),
        "note": serializers.DictField(child=serializers.CharField(), allow_null=True),
        "detail": serializers.CharField(help_text="The API URL of what was found"),
        "bbox": serializers.ListField(child=serializers.FloatField(), allow_null=True),
        "point": serializers.ListField(child=serializers.FloatField(), allow_null=True),
    },
    many=True,
)


@extend_schema(
    parameters=[
        OpenApiParameter("q", str),
        OpenApiParameter("limit", int, description="1–50 (default 10)"),
    ],
    responses=inline_serializer("SearchResults", {"results": HIT}),
)
@api_view(["GET"])
def search_view(request: Request) -> Response:
    """Search any diacritics, case or unit type ('xã', 'thị trấn'…) across every system."""
    query = request.query_params.get("q", "").strip()
    limit = min(max(int_param(request.query_params, "limit", default=10), 1), 50)
    folded = split_unit_type(query)[2] if query else ""
    if len(fold(query)) < 2:
        return Response({"results": []})
    hits = search(query=query, folded=folded, limit=limit, user=request.user)
    return Response({"results": [hit.as_dict() for hit in hits]})
