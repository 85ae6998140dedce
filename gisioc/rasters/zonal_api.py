"""/api/rasters/<name>/zonal/: a raster's statistics per commune (GET, whoever may see the
layer), and storing them as indicator values (POST, GIS officers and administrators)."""

from collections.abc import Mapping
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.utils import inline_serializer as shape
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import answers
from gisioc.errors import Forbidden, InvalidInput
from gisioc.geo import access
from gisioc.geo.models import AdminUnit, Role
from gisioc.params import body_fields, float_parse
from gisioc.rasters.models import Raster
from gisioc.rasters.selectors import raster_for
from gisioc.rasters.zonal import version_in_force, version_of, zonal_compute
from gisioc.rasters.zonal_store import measures_of, threshold_of, zonal_run

EDITORS = frozenset({Role.GIS_OFFICER})  # and administrators (access.may_see)
STAT = shape(
    "ZonalUnitStat",
    {
        "unit_id": serializers.IntegerField(),
        "code": serializers.CharField(),
        "name": serializers.CharField(),
        "level": serializers.CharField(),
        "area_km2": serializers.FloatField(),
        "covered_area_km2": serializers.FloatField(),
        "sum": serializers.FloatField(allow_null=True),
        "mean": serializers.FloatField(allow_null=True),
        "max": serializers.FloatField(allow_null=True),
        "share_above": serializers.FloatField(allow_null=True),
    },
)
STATS = shape(
    "ZonalStats",
    {
        "raster": serializers.CharField(),
        "raster_version": serializers.CharField(),
        "version": serializers.CharField(),
        "threshold": serializers.FloatField(allow_null=True),
        "stats": STAT,
    },
)
STORED = shape(
    "ZonalStored",
    {
        "raster": serializers.CharField(),
        "version": serializers.CharField(),
        "period": serializers.CharField(),
        "threshold": serializers.FloatField(allow_null=True),
        "indicators": serializers.ListField(child=serializers.CharField()),
        "units": serializers.IntegerField(),
        "reached": serializers.IntegerField(),
        "stored": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "removed": serializers.IntegerField(),
        "seconds": serializers.FloatField(),
        "dry_run": serializers.BooleanField(),
    },
)
STORE_FORM = shape(
    "ZonalStore",
    {
        "version": serializers.CharField(required=False, help_text="Default: in force today"),
        "period": serializers.CharField(help_text="The values' period, e.g. 2025"),
        "threshold": serializers.FloatField(required=False),
        "indicators": serializers.ListField(
            child=serializers.CharField(), required=False, help_text="e.g. ['sum', 'share']"
        ),
    },
)


def _threshold(raw: Any) -> float | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        raw = "x"  # not a number, though Python counts it as one
    return float_parse(str(raw), "threshold")


def _text(fields: Mapping[str, Any], name: str) -> str:
    raw = fields.get(name) or ""
    if not isinstance(raw, str):
        raise InvalidInput(f"{name} phải là chuỗi.", f"{name} must be a string.", field=name)
    return raw.strip()


def _indicators(raw: Any) -> list[str] | None:
    if raw in (None, "", []):
        return None
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",") if part.strip()]
    if not isinstance(raw, list) or not all(isinstance(i, str) for i in raw):
        raise InvalidInput(
            "indicators phải là danh sách tên phép đo.",
            "indicators must be a list of measure names.",
            field="indicators",
        )
    return raw


@extend_schema(
    methods=["GET"],
    operation_id="raster_zonal_stats",
    parameters=[
        OpenApiParameter("version", str, description="Boundary version slug (default: in force)"),
        OpenApiParameter("threshold", float, description="Default: the kind's (0.5 m of water)"),
    ],
    responses={200: STATS, 403: OpenApiResponse(description="A staff-only layer")},
    description="Sum, mean, max and share of area above a threshold per commune, exact at cell "
    "edges (computed when asked and cached until the raster or the boundaries change; not "
    "stored).",
)
@extend_schema(
    methods=["POST"],
    operation_id="raster_zonal_store",
    request=STORE_FORM,
    responses={200: STORED, 403: OpenApiResponse(description="Not a GIS officer")},
    description="Store the raster's measures per commune as indicator values (choropleth, "
    "rankings, profiles); running it again replaces them.",
)
@api_view(["GET", "POST"])
def zonal(request: Request, raster: str) -> Response:
    """A raster's zonal statistics (GET), or store them as indicator values (POST)."""
    row = raster_for(user=request.user, name=raster)
    if request.method == "GET":
        return _stats(request, raster=row.name, raster_version=row.version)
    if not access.may_see(request.user, EDITORS):
        raise Forbidden(
            "Chỉ cán bộ GIS và quản trị viên được lưu thống kê vùng thành chỉ tiêu.",
            "Only GIS officers and administrators store zonal statistics as indicators.",
        )
    fields = body_fields(request)
    period = _text(fields, "period")
    if not period:  # what period the values are for is the officer's statement, never a guess
        raise InvalidInput(
            "Hãy cho biết kỳ của số liệu (ví dụ 2025).",
            "Say which period the values are for (e.g. 2025).",
            field="period",
        )
    report = zonal_run(
        raster=row,
        version=_text(fields, "version") or version_in_force(),
        period=period,
        threshold=_threshold(fields.get("threshold")),
        indicators=_indicators(fields.get("indicators")),
    )
    return Response(report.as_dict())


@answers.cached("kpis", params=("version", "threshold"))
def _stats(request: Request, *, raster: str, raster_version: str) -> Response:
    """The statistics, cached per data version (boundaries) and the raster's version."""
    row = Raster.objects.get(name=raster)
    measures_of(row)  # imagery has none: a clear 400
    slug = request.query_params.get("version", "").strip()
    version = version_of(slug) if slug else version_in_force()
    threshold = threshold_of(row, _threshold(request.query_params.get("threshold")))
    stats = zonal_compute(
        raster=row, version=version, threshold=threshold, level=AdminUnit.Level.COMMUNE
    )
    return Response(
        {
            "raster": row.name,
            "raster_version": raster_version,
            "version": version.slug,
            "threshold": threshold,
            "stats": [s.as_dict() for s in stats],
        }
    )


urls = [path("<slug:raster>/zonal/", zonal, name="raster-zonal")]
