"""Wall screens: the kiosk token kept as a hash only, the views' checks, the kiosk's page and
setup (wrong token 404, disabled 403, read-only), the headline KPIs of every system, and who
manages walls."""

import hashlib
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from gisioc.errors import Conflict, InvalidInput
from gisioc.geo.models import Role, UserAccess
from gisioc.kpis import kpi_sets
from gisioc.wall import services
from gisioc.wall.demo import DEMO_WALL, wall_demo_load
from gisioc.wall.models import WallScreen
from gisioc.wall.selectors import wall_by_token

pytestmark = pytest.mark.django_db
VIEW = {"title": {"vi": "Nam Phước", "en": "Nam Phước town"}, "map": "14/15.83/108.26"}


def _user(name: str, role: Role | None) -> User:
    user = User.objects.create_user(name, password="x")
    if role:
        UserAccess.objects.create(user=user, role=role)
    return user


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user:
        client.force_login(user)
    return client


def test_the_token_is_stored_as_its_sha256_only_and_finds_its_enabled_wall() -> None:
    wall, token = services.wall_create(name="Phòng điều hành", views=[VIEW])
    stored = WallScreen.objects.get(pk=wall.pk)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps([getattr(stored, f.attname) for f in stored._meta.fields],
                                   default=str)  # fmt: skip
    assert len(token) >= 32
    assert wall_by_token(token) == stored
    for wrong in ("", None, token[:-1], token + "x", stored.token_hash, "x" * 500):
        assert wall_by_token(wrong) is None
    services.wall_enable(wall_id=wall.pk, enabled=False)
    assert wall_by_token(token) is None
    services.wall_enable(wall_id=wall.pk, enabled=True)
    assert wall_by_token(token).pk == wall.pk
    second, other = services.wall_create(name="Hội trường")
    assert other != token and wall_by_token(other) == second
    assert len(second.views) == len(services.DEFAULT_VIEWS)  # none given: the district's


def test_a_name_is_one_wall() -> None:
    services.wall_create(name="A")
    with pytest.raises(Conflict):
        services.wall_create(name="A")


