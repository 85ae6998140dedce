"""REST API of the ingest framework: keyed sources push batches; staff read the runs."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gisioc.errors import Forbidden, InvalidInput, TooLarge, Unauthorized, ValidationFailed
from gisioc.geo import access
from gisioc.geo.models import Role
from gisioc.ingest.jsonstream import json_document
from gisioc.ingest.keys import SCHEME, source_key_check
from gisioc.ingest.models import IngestRun, SourceKey
from gisioc.ingest.push import MAX_RECORDS, batch_push, push_target_check
from gisioc.ingest.runs import FILTERS, run_get, run_report, run_summary, runs_list
from gisioc.ingest.systems import systems_list

MAX_BODY = 16 * 1024 * 1024
HINT = f"Authorization: {SCHEME} <key>"


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: the request acts for the key's source, not a user."""

    def authenticate(self, request: Request) -> tuple[Any, SourceKey] | None:
        """The key's row when the header names our scheme; Unauthorized when it is wrong."""
        scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != SCHEME.lower():
            return None
        return AnonymousUser(), source_key_check(key=key.strip())

    def authenticate_header(self, request: Request) -> str:
        """The scheme a 401 asks for."""
        return SCHEME


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """Shows the per-source API key in the OpenAPI schema."""

    target_class = "gisioc.ingest.api.ApiKeyAuthentication"
    name = "SourceApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        """An apiKey scheme in the Authorization header."""
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"{HINT} — khóa của một nguồn / one source's key "
            "(`gisioc sources key-add SYSTEM SOURCE`).",
        }


class ErrorSerializer(serializers.Serializer):
    """The body of every error."""

    error = serializers.CharField()
    message = serializers.CharField()
    details = serializers.JSONField(required=False)


class BatchSerializer(serializers.Serializer):
    """A pushed batch: records keyed by the headers or field names a file would have."""

    idempotency_key = serializers.CharField(
        max_length=200, help_text="One per batch; re-sending it returns the first run's report."
    )
    records = serializers.ListField(
        child=serializers.DictField(), max_length=MAX_RECORDS, help_text="e.g. {'MaHoSo': …}"
    )


class RowErrorSerializer(serializers.Serializer):
    """A rejected row: its number in the batch, its id, the field and the reason."""

    row = serializers.IntegerField()
    code = serializers.CharField()
    field = serializers.CharField()
    vi = serializers.CharField()
    en = serializers.CharField()


class UnlocatedSerializer(serializers.Serializer):
    """A stored row that could not be placed in a commune, and why."""

    row = serializers.IntegerField()
    code = serializers.CharField()
    reason = serializers.CharField()


class RunSummarySerializer(serializers.Serializer):
    """A run's identity, status and counts."""

    run = serializers.IntegerField()
    system = serializers.CharField()
    source = serializers.CharField()
    kind = serializers.CharField(help_text=", ".join(IngestRun.Kind.values))
    file_name = serializers.CharField()
    idempotency_key = serializers.CharField(allow_null=True)
    status = serializers.CharField(help_text=", ".join(IngestRun.Status.values))
    message = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    rejected = serializers.IntegerField()
    not_located = serializers.IntegerField()


class RunReportSerializer(RunSummarySerializer):
    """A run with how its columns were used, its rejected rows and its unlocated rows."""

    columns = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    listed_at_most = serializers.IntegerField()
    errors = RowErrorSerializer(many=True)
    unlocated = UnlocatedSerializer(many=True)


