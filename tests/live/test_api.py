"""GET /api/live/: the stream's URL as the browser reaches it and a token saying who reads (the
public, a role, a commune officer's scope across versions, a wall screen's read-only view)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from gisioc.geo.access import scope_unit_ids
from gisioc.geo.models import Role, UserAccess
from gisioc.live.tokens import token_read

pytestmark = pytest.mark.django_db
HOST = "127.0.0.1:8110"


def _ask(user: User | None = None, query: str = "") -> tuple[int, dict]:
    client = APIClient(HTTP_HOST=HOST)
    if user is not None:
        client.force_login(user)
    answer = client.get("/api/live/" + query)
    if answer.status_code == 200:
        assert answer["Cache-Control"] == "no-store"
    return answer.status_code, answer.json()


def _user(name: str, role: Role) -> User:
    user = User.objects.create_user(name, password="x")
    UserAccess.objects.create(user=user, role=role)
    return user


def test_the_public_gets_a_public_token_and_the_live_port() -> None:
    status, body = _ask()
    assert status == 200
    assert body["url"] == f"http://127.0.0.1:{settings.CONFIG.live_port}/events"
    listener = token_read(body["token"])
    assert listener is not None and listener.role is None and listener.scope is None


def test_staff_tokens_carry_role_and_scope(communes: dict) -> None:
    leader = _user("lanhdao", Role.LEADER)
    officer = _user("canboxa", Role.COMMUNE_OFFICER)
    officer.access.units.set([communes["in"]])
    listener = token_read(_ask(leader)[1]["token"])
    assert (listener.role, listener.scope, listener.wall) == ("leader", None, False)
    listener = token_read(_ask(officer)[1]["token"])
    assert listener.role == "commune_officer"
    assert listener.scope == scope_unit_ids(officer)
    assert communes["in"].pk in listener.scope and communes["out"].pk not in listener.scope


def test_a_wall_token_gives_a_read_only_leader_view_and_a_bad_one_403() -> None:
    from gisioc.wall.models import WallScreen
    from gisioc.wall.selectors import token_digest

    WallScreen.objects.create(name="Phòng điều hành", token_hash=token_digest("kiosk-secret-1"))
    status, body = _ask(query="?wall=kiosk-secret-1")
    assert status == 200
    listener = token_read(body["token"])
    assert (listener.role, listener.scope, listener.wall) == ("leader", None, True)
    status, body = _ask(query="?wall=wrong")
    assert status == 403 and body["error"] == "forbidden" and body["vi"] and body["en"]


def test_the_url_follows_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    config = settings.CONFIG
    monkeypatch.setattr(settings, "CONFIG", config.model_copy(update={"live_url": "/live/events"}))
    assert _ask()[1]["url"] == f"http://{HOST}/live/events"
    monkeypatch.setattr(settings, "CONFIG", config.model_copy(update={"live": False}))
    assert _ask()[1] == {"url": None, "token": None}


def test_tokens_are_signed() -> None:
    token = _ask()[1]["token"]
    assert token_read(token) is not None
    assert token_read(token.replace(":", ";", 1)) is None
    assert token_read("x" * 30) is None
