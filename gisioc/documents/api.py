"""REST API of documents: KPIs for anyone, the documents themselves for signed-in staff in scope.

The public KPIs are counts only. The document list carries the summary (trích yếu), which may
name citizens, so it is for signed-in staff and limited to the communes they may see.
"""

from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.documents import selectors
from gisioc.documents.models import Document
from gisioc.geo import access
from gisioc.geo.selectors import units_param
from gisioc.kpis import kpis_answer
from gisioc.periods import period_default, period_parse
from gisioc.records import TRUE, RecordSerializer, RecordViewSet, choice_param
from gisioc.texts import Text

FILTERS = [
    OpenApiParameter("period", str, description="2025, 2025-Q3 or 2025-07 (default: this year)"),
    OpenApiParameter("unit", int, description="Admin unit id (its former units included)"),
    OpenApiParameter("agency", str, description="Agency facility code, e.g. UBND-20611"),
    OpenApiParameter("type", str, enum=list(Document.Type.values), description="Loại văn bản"),
]
DETAIL = "/api/documents/documents/{id}/"


def _documents(request: Request) -> QuerySet[Document]:
    params = request.query_params
    documents = selectors.documents_list(
        units=units_param(params.get("unit")),
        agency=params.get("agency"),
        doc_type=choice_param(params, "type", list(Document.Type.values)),
    )
    return access.scope_filter(documents, request.user)


@extend_schema(
    parameters=[
        *FILTERS,
        OpenApiParameter("by", str, enum=list(selectors.GROUPS), description="Also per group"),
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
def kpis_view(request: Request) -> Response:
    """Document KPIs over a period: incoming, outgoing, in progress, overdue, on time, days."""
    period = period_parse(request.query_params.get("period")) or period_default()
    by = choice_param(request.query_params, "by", list(selectors.GROUPS))
    documents = _documents(request)
    groups = selectors.document_kpis_by(period=period, by=by, documents=documents) if by else []
    kpis = selectors.document_kpis(period=period, documents=documents)
    return Response(kpis_answer(period=period, kpis=kpis, by=by, groups=groups))


class DocumentSerializer(RecordSerializer):
    """A document as a GeoJSON feature at its agency, with the commune it counts in."""

    name = serializers.CharField(source="number_symbol", read_only=True)  # what lists show
    agency_name = serializers.CharField(source="agency.name", read_only=True, default=None)
    # No map layer draws documents, so each one says where its detail is for the app.
    detail = serializers.SerializerMethodField()

    class Meta:
        model = Document
        geo_field = "geom"
        fields = [
            "id",
            "name",
            "source",
            "direction",
            "number_symbol",
            "arrival_number",
            "document_date",
            "doc_type",
            "issuer",
            "summary",
            "recipients",
            "agency_code",
            "agency_name",
            "assignee_unit",
            "received_at",
            "due_on",
            "completed_at",
            "status",
            "urgency",
            "unit_id",
            "unit_code",
            "unit_name",
            "locate_method",
            "locate_reason",
            "detail",
            "labels",
        ]

    def get_detail(self, obj: Document) -> str:
        """The API URL of this document."""
        return DETAIL.format(id=obj.pk)


@extend_schema(
    parameters=[
        *FILTERS,
        OpenApiParameter("status", str, enum=list(Document.Status.values)),
        OpenApiParameter("direction", str, enum=list(Document.Direction.values)),
        OpenApiParameter("overdue", bool, description="Only open documents due before today"),
    ]
)
class DocumentViewSet(RecordViewSet):
    """Documents as GeoJSON, newest first; signed-in staff only, within their scope."""

    queryset = Document.objects.none()  # for the schema; get_queryset decides what is seen
    serializer_class = DocumentSerializer
    noun = Text("văn bản", "documents")

    def records(self, params: Mapping[str, str]) -> QuerySet[Document]:
        """Documents of the filters, by status and direction, or overdue today."""
        documents = _documents(self.request)
        status = choice_param(params, "status", list(Document.Status.values))
        if status:
            documents = documents.filter(status=status)
        direction = choice_param(params, "direction", list(Document.Direction.values))
        if direction:
            documents = documents.filter(direction=direction)
        if params.get("overdue", "").lower() in TRUE:
            documents = selectors.documents_overdue(documents=documents, as_of=timezone.now())
        return documents