@pytest.mark.parametrize(
    ("views", "says"),
    [
        ([], "1–12"),
        ("x", "1–12"),
        ([VIEW] * 13, "1–12"),
        (["x"], "View 1: must be an object"),
        ([{**VIEW, "zoom": 3}], "unknown ['zoom']"),
        ([{"map": "14/15.83/108.26"}], "title"),
        ([{**VIEW, "title": {"vi": ""}}], "1–80"),
        ([{**VIEW, "title": {"vi": "x" * 81}}], "1–80"),
        ([{**VIEW, "title": {"vi": "a\x00b"}}], "1–80"),
        ([VIEW, {**VIEW, "map": "15.83,108.26"}], "View 2: map is 'z/lat/lon[/bearing]'"),
        ([{**VIEW, "map": "25/15.83/108.26"}], "out of range"),
        ([{**VIEW, "map": "14/95/108.26"}], "out of range"),
        ([{**VIEW, "map": "14/15.8/108.2/400"}], "bearing"),
        ([{**VIEW, "layers": ["no-such-layer"]}], "unknown or not public"),
        ([{**VIEW, "layers": ["dossiers-overdue"]}], "unknown or not public"),  # staff only
        ([{**VIEW, "layers": "feedback-reports"}], "layers"),
        ([{**VIEW, "period": "2026-13"}], "period '2026-13' is invalid"),
    ],
)
def test_bad_views_are_refused_naming_the_view_in_both_languages(views, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.wall_create(name="W", views=views)
    assert says in caught.value.en and caught.value.vi != caught.value.en
    assert not WallScreen.objects.exists()  # nothing half-made


def test_good_views_are_normalised() -> None:
    wall, _ = services.wall_create(
        name="W",
        rotate_s=12,
        views=[
            {"title": "Toàn huyện", "map": "11.4/15.797/108.24/-15", "layers": None},
            {**VIEW, "layers": ["feedback-reports", "feedback-reports"], "period": "2026-10"},
        ],
    )
    assert wall.views == [
        {"title": {"vi": "Toàn huyện", "en": "Toàn huyện"}, "map": "11.4/15.797/108.24/-15",
         "layers": []},
        {**VIEW, "layers": ["feedback-reports"], "period": "2026-10"},
    ]  # fmt: skip
    for bad in (0, 4, 3601, "30", True, 1.5):
        with pytest.raises(InvalidInput):
            services.wall_create(name=f"W{bad}", rotate_s=bad)


def test_the_kiosk_page_and_setup_read_by_token_only_and_refuse_writes() -> None:
    wall, token = services.wall_create(name="Phòng điều hành", views=[VIEW], rotate_s=15)
    page = Client().get("/wall/", {"token": token})
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert b'id="wall"' in page.content
    setup = APIClient().get("/api/wall/kiosk/", {"token": token})
    assert setup.status_code == 200
    body = setup.json()
    assert (body["name"], body["rotate_s"], body["views"]) == ("Phòng điều hành", 15, [
        {**VIEW, "layers": []}])  # fmt: skip
    assert "token" not in json.dumps(body) and token not in json.dumps(body)
    assert WallScreen.objects.get(pk=wall.pk).last_seen_at is not None
    for wrong in ("", "nope", token + "x"):
        assert Client().get("/wall/", {"token": wrong}).status_code == 404
        answer = APIClient().get("/api/wall/kiosk/", {"token": wrong})
        assert answer.status_code == 404 and answer.json()["en"] == "No wall screen has this token."
    assert Client().get("/wall/").status_code == 404
    # Read-only: the kiosk's token writes nothing, anywhere it is taken.
    for method in ("post", "put", "patch", "delete"):
        for url in (f"/wall/?token={token}", f"/api/wall/kiosk/?token={token}"):
            got = getattr(APIClient(), method)(url, {"name": "x", "enabled": False}, format="json")
            assert got.status_code == 405, (method, url, got.status_code)
        got = getattr(APIClient(), method)(
            f"/api/wall/screens/?token={token}", {"name": "x"}, format="json"
        )
        assert got.status_code in (403, 405), (method, got.status_code)
        got = APIClient().post(
            f"/api/wall/screens/switch/?token={token}", {"id": wall.pk, "enabled": False},
            format="json", HTTP_AUTHORIZATION=f"Bearer {token}",
        )  # fmt: skip
        assert got.status_code == 403
    assert list(WallScreen.objects.values_list("name", "enabled")) == [("Phòng điều hành", True)]
    services.wall_enable(wall_id=wall.pk, enabled=False)
    refused = Client().get("/wall/", {"token": token})
    assert refused.status_code == 403 and b"disabled" in refused.content
    assert b"<script" not in refused.content and b'http-equiv="refresh"' in refused.content
    assert APIClient().get("/api/wall/kiosk/", {"token": token}).status_code == 403


def test_the_headline_kpis_name_every_kpi_set_with_its_figures() -> None:
    from django.contrib.gis.geos import Point

    from gisioc.cameras.models import Camera
    from gisioc.geo.models import Facility

    for n, status in enumerate(["online", "online", "offline"]):
        place = Facility.objects.create(
            kind="camera", code=f"W-CAM-{n}", name=f"Camera {n}", geom=Point(108.2, 15.8)
        )
        Camera.objects.create(facility=place, status=status)
    answer = APIClient().get("/api/wall/kpis/")
    assert answer.status_code == 200
    body = answer.json()
    assert {s["record"] for s in body["systems"]} == {k.record for k in kpi_sets}
    orders = [s["order"] for s in body["systems"]]
    assert orders == sorted(orders)
    dossiers = next(s for s in body["systems"] if s["record"] == "dossier")
    assert [f["id"] for f in dossiers["figures"]] == [
        "on_time_rate", "in_progress_past_due", "in_progress"]  # fmt: skip
    assert dossiers["api"] == "/api/public-services/kpis/"
    cameras = next(s for s in body["systems"] if s["system"] == "cameras")
    assert [(f["id"], f["value"]) for f in cameras["figures"]] == [
        ("cameras_online", 2), ("cameras_offline", 1), ("events", 0)]  # fmt: skip
    for system in body["systems"]:
        assert 1 <= len(system["figures"]) <= 3 and system["title"]["vi"]
        for figure in system["figures"]:
            assert figure["title"]["vi"] and figure["format"] in ("int", "percent", "decimal")
    assert APIClient().get("/api/wall/kpis/", {"period": "2026-13"}).status_code == 400
    assert APIClient().get("/api/wall/kpis/", {"period": "2026-10"}).json()["period"] == "2026-10"


def test_leaders_and_administrators_manage_walls_others_are_refused() -> None:
    leader, admin = _user("leader", Role.LEADER), _user("admin", Role.ADMIN)
    others = [_user(r.value, r) for r in Role if r not in (Role.LEADER, Role.ADMIN)]
    for who in [None, *others]:
        client = _client(who)
        assert client.get("/api/wall/screens/").status_code == 403
        assert client.post("/api/wall/screens/", {"name": "x"}, format="json").status_code == 403
    assert not WallScreen.objects.exists()
    made = _client(leader).post(
        "/api/wall/screens/", {"name": "Phòng họp", "views": [VIEW], "rotate_s": 20}, format="json"
    )
    assert made.status_code == 201
    body = made.json()
    assert body["url"].endswith(f"/wall/?token={body['token']}")
    assert body["created_by"] == "leader" and body["rotate_s"] == 20
    listed = _client(admin).get("/api/wall/screens/").json()
    assert [w["name"] for w in listed] == ["Phòng họp"] and "token" not in listed[0]
    assert _client(leader).post("/api/wall/screens/", {}, format="json").status_code == 400
    bad = _client(leader).post(
        "/api/wall/screens/", {"name": "B", "views": [{"map": "x"}]}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["fields"]
    again = _client(leader).post("/api/wall/screens/", {"name": "Phòng họp"}, format="json")
    assert again.status_code == 409
    off = _client(admin).post(
        "/api/wall/screens/switch/", {"id": body["id"], "enabled": False}, format="json"
    )
    assert off.status_code == 200 and off.json()["enabled"] is False
    assert APIClient().get("/api/wall/kiosk/", {"token": body["token"]}).status_code == 403
    for wall_id in (0, 10**30):
        missing = _client(admin).post(
            "/api/wall/screens/switch/", {"id": wall_id, "enabled": True}, format="json"
        )
        assert missing.status_code == 404
    nul = _client(leader).post("/api/wall/screens/", {"name": "a\x00"}, format="json")
    assert nul.status_code == 400
    for bad_body in ({"id": "1", "enabled": True}, {"id": body["id"], "enabled": "no"}):
        got = _client(admin).post("/api/wall/screens/switch/", bad_body, format="json")
        assert got.status_code == 400


def test_the_command_prints_the_kiosk_url_and_the_demo_token_is_fixed(capsys, settings) -> None:
    call_command("wall", "create", "Màn hình A", "--rotate", "15", "--views", json.dumps([VIEW]))
    out = capsys.readouterr().out
    url = next(line for line in out.splitlines() if "/wall/?token=" in line)
    token = url.split("token=")[1]
    assert wall_by_token(token).name == "Màn hình A"
    first = wall_demo_load()
    assert wall_demo_load() == first and wall_by_token(first).name == DEMO_WALL
    assert len(wall_by_token(first).views) == 4
    settings.CONFIG = settings.CONFIG.model_copy(update={"demo": False})
    with pytest.raises(InvalidInput):
        wall_demo_load()


def test_the_demo_prints_its_wall_beside_the_logins(tmp_path, monkeypatch, settings) -> None:
    from io import StringIO

    from gisioc.geo.management.commands import demo as demo_command

    monkeypatch.setattr(settings.CONFIG, "var_dir", tmp_path)
    monkeypatch.setattr(demo_command, "find_spec", lambda name: None)  # the logins alone
    out = StringIO()
    call_command("demo", "load", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "/wall/?token=" in x)
    assert line.endswith(f"/wall/?token={services.demo_token(DEMO_WALL)}")
    call_command("demo", "load", stdout=StringIO())  # again: the same wall, the same token
    assert WallScreen.objects.count() == 1
    assert wall_by_token(services.demo_token(DEMO_WALL)).name == DEMO_WALL
