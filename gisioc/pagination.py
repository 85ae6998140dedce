"""Pagination that keeps GeoJSON a FeatureCollection (count and links as foreign members)."""

from collections import OrderedDict

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response


class GeoJsonLimitOffsetPagination(LimitOffsetPagination):
    """limit/offset paging of a FeatureCollection; the default page holds 5,000 features."""

    default_limit = 5000
    max_limit = 50_000

    def get_paginated_response(self, data: dict) -> Response:
        return Response(
            OrderedDict(
                [
                    ("type", "FeatureCollection"),
                    ("count", self.count),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("features", data["features"]),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer"},
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "features": schema.get("properties", {}).get("features", schema),
            },
        }
