"""Lists page by limit/offset: a bad number is a 400 naming it (never a 500 from the database),
a page holds at most MAX_PAGE rows, and GeoJSON pages are streamed as a FeatureCollection."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from gisioc.geo.demo import users_demo_load
from gisioc.geo.selectors import facilities_list
from gisioc.pagination import MAX_PAGE, GeoJsonLimitOffsetPagination, LimitOffset
from tests.bodies import json_body

pytestmark = pytest.mark.django_db
LISTS = ["/api/boundary-versions/", "/api/ingest/runs/", "/api/facilities/", "/api/admin-units/"]
BAD = ["9223372036854775808", "99999999999999999999999", "-1", "abc", "NaN", "1.5", "١٢", " 3"]


@pytest.fixture
def staff(geo: None, tmp_path) -> Client:
    """A signed-in leader (ingest runs are for staff)."""
    users_demo_load(logins_file=tmp_path / "logins.json")
    client = Client()
    client.force_login(User.objects.get(username="lanhdao"))
    return client


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_a_bad_limit_or_offset_is_a_400_naming_it(staff: Client, url: str, name: str) -> None:
    for value in [*BAD, "0"] if name == "limit" else BAD:
        answer = staff.get(url, {name: value})
        assert answer.status_code == 400, (value, answer.content)
        assert name in answer.json()["fields"], (value, answer.json())


@pytest.mark.parametrize("url", LISTS)
def test_the_largest_offset_is_an_empty_page(staff: Client, url: str) -> None:
    body = json_body(staff.get(url, {"offset": str(2**63 - 1), "limit": str(2**63 - 1)}))
    assert body["next"] is None and not body.get("features", body.get("results"))


@pytest.mark.parametrize("paginator", [LimitOffset, GeoJsonLimitOffsetPagination])
def test_a_page_is_capped(paginator: type[LimitOffset]) -> None:
    request = Request(APIRequestFactory().get("/", {"limit": "50000"}))
    assert paginator().get_limit(request) == MAX_PAGE
    assert paginator().get_limit(Request(APIRequestFactory().get("/"))) <= MAX_PAGE


def test_geojson_pages_stream_and_follow_on_to_every_feature(geo: None) -> None:
    answer = Client().get("/api/facilities/", {"limit": 7})
    assert answer.streaming and answer["Content-Type"] == "application/json"
    body = json_body(answer)
    listed = facilities_list(kind=None, unit=None, closed=False)  # those in service
    assert list(body) == ["type", "count", "next", "previous", "features"]
    assert body["type"] == "FeatureCollection" and body["count"] == listed.count() > 7
    seen = [f["id"] for f in body["features"]]
    while body["next"]:
        body = json_body(Client().get(body["next"]))
        seen += [f["id"] for f in body["features"]]
    assert sorted(seen) == sorted(listed.values_list("pk", flat=True))
    last = json_body(Client().get("/api/facilities/", {"offset": body["count"]}))
    assert last["features"] == [] and last["count"] == body["count"]
