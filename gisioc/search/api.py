"""GET /api/search/?q=: communes (old and new names), facilities and record codes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.errors import InvalidInput
from gisioc.geo.text import fold, split_unit_type
from gisioc.search.registry import search


@extend_schema(
    parameters=[OpenApiParameter("q", str), OpenApiParameter("limit", int)],
    responses=OpenApiTypes.OBJECT,  # {"results": [hit, …]}
)
@api_view(["GET"])
def search_view(request: Request) -> Response:
    """Search any diacritics, case or unit type ('xã', 'thị trấn'…) across every system."""
    query = request.query_params.get("q", "").strip()
    try:
        limit = min(max(int(request.query_params.get("limit", 10)), 1), 50)
    except ValueError as exc:
        raise InvalidInput("limit phải là số.", "limit must be a number.") from exc
    folded = split_unit_type(query)[2] if query else ""
    if len(fold(query)) < 2:
        return Response({"results": []})
    hits = search(query=query, folded=folded, limit=limit, user=request.user)
    return Response({"results": [hit.as_dict() for hit in hits]})
