"""REST API of the geography core: versions, admin units, facilities, geocoding."""

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from gisioc.errors import InvalidInput, NotFound
from gisioc.facility_records import facility_record_lists
from gisioc.geo import access, geocoder, selectors
from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility, Role
from gisioc.pagination import GeoJsonList
from gisioc.params import ID, float_param, int_param
from gisioc.records import RecordSerializer

VERSION_EDITORS = frozenset({Role.GIS_OFFICER})


class BoundaryVersionSerializer(serializers.ModelSerializer):
    """A boundary version without its units."""

    class Meta:
        model = BoundaryVersion
        fields = [
            "slug",
            "name",
            "valid_from",
            "valid_to",
            "status",
            "approximate",
            "source",
            "published_at",
        ]


class AdminUnitSerializer(GeoFeatureModelSerializer):
    """An admin unit as a GeoJSON feature."""

    version = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    approximate = serializers.BooleanField(source="version.approximate", read_only=True)
    parent_code = serializers.CharField(
        source="parent.code", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AdminUnit
        geo_field = "geom"
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "unit_type",
            "level",
            "version",
            "parent_code",
            "area_km2",
            "approximate",
        ]


class FacilitySerializer(RecordSerializer):
    """A facility as a GeoJSON feature, with the code and name of its commune."""

    class Meta:
        model = Facility
        geo_field = "geom"
        fields = [
            "id",
            "kind",
            "subtype",
            "code",
            "name",
            "address",
            "unit_code",
            "unit_name",
            "locate_method",
            "locate_reason",
            "closed_on",
            "labels",
        ]


class FacilityDetailSerializer(FacilitySerializer):
    """One facility, with the lists of records held at it that the reader may open."""

    lists = serializers.SerializerMethodField()

    class Meta(FacilitySerializer.Meta):
        fields = [*FacilitySerializer.Meta.fields, "lists"]

    @extend_schema_field(
        {
            "type": "array",
            "items": {"type": "object"},
            "description": "Lists of the records held at the facility that the reader may "
            "open: {id, title{vi,en}, count, href, type}.",
        }
    )
    def get_lists(self, facility: Facility) -> list[dict[str, Any]]:
        """The records held at the facility that the reader may open."""
        return facility_record_lists(facility=facility, user=self.context["request"].user)


def _date_param(request: Request, name: str = "on") -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(
            f"Ngày không hợp lệ: {value} (YYYY-MM-DD).", f"Invalid date: {value} (YYYY-MM-DD)."
        ) from exc


class BoundaryVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Boundary versions; drafts only for GIS officers and administrators."""

    serializer_class = BoundaryVersionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        versions = BoundaryVersion.objects.all()
        if not access.may_see(self.request.user, VERSION_EDITORS):
            versions = versions.filter(status=BoundaryVersion.Status.PUBLISHED)
        return versions


@extend_schema(
    parameters=[
        OpenApiParameter("version", str, description="Version slug; default: in force on `on`"),
        OpenApiParameter("on", dt.date, description="Date (default: today in Vietnam)"),
        OpenApiParameter("level", str, enum=list(AdminUnit.Level.values)),
    ]
)
class AdminUnitViewSet(GeoJsonList, viewsets.ReadOnlyModelViewSet):
    """Admin units as GeoJSON: of a named version, or those in force on a date."""

    serializer_class = AdminUnitSerializer

    def get_queryset(self):
        params = self.request.query_params
        slug = params.get("version")
        if (
            slug
            and not access.may_see(self.request.user, VERSION_EDITORS)
            and selectors.version_get(slug=slug).status != BoundaryVersion.Status.PUBLISHED
        ):
            raise NotFound(f"Không có phiên bản ranh giới {slug}.", f"No boundary version {slug}.")
        return selectors.units_list(
            version=slug, on=_date_param(self.request), level=params.get("level")
        )


@extend_schema(
    parameters=[
        OpenApiParameter("kind", str, enum=list(Facility.Kind.values)),
        OpenApiParameter("unit", int, description="Admin unit id"),
    ]
)
class FacilityViewSet(GeoJsonList, viewsets.ReadOnlyModelViewSet):
    """Facilities in service as GeoJSON, the same for everyone. One facility is found by id
    even when closed, since its records still name it."""

    serializer_class = FacilitySerializer

    def get_serializer_class(self) -> type[FacilitySerializer]:
        return FacilityDetailSerializer if self.action == "retrieve" else FacilitySerializer

    def get_queryset(self):
        params = self.request.query_params
        kind = params.get("kind")
        if kind and kind not in Facility.Kind.values:
            raise InvalidInput(
                f"Loại cơ sở không hợp lệ: {kind}.", f"Unknown facility kind: {kind}."
            )
        facilities = selectors.facilities_list(
            kind=kind, unit=int_param(params, "unit", bounds=ID), closed=self.action == "retrieve"
        )
        return facilities  # public: the same list for everyone (gisioc.geo.access)


class LocationSerializer(serializers.Serializer):
    """What the geocoder found."""

    unit_id = serializers.IntegerField(allow_null=True)
    unit_code = serializers.CharField(allow_null=True)
    unit_name = serializers.CharField(allow_null=True)
    version = serializers.CharField(allow_null=True)
    method = serializers.CharField()
    confidence = serializers.FloatField()
    reason = serializers.CharField()


@extend_schema(
    parameters=[
        OpenApiParameter("address", str),
        OpenApiParameter("facility", str),
        OpenApiParameter("lon", float),
        OpenApiParameter("lat", float),
        OpenApiParameter("on", dt.date, description="Date whose boundaries apply (default today)"),
    ],
    responses=LocationSerializer,
)
@api_view(["GET"])
def geocode_view(request: Request) -> Response:
    """Locate an address, a facility code or coordinates in the boundaries in force on a date."""
    params = request.query_params
    lon = float_param(params, "lon", bounds=(-180, 180))
    lat = float_param(params, "lat", bounds=(-90, 90))
    on = _date_param(request) or selectors.vietnam_today()
    found = geocoder.geocode(
        on=on, lon=lon, lat=lat, facility_code=params.get("facility"), address=params.get("address")
    )
    unit = AdminUnit.objects.select_related("version").filter(pk=found.unit_id).first()
    return Response(
        {
            "unit_id": found.unit_id,
            "unit_code": unit.code if unit else None,
            "unit_name": unit.name if unit else None,
            "version": unit.version.slug if unit else None,
            "method": found.method,
            "confidence": found.confidence,
            "reason": found.reason,
        }
    )
