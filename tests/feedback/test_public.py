"""The public's side: filing with a proof of a human, limits per address and per phone,
"is it one of these?", following, tracking without personal data, rating once with the
receipt's secret, the public list and counts, and the pages."""

import datetime as dt
import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.test import Client
from PIL import Image

from gisioc.feedback import human, public_api, services
from gisioc.feedback.models import Report, ReportEvent, ReportMedia
from gisioc.geo.models import Facility
from gisioc.periods import VIETNAM
from gisioc.web import views
from tests.bodies import json_body

pytestmark = pytest.mark.django_db
NAM_PHUOC = (108.258, 15.843)
NAME, PHONE, EMAIL = "Trần Thị Bích Ngọc", "0987654321", "bichngoc.tran@example.vn"
ADDRESS = "Số 17 đường Hùng Vương, khối phố Mỹ Hòa"
DESCRIPTION = "Đèn đường trước chợ Nam Phước tắt ba đêm liền, gọi 0987 654 321 nếu cần."
API = "/api/feedback/"


@pytest.fixture(autouse=True)
def _fresh(settings: Any, tmp_path: Path) -> None:
    """No challenge or limit carried over between tests; media in the test's own folder."""
    settings.GISIOC_MEDIA_DIR = tmp_path / "media"
    cache.clear()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _solved(client: Client) -> dict[str, str]:
    """A fresh challenge, answered right (the test reads the English words)."""
    body = client.get(API + "challenge/").json()
    words = body["question"]["en"].removeprefix("What is ").removesuffix("?").split(" plus ")
    answer = sum(human.EN_WORDS.index(w) for w in words)
    assert any(ch.isdigit() for ch in body["question"]["vi"] + body["question"]["en"]) is False
    return {"challenge": body["token"], "answer": str(answer)}


