"""Roles and scopes, and the REST API (GeoJSON, OpenAPI, errors)."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client

from gisioc.geo.access import scope_filter, scope_sql, scope_unit_ids, user_role
from gisioc.geo.demo import boundaries_demo_load, users_demo_load
from gisioc.geo.models import AdminUnit, Facility, Role
from tests.bodies import json_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path) -> dict[str, str]:
    boundaries_demo_load(progress=lambda _: None)
    logins = users_demo_load(logins_file=tmp_path / "logins.json")
    for code, slug in (("20611", "danang-2025"), ("20599", "danang-2025")):
        unit = AdminUnit.objects.get(code=code, version__slug=slug)
        Facility.objects.create(
            kind="health",
            code=f"TYT-{code}",
            name=f"Trạm {unit.short_name}",
            folded_name="t",
            geom=unit.geom.point_on_surface,
            unit=unit,
        )
    return {x["username"]: x["password"] for x in logins}


def _client(username: str | None, logins: dict[str, str]) -> Client:
    client = Client()
    if username:
        assert client.login(username=username, password=logins[username])
    return client


def test_demo_users_have_generated_passwords_and_roles(demo: dict[str, str], tmp_path) -> None:
    assert len(set(demo.values())) == len(demo) and all(len(p) >= 12 for p in demo.values())
    assert user_role(User.objects.get(username="canboxa")) == Role.COMMUNE_OFFICER
    assert user_role(AnonymousUser()) is None
    # A second set-up keeps the passwords that were printed the first time.
    again = {
        x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "logins.json")
    }
    assert again == demo
    assert oct((tmp_path / "logins.json").stat().st_mode)[-3:] == "600"


def test_commune_officer_scope_spans_old_and_new_units(demo: dict[str, str]) -> None:
    officer = User.objects.get(username="canboxa")
    units = AdminUnit.objects.filter(pk__in=scope_unit_ids(officer))
    assert {(u.version.slug, u.code) for u in units} == {
        ("danang-2025", "20611"),
        ("duyxuyen-2019", "20605"),
        ("duyxuyen-2019", "20608"),
        ("duyxuyen-2019", "20611"),
        ("duyxuyen-2019", "20614"),
    }
    assert scope_unit_ids(User.objects.get(username="lanhdao")) is None
    facilities = scope_filter(Facility.objects.all(), officer)
    assert [f.code for f in facilities] == ["TYT-20611"]
    sql, params = scope_sql(officer, "unit_id")
    assert sql == "unit_id = ANY(%s)" and set(params[0]) == {u.pk for u in units}


def test_api_lists_units_and_facilities_as_geojson(demo: dict[str, str]) -> None:
    client = Client()
    body = json_body(client.get("/api/admin-units/", {"level": "commune"}))
    assert body["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in body["features"]} == {
        "20599",
        "20611",
        "20623",
        "20635",
    }
    assert all(f["properties"]["approximate"] for f in body["features"])
    old = json_body(
        client.get("/api/admin-units/", {"version": "duyxuyen-2019", "level": "commune"})
    )
    assert len(old["features"]) == 13
    on_date = json_body(client.get("/api/admin-units/", {"on": "2024-01-01", "level": "commune"}))
    assert {f["properties"]["version"] for f in on_date["features"]} == {"duyxuyen-2019"}
    facilities = json_body(client.get("/api/facilities/"))
    assert facilities["type"] == "FeatureCollection" and len(facilities["features"]) == 2
    assert facilities["features"][0]["geometry"]["type"] == "Point"
    assert "/api/admin-units/" in client.get("/api/").json()["admin-units"]


def test_facilities_are_public_so_a_commune_officer_reads_them_all(demo: dict[str, str]) -> None:
    public = json_body(Client().get("/api/facilities/"))
    assert len(public["features"]) == 2
    assert json_body(_client("canboxa", demo).get("/api/facilities/")) == public
    assert json_body(_client("lanhdao", demo).get("/api/facilities/")) == public


def test_drafts_are_hidden_from_the_public(demo: dict[str, str]) -> None:
    from tests.geo.factories import make_version, square

    make_version("draft-x", {"1": ("Xã A", square(108, 15))}, published=False)
    assert Client().get("/api/admin-units/", {"version": "draft-x"}).status_code == 404
    assert "draft-x" not in str(Client().get("/api/boundary-versions/").json())
    gis = _client("gis", demo)
    assert gis.get("/api/admin-units/", {"version": "draft-x"}).status_code == 200
    assert "draft-x" in str(gis.get("/api/boundary-versions/").json())


@pytest.mark.parametrize(
    ("url", "params", "status", "text"),
    [
        ("/api/admin-units/", {"version": "nope"}, 404, "Không có phiên bản"),
        ("/api/admin-units/", {"on": "2024-13-01"}, 400, "Ngày không hợp lệ"),
        ("/api/facilities/", {"kind": "zoo"}, 400, "kind='zoo' không thuộc"),
        ("/api/geocode/", {"lon": "abc", "lat": "1"}, 400, "lon phải là số"),
    ],
)
def test_api_errors_are_clear_and_bilingual(demo, url, params, status, text) -> None:
    response = Client().get(url, params)
    assert response.status_code == status and text in response.json()["message"]
    english = Client().get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == status and english.json()["message"].isascii()


def test_geocode_endpoint(demo: dict[str, str]) -> None:
    body = Client().get("/api/geocode/", {"address": "xa Duy Vinh", "on": "2025-08-01"}).json()
    assert (body["unit_code"], body["unit_name"], body["method"]) == (
        "20599",
        "Xã Nam Phước",
        "crosswalk",
    )


def test_openapi_schema(demo: dict[str, str]) -> None:
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/admin-units/", "/api/facilities/", "/api/geocode/"} <= set(paths)
