"""limit/offset paging of every list: numbers checked at the edge (a bad one is a 400 naming
it), pages capped, and GeoJSON pages streamed as a FeatureCollection (count and links as
foreign members) feature by feature as the rows are read."""

import json
import re
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from gisioc.errors import InvalidInput

BIGINT = 2**63 - 1  # PostgreSQL's LIMIT and OFFSET are bigint: past it, the query fails
MAX_PAGE = 2000  # a larger limit is served as this many: page on with `next`
CHUNK = 200  # rows read from the server-side cursor, and features written, at a time
DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII digits only: int() also reads '٣' and ' 3_0'


def count_param(request: Request, name: str, default: int, *, least: int) -> int:
    """A whole-number query parameter from `least` to BIGINT; absent or empty: `default`."""
    raw = request.query_params.get(name, "")
    if not raw:
        return default
    if not DIGITS.fullmatch(raw) or not least <= int(raw) <= BIGINT:
        raise InvalidInput(
            f"{name} phải là số nguyên từ {least} đến {BIGINT}.",
            f"{name} must be a whole number from {least} to {BIGINT}.",
            field=name,
        )
    return int(raw)


class LimitOffset(LimitOffsetPagination):
    """DRF's limit/offset paging (the API's default) with its numbers checked and capped."""

    max_limit = MAX_PAGE

    def get_limit(self, request: Request) -> int:
        limit = count_param(request, self.limit_query_param, self.default_limit, least=1)
        return min(limit, self.max_limit)

    def get_offset(self, request: Request) -> int:
        return count_param(request, self.offset_query_param, 0, least=0)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            least = 1 if parameter["name"] == self.limit_query_param else 0
            parameter["schema"].update(minimum=least, maximum=BIGINT)
        return parameters


def _json(value: Any) -> bytes:
    """JSON as DRF's JSONRenderer writes it (compact, UTF-8, no NaN)."""
    return json.dumps(
        value, cls=JSONEncoder, ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()


class GeoJsonLimitOffsetPagination(LimitOffset):
    """limit/offset paging of a FeatureCollection; the default page holds 500 features."""

    default_limit = 500

    def _head(self) -> dict[str, Any]:
        return {
            "type": "FeatureCollection",
            "count": self.count,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
        }

    def get_paginated_response(self, data: dict) -> Response:
        return Response({**self._head(), "features": data["features"]})

    def page_rows(self, queryset: QuerySet, request: Request) -> QuerySet:
        """The page's rows, not read yet; count and links as `paginate_queryset` sets them."""
        self.request = request
        self.limit = self.get_limit(request)
        self.offset = self.get_offset(request)
        self.count = self.get_count(queryset)
        if self.offset >= self.count:
            return queryset.none()
        return queryset[self.offset : self.offset + self.limit]

    def stream(self, rows: QuerySet, feature: Any) -> Iterator[bytes]:
        """The page as JSON, CHUNK features at a time, read through a server-side cursor."""
        out = [_json(self._head())[:-1] + b',"features":[']
        for n, row in enumerate(rows.iterator(chunk_size=CHUNK)):
            out.append((b"," if n else b"") + _json(feature(row)))
            if len(out) >= CHUNK:
                yield b"".join(out)
                out = []
        out.append(b"]}")
        yield b"".join(out)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # `schema` is the serializer's FeatureCollection (type, features); a page adds links.
        links = {"type": "string", "nullable": True, "format": "uri"}
        page = {"count": {"type": "integer"}, "next": links, "previous": links}
        paging = {"type": "object", "properties": page, "required": list(page)}
        return {"allOf": [schema, paging], "required": ["type", "features"]}


class GeoJsonList:
    """A GeoJSON viewset's list: one capped page, streamed (the browsable API as before)."""

    pagination_class = GeoJsonLimitOffsetPagination

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        """Features of the page, written as they are read."""
        if not isinstance(request.accepted_renderer, JSONRenderer):
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        paginator = self.paginator  # type: ignore[attr-defined]
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        rows = paginator.page_rows(queryset, request)
        feature = self.get_serializer().to_representation  # type: ignore[attr-defined]
        return StreamingHttpResponse(
            paginator.stream(rows, feature), content_type="application/json"
        )
