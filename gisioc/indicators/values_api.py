"""The stored values as sent, for staff: each with its status, source, file and run, to trace
a figure on the map back to the workbook or batch it came in."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from gisioc.errors import Forbidden
from gisioc.geo import access
from gisioc.indicators.models import IndicatorValue
from gisioc.indicators.selectors import period_check
from gisioc.params import ID, int_param
from gisioc.records import choice_param


class ValueSerializer(serializers.ModelSerializer):
    """A stored value: what, where, when, how sure, and where it came from."""

    version = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    file_name = serializers.CharField(source="run.file_name", read_only=True, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "version",
            "unit",
            "unit_code",
            "unit_name",
            "whole",
            "period",
            "kind",
            "value",
            "status",
            "note",
            "source",
            "external_id",
            "run",
            "file_name",
        ]


@extend_schema(
    parameters=[
        OpenApiParameter("indicator", str, description="Indicator code"),
        OpenApiParameter("unit", int, description="Admin unit id"),
        OpenApiParameter("period", str, description="Period label, e.g. 2024 or 2021-08-15"),
        OpenApiParameter("kind", str, enum=list(IndicatorValue.Kind.values)),
        OpenApiParameter("source", str, description="Source name"),
    ]
)
class ValueViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored values and targets, newest period first; signed-in staff, within their scope."""

    serializer_class = ValueSerializer

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        if access.user_role(self.request.user) is None:
            raise Forbidden(
                "Cần đăng nhập để xem số liệu gốc.", "Sign in to see the values as sent."
            )
        params = self.request.query_params
        values = IndicatorValue.objects.select_related("version", "unit", "run")
        values = access.readable(values, self.request.user, access.STAFF)
        if params.get("indicator"):
            values = values.filter(indicator=params["indicator"])
        if (unit := int_param(params, "unit", bounds=ID)) is not None:
            values = values.filter(unit=unit)
        if period := period_check(params.get("period")):
            values = values.filter(period=period)
        if kind := choice_param(params, "kind", list(IndicatorValue.Kind.values)):
            values = values.filter(kind=kind)
        if params.get("source"):
            values = values.filter(source=params["source"])
        return values.order_by("-period_end", "indicator", "unit__code", "-id")
