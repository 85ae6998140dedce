"""The GIS officer's boundary workflow over HTTP: upload and validate a file, then publish."""

import datetime as dt
import functools
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import (
    OpenApiRequest,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.errors import Forbidden, InvalidInput, TooLarge
from gisioc.geo import access, services
from gisioc.geo.models import Role
from gisioc.geo.readers import FORMATS, SUPPORTED_SUFFIXES

EDITORS = frozenset({Role.GIS_OFFICER})
MAX_UPLOAD = 200 * 1024 * 1024
FORM_SLACK = 1024 * 1024  # the form's other fields and its multipart framing
TEXT_OPTIONS = ("name", "slug", "code_field", "name_field", "area_field", "encoding", "crs")


def too_large() -> TooLarge:
    return TooLarge(
        "Tệp quá lớn (tối đa 200 MB).", "The file is too large (200 MB at most).", field="file"
    )


def body_capped(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse a body past the cap from its Content-Length, before anything reads it (DRF's
    CSRF check would read the whole form first)."""

    @functools.wraps(view)
    def capped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_UPLOAD + FORM_SLACK:
            raise too_large()
        return view(request, *args, **kwargs)

    return capped


def _require_editor(request: Request) -> None:
    if not access.may_see(request.user, EDITORS):
        raise Forbidden("Chỉ cán bộ GIS được sửa ranh giới.", "Only GIS officers edit boundaries.")


def _text(data: Any, key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise InvalidInput(f"{key} phải là văn bản.", f"{key} must be text.", field=key)
    return value.strip()


def _options(data: Any) -> services.ImportOptions:
    values: dict[str, Any] = {k: text for k in TEXT_OPTIONS if (text := _text(data, k))}
    for key in ("valid_from", "valid_to"):
        if text := _text(data, key):
            try:
                values[key] = dt.date.fromisoformat(text)
            except ValueError as exc:
                raise InvalidInput(f"{key} không hợp lệ.", f"Invalid {key}.", field=key) from exc
    values["dry_run"] = _text(data, "dry_run").lower() in ("1", "true", "on", "yes")
    return services.ImportOptions(**values)


UPLOAD_FORM = {
    "type": "object",
    "properties": {
        "file": {"type": "string", "format": "binary"},
        **{name: {"type": "string"} for name in TEXT_OPTIONS},
        "valid_from": {"type": "string", "format": "date"},
        "valid_to": {"type": "string", "format": "date"},
        "dry_run": {"type": "boolean"},
    },
    "required": ["file"],
}


FILE_PART = {
    "schema": {"type": "string"},
    "example": 'form-data; name="file"; filename="communes.geojson"',
}
IMPORTED = inline_serializer(
    "BoundaryImport",
    {
        "version": serializers.CharField(allow_null=True, help_text="The draft's slug; null: dry"),
        "report": serializers.JSONField(help_text="What was read and checked, unit by unit"),
    },
)


@extend_schema(
    request={
        "multipart/form-data": OpenApiRequest(
            UPLOAD_FORM,
            # The file's name says its format (.geojson, .zip of a shapefile, .gpkg…).
            encoding={"file": {"headers": {"Content-Disposition": FILE_PART}}},
        )
    },
    responses={
        201: IMPORTED,
        200: OpenApiResponse(IMPORTED, description="A dry run: checked, nothing stored"),
        409: OpenApiResponse(description="A version with this slug exists"),
        413: OpenApiResponse(description="The file is over 200 MB"),
        422: OpenApiResponse(description="The file failed validation; `details`: the report"),
    },
)
@body_capped
@api_view(["POST"])
@parser_classes([MultiPartParser])
def boundary_upload(request: Request) -> Response:
    """Validate an uploaded boundary file and, unless a dry run, store it as a draft version.
    The report lists every unit read; a file failing validation answers 422 with it."""
    _require_editor(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("Chưa chọn tệp.", "No file was uploaded.", field="file")
    suffix = Path(upload.name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InvalidInput(
            f"Định dạng {suffix or '(không đuôi)'} chưa hỗ trợ ({FORMATS[0]}).",
            f"Unsupported format {suffix or '(no extension)'} ({FORMATS[1]}).",
            field="file",
        )
    if upload.size > MAX_UPLOAD:
        raise too_large()
    options = _options(request.data)
    with tempfile.TemporaryDirectory(prefix="gisioc-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"  # the officer's name only labels messages
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        version, report = services.boundary_import(
            path=path, options=options, progress=lambda _: None, label=upload.name
        )
    return Response(
        {"version": version.slug if version else None, "report": report.as_dict()},
        status=201 if version else 200,
    )


@extend_schema(
    request=None,
    responses={
        200: inline_serializer(
            "BoundaryPublished",
            {
                "version": serializers.CharField(),
                "closed": serializers.ListField(
                    child=serializers.CharField(), help_text="Versions whose validity it ended"
                ),
                "relocated": serializers.DictField(
                    child=serializers.IntegerField(), help_text="Records re-located, per model"
                ),
            },
        ),
        409: OpenApiResponse(description="This version is already published"),
    },
)
@api_view(["POST"])
def boundary_publish(request: Request, slug: str) -> Response:
    """Publish a draft: it becomes the version in force from its date; records are re-located."""
    _require_editor(request)
    return Response(services.boundary_publish(slug=slug, progress=lambda _: None))


@extend_schema(
    responses=inline_serializer(
        "Me",
        {
            "username": serializers.CharField(allow_null=True),
            "role": serializers.CharField(allow_null=True),
            "role_label": serializers.DictField(child=serializers.CharField(), allow_null=True),
            "can": serializers.ListField(child=serializers.CharField()),
        },
    )
)
@api_view(["GET"])
def me(request: Request) -> Response:
    """Who is signed in, their role (the public gets nulls) and what the app may offer them
    (`can`: 'boundaries.import' for those who may import and publish boundaries)."""
    role = access.user_role(request.user)
    return Response(
        {
            "username": request.user.get_username() if request.user.is_authenticated else None,
            "role": role.value if role else None,
            "role_label": dict(zip(("vi", "en"), role.label.split(" / "), strict=True))
            if role
            else None,
            "can": ["boundaries.import"] if access.may_see(request.user, EDITORS) else [],
        }
    )
