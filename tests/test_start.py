"""`scripts/start.sh`, the Docker image's entry point, outside demo mode: it migrates, collects
static files and serves the app alone, with no demo data, no demo logins and no fakes."""

import http.client
import json
import os
import sys
from pathlib import Path

import pytest
from django.db import connection

from gisioc.geo.models import BoundaryVersion
from tests.processes import free_port, serving


def _get(port: int, path: str, **headers: str) -> tuple[int, bytes, http.client.HTTPMessage]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    resp = conn.getresponse()
    return resp.status, resp.read(), resp.headers


def test_outside_demo_mode_the_image_serves_the_app_alone(
    transactional_db: None, tmp_path: Path
) -> None:
    port, fake_port = free_port(), free_port()
    env = {
        **os.environ,
        "GISIOC_BIN": str(Path(sys.executable).parent),
        "GISIOC_DB_NAME": connection.settings_dict["NAME"],
        "GISIOC_DEMO": "false",
        "GISIOC_SECRET_KEY": "a-test-key-that-is-long-enough-for-django-0123456789",
        "GISIOC_PROXY_COUNT": "1",  # HTTPS ends at the proxy in front, which says so
        "GISIOC_VAR_DIR": str(tmp_path),
        "GISIOC_PORT": str(port),
        "GISIOC_FAKE_PORT": str(fake_port),
        "GISIOC_ALLOWED_HOSTS": '["127.0.0.1"]',
    }
    with serving(["bash", "scripts/start.sh"], env=env, port=port, log=tmp_path / "start.log"):
        status, body, headers = _get(
            port, "/api/public-services/kpis/?period=2025", **{"X-Forwarded-Proto": "https"}
        )
        assert status == 200 and json.loads(body)["kpis"]["received"] == 0
        assert headers["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        status, _, headers = _get(port, "/accounts/login/")  # plain http: sent to https
        assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{port}/accounts/login/")
        assert (tmp_path / "static" / "admin" / "css" / "base.css").is_file()  # collected
        assert not BoundaryVersion.objects.exists()
        assert not (tmp_path / "demo-logins.json").exists()
        with pytest.raises(OSError):  # no fake software listening
            _get(fake_port, "/api/hoso")
