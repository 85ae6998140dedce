"""REST API of public services: KPIs for anyone, dossiers for signed-in staff in their scope."""

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.geo import access
from gisioc.geo.selectors import units_param
from gisioc.kpis import kpis_answer
from gisioc.periods import period_default, period_parse
from gisioc.public_services import selectors
from gisioc.public_services.models import Dossier
from gisioc.records import TRUE, RecordSerializer, RecordViewSet, choice_param
from gisioc.texts import Text

FILTERS = [
    OpenApiParameter("period", str, description="2025, 2025-Q3 or 2025-07 (default: this year)"),
    OpenApiParameter("unit", int, description="Admin unit id (its former units included)"),
    OpenApiParameter("office", str, description="One-stop office facility code"),
    OpenApiParameter("field", str, description="Lĩnh vực, as stored"),
    OpenApiParameter("procedure", str, description="Procedure code (mã TTHC)"),
]


def _dossiers(request: Request) -> QuerySet[Dossier]:
    params = request.query_params
    dossiers = selectors.dossiers_list(
        units=units_param(params.get("unit")),
        office=params.get("office"),
        field=params.get("field"),
        procedure=params.get("procedure"),
    )
    return access.scope_filter(dossiers, request.user)


@extend_schema(
    parameters=[
        *FILTERS,
        OpenApiParameter("by", str, enum=list(selectors.GROUPS), description="Also per group"),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def kpis_view(request: Request) -> Response:
    """Dossier KPIs over a period (766/QĐ-TTg counting), optionally per office, unit, field."""
    period = period_parse(request.query_params.get("period")) or period_default()
    by = request.query_params.get("by")
    dossiers = _dossiers(request)
    groups = selectors.dossier_kpis_by(period=period, by=by, dossiers=dossiers) if by else []
    kpis = selectors.dossier_kpis(period=period, dossiers=dossiers)
    return Response(kpis_answer(period=period, kpis=kpis, by=by, groups=groups))


class DossierSerializer(RecordSerializer):
    """A dossier as a GeoJSON feature at its office, with the commune it counts in."""

    name = serializers.CharField(source="procedure_name", read_only=True)  # what lists show
    office_name = serializers.CharField(source="office.name", read_only=True, default=None)

    class Meta:
        model = Dossier
        geo_field = "geom"
        fields = [
            "id",
            "name",
            "source",
            "dossier_code",
            "procedure_code",
            "procedure_name",
            "field",
            "office_code",
            "office_name",
            "channel",
            "service_level",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            "status",
            "supplement_count",
            "online_payment",
            "unit_id",
            "unit_code",
            "unit_name",
            "locate_method",
            "locate_reason",
            "labels",
        ]


@extend_schema(
    parameters=[
        *FILTERS,
        OpenApiParameter("status", str, enum=list(Dossier.Status.values)),
        OpenApiParameter("overdue", bool, description="Only open dossiers past their due time"),
    ]
)
class DossierViewSet(RecordViewSet):
    """Dossiers as GeoJSON, newest first; signed-in staff only, within their scope."""

    queryset = Dossier.objects.none()  # for the schema; get_queryset decides what is seen
    serializer_class = DossierSerializer
    noun = Text("hồ sơ", "dossiers")

    def records(self, params: Mapping[str, str]) -> QuerySet[Dossier]:
        """Dossiers of the filters, by status, or open past their due time."""
        dossiers = _dossiers(self.request)
        status = choice_param(params, "status", list(Dossier.Status.values))
        if status:
            dossiers = dossiers.filter(status=status)
        if params.get("overdue", "").lower() in TRUE:
            dossiers = selectors.dossiers_overdue(dossiers=dossiers, as_of=timezone.now())
        return dossiers
