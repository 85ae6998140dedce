"""What every system's record API shares: sign-in, scope, period, the commune, choice labels."""

from abc import ABCMeta, abstractmethod
from collections.abc import Mapping
from typing import Any

from django.db import models
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from gisioc.errors import Forbidden, InvalidInput
from gisioc.geo import access
from gisioc.pagination import GeoJsonList
from gisioc.periods import period_bounds, period_parse
from gisioc.texts import Text

TRUE = ("1", "true", "yes")


def choice_param(params: Mapping[str, str], name: str, allowed: list[str]) -> str | None:
    """A query parameter that must be one of `allowed`; None when absent."""
    value = params.get(name)
    if value and value not in allowed:
        raise InvalidInput(
            f"{name}={value!r} không thuộc {', '.join(allowed)}.",
            f"{name}={value!r} is not one of {', '.join(allowed)}.",
        )
    return value or None


class RecordViewSet(GeoJsonList, viewsets.ReadOnlyModelViewSet, metaclass=ABCMeta):
    """A system's records as GeoJSON, newest received first; signed-in staff only.

    Subclasses give `records(params)`, already within the user's scope, and `noun` for the
    sign-in message; `period=` keeps those received in the period.
    """

    noun = Text("bản ghi", "records")
    received = "received_at"  # the instant `period=` selects on
    public = False  # records naming no one (a school's figures): no sign-in needed

    @abstractmethod
    def records(self, params: Mapping[str, str]) -> QuerySet:
        """The user's records the other parameters select."""

    def get_queryset(self) -> QuerySet:
        if not self.public and access.user_role(self.request.user) is None:
            raise Forbidden(
                f"Cần đăng nhập để xem {self.noun.vi}.", f"Sign in to see {self.noun.en}."
            )
        params = self.request.query_params
        records = self.records(params)
        period = period_parse(params.get("period"))
        if period:
            start, end, _ = period_bounds(period)
            received = self.received
            records = records.filter(**{f"{received}__gte": start, f"{received}__lt": end})
        return records.order_by(f"-{self.received}", "-id")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "properties": {"vi": {"type": "string"}, "en": {"type": "string"}},
        },
    }
)
class ChoiceLabelsField(serializers.Field):
    """{field: {'vi', 'en'}} for the record's choice fields, so clients need no label table."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: models.Model) -> dict[str, dict[str, str]]:
        """The labels of the choice fields the serializer also returns, that have a value."""
        names = set(getattr(self.parent.Meta, "fields", ()))
        labels = {}
        for field in value._meta.concrete_fields:
            raw = getattr(value, field.attname)
            if field.choices and field.name in names and raw not in (None, ""):
                labels[field.name] = Text.of(dict(field.flatchoices).get(raw, raw)).as_dict()
        return labels


class RecordSerializer(GeoFeatureModelSerializer):
    """A located record as a GeoJSON feature: the commune it counts in, its choice labels."""

    labels = ChoiceLabelsField()
    unit_id = serializers.IntegerField(read_only=True, allow_null=True)
    unit_code = serializers.CharField(
        source="unit.code", read_only=True, default=None, allow_null=True
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, default=None, allow_null=True
    )
