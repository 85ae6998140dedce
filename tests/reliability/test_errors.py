"""One error path: every error under /api/, /tiles/, /open311/ is JSON in one shape, bad query
strings and numbers are a 400 naming the field (never a 500), and every 5xx is logged with the
request id its answer carries."""

import json
import logging
import uuid

import pytest
from django.test import Client
from rest_framework import exceptions as drf

from gisioc import errors
from gisioc.errors import api_exception_handler
from gisioc.geo.models import Role
from tests.geo.factories import signed_in

BIG = "99999999999999999999"  # past bigint

# (url, the field the 400 names): each answered 500 or ignored the parameter before.
BAD_INPUT = [
    ("/api/public-services/kpis/?office=%00", "office"),
    ("/api/documents/kpis/?agency=%00", "agency"),
    ("/api/admin-units/?level=%00", "level"),
    ("/api/admin-units/?version=%00", "version"),
    ("/api/geocode/?facility=%00", "facility"),
    ("/api/search/?q=a%00b", "q"),
    ("/api/search/?q%00=a", "q\\x00"),
    ("/api/search/?q=%ED%A0%80", "q"),  # a lone surrogate, as UTF-8 encodes it
    ("/api/search/?q=%FF%FE", "q"),  # not UTF-8 at all
    ("/api/public-services/dossiers/?status=%00", "status"),
    ("/api/documents/documents/?agency=a%00", "agency"),
    ("/api/ingest/runs/?source=%00", "source"),
    ("/api/nearby/?lon=108.2&lat=16%00", "lat"),
    ("/tiles/admin-units/9/408/229.mvt?version=%00", "version"),
    ("/tiles/style.json?x=%00", "x"),
    ("/?q=%00", "q"),  # the map page too
    (f"/api/public-services/kpis/?unit={BIG}", "unit"),
    (f"/api/documents/documents/?unit={BIG}", "unit"),
    (f"/api/facilities/?unit={BIG}", "unit"),
    ("/api/facilities/?unit=%C2%B2", "unit"),  # '²' is a digit to str.isdigit, not to int()
    (f"/api/search/?q=hoa&limit={BIG}", "limit"),
    ("/api/geocode/?lon=NaN&lat=15.8", "lon"),
    ("/api/geocode/?lon=108.2&lat=Infinity", "lat"),
    ("/api/geocode/?lon=1e999&lat=15.8", "lon"),
    ("/api/nearby/?lon=nan&lat=15.8", "lon"),
    (f"/api/nearby/?lon=108.2&lat=15.8&limit={BIG}", "limit"),
    ("/tiles/legend/facilities-per-commune.json?classes=NaN", "classes"),
    ("/tiles/legend/facilities-per-commune.json?method=manual&breaks=1,inf", "breaks"),
    ("/api/admin-units/?bbox=abc", "bbox"),  # undeclared: answered the whole list before
    ("/api/public-services/dossiers/?bbox=1,2,3,4", "bbox"),
    ("/api/public-services/kpis/?by=nothing", "by"),
    ("/api/admin-units/?level=planet", "level"),
    ("/api/profiles/district/?unit=1", "unit"),
    ("/api/admin-units/?offset=-1", "offset"),  # below the schema's minimum
]


@pytest.fixture
def staff(db: None) -> Client:
    """A district leader, signed in (reads every list)."""
    return signed_in("lanhdao-errors", Role.LEADER)