def _body(request: Request) -> dict[str, Any]:
    """The JSON object sent: refused unread when its Content-Length is too big, unparsed when
    what is read is too big or nests too deep."""
    too_big = TooLarge(
        f"Nội dung quá lớn (tối đa {MAX_BODY // 1024 // 1024} MB); hãy chia lô.",
        f"The body is too large ({MAX_BODY // 1024 // 1024} MB at most); split the batch.",
    )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise too_big
    stream = request.stream
    raw = stream.read(MAX_BODY + 1) if stream is not None else b""
    if len(raw) > MAX_BODY:
        raise too_big
    body = json_document(raw)
    if not isinstance(body, dict):
        raise InvalidInput(
            "Cần một đối tượng JSON {idempotency_key, records}.",
            "Expected a JSON object {idempotency_key, records}.",
        )
    return body


ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="Malformed body, nested deeper than 32 levels, or values that cannot be "
        "stored (NUL, lone surrogates, NaN/Infinity): `fields` names each `records[row].column`; "
        "nothing was written and the idempotency key stays free",
    ),
    401: OpenApiResponse(ErrorSerializer, description="No key, or an invalid or revoked one"),
    403: OpenApiResponse(ErrorSerializer, description="The key belongs to another system"),
    404: OpenApiResponse(ErrorSerializer, description="No such system"),
    409: OpenApiResponse(ErrorSerializer, description="The same batch is still being processed"),
    413: OpenApiResponse(ErrorSerializer, description="Too many records or too large a body"),
    422: OpenApiResponse(ErrorSerializer, description="The batch as a whole failed; see details"),
}


class BatchPushView(APIView):
    """Push a batch of records from a source system, authenticated by the source's key."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes: list[Any] = []
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="ingest_batch_push",
        parameters=[
            OpenApiParameter(
                "system",
                str,
                OpenApiParameter.PATH,
                enum=[system.name for system in systems_list()],
                description="The system the source's key pushes to",
            )
        ],
        request=BatchSerializer,
        responses={
            201: OpenApiResponse(RunReportSerializer, description="Ingested: the run's report"),
            200: OpenApiResponse(
                RunReportSerializer,
                description="This idempotency key was seen: the first run's report, unchanged "
                "(header Idempotent-Replayed: true)",
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request, system: str) -> Response:
        """Ingest the batch once; re-sending the same idempotency key returns the same report."""
        key = request.auth
        if not isinstance(key, SourceKey):
            raise Unauthorized(f"Thiếu khóa API ({HINT}).", f"No API key ({HINT}).")
        push_target_check(key=key, system=system)
        body = _body(request)
        result = batch_push(
            key=key,
            system=system,
            idempotency_key=body.get("idempotency_key"),
            records=body.get("records"),
        )
        if result.report["status"] == IngestRun.Status.FAILED:
            vi, _, en = result.report["message"].partition(" — ")
            raise ValidationFailed(vi, en or vi, details=result.report)
        response = Response(result.report, status=200 if result.replayed else 201)
        response["Idempotent-Replayed"] = "true" if result.replayed else "false"
        return response

    def handle_exception(self, exc: Exception) -> Response:
        """Errors as usual; a 401 also names the scheme to use."""
        response = super().handle_exception(exc)
        if response.status_code == 401:
            response["WWW-Authenticate"] = SCHEME
        return response


def _require_staff(request: Request) -> None:
    role = access.user_role(request.user)
    if role is None:
        raise Forbidden("Cần đăng nhập để xem các lượt nhập.", "Sign in to see ingest runs.")
    if role == Role.COMMUNE_OFFICER:
        raise Forbidden(
            "Lượt nhập gồm bản ghi của mọi xã; cán bộ xã không xem được.",
            "Runs hold records of every commune; commune officers cannot see them.",
        )


class IngestRunViewSet(viewsets.GenericViewSet):
    """Every ingest run (file, push, pull, demo) with its counts; staff only."""

    queryset = IngestRun.objects.none()  # for the schema; the selectors decide what is read
    serializer_class = RunSummarySerializer

    @extend_schema(
        parameters=[OpenApiParameter(name, str) for name in FILTERS],
        responses={200: RunSummarySerializer(many=True), 403: ErrorSerializer},
    )
    def list(self, request: Request) -> Response:
        """Runs, newest first, with counts; filter by system, source, kind, status."""
        _require_staff(request)
        runs = runs_list(filters={name: request.query_params.get(name, "") for name in FILTERS})
        page = self.paginate_queryset(runs)
        return self.get_paginated_response([run_summary(run=run) for run in page or []])

    @extend_schema(responses={200: RunReportSerializer, 403: ErrorSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        """One run with its rejected rows (row, field, reason) and its unlocated rows."""
        _require_staff(request)
        if not pk.isdigit():
            raise InvalidInput(f"Mã lượt không hợp lệ: {pk}.", f"Invalid run id: {pk}.")
        return Response(run_report(run=run_get(run_id=int(pk))))
