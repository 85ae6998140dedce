"""GET /api/rasters/<name>/exposure/: what lies where a hazard raster exceeds a threshold.

Staff only (the open citizen reports it lists are not public); a commune officer reads their
scope only. JSON by default ({raster, threshold, items, by_commune, totals,
population_raster}); `format=geojson` gives the items as a FeatureCollection (the map's
highlighted layer), `format=csv` a spreadsheet (no personal data: names are facilities',
reports are their ticket and category)."""

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gisioc import params
from gisioc.errors import Forbidden, InvalidInput
from gisioc.geo.access import STAFF, readable_unit_ids, user_role
from gisioc.geo.selectors import units_linked
from gisioc.rasters.exposure import (
    RADIUS_BOUNDS,
    THRESHOLD_BOUNDS,
    Exposed,
    Near,
    exposure_list,
    hazard_get,
)
from gisioc.rasters.exposure_kpis import exposure_kpis
from gisioc.rasters.models import Raster

DEFAULT_THRESHOLD = 0.5
FORMATS = ("json", "geojson", "csv")
CSV_COLUMNS = (
    "type",
    "record_type",
    "system",
    "id",
    "code",
    "name",
    "name_en",
    "commune",
    "value",
    "lon",
    "lat",
)


def _reader(request: Request) -> frozenset[int] | None:
    """The unit ids the user reads (None: all); staff only."""
    if not request.user.is_authenticated:  # 403, as every staff read (gisioc.errors.Forbidden)
        raise Forbidden(
            "Đăng nhập để xem những gì nằm trong vùng nguy cơ.",
            "Sign in to see what lies in the hazard area.",
        )
    if user_role(request.user) is None:
        raise Forbidden(
            "Chỉ cán bộ được xem danh sách ảnh hưởng.", "Only staff read the exposure list."
        )
    return readable_unit_ids(request.user, STAFF)


def _units(request: Request, scope: frozenset[int] | None) -> set[int] | None:
    unit = params.int_param(request.query_params, "unit", bounds=params.ID)
    if unit is None:
        return None if scope is None else set(scope)
    if scope is not None and not units_linked({unit}) & scope:
        raise Forbidden("Xã này ngoài phạm vi của bạn.", "This commune is outside your scope.")
    return {unit}


def _near(request: Request) -> Near | None:
    query = request.query_params
    lon = params.float_param(query, "lon", bounds=(-180.0, 180.0))
    lat = params.float_param(query, "lat", bounds=(-90.0, 90.0))
    radius = params.float_param(query, "radius", bounds=RADIUS_BOUNDS)
    if lon is None and lat is None and radius is None:
        return None
    if lon is None or lat is None:
        raise InvalidInput(
            "Cần cả lon và lat để tìm quanh một điểm.",
            "Give both lon and lat to look near a point.",
        )
    return Near(lon, lat, radius or 2000.0)


def _bbox(request: Request) -> tuple[float, float, float, float] | None:
    raw = request.query_params.get("bbox")
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise InvalidInput(
            "bbox phải là tây,nam,đông,bắc.", "bbox must be west,south,east,north.", field="bbox"
        )
    west, south, east, north = (params.float_parse(p.strip(), "bbox") for p in parts)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise InvalidInput(
            "bbox phải là tây,nam,đông,bắc (độ).",
            "bbox must be west,south,east,north in degrees.",
            field="bbox",
        )
    return west, south, east, north


def _raster(raster: Raster) -> dict[str, Any]:
    return {
        "name": raster.name,
        "title": raster.title,  # labelled synthetic when it is
        "kind": raster.kind,
        "unit": {"vi": raster.unit_vi, "en": raster.unit_en},
        "version": raster.version,
        "synthetic": raster.synthetic,
    }


def _geojson(items: list[Exposed]) -> dict[str, Any]:
    features = []
    for item in items:
        properties = item.as_dict()
        lon, lat = properties.pop("lon"), properties.pop("lat")
        features.append(
            {
                "type": "Feature",
                "id": f"{item.record_type}:{item.id}",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _csv(raster: Raster, threshold: float, items: list[Exposed]) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so spreadsheet software reads the Vietnamese as UTF-8
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in items:
        row = item.as_dict()
        row["name"], row["name_en"] = item.name.vi, item.name.en
        writer.writerow([row[c] for c in CSV_COLUMNS])
    name = f"anh-huong-{raster.name}-{threshold:g}"
    return HttpResponse(
        out.getvalue().encode(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


class ExposureView(APIView):
    """Facilities and open records where a hazard raster exceeds a threshold."""

    queryset = Raster.objects.all()

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # `format` chooses this view's own answer (csv, geojson), not a DRF renderer.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="rasters_exposure",
        parameters=[
            OpenApiParameter("threshold", float, description="Exposed above this (default 0.5)"),
            OpenApiParameter("unit", int, description="One commune (admin unit id)"),
            OpenApiParameter("version", str, description="Boundary version of the KPI communes"),
            OpenApiParameter("lon", float, description="Only near this point (with lat)"),
            OpenApiParameter("lat", float, description="Only near this point (with lon)"),
            OpenApiParameter("radius", float, description="Metres around lon/lat (default 2000)"),
            OpenApiParameter("bbox", str, description="west,south,east,north"),
            OpenApiParameter("format", str, enum=FORMATS, description="json, geojson or csv"),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The exposed places and KPIs")
        },
    )
    def get(self, request: Request, raster: str) -> Response | HttpResponse:
        """The list (deepest first), per-commune KPIs and residents exposed."""
        scope = _reader(request)
        layer = hazard_get(name=raster, user=request.user)
        query = request.query_params
        threshold = params.float_param(query, "threshold", bounds=THRESHOLD_BOUNDS)
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        shape = query.get("format") or "json"
        if shape not in FORMATS:
            raise InvalidInput(
                "format phải là json, geojson hoặc csv.",
                "format must be json, geojson or csv.",
                field="format",
            )
        unit_ids = _units(request, scope)
        near, bbox = _near(request), _bbox(request)
        items = exposure_list(
            raster=layer, threshold=threshold, unit_ids=unit_ids, bbox=bbox, near=near
        )
        if shape == "csv":
            return _csv(layer, threshold, items)
        if shape == "geojson":
            return Response(_geojson(items), content_type="application/geo+json")
        kpis = exposure_kpis(
            raster=layer,
            threshold=threshold,
            version=query.get("version") or None,
            unit_ids=unit_ids,
            items=items,
            residents=near is None and bbox is None,
        )
        return Response(
            {
                "raster": _raster(layer),
                "threshold": threshold,
                "items": [item.as_dict() for item in items],
                **kpis,
            }
        )


urls: list = [path("<slug:raster>/exposure/", ExposureView.as_view(), name="raster-exposure")]