def _error(response, status: int) -> dict:
    """The body of an error answer, checked for the one shape."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"error", "message", "vi", "en", "request_id"} <= set(body)
    assert body["message"] in (body["vi"], body["en"])
    assert response["X-Request-ID"] == body["request_id"]
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "staff"])
@pytest.mark.parametrize(("url", "field"), BAD_INPUT)
def test_bad_input_is_a_400_naming_the_field(
    who: str, url: str, field: str, request: pytest.FixtureRequest
) -> None:
    client = request.getfixturevalue("staff") if who == "staff" else Client()
    body = _error(client.get(url), 400)
    assert body["error"] == "invalid"
    assert field in body["fields"], body
    assert body["fields"][field] and all(isinstance(m, str) for m in body["fields"][field])


@pytest.mark.django_db
def test_declared_parameters_and_pagination_still_pass(staff: Client) -> None:
    for url in (
        "/api/boundary-versions/?limit=5000",  # what the map app asks
        "/api/admin-units/?level=commune&limit=1&offset=0&format=json",
        "/api/search/?q=h%E1%BB%99i%20an&limit=8",
        "/api/public-services/kpis/?period=2026&by=field&unit=",
        "/api/geocode/?lon=108.2&lat=15.8",
        "/tiles/style.json",
    ):
        assert staff.get(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/no-such-thing/",
        "/api/admin-units/nope/extra/",
        "/open311/v2/nothing.json",
        "/tiles/admin-units/-1/0/0.mvt",
        "/tiles/admin-units/1.5/0/0.mvt",
        "/tiles/admin-units/1/0/-1.mvt",
        "/tiles/nope.json",
        "/tiles/sprites/sprite%00.json",
        "/api/ingest/public-services%00/batches/",
    ],
)
def test_unknown_urls_are_json_404s(url: str) -> None:
    body = _error(Client(headers={"Accept-Language": "en"}).get(url), 404)
    assert body["error"] == "not_found" and body["message"] == body["en"]


@pytest.mark.django_db
def test_pages_keep_their_html_404() -> None:
    page = Client().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_out_of_range_ids_in_the_path_are_404s() -> None:
    for url in (f"/api/admin-units/{BIG}/", f"/api/profiles/units/{BIG}/"):
        assert _error(Client().get(url), 404)["error"] == "not_found", url


@pytest.mark.django_db
def test_a_method_a_url_refuses_is_a_json_405_with_allow() -> None:
    for url in ("/api/search/", "/tiles/style.json"):
        response = Client().post(url)
        assert _error(response, 405)["error"] == "method_not_allowed"
        assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_a_write_without_its_csrf_token_is_a_json_403(staff: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = staff.cookies
    body = _error(strict.post("/api/boundary-versions/import/"), 403)
    assert body["error"] == "forbidden" and body["en"] == errors.BY_STATUS[403][2]


@pytest.mark.django_db
def test_messages_follow_the_language_vietnamese_by_default() -> None:
    vi = _error(Client().get("/api/search/?q=%00"), 400)
    en = _error(Client(headers={"Accept-Language": "en"}).get("/api/search/?q=%00"), 400)
    assert vi["message"] == vi["vi"] and en["message"] == en["en"] != vi["vi"]


@pytest.mark.django_db
def test_a_sane_request_id_is_kept_and_another_replaced() -> None:
    kept = Client(headers={"X-Request-ID": "lb-1234.abc"}).get("/api/nope/")
    assert kept["X-Request-ID"] == kept.json()["request_id"] == "lb-1234.abc"
    for given in ("bad id", "x" * 300, "<script>"):
        made = Client(headers={"X-Request-ID": given}).get("/api/nope/")
        assert made.json()["request_id"] != given and len(made.json()["request_id"]) == 32


SECRET = "SELECT secret FROM /tmp/tmpabc123/x.shp"


def _explode(*args: object, **kwargs: object) -> None:
    raise RuntimeError(SECRET)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/api/search/?q=hoa", "gisioc.search.api.search"),  # a DRF view
        ("/tiles/style.json", "tiles.views.style_body"),  # a plain Django view
    ],
)
def test_a_fault_is_a_json_500_logged_with_its_request_id(
    url: str, target: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(target, _explode)
    with caplog.at_level(logging.INFO, logger="gisioc.errors"):
        response = Client(raise_request_exception=False).get(url)
    body = _error(response, 500)
    assert body["error"] == "server_error" and body["request_id"] in body["message"]
    for leak in ("secret", "RuntimeError", "Traceback", "/tmp/"):
        assert leak not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "gisioc.errors"]
    assert body["request_id"] in record.getMessage() and record.exc_info[1].args == (SECRET,)
    assert "q=" not in record.getMessage()  # query strings may hold a citizen's name


@pytest.mark.django_db
def test_a_fault_on_a_page_keeps_the_html_500(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("gisioc.web.views.render", _explode)
    with caplog.at_level(logging.INFO, logger="gisioc.errors"):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500 and response["Content-Type"].startswith("text/html")
    [record] = [r for r in caplog.records if r.name == "gisioc.errors"]
    assert response["X-Request-ID"] in record.getMessage()


def _drf_body(exc: Exception) -> tuple[int, dict, dict]:
    response = api_exception_handler(exc, {})
    return response.status_code, dict(response.items()), json.loads(response.content)


def test_drf_errors_take_the_one_shape_in_both_languages() -> None:
    status, _, body = _drf_body(
        drf.ValidationError({"name": ["Required."], "rows": [{"x": ["Bad."]}]})
    )
    assert status == 400 and body["fields"] == {"name": ["Required."], "rows.0.x": ["Bad."]}
    assert body["vi"] != body["en"] and "name" in body["en"]
    status, headers, body = _drf_body(drf.Throttled(wait=7))
    assert (status, headers["Retry-After"], body["error"]) == (429, "7", "throttled")
    for exc, status, code in [
        (drf.NotAuthenticated(), 401, "unauthorized"),
        (drf.PermissionDenied(), 403, "forbidden"),
        (drf.NotFound(), 404, "not_found"),
        (drf.MethodNotAllowed("PUT"), 405, "method_not_allowed"),
        (drf.ParseError(), 400, "invalid"),
        (drf.UnsupportedMediaType("text/xml"), 415, "unsupported_media_type"),
    ]:
        got, _, body = _drf_body(exc)
        assert (got, body["error"]) == (status, code) and body["vi"] and body["en"]
    assert api_exception_handler(RuntimeError("x"), {}) is None  # a fault: ErrorMiddleware


@pytest.mark.django_db
def test_signed_out_lists_answer_forbidden_in_the_one_shape() -> None:
    # Sessions name no WWW-Authenticate challenge, so signed out is a 403 without one.
    response = Client().get("/api/public-services/dossiers/")
    body = _error(response, 403)
    assert body["error"] == "forbidden" and not response.has_header("WWW-Authenticate")


def test_a_generic_error_keeps_its_status() -> None:
    for status in (400, 404, 409, 410, 502, 503):
        error = errors.error_of_status(status)
        assert error.status == status and error.vi and error.en
    assert errors.error_of_status(502).code == "server_error"


def test_error_fields_and_request_ids_render() -> None:
    token = errors._request_id.set(uuid.uuid4().hex)
    try:
        body = errors.InvalidInput("sai", "wrong", field="x").as_dict("en")
    finally:
        errors._request_id.reset(token)
    assert body["fields"] == {"x": ["wrong"]} and body["message"] == "wrong"
    assert len(body["request_id"]) == 32
