"""Every role signs in on the app's own page (the admin's login admits staff accounts only)."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.test import Client

from gisioc.geo.management.commands import demo as demo_command
from gisioc.geo.models import Role, UserAccess

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-dai-1022"


@pytest.fixture
def leader() -> str:
    user = get_user_model().objects.create_user("lanhdao", password=PASSWORD)  # not staff
    UserAccess.objects.create(user=user, role=Role.LEADER)
    return user.username


def test_a_leader_who_is_not_staff_signs_in_back_to_the_view_and_out(leader: str) -> None:
    client = Client()
    page = client.get("/accounts/login/?next=/%3Funit%3D5")
    assert page.status_code == 200 and "Đăng nhập" in page.content.decode()
    assert client.get("/admin/login/").status_code == 200  # the admin's login still stands
    answer = client.post(
        "/accounts/login/", {"username": leader, "password": PASSWORD, "next": "/?unit=5"}
    )
    assert (answer.status_code, answer.headers["Location"]) == (302, "/?unit=5")
    assert client.get("/api/me/").json()["role"] == "leader"
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/api/me/").json()["username"] is None


def test_a_wrong_password_is_said_in_both_languages(leader: str) -> None:
    client = Client()
    wrong = client.post("/accounts/login/", {"username": leader, "password": "sai", "next": "/"})
    text = wrong.content.decode()
    assert wrong.status_code == 200 and "không đúng" in text and "not right" in text
    assert f'value="{leader}"' in text  # the username stays typed
    assert client.get("/api/me/").json()["username"] is None


def test_a_next_pointing_elsewhere_is_not_followed(leader: str) -> None:
    answer = Client().post(
        "/accounts/login/",
        {"username": leader, "password": PASSWORD, "next": "https://example.org/phishing"},
    )
    assert (answer.status_code, answer.headers["Location"]) == (302, "/")


def test_the_demo_prints_the_sign_in_every_role_uses_beside_its_logins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings.CONFIG, "var_dir", tmp_path)
    monkeypatch.setattr(demo_command, "find_spec", lambda name: None)  # the logins alone
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    text = out.getvalue()
    monkeypatch.setattr(settings.CONFIG, "host", "0.0.0.0")  # as in the Docker image
    site = f"http://127.0.0.1:{settings.CONFIG.port}"
    assert f"every role: {site}/accounts/login/" in text and f"admin: {site}/admin/" in text
    logins = json.loads((tmp_path / "demo-logins.json").read_text())
    assert set(logins) == {"lanhdao", "phantich", "hientruong", "gis", "canboxa", "quantri"}
    for username, password in logins.items():
        assert f"{username:<12} {password}" in text
        validate_password(password, get_user_model().objects.get(username=username))
    assert (tmp_path / "demo-logins.json").stat().st_mode & 0o777 == 0o600
    # The printed sign-in takes every role, the ones the admin's login turns away included.
    client = Client()
    answer = client.post("/accounts/login/", {"username": "canboxa", "password": logins["canboxa"]})
    assert answer.status_code == 302 and client.get("/api/me/").json()["role"] == "commune_officer"
