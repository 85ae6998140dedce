"""Production defaults: `check --deploy` clean outside the demo, plain http in it, a weak secret
refused, and secrets written readable by their owner only from their first byte."""

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from gisioc import config
from gisioc.config import Config, demo_secret_key, private_file_write

ROOT = Path(__file__).resolve().parents[2]
STRONG = secrets.token_urlsafe(50)
SECURITY = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def _django(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """A fresh interpreter on the project's settings with these GISIOC_* variables (and none
    of the test session's: the browser tests allow async-unsafe calls, a deployment never)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GISIOC_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean |= {"DJANGO_SETTINGS_MODULE": "gisioc.settings", "GISIOC_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def _security(tmp_path: Path, **env: str) -> dict:
    names = json.dumps(SECURITY)
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names}}}))"
    )
    done = _django(["-c", code], tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_check_deploy_is_clean_outside_the_demo(tmp_path: Path) -> None:
    done = _django(
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        GISIOC_DEMO="false",
        GISIOC_SECRET_KEY=STRONG,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
    assert _security(tmp_path, GISIOC_DEMO="false", GISIOC_SECRET_KEY=STRONG) == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": None,  # no proxy trusted: a client cannot claim https
    }


def test_behind_a_proxy_its_word_on_https_counts(tmp_path: Path) -> None:
    behind = _security(
        tmp_path, GISIOC_DEMO="false", GISIOC_SECRET_KEY=STRONG, GISIOC_PROXY_COUNT="1"
    )
    assert behind["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_demo_stays_on_plain_http(tmp_path: Path) -> None:
    demo = _security(tmp_path, GISIOC_DEMO="true")
    assert demo["SECURE_SSL_REDIRECT"] is False and demo["SECURE_HSTS_SECONDS"] == 0
    assert demo["SESSION_COOKIE_SECURE"] is False and demo["CSRF_COOKIE_SECURE"] is False
    # ...which `check --deploy` would flag, as it should outside the demo.
    done = _django(["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert done.returncode != 0 and "SECURE_SSL_REDIRECT" in done.stderr


@pytest.mark.parametrize("key", ["short-key", "ab" * 30, "django-insecure-" + STRONG])
def test_a_weak_secret_key_is_refused_outside_the_demo(key: str) -> None:
    with pytest.raises(ValidationError, match="GISIOC_SECRET_KEY must be 50 characters"):
        Config(_env_file=None, demo=False, secret_key=key)
    assert Config(_env_file=None, demo=False, secret_key=STRONG).https is True


def _watch_publishing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The modes the written file had at the moment it took its name."""
    seen: list[int] = []
    for name in ("replace", "link"):
        real = getattr(os, name)

        def publish(src: Path, dst: Path, *, _real: Callable[..., None] = real) -> None:
            seen.append(os.stat(src).st_mode & 0o777)
            return _real(src, dst)

        monkeypatch.setattr(config.os, name, publish)
    return seen


def test_the_demo_secret_key_is_private_from_its_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _watch_publishing(monkeypatch)
    old = os.umask(0)  # a careless umask: the file's own mode must still hold
    try:
        key = demo_secret_key(tmp_path)
    finally:
        os.umask(old)
    path = tmp_path / "secret_key"
    assert seen == [0o600] and path.stat().st_mode & 0o777 == 0o600
    assert len(key) >= 50 and demo_secret_key(tmp_path) == key  # kept, not drawn again
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left


def test_a_private_file_replaces_a_readable_one_and_racing_writers_keep_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "logins.json"
    path.write_text("old")
    path.chmod(0o644)
    seen = _watch_publishing(monkeypatch)
    assert private_file_write(path, "new") is True
    assert path.read_text() == "new" and path.stat().st_mode & 0o777 == 0o600
    assert private_file_write(path, "second", replace=False) is False
    assert path.read_text() == "new" and seen == [0o600, 0o600]
    assert [p.name for p in tmp_path.iterdir()] == ["logins.json"]


def test_docker_runs_the_demo_only_when_asked_and_requires_its_secrets() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    app, db = compose["app"]["environment"], compose["db"]["environment"]
    required = re.compile(r"\$\{(\w+):\?[^}]+\}")  # compose stops when the variable is unset
    assert required.fullmatch(db["POSTGRES_PASSWORD"])[1] == "GISIOC_DB_PASSWORD"
    assert required.fullmatch(app["GISIOC_DB_PASSWORD"])[1] == "GISIOC_DB_PASSWORD"
    assert required.fullmatch(app["GISIOC_SECRET_KEY"])[1] == "GISIOC_SECRET_KEY"
    assert app["GISIOC_DEMO"] == "${GISIOC_DEMO:-false}"
    assert "GISIOC_DEMO=false" in (ROOT / "Dockerfile").read_text()  # `docker run` alike
