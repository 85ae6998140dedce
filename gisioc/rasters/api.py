"""/api/rasters/: the raster layers a user may see; GIS officers upload and remove them."""

import tempfile
from pathlib import Path
from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiRequest, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.errors import Forbidden, InvalidInput
from gisioc.geo import access
from gisioc.geo.boundary_api import MAX_UPLOAD, body_capped, too_large
from gisioc.geo.models import Role
from gisioc.rasters import services
from gisioc.rasters.colormaps import colormap_legend
from gisioc.rasters.files import rasters_dir
from gisioc.rasters.models import Raster
from gisioc.rasters.selectors import raster_for, rasters_for

EDITORS = frozenset({Role.GIS_OFFICER})
SUFFIXES = (".tif", ".tiff")


def raster_json(raster: Raster) -> dict[str, Any]:
    """A raster layer as the API and the map app describe it."""
    return {
        "name": raster.name,
        "title": raster.title,
        "kind": raster.kind,
        "unit": {"vi": raster.unit_vi, "en": raster.unit_en},
        "synthetic": raster.synthetic,
        "public": raster.public,
        "version": raster.version,
        "crs": raster.crs_name,
        "size": [raster.width, raster.height],
        "resolution": [raster.res_x, raster.res_y],
        "bounds": list(raster.footprint.extent),
        "nodata": raster.nodata,
        "stats": {k: v for k, v in raster.stats.items() if k != "histogram"},
        "histogram": raster.stats.get("histogram"),
        "legend": colormap_legend(raster),
        "tiles": f"/tiles/{raster.name}/{{z}}/{{x}}/{{y}}.png",
        "source_name": raster.source_name,
        "created_at": raster.created_at,
    }


def _require_editor(request: Request) -> None:
    if not access.may_see(request.user, EDITORS):
        raise Forbidden(
            "Chỉ cán bộ GIS được thêm hoặc xóa lớp raster.",
            "Only GIS officers add or remove raster layers.",
        )


RASTER = inline_serializer(
    "Raster",
    {
        "name": serializers.CharField(),
        "title": serializers.JSONField(),
        "kind": serializers.ChoiceField(Raster.Kind.choices),
        "unit": serializers.JSONField(),
        "synthetic": serializers.BooleanField(),
        "public": serializers.BooleanField(),
        "version": serializers.CharField(),
        "crs": serializers.CharField(),
        "size": serializers.ListField(child=serializers.IntegerField()),
        "resolution": serializers.ListField(child=serializers.FloatField()),
        "bounds": serializers.ListField(child=serializers.FloatField()),
        "nodata": serializers.FloatField(allow_null=True),
        "stats": serializers.JSONField(),
        "histogram": serializers.JSONField(allow_null=True),
        "legend": serializers.JSONField(),
        "tiles": serializers.CharField(),
        "source_name": serializers.CharField(),
        "created_at": serializers.DateTimeField(),
    },
)
UPLOAD_FORM = inline_serializer(
    "RasterUpload",
    {
        "file": serializers.FileField(help_text="A GeoTIFF (.tif), 200 MB at most"),
        "kind": serializers.ChoiceField(Raster.Kind.choices),
        "name": serializers.CharField(required=False, help_text="Layer id (default: file name)"),
        "title_vi": serializers.CharField(required=False),
        "title_en": serializers.CharField(required=False),
        "unit_vi": serializers.CharField(required=False),
        "unit_en": serializers.CharField(required=False),
        "crs": serializers.CharField(required=False, help_text="When the file names none"),
        "public": serializers.BooleanField(required=False, default=True),
    },
)


@extend_schema(
    methods=["GET"],
    operation_id="rasters_list",
    responses={200: inline_serializer("Rasters", {"rasters": serializers.ListField(child=RASTER)})},
    description="Raster layers the user may see.",
)
@extend_schema(
    methods=["POST"],
    operation_id="rasters_add",
    request={"multipart/form-data": OpenApiRequest(UPLOAD_FORM)},
    responses={
        201: RASTER,
        403: OpenApiResponse(description="Not a GIS officer"),
        409: OpenApiResponse(description="The name is another map layer's"),
        413: OpenApiResponse(description="The file is over 200 MB"),
    },
    description="Register an uploaded GeoTIFF as a raster layer (the same name: a new version).",
)
@body_capped
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser])
def rasters(request: Request) -> Response:
    """List raster layers, or (GIS officers) add one from an uploaded GeoTIFF."""
    if request.method == "GET":
        return Response({"rasters": [raster_json(r) for r in rasters_for(user=request.user)]})
    _require_editor(request)
    data = request.data
    upload = data.get("file")
    if not hasattr(upload, "chunks"):
        raise InvalidInput("Chưa chọn tệp.", "No file was uploaded.", field="file")
    if Path(upload.name).suffix.lower() not in SUFFIXES:
        raise InvalidInput(
            "Chỉ nhận tệp GeoTIFF (.tif, .tiff).", "Only GeoTIFF files (.tif, .tiff).", field="file"
        )
    if upload.size > MAX_UPLOAD:
        raise too_large()
    text = {k: str(data.get(k, "")).strip() for k in UPLOAD_FORM.fields if k != "file"}
    # In var/rasters: the COG is written next to it, on the same disk.
    with tempfile.TemporaryDirectory(prefix=".upload-", dir=rasters_dir()) as folder:
        path = Path(folder) / "upload.tif"  # the officer's name only labels the layer
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        raster = services.raster_add(
            path=path,
            kind=text["kind"],
            name=text["name"] or Path(upload.name).stem,
            title_vi=text["title_vi"],
            title_en=text["title_en"],
            unit_vi=text["unit_vi"],
            unit_en=text["unit_en"],
            crs=text["crs"] or None,
            public=text["public"].lower() not in ("false", "0", "off", "no"),
            actor=request.user,
            source_name=Path(upload.name).name,
        )
    return Response(raster_json(raster), status=201)


@extend_schema(
    operation_id="raster_get",
    responses={200: RASTER, 403: OpenApiResponse(description="Staff only"), 404: OpenApiResponse()},
)
@api_view(["GET"])
def raster_detail(request: Request, raster: str) -> Response:
    """One raster layer."""
    return Response(raster_json(raster_for(user=request.user, name=raster)))


@extend_schema(
    operation_id="raster_remove",
    request=inline_serializer(
        "RasterRemove", {"confirm": serializers.CharField(help_text="The layer's name again")}
    ),
    responses={
        204: None,
        400: OpenApiResponse(description="Not confirmed"),
        403: OpenApiResponse(),
    },
)
@api_view(["POST"])
def raster_remove(request: Request, raster: str) -> Response:
    """Delete a raster layer and its file (GIS officers), its name given again to confirm."""
    _require_editor(request)
    row = raster_for(user=request.user, name=raster)
    if str(request.data.get("confirm", "")).strip() != row.name:
        raise InvalidInput(
            f"Hãy gõ lại tên lớp ({row.name}) để xác nhận xóa.",
            f"Type the layer's name ({row.name}) again to confirm the removal.",
            field="confirm",
        )
    services.raster_remove(name=row.name)
    return Response(status=204)


urls = [
    path("", rasters, name="rasters"),
    path("<slug:raster>/", raster_detail, name="raster-detail"),
    path("<slug:raster>/remove/", raster_remove, name="raster-remove"),
]
