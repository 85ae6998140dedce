"""Every role signs in on the app's own page (the admin's login admits staff accounts only)."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

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
