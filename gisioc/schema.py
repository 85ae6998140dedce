"""The OpenAPI schema as the API answers: one error body on every operation, and GeoJSON
features with the keys every feature carries (registered in SPECTACULAR_SETTINGS)."""

from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import ResolvedComponent

ERROR = "Error"
ERROR_REF = {"$ref": f"#/components/schemas/{ERROR}"}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Mọi lỗi có cùng một dạng — every error has this one shape.",
    "properties": {
        "error": {"type": "string", "description": "A stable code: invalid, not_found, …"},
        "message": {"type": "string", "description": "In the request's language (vi by default)"},
        "vi": {"type": "string"},
        "en": {"type": "string"},
        "fields": {
            "type": "object",
            "description": "What is wrong with each named parameter or field",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
        "details": {"description": "More, such as a failed run's report"},
        "request_id": {"type": "string", "description": "Quote it: the server's log carries it"},
    },
    "required": ["error", "message", "vi", "en", "request_id"],
}
RETRY_AFTER = {
    "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait"},
}
# What any operation may answer besides its own outcomes (views add the rarer ones: 409, 413…).
ERRORS: dict[str, tuple[str, dict[str, Any]]] = {
    "400": ("Tham số hoặc trường không hợp lệ — a parameter or field is invalid (`fields`)", {}),
    "401": ("Chưa xác thực — not authenticated", {}),
    "403": ("Không được phép — not allowed for this role or scope", {}),
    "404": ("Không tìm thấy — not found", {}),
    "429": ("Quá nhiều yêu cầu — too many requests", RETRY_AFTER),
    "503": ("Tạm thời không phục vụ được — unavailable for now", RETRY_AFTER),
}


def errors_documented(result: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Every operation answers its errors with the one error body: the common ones are added,
    and any error a view declares (a 409, a 413…) gets that body whatever type it named, so
    a view need only say when and why (`OpenApiResponse(description=…)`)."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR] = ERROR_SCHEMA
    for path_item in result["paths"].values():
        for operation in path_item.values():
            responses = operation["responses"]
            for code, (description, _) in ERRORS.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code >= "400":
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
                    if code in ERRORS and ERRORS[code][1]:
                        response.setdefault("headers", ERRORS[code][1])
    return result


def features_complete(
    result: dict[str, Any], generator: SchemaGenerator, **_: Any
) -> dict[str, Any]:
    """GeoJSON features (djangorestframework-gis) always carry type, id, geometry and
    properties; the geometry is null where the model's geometry column allows it."""
    schemas = result.get("components", {}).get("schemas", {})
    feature = {"$ref": "#/components/schemas/GisFeatureEnum"}
    for name, schema in schemas.items():
        properties = schema.get("properties", {})
        if properties.get("type") != feature:
            continue
        schema["required"] = [
            key for key in ("type", "id", "geometry", "properties") if key in properties
        ]
        meta = generator.registry[(name, ResolvedComponent.SCHEMA)].object.Meta
        if meta.model._meta.get_field(meta.geo_field).null:
            properties["geometry"]["nullable"] = True
    return result
