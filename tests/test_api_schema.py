"""The OpenAPI schema integrators read: every view described, no warnings, valid, and saying
what the answers are (GeoJSON lists, the one error body)."""

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.core.management import call_command
from django.test import Client

ERROR_CODES = ("400", "401", "403", "404", "429", "503")
GEOJSON_LISTS = (
    "/api/admin-units/",
    "/api/facilities/",
    "/api/public-services/dossiers/",
    "/api/documents/documents/",
)


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    return yaml.safe_load(out.read_text())


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """`node` with its $ref followed and its allOf merged (enough for these schemas)."""
    if "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    merged = {k: v for k, v in node.items() if k != "allOf"}
    for part in node.get("allOf", []):
        part = _resolved(schema, part)
        merged["properties"] = {**merged.get("properties", {}), **part.get("properties", {})}
        merged["required"] = [*merged.get("required", []), *part.get("required", [])]
    return merged


def _answer(schema: dict[str, Any], path: str, code: str = "200") -> dict[str, Any]:
    response = schema["paths"][path]["get"]["responses"][code]
    return _resolved(schema, response["content"]["application/json"]["schema"])


def test_the_api_schema_describes_every_view_and_is_valid(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    upload = paths["/api/boundary-versions/import/"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["required"] == ["file"]
    for path in ("/api/me/", "/api/search/", "/api/profiles/units/{unit_id}/"):
        assert "200" in paths[path]["get"]["responses"], path


@pytest.mark.parametrize("path", GEOJSON_LISTS)
def test_a_geojson_list_is_a_feature_collection_with_an_array_of_features(
    schema: dict[str, Any], path: str
) -> None:
    page = _answer(schema, path)
    assert {"type", "features", "count", "next", "previous"} <= set(page["required"])
    assert _resolved(schema, page["properties"]["type"])["enum"] == ["FeatureCollection"]
    features = page["properties"]["features"]
    assert features["type"] == "array"
    feature = _resolved(schema, features["items"])
    assert feature["required"] == ["type", "id", "geometry", "properties"]
    assert _resolved(schema, feature["properties"]["type"])["enum"] == ["Feature"]
    assert feature["properties"]["properties"]["type"] == "object"


def test_a_geometry_is_nullable_only_where_the_model_allows_it(schema: dict[str, Any]) -> None:
    def geometry(path: str) -> dict[str, Any]:
        return _resolved(schema, _answer(schema, path)["properties"]["features"]["items"])[
            "properties"
        ]["geometry"]

    assert "nullable" not in geometry("/api/admin-units/")  # every unit has its outline
    assert geometry("/api/facilities/")["nullable"] is True  # a facility known by address
    assert geometry("/api/public-services/dossiers/")["nullable"] is True


def test_every_operation_documents_the_one_error_body(schema: dict[str, Any]) -> None:
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "message", "vi", "en", "request_id"}
    assert {"fields", "details"} <= set(error["properties"])
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 20
    for path, method, operation in operations:
        for code, response in operation["responses"].items():
            if code >= "400":
                body = response["content"]["application/json"]["schema"]
                assert body == {"$ref": "#/components/schemas/Error"}, (method, path, code)
        assert set(ERROR_CODES) <= set(operation["responses"]), (method, path)
    publish = schema["paths"]["/api/boundary-versions/{slug}/publish/"]["post"]
    assert publish["responses"]["503"]["headers"]["Retry-After"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/admin-units/?limit=abc", 400),
        ("/api/profiles/units/999999/", 404),
        ("/api/ingest/runs/", 403),
        ("/api/nothing-here/", 404),
    ],
)
def test_error_answers_have_the_documented_shape(
    schema: dict[str, Any], url: str, status: int
) -> None:
    answer = Client().get(url)
    assert answer.status_code == status
    error = schema["components"]["schemas"]["Error"]
    jsonschema.validate(answer.json(), error)


def test_the_schema_file_is_the_one_served(schema: dict[str, Any], tmp_path: Path) -> None:
    served = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert yaml.safe_load(served.content) == schema
