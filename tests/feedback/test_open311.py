"""Open311 GeoReport v2: every endpoint in JSON and XML (read back with the stdlib), the
filters and pages of requests, posting by form and multipart with a client's key, the spec's
error list with its statuses, and no personal data in any answer."""

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from gisioc.feedback import services
from gisioc.feedback.models import Report, ReportMedia
from gisioc.feedback.open311 import intake
from gisioc.feedback.open311.definitions import JURISDICTION
from gisioc.geo.models import AdminUnit, Facility
from gisioc.ingest.keys import source_key_create

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
Status = Report.Status
MARKUP = 'Ổ gà <b>to</b> & sâu > 20cm ]]> "đường"'


def _xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def _json(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def _error(response: Any, status: int) -> str:
    """The spec's error list (JSON or XML): one error with the status as its code."""
    assert response.status_code == status, response.content
    if response["Content-Type"].startswith("text/xml"):
        root = _xml(response)
        assert root.tag == "errors" and [e.tag for e in root] == ["error"]
        assert root.findtext("error/code") == str(status)
        return root.findtext("error/description") or ""
    body = _json(response)
    assert len(body) == 1 and body[0]["code"] == status
    return body[0]["description"]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def world(geo: None) -> dict[str, Any]:
    """Two communes, an agency, an Open311 client's key, and reports in every public state
    (and two the public never sees: received only, rejected)."""
    intake.buckets.clear()
    communes = list(
        AdminUnit.objects.filter(level="commune", version__slug="danang-2025").order_by("code")[:2]
    )
    here, there = (c.geom.point_on_surface for c in communes)
    agency = Facility.objects.filter(kind=Facility.Kind.AGENCY).order_by("code").first()
    officer = User.objects.create_user("canbo-o311", password="x")
    now = timezone.now()

    def report(category: str, point: Any, days_ago: float, **kw: Any) -> Report:
        return services.report_receive(
            category=category,
            description=kw.pop("description", f"Phản ánh {category} thử nghiệm"),
            channel="web",
            point=point,
            received_at=now - dt.timedelta(days=days_ago),
            reporter_name="Trần Thị Bí Mật",
            reporter_phone="0912000111",
            **kw,
        )

    assigned = report("duong_sa", here, 3, description=MARKUP)
    services.report_verify(report=assigned, actor=officer)
    assigned = services.report_assign(report=assigned, actor=officer, agency=agency)
    published = report("thoat_nuoc", there, 10)
    services.report_verify(report=published, actor=officer)
    services.report_assign(report=published, actor=officer, agency=agency)
    services.report_start(report=published, actor=officer)
    result = "Đã nạo vét cống, hết ngập."
    services.report_resolve(report=published, actor=officer, result=result)
    published = services.report_publish(report=published, actor=officer)
    received = report("duong_sa", here, 1)
    rejected = report("duong_sa", here, 2)
    services.report_reject(report=rejected, reason="spam", actor=officer)
    old = report("chieu_sang", here, 200)
    services.report_verify(report=old, actor=officer)
    _, key = source_key_create(system="feedback", source="open311-testapp")
    return {
        "assigned": assigned,
        "published": published,
        "received": received,
        "rejected": rejected,
        "old": old,
        "agency": agency,
        "communes": communes,
        "here": here,
        "there": there,
        "key": key,
        "officer": officer,
    }


def test_discovery_services_and_definitions_round_trip_in_json_and_xml(world: dict) -> None:
    client = Client()
    found = _json(client.get(f"{BASE}discovery.json"))
    endpoint = found["endpoints"][0]
    assert endpoint["url"] == "http://testserver/open311/v2" and endpoint["type"] == "production"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = _xml(client.get(f"{BASE}discovery.xml"))
    assert root.tag == "discovery" and root.findtext("changeset") == found["changeset"]
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == endpoint[
        "formats"
    ]
    assert _json(client.get(f"{BASE}discovery")) == found
    assert _xml(client.get(f"{BASE}discovery", {"format": "xml"})).tag == "discovery"

    listed = _json(client.get(f"{BASE}services.json"))
    codes = [s["service_code"] for s in listed]
    assert codes[:2] == ["duong_sa", "chieu_sang"] and "khac" in codes
    roads = listed[0]
    assert roads["service_name"] == "Giao thông, đường sá" and roads["type"] == "realtime"
    assert roads["metadata"] is True and "o ga" in roads["keywords"]
    english = _json(client.get(f"{BASE}services.json", {"locale": "en"}))
    assert english[0]["service_name"] == "Roads"
    assert (
        _json(client.get(f"{BASE}services.json", HTTP_ACCEPT_LANGUAGE="en-GB"))[0]["service_name"]
        == "Roads"
    )
    root = _xml(client.get(f"{BASE}services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == codes
    assert root.find("service/metadata").text == "true"

    defined = _json(client.get(f"{BASE}services/thoat_nuoc.json"))
    assert defined["service_code"] == "thoat_nuoc"
    severity, anonymous = defined["attributes"]
    assert severity["code"] == "severity" and severity["required"] is True
    assert severity["datatype"] == "singlevaluelist" and severity["order"] == 1
    assert [v["key"] for v in severity["values"]] == ["minor", "moderate", "severe"]
    assert anonymous["code"] == "anonymous" and anonymous["required"] is False
    root = _xml(client.get(f"{BASE}services/thoat_nuoc.xml"))
    assert root.tag == "service_definition"
    keys = root.findall("attributes/attribute/values/value/key")
    assert [k.text for k in keys] == ["minor", "moderate", "severe", "yes", "no"]
    assert root.findtext("attributes/attribute/required") == "true"
    lamps = _json(client.get(f"{BASE}services/chieu_sang.json"))["attributes"][0]
    assert lamps["datatype"] == "number" and "values" not in lamps

    assert "khong_co" in _error(client.get(f"{BASE}services/khong_co.json"), 404)
    _error(client.get(f"{BASE}services/khong_co.xml"), 404)
    response = client.get(f"{BASE}services.json")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_jurisdiction_method_and_unknown_paths_answer_the_spec_error_list(world: dict) -> None:
    client = Client()
    ours = client.get(f"{BASE}services.json", {"jurisdiction_id": JURISDICTION})
    assert ours.status_code == 200
    assert client.get(f"{BASE}services.json", {"jurisdiction_id": "testserver"}).status_code == 200
    assert "jurisdiction_id" in _error(
        client.get(f"{BASE}services.xml", {"jurisdiction_id": "nyc.gov"}), 404
    )
    response = client.delete(f"{BASE}services.xml")
    _error(response, 405)
    assert "GET" in response["Allow"]
    # The error middleware leaves the spec's XML alone (it rewrites other non-JSON errors).
    assert " / " in _error(client.get(f"{BASE}requests/PA-0000-NOPE.xml"), 404)


def test_requests_lists_public_reports_with_status_notes_and_no_hidden_ones(world: dict) -> None:
    client = Client()
    listed = _json(client.get(f"{BASE}requests.json"))
    ids = [r["service_request_id"] for r in listed]
    # Newest first; received-only and rejected reports and the 200-day-old one left out.
    assert ids == [world["assigned"].ticket, world["published"].ticket]
    assigned, published = listed
    agency = world["agency"]
    assert assigned["status"] == "open"
    assert assigned["status_notes"] == f"Đã chuyển {agency.name} xử lý"
    assert assigned["agency_responsible"] == agency.name
    assert assigned["address"] == world["communes"][0].name
    assert assigned["address_id"] == "" and assigned["zipcode"] == ""
    assert assigned["lat"] == pytest.approx(world["here"].y, abs=1e-5)
    assert assigned["long"] == pytest.approx(world["here"].x, abs=1e-5)
    assert assigned["description"] == MARKUP
    assert assigned["service_name"] == "Giao thông, đường sá"
    assert assigned["requested_datetime"].endswith("+07:00")
    due = world["assigned"].due_on.isoformat()
    assert assigned["expected_datetime"] == f"{due}T23:59:59+07:00"
    assert assigned["media_url"] == ""
    assert published["status"] == "closed"
    assert published["status_notes"] == "Đã nạo vét cống, hết ngập."
    english = _json(client.get(f"{BASE}requests.json", {"locale": "en"}))
    assert english[0]["status_notes"] == f"Forwarded to {agency.name}"

    root = _xml(client.get(f"{BASE}requests.xml"))
    assert root.tag == "service_requests"
    requests = root.findall("request")
    assert [r.findtext("service_request_id") for r in requests] == ids
    assert requests[1].findtext("status") == "closed"
    assert requests[0].findtext("description") == MARKUP  # escaped, read back as written
    assert float(requests[0].findtext("lat")) == pytest.approx(world["here"].y, abs=1e-5)
    assert requests[0].findtext("status_notes") == f"Đã chuyển {agency.name} xử lý"

    one = _json(client.get(f"{BASE}requests/{world['published'].ticket}.json"))
    assert one == [published]
    root = _xml(client.get(f"{BASE}requests/{world['published'].ticket}.xml"))
    assert root.findtext("request/status_notes") == "Đã nạo vét cống, hết ngập."
    for hidden in ("received", "rejected"):
        _error(client.get(f"{BASE}requests/{world[hidden].ticket}.json"), 404)
        _error(client.get(f"{BASE}requests/{world[hidden].ticket}.xml"), 404)


def _ids(client: Client, **params: Any) -> list[str]:
    response = client.get(f"{BASE}requests.json", params)
    assert response.status_code == 200, response.content
    return [r["service_request_id"] for r in json.loads(response.content)]


def test_requests_filters_and_pages(world: dict) -> None:
    client = Client()
    a, p, old = world["assigned"].ticket, world["published"].ticket, world["old"].ticket
    hidden = world["received"].ticket
    assert _ids(client, service_request_id=f"{old},{p},{hidden}") == [p, old]
    assert _ids(client, service_code="thoat_nuoc") == [p]
    assert _ids(client, service_code="thoat_nuoc,duong_sa") == [a, p]
    assert _ids(client, status="open") == [a]
    assert _ids(client, status="closed") == [p]
    assert _ids(client, status="open,closed") == [a, p]
    now = timezone.now()
    assert _ids(client, start_date=(now - dt.timedelta(days=5)).isoformat()) == [a]
    assert _ids(client, end_date=(now - dt.timedelta(days=5)).isoformat()) == [p]
    start = (now - dt.timedelta(days=300)).date().isoformat()
    assert _ids(client, start_date=start, end_date=now.date().isoformat()) == [a, p, old]
    assert _ids(client, lat=world["here"].y, long=world["here"].x, radius=50) == [a]
    assert _ids(client, lat=world["there"].y, long=world["there"].x, radius=50) == [p]
    x, y = world["there"].x, world["there"].y
    assert _ids(client, bbox=f"{x - 0.001},{y - 0.001},{x + 0.001},{y + 0.001}") == [p]
    assert _ids(client, page_size=1) == [a]
    assert _ids(client, page_size=1, page=2) == [p]
    assert _ids(client, page_size=1, page=3) == []
    for bad in (
        {"status": "pending"},
        {"start_date": "hôm qua"},
        {"service_code": "khong_co"},
        {"lat": "16"},
        {"lat": "91", "long": "108"},
        {"bbox": "1,2,3"},
        {"page_size": "5000"},
        {"start_date": now.isoformat(), "end_date": (now - dt.timedelta(days=1)).isoformat()},
    ):
        _error(client.get(f"{BASE}requests.json", bad), 400)
        _error(client.get(f"{BASE}requests.xml", bad), 400)


def _post(client: Client, key: str, fmt: str = "json", **fields: Any) -> Any:
    data = {"api_key": key, "service_code": "duong_sa", "description": "Ổ gà lớn giữa đường."}
    return client.post(f"{BASE}requests.{fmt}", {**data, **fields})


def test_posting_a_request_by_form_and_following_it_by_token(world: dict) -> None:
    client = Client(enforce_csrf_checks=True)
    here = world["here"]
    response = _post(
        client,
        world["key"],
        lat=here.y,
        long=here.x,
        **{"attribute[severity]": "severe", "attribute[anonymous]": "no"},
        media_url="https://example.org/o-ga.jpg",
        device_id="abc",
        account_id="42",
    )
    assert response.status_code == 200, response.content
    (posted,) = _json(response)
    assert set(posted) == {"service_request_id", "token", "service_notice", "account_id"}
    report = Report.objects.get(ticket=posted["service_request_id"])
    assert report.channel == "open311" and report.source == "open311-testapp"
    assert report.external_id == posted["token"] and report.status == Status.RECEIVED
    assert report.unit_id == world["communes"][0].pk and report.anonymous is False
    assert "Mức độ hư hỏng: Nặng, nguy hiểm" in report.public_text
    assert report.events.filter(note__contains="https://example.org/o-ga.jpg").exists()
    assert posted["service_notice"] == "Thời hạn xử lý 10 ngày làm việc."

    token = _json(client.get(f"{BASE}tokens/{posted['token']}.json"))
    assert token == [{"service_request_id": report.ticket, "token": posted["token"]}]
    root = _xml(client.get(f"{BASE}tokens/{posted['token']}.xml"))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == report.ticket
    assert root.findtext("request/token") == posted["token"]
    _error(client.get(f"{BASE}tokens/nope.xml"), 404)
    # Not public until verified; then listed, open.
    _error(client.get(f"{BASE}requests/{report.ticket}.json"), 404)
    services.report_verify(report=report, actor=world["officer"])
    (shown,) = _json(client.get(f"{BASE}requests/{report.ticket}.json"))
    assert shown["status"] == "open" and shown["service_code"] == "duong_sa"

    # XML answer, and an address instead of coordinates.
    commune = world["communes"][1]
    response = _post(client, world["key"], "xml", address_string=f"Thôn 3, {commune.name}")
    root = _xml(response)
    assert root.tag == "service_requests" and root.find("request/token") is not None
    report = Report.objects.get(ticket=root.findtext("request/service_request_id"))
    assert report.unit_id == commune.pk and report.geom is None


def test_posting_with_a_photo_stores_it_through_the_media_store(world: dict) -> None:
    client = Client()
    here = world["here"]
    photo = SimpleUploadedFile("o-ga.jpg", _jpeg(), content_type="image/jpeg")
    data = {"api_key": world["key"], "service_code": "duong_sa", "description": "Ổ gà."}
    response = client.post(
        f"{BASE}requests.json", {**data, "lat": here.y, "long": here.x, "media": photo}
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get(ticket=_json(response)[0]["service_request_id"])
    media = ReportMedia.objects.get(report=report)
    assert media.kind == "photo" and media.stage == "report" and media.content_type == "image/jpeg"
    services.report_verify(report=report, actor=world["officer"])
    (shown,) = _json(client.get(f"{BASE}requests/{report.ticket}.json"))
    name = media.file.rsplit("/", 1)[-1]
    assert shown["media_url"] == f"http://testserver/api/feedback/media/{name}"
    # A fake image is refused before anything is written.
    fake = SimpleUploadedFile("x.jpg", b"<html><script>alert(1)</script></html>")
    before = Report.objects.count()
    response = client.post(
        f"{BASE}requests.xml", {**data, "lat": here.y, "long": here.x, "media": fake}
    )
    assert response.status_code in (400, 415) and Report.objects.count() == before
    _error(response, response.status_code)


def test_posting_errors_are_the_spec_list_with_their_status(world: dict) -> None:
    client = Client()
    here = {"lat": world["here"].y, "long": world["here"].x}
    key = world["key"]
    before = Report.objects.count()
    assert "api_key" in _error(client.post(f"{BASE}requests.json", {"service_code": "khac"}), 403)
    _error(_post(client, "deadbeef.wrong", **here), 403)
    _error(_post(client, "", "xml", **here), 403)
    _, other = source_key_create(system="feedback", source="zalo-oa")
    _error(_post(client, other, **here), 403)
    _error(_post(client, key, service_code="khong_co", **here), 404)
    assert "lat" in _error(_post(client, key), 400)
    _error(_post(client, key, address_string="Sao Hỏa"), 400)
    _error(_post(client, key, "xml", lat="abc", long="108"), 400)
    assert "outside" in _error(_post(client, key, lat="21.03", long="105.85"), 400)
    assert "severity" in _error(_post(client, key, **here, **{"attribute[severity]": "x"}), 400)
    assert "severity" in _error(_post(client, key, "xml", service_code="thoat_nuoc", **here), 400)
    _error(_post(client, key, **here, **{"attribute[color]": "red"}), 400)
    lamps = {"service_code": "chieu_sang", "attribute[lamps]": "0"}
    _error(_post(client, key, **here, **lamps), 400)
    _error(_post(client, key, **here, description="x" * 4001), 400)
    assert Report.objects.count() == before
    lamps["attribute[lamps]"] = "3"
    assert _post(client, key, **here, **lamps).status_code == 200
    # A key in the URL is not taken: URLs end up in access logs.
    data = {"service_code": "khac", "description": "Khác.", **here}
    _error(client.post(f"{BASE}requests.json?api_key={key}", data), 403)


def test_posting_is_rate_limited_per_address(world: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "BURST", 2)
    client = Client()
    here = {"lat": world["here"].y, "long": world["here"].x}
    assert _post(client, world["key"], **here).status_code == 200
    assert _post(client, world["key"], **here).status_code == 200
    response = _post(client, world["key"], "xml", **here)
    _error(response, 429)
    assert int(response["Retry-After"]) >= 1


def test_no_personal_data_in_any_answer(world: dict) -> None:
    """Post with a name, phone, e-mail and street address; take the report to published; no
    endpoint, in JSON or XML, shows any of them or the description as written."""
    client = Client()
    here = world["here"]
    secrets_ = {
        "first_name": "Nguyễn Văn",
        "last_name": "Riêngtư",
        "email": "rieng.tu@example.vn",
        "phone": "0905123456",
        "address_string": "Số 12 kiệt 45 đường Bí Mật",
    }
    description = "Cống tắc trước nhà, gọi 0905 123 456 hoặc rieng.tu@example.vn."
    response = _post(client, world["key"], lat=here.y, long=here.x, description=description,
                     **secrets_)  # fmt: skip
    (posted,) = _json(response)
    report = Report.objects.get(ticket=posted["service_request_id"])
    assert report.reporter_email == secrets_["email"] and report.address_text
    officer, agency = world["officer"], world["agency"]
    services.report_verify(report=report, actor=officer)
    services.report_assign(report=report, actor=officer, agency=agency)
    services.report_resolve(report=report, actor=officer, result="Đã thông cống.")
    services.report_publish(report=report, actor=officer)
    report.refresh_from_db()
    forbidden = [*secrets_.values(), "Riêngtư", "0905 123 456", report.description]
    forbidden += [world["assigned"].reporter_name, "0912000111"]
    urls = [
        "discovery",
        "services",
        "services/duong_sa",
        "requests",
        f"requests/{report.ticket}",
        f"tokens/{posted['token']}",
    ]
    seen = [response.content.decode()]
    for url in urls:
        for fmt in ("json", "xml"):
            answer = client.get(f"{BASE}{url}.{fmt}")
            assert answer.status_code == 200, url
            seen.append(answer.content.decode())
    assert report.ticket in seen[4 * 2 + 1]  # the request itself was answered
    for text in seen:
        for value in forbidden:
            assert value not in text