def _form(client: Client, **changes: Any) -> dict[str, Any]:
    form = {
        "category": "chieu_sang",
        "description": DESCRIPTION,
        "lon": str(NAM_PHUOC[0]),
        "lat": str(NAM_PHUOC[1]),
        "address": ADDRESS,
        "name": NAME,
        "phone": PHONE,
        "email": EMAIL,
        **_solved(client),
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def _file(client: Client, ip: str = "10.0.0.1", **changes: Any) -> Any:
    return client.post(API + "public/reports/", _form(client, **changes), REMOTE_ADDR=ip)


def _report(lon: float, lat: float, *, category: str = "chieu_sang", verify: bool = True) -> Report:
    report = services.report_receive(
        category=category,
        description=DESCRIPTION,
        channel="hotline",
        point=Point(lon, lat, srid=4326),
        address=ADDRESS,
        reporter_name=NAME,
        reporter_phone=PHONE,
        reporter_email=EMAIL,
    )
    return services.report_verify(report=report, actor=None) if verify else report


def _published(report: Report) -> Report:
    agency = Facility.objects.create(kind=Facility.Kind.AGENCY, code="DL-QN", name="Điện lực QN")
    report = services.report_assign(report=report, actor=None, agency=agency)
    report = services.report_resolve(report=report, result="Đã thay bóng đèn.", actor=None)
    return services.report_publish(report=report, actor=None)


def _personal_in(text: str) -> list[str]:
    return [v for v in (NAME, PHONE, "0987 654 321", EMAIL, ADDRESS, DESCRIPTION) if v in text]


def test_a_report_with_a_photo_and_a_right_answer_is_filed(geo: None, client: Client) -> None:
    photo = io.BytesIO(_jpeg())
    photo.name = "den.jpg"
    answer = _file(client, photos=photo, anonymous="false", phone="+84 987 654 321")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    report = Report.objects.get(ticket=body["ticket"])
    assert body["tracking_url"] == f"/phan-anh/{report.ticket}/?k={body['secret']}"
    assert report.receipt_hash == hashlib.sha256(body["secret"].encode()).hexdigest()
    assert (report.channel, report.status, report.reporter_phone) == ("web", "received", PHONE)
    assert report.unit_id is not None and report.anonymous is False
    assert report.address_text == ADDRESS and "[đã ẩn]" in report.public_text
    assert ReportMedia.objects.filter(report=report, kind="photo").count() == 1


def test_a_refused_file_refuses_the_whole_report(geo: None, client: Client) -> None:
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "anh.jpg"
    answer = _file(client, photos=fake)
    assert answer.status_code in (400, 415), answer.content
    assert "anh.jpg" in answer.json()["vi"]
    assert not Report.objects.exists() and not ReportMedia.objects.exists()


def test_missing_wrong_reused_and_expired_challenges_are_refused(
    geo: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = _file(client, challenge=None, answer=None)
    assert missing.status_code == 403 and "câu hỏi kiểm tra" in missing.json()["vi"]
    solved = _solved(client)
    wrong = _file(client, challenge=solved["challenge"], answer=str(int(solved["answer"]) + 1))
    assert wrong.status_code == 403 and "chưa đúng" in wrong.json()["vi"]
    # The same token, now with the right answer: used up by the wrong try.
    again = _file(client, **solved)
    assert again.status_code == 403 and "đã được dùng" in again.json()["vi"]
    assert _file(client, answer="bad", challenge="forged.token").status_code == 403
    monkeypatch.setattr(human, "CHALLENGE_TTL_S", -1)
    expired = _file(client)
    assert expired.status_code == 403 and "hết hạn" in expired.json()["vi"]
    assert not Report.objects.exists()
    monkeypatch.undo()
    solved = _solved(client)
    assert _file(client, **solved).status_code == 201
    assert _file(client, **solved).status_code == 403  # once only
    assert Report.objects.count() == 1


def test_limits_per_address_and_per_phone(geo: None, client: Client) -> None:
    phones = [f"09123400{n:02d}" for n in range(6)]
    for n in range(human.REPORTS_PER_IP.count):
        assert _file(client, ip="10.0.0.9", phone=phones[n]).status_code == 201
    refused = _file(client, ip="10.0.0.9", phone=phones[5])
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "địa chỉ mạng" in refused.json()["vi"] and "in an hour" in refused.json()["en"]
    for n in range(human.REPORTS_PER_PHONE.count - 1):  # phones[0] filed once already
        assert _file(client, ip=f"10.1.0.{n}", phone=phones[0]).status_code == 201
    by_phone = _file(client, ip="10.2.0.1", phone="+84912340000")
    assert by_phone.status_code == 429 and "số điện thoại này" in by_phone.json()["vi"]
    assert Report.objects.count() == 5 + 2
    # The limit's keys never hold the phone itself.
    assert human.phone_key(PHONE) != PHONE and PHONE not in human.phone_key(PHONE)


@pytest.mark.parametrize("phone", ["12345", "0212345678", "091234567", "+1 912 345 678", ""])
def test_a_phone_that_is_not_a_vietnamese_mobile_is_refused(
    geo: None, client: Client, phone: str
) -> None:
    answer = _file(client, phone=phone)
    assert answer.status_code == 400 and "phone" in answer.json()["fields"]
    assert not Report.objects.exists()


def test_place_is_required_and_inside_the_area(geo: None, client: Client) -> None:
    none = _file(client, lon="", lat="", address="")
    assert none.status_code == 400 and "vị trí" in none.json()["vi"]
    outside = _file(client, lon="105.85", lat="21.03", address="")
    assert outside.status_code == 400 and "ngoài địa bàn" in outside.json()["vi"]
    assert not Report.objects.exists()


def test_nearby_lists_open_public_reports_of_the_category_within_300_m(
    geo: None, client: Client
) -> None:
    lon, lat = NAM_PHUOC
    near = _report(lon, lat + 0.0009)  # ~100 m north
    nearer = _report(lon + 0.0005, lat)  # ~54 m east
    _report(lon, lat + 0.009)  # ~1 km
    _report(lon, lat + 0.0005, category="duong_sa")  # another category
    _report(lon, lat + 0.0003, verify=False)  # not public yet
    closed = _published(_report(lon, lat + 0.0002))  # done, nothing to follow
    params = {"category": "chieu_sang", "lon": lon, "lat": lat}
    found = client.get(API + "nearby/", params).json()
    assert [r["ticket"] for r in found] == [nearer.ticket, near.ticket]
    assert 40 < found[0]["distance_m"] < 70 and 80 < found[1]["distance_m"] < 120
    assert closed.ticket not in json.dumps(found) and not _personal_in(json.dumps(found))
    assert (
        client.get(API + "nearby/", {"category": "nope", "lon": lon, "lat": lat}).status_code == 400
    )


def test_follow_counts_and_needs_a_challenge(geo: None, client: Client) -> None:
    report = _report(*NAM_PHUOC)
    url = f"{API}public/reports/{report.ticket}/follow/"
    assert client.post(url, {}).status_code == 403
    assert client.post(url, _solved(client)).json()["followers"] == 1
    assert client.post(url, _solved(client), content_type="application/json").status_code == 200
    report.refresh_from_db()
    assert report.followers == 2
    assert report.events.filter(action=ReportEvent.Action.FOLLOW).count() == 2
    _published(report)
    assert client.post(url, _solved(client)).status_code == 409
    unknown = f"{API}public/reports/PA-2612-ZZZZZZ/follow/"
    assert client.post(unknown, _solved(client)).status_code == 404


def test_tracking_shows_public_steps_only_and_no_personal_data(geo: None, client: Client) -> None:
    report = _report(*NAM_PHUOC, verify=False)
    waiting = client.get(f"{API}track/{report.ticket}/").json()
    assert waiting["verified"] is False and waiting["public_text"] == ""
    assert waiting["waiting"]["vi"].startswith("Nội dung đang chờ xác minh")
    report = _published(services.report_verify(report=report, actor=None))
    services.report_event_add(report, "moderate", note="Ghi chú nội bộ: gọi anh Bình")
    answer = client.get(f"{API}track/{report.ticket}/")
    body = answer.json()
    text = answer.content.decode()
    assert not _personal_in(text) and "anh Bình" not in text
    actions = [s["action"] for s in body["steps"]]
    assert actions == ["receive", "verify", "assign", "publish"]  # resolve is not public
    assert body["steps"][2]["agency"] == "Điện lực QN"
    assert body["result"] == "Đã thay bóng đèn." and body["can_rate"] is True
    assert body["may_rate"] is False and body["status_label"]["en"] == "Result published"
    assert "[đã ẩn]" in body["public_text"]
    assert client.get(f"{API}track/PA-2612-ZZZZZZ/").status_code == 404


def test_merged_and_rejected_reports_say_so(geo: None, client: Client) -> None:
    main = _report(*NAM_PHUOC)
    dup = services.report_merge(report=_report(*NAM_PHUOC), into=main, actor=None)
    assert client.get(f"{API}track/{dup.ticket}/").json()["merged_into"] == main.ticket
    spam = services.report_reject(report=_report(*NAM_PHUOC), reason="spam", actor=None, note="x")
    body = client.get(f"{API}track/{spam.ticket}/").json()
    assert body["rejection"]["vi"] == "Tin rác" and body["public_text"] == ""


def test_rating_needs_the_receipt_secret_and_happens_once(geo: None, client: Client) -> None:
    filed = _file(client).json()
    report = Report.objects.get(ticket=filed["ticket"])
    url = f"{API}track/{report.ticket}/rate/"
    early = client.post(url, {"satisfied": True, "k": filed["secret"]}, "application/json")
    assert early.status_code == 409
    _published(services.report_verify(report=report, actor=None))
    wrong = client.post(url, {"satisfied": True, "k": "guess"}, "application/json")
    assert wrong.status_code == 403
    tracked = client.get(f"{API}track/{report.ticket}/", {"k": filed["secret"]}).json()
    assert tracked["may_rate"] is True
    right = client.post(url, {"satisfied": False, "k": filed["secret"]}, "application/json")
    assert right.status_code == 200 and right.json()["satisfied"] is False
    again = client.post(url, {"satisfied": True, "k": filed["secret"]}, "application/json")
    assert again.status_code == 409
    report.refresh_from_db()
    assert report.satisfied is False and report.rated_at is not None
    assert client.get(f"{API}track/{report.ticket}/").json()["can_rate"] is False


def test_writes_need_the_csrf_token_even_signed_out(geo: None) -> None:
    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(API + "public/reports/", _form(strict))
    assert answer.status_code == 403 and "CSRF" in answer.json()["vi"]
    strict.get("/phan-anh/")  # the page sets the cookie
    token = strict.cookies["csrftoken"].value
    ok = strict.post(API + "public/reports/", _form(strict), HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 201, ok.content


def test_the_public_list_and_counts_filter_and_carry_no_personal_data(
    geo: None, client: Client
) -> None:
    lon, lat = NAM_PHUOC
    light = _report(lon, lat)
    road = _report(lon + 0.01, lat, category="duong_sa")
    _report(lon, lat + 0.001, verify=False)  # received: not public
    old = _report(lon, lat + 0.002)
    Report.objects.filter(pk=old.pk).update(
        received_at=dt.datetime(2024, 3, 1, 9, tzinfo=VIETNAM), due_on=dt.date(2024, 3, 8)
    )
    answer = client.get(API + "public/reports/")
    body = json_body(answer)
    text = json.dumps(body, ensure_ascii=False)
    assert body["count"] == 3 and not _personal_in(text)
    assert {f["properties"]["ticket"] for f in body["features"]} == {
        light.ticket, road.ticket, old.ticket,
    }  # fmt: skip
    overdue = {f["properties"]["ticket"]: f["properties"]["overdue"] for f in body["features"]}
    assert overdue[old.ticket] is True and overdue[light.ticket] is False
    forbidden = {"reporter_name", "reporter_phone", "reporter_email", "description", "address"}
    assert not forbidden & set(body["features"][0]["properties"])

    def tickets(**params: Any) -> set[str]:
        page = json_body(client.get(API + "public/reports/", params))
        return {f["properties"]["ticket"] for f in page["features"]}

    assert tickets(category="duong_sa") == {road.ticket}
    assert tickets(period="2024") == {old.ticket}
    assert tickets(status="verified", category="chieu_sang") == {light.ticket, old.ticket}
    assert tickets(commune=light.unit_id) >= {light.ticket}
    assert tickets(bbox=f"{lon - 0.001},{lat - 0.001},{lon + 0.001},{lat + 0.0015}") == {
        light.ticket
    }
    assert len(tickets(limit=1)) == 1
    for bad in ({"status": "received"}, {"period": "20x4"}, {"bbox": "1,2,3"}, {"limit": "0"}):
        assert client.get(API + "public/reports/", bad).status_code == 400
    counts = client.get(API + "public/counts/").json()
    assert counts["total"] == 3 and not _personal_in(json.dumps(counts, ensure_ascii=False))
    unit = next(u for u in counts["units"] if u["unit_id"] == light.unit_id)
    assert unit["by_status"]["verified"] >= 2 and unit["name"]
    assert client.get(API + "public/counts/", {"category": "duong_sa"}).json()["total"] == 1


def test_categories_list_every_category_with_its_deadline(client: Client) -> None:
    body = client.get(API + "categories/").json()
    assert len(body) == 9 and body[0]["code"] == "duong_sa" and body[0]["days"] == 10
    assert body[0]["title"] == {"vi": "Giao thông, đường sá", "en": "Roads"}


def test_pages_render_with_the_citizen_bundle(
    client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "citizen.html": {
                    "file": "assets/citizen-1.js",
                    "css": ["assets/citizen-1.css"],
                    "imports": ["_maplibre.js"],
                },
                "_maplibre.js": {"file": "assets/maplibre.js", "css": ["assets/maplibre.css"]},
            }
        )
    )
    monkeypatch.setattr(views, "MANIFEST", manifest)
    report = _report(*NAM_PHUOC, verify=False)
    for url, marker in (
        ("/phan-anh/", 'id="send"'),
        (f"/phan-anh/{report.ticket}/", 'id="rate-yes"'),
        ("/phan-anh/ban-do/", 'id="public-map"'),
    ):
        answer = client.get(url)
        html = answer.content.decode()
        assert answer.status_code == 200, url
        assert '<script type="module" src="/static/assets/citizen-1.js">' in html
        # The library's styles first: the page's own rules win where both set a property.
        assert (
            0
            < html.index("/static/assets/maplibre.css")
            < html.index("/static/assets/citizen-1.css")
        )
        assert marker in html and "csrftoken" in answer.cookies
        assert not _personal_in(html)
    assert client.get("/phan-anh/PA-2612-ZZZZZZ/").status_code == 404
    lookup = client.get("/phan-anh/", {"ticket": report.ticket.lower()})
    assert lookup.status_code == 302 and lookup["Location"] == f"/phan-anh/{report.ticket}/"


def test_too_many_files_and_too_large_a_body_are_refused_clearly(
    geo: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos = []
    for n in range(6):
        photo = io.BytesIO(_jpeg())
        photo.name = f"p{n}.jpg"
        photos.append(photo)
    many = _file(client, photos=photos)
    assert many.status_code == 400 and "Tối đa 5 ảnh" in many.json()["vi"]
    monkeypatch.setattr(public_api, "MAX_BODY", 1000)
    photo = io.BytesIO(_jpeg() + b"\0" * 2000)
    photo.name = "big.jpg"
    big = _file(client, photos=photo)
    assert big.status_code == 413 and "quá lớn" in big.json()["vi"]
    assert not Report.objects.exists()


def test_questions_are_limited_per_address(client: Client) -> None:
    for _ in range(human.CHALLENGES_PER_IP.count):
        assert client.get(API + "challenge/", REMOTE_ADDR="10.3.0.1").status_code == 200
    refused = client.get(API + "challenge/", REMOTE_ADDR="10.3.0.1")
    assert refused.status_code == 429 and "câu hỏi kiểm tra" in refused.json()["vi"]
    assert client.get(API + "challenge/", REMOTE_ADDR="10.3.0.2").status_code == 200
