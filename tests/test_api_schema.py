"""The OpenAPI schema integrators read: every view described, no warnings, valid."""

from pathlib import Path

import yaml
from django.core.management import call_command


def test_the_api_schema_describes_every_view_and_is_valid(tmp_path: Path) -> None:
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    paths = yaml.safe_load(out.read_text())["paths"]
    upload = paths["/api/boundary-versions/import/"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["required"] == ["file"]
    for path in ("/api/me/", "/api/search/", "/api/profiles/units/{unit_id}/"):
        assert "200" in paths[path]["get"]["responses"], path
