"""The staff's report API: who may read and act (public, planner, commune officer in and out of
scope, agency member), the whole workflow with its history, an extension across Tết, merging,
moderation, 1022 intake keeping the caller private, near-me, an agency's queue and the
overdue counts on a fixed day."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from gisioc.feedback import services, staff
from gisioc.feedback.models import AgencyMember, Report, ReportEvent, RoutingRule
from gisioc.geo.models import AdminUnit, Facility, Role, UserAccess
from gisioc.periods import VIETNAM

pytestmark = pytest.mark.django_db
Status = Report.Status
PHONE = "0905123456"
TODAY = dt.date(2026, 3, 2)  # a Monday


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
def world(geo: None, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Two agencies, a routing rule, users of each kind, places in and out of Thu Bồn."""
    monkeypatch.setattr(staff, "vietnam_today", lambda: TODAY)
    thu_bon = AdminUnit.objects.get(version__slug="danang-2025", code="20611")
    other = (
        AdminUnit.objects.filter(version__slug="danang-2025", level="commune")
        .exclude(pk=thu_bon.pk)
        .order_by("code")
        .first()
    )
    water = Facility.objects.create(kind=Facility.Kind.AGENCY, code="FB-NUOC", name="Cấp nước")
    roads = Facility.objects.create(kind=Facility.Kind.AGENCY, code="FB-DUONG", name="Giao thông")
    RoutingRule.objects.create(category="thoat_nuoc", agency=water)
    users = {}
    for name, role in [
        ("leader", Role.LEADER),
        ("planner", Role.PLANNER),
        ("officer", Role.COMMUNE_OFFICER),
        ("field", Role.FIELD_STAFF),
        ("member", None),
    ]:
        user = User.objects.create_user(name, password="x")
        if role:
            UserAccess.objects.create(user=user, role=role)
        users[name] = user
    users["officer"].access.units.set([thu_bon])
    AgencyMember.objects.create(user=users["member"], agency=water)
    inside = thu_bon.geom.point_on_surface
    outside = other.geom.point_on_surface
    return {"users": users, "water": water, "roads": roads, "inside": inside, "outside": outside}


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _report(point: Point, **kwargs: object) -> Report:
    values = {
        "category": "thoat_nuoc",
        "description": f"Cống tắc trước nhà, gọi {PHONE}.",
        "channel": "web",
        "point": point,
        "received_at": _at(2026, 2, 10, 9),
        "reporter_name": "Nguyễn Văn Bê",
        "reporter_phone": PHONE,
        "reporter_email": "be.nguyen@example.vn",
    } | kwargs
    return services.report_receive(**values)  # type: ignore[arg-type]


def _post(client: APIClient, ticket: str, action: str, data: dict | None = None):
    return client.post(f"/api/feedback/reports/{ticket}/{action}/", data or {}, format="json")


def test_the_public_is_refused_everything(world: dict) -> None:
    report = _report(world["inside"])
    public = _client(None)
    reads = ["reports/" + report.ticket + "/", "queue/?agency=FB-NUOC", "overdue/",
             "near/?lon=108.2&lat=15.8", "agencies/"]  # fmt: skip
    for url in reads:
        answer = public.get(f"/api/feedback/{url}")
        assert answer.status_code in (401, 403), url
        assert PHONE not in answer.content.decode()
    for action in staff.ACTIONS:
        assert _post(public, report.ticket, action).status_code in (401, 403)
    answer = public.post("/api/feedback/hotline/", {"category": "khac", "description": "x"})
    assert answer.status_code in (401, 403)
    assert not Report.objects.exclude(pk=report.pk).exists()
    report.refresh_from_db()
    assert report.status == Status.RECEIVED


def test_a_planner_reads_everything_and_does_nothing(world: dict) -> None:
    report = _report(world["outside"])
    planner = _client(world["users"]["planner"])
    detail = planner.get(f"/api/feedback/reports/{report.ticket}/").json()
    assert detail["reporter"] == {
        "name": "Nguyễn Văn Bê",
        "phone": PHONE,
        "email": "be.nguyen@example.vn",
    }
    assert detail["description"].endswith(f"{PHONE}.") and PHONE not in detail["public_text"]
    assert detail["actions"] == []
    answer = _post(planner, report.ticket, "verify")
    assert answer.status_code == 403 and answer.json()["en"]
    hotline = planner.post("/api/feedback/hotline/", {"category": "khac", "description": "x"})
    assert hotline.status_code == 403
    assert Report.objects.get(pk=report.pk).status == Status.RECEIVED


def test_a_commune_officer_acts_in_scope_only(world: dict) -> None:
    mine, theirs = _report(world["inside"]), _report(world["outside"])
    officer = _client(world["users"]["officer"])
    detail = officer.get(f"/api/feedback/reports/{mine.ticket}/").json()
    assert detail["actions"] == ["verify", "reject", "extend", "merge", "moderate"]
    answer = _post(officer, mine.ticket, "verify", {"note": "Đã gọi lại xác minh"})
    assert answer.status_code == 200 and answer.json()["status"] == Status.VERIFIED
    assert officer.get(f"/api/feedback/reports/{theirs.ticket}/").status_code == 404
    assert _post(officer, theirs.ticket, "verify").status_code == 404
    assert Report.objects.get(pk=theirs.pk).status == Status.RECEIVED
    # Merging into a report outside the scope is merging into one not found.
    merge = _post(officer, mine.ticket, "merge", {"into": theirs.ticket})
    assert merge.status_code == 404 and merge.json()["fields"]["into"]


def test_an_agency_member_works_its_agencys_reports(world: dict) -> None:
    leader = _client(world["users"]["leader"])
    ours, other = _report(world["inside"]), _report(world["outside"])
    for report, agency in ((ours, "FB-NUOC"), (other, "FB-DUONG")):
        _post(leader, report.ticket, "verify")
        assert _post(leader, report.ticket, "assign", {"agency": agency}).status_code == 200
    member = _client(world["users"]["member"])
    detail = member.get(f"/api/feedback/reports/{ours.ticket}/").json()
    assert detail["actions"] == ["start", "resolve", "extend", "moderate"]
    assert _post(member, ours.ticket, "start").json()["status"] == Status.IN_PROGRESS
    assert _post(member, ours.ticket, "assign", {"agency": "FB-DUONG"}).status_code == 403
    answer = _post(member, ours.ticket, "resolve", {"result": "Đã nạo vét cống."})
    assert answer.json()["status"] == Status.RESOLVED and answer.json()["actions"] == ["moderate"]
    assert _post(member, ours.ticket, "publish").status_code == 403
    # Another agency's report: not theirs to read.
    assert member.get(f"/api/feedback/reports/{other.ticket}/").status_code == 404
    queue = member.get("/api/feedback/queue/").json()
    assert queue["agency"]["code"] == "FB-NUOC" and queue["count"] == 0  # resolved: not open


def test_the_whole_workflow_through_the_api_with_its_history(world: dict) -> None:
    report = _report(world["inside"])
    leader = _client(world["users"]["leader"])
    steps = [
        ("verify", {}),
        ("assign", {}),  # by the routing rule: the water agency
        ("start", {"note": "Đội 2 ra hiện trường"}),
        ("resolve", {"result": "Đã nạo vét 20 m cống."}),
        ("publish", {}),
        ("close", {}),
    ]
    for action, data in steps:
        answer = _post(leader, report.ticket, action, data)
        assert answer.status_code == 200, (action, answer.json())
    detail = answer.json()
    assert detail["status"] == Status.CLOSED and detail["agency"]["code"] == "FB-NUOC"
    assert detail["actions"] == ["moderate"]
    history = [
        (e["action"], e["from_status"], e["to_status"], e["actor"]) for e in detail["history"]
    ]
    assert history == [
        ("receive", "", "received", "Cổng thông tin, ứng dụng"),
        ("verify", "received", "verified", "leader"),
        ("assign", "verified", "assigned", "leader"),
        ("start", "assigned", "in_progress", "leader"),
        ("resolve", "in_progress", "resolved", "leader"),
        ("publish", "resolved", "published", "leader"),
        ("close", "published", "closed", "leader"),
    ]
    assert detail["history"][1]["to_label"] == {"vi": "Đã xác minh", "en": "Verified"}
    assign = detail["history"][2]
    assert assign["agency"]["code"] == "FB-NUOC" and assign["action_label"]["en"] == "Forwarded"
    assert detail["history"][3]["note"] == "Đội 2 ra hiện trường"
    assert all(e["at"] for e in detail["history"]) and detail["result"] == "Đã nạo vét 20 m cống."
    # A step its status does not allow is a conflict in both languages; nothing changes.
    again = _post(leader, report.ticket, "verify")
    assert again.status_code == 409 and again.json()["vi"] and again.json()["en"]
    bad = _post(leader, report.ticket, "reject", {"reason": "boring"})
    assert bad.status_code == 400
    assert _post(leader, report.ticket, "fly").status_code == 404
    assert ReportEvent.objects.filter(report=report).count() == 7


def test_an_extension_crosses_tet(world: dict) -> None:
    # Lighting: 5 working days from Tuesday 10 February 2026, Tết Bính Ngọ (14–22 February)
    # off: 11, 12, 13, 23, 24 February.
    report = _report(world["inside"], category="chieu_sang")
    assert report.due_on == dt.date(2026, 2, 24)
    leader = _client(world["users"]["leader"])
    refused = _post(leader, report.ticket, "extend", {"days": 3})
    assert refused.status_code == 400
    answer = _post(leader, report.ticket, "extend", {"days": 3, "reason": "Chờ vật tư"})
    detail = answer.json()
    assert detail["due_on"] == "2026-02-27" and detail["extensions"] == 1
    event = detail["history"][-1]
    assert event["action"] == "extend" and event["due_on"] == "2026-02-27"
    assert event["note"] == "Chờ vật tư" and event["actor"] == "leader"
    # Short of Tết: a deadline on Friday 13 February moved by one day lands after it.
    short = _report(world["inside"], category="chieu_sang", received_at=_at(2026, 2, 5, 9))
    assert short.due_on == dt.date(2026, 2, 12)
    moved = _post(leader, short.ticket, "extend", {"days": 2, "reason": "Mưa lớn"}).json()
    assert moved["due_on"] == "2026-02-23"  # 13 February, then Monday 23 after Tết


def test_a_duplicate_merged_follows_its_main_report(world: dict) -> None:
    main, duplicate = _report(world["inside"]), _report(world["inside"])
    leader = _client(world["users"]["leader"])
    detail = _post(leader, duplicate.ticket, "merge", {"into": main.ticket}).json()
    assert detail["status"] == Status.MERGED and detail["merged_into"] == main.ticket
    event = detail["history"][-1]
    assert event["action"] == "merge" and main.ticket in event["note"]
    assert event["from_status"] == "received" and event["to_status"] == "merged"
    assert leader.get(f"/api/feedback/reports/{main.ticket}/").json()["merged"] == [
        duplicate.ticket
    ]
    into_self = _post(leader, main.ticket, "merge", {"into": main.ticket})
    assert into_self.status_code == 400


def test_moderation_is_audited_and_keeps_the_original(world: dict) -> None:
    report = _report(world["inside"], description="Nhà ông Bê số 12 ngõ 3 bị ngập.")
    leader = _client(world["users"]["leader"])
    answer = _post(
        leader,
        report.ticket,
        "moderate",
        {"public_text": "Một ngôi nhà bị ngập.", "note": "Bỏ tên và số nhà"},
    )
    detail = answer.json()
    assert detail["public_text"] == "Một ngôi nhà bị ngập."
    assert detail["description"] == "Nhà ông Bê số 12 ngõ 3 bị ngập."
    event = detail["history"][-1]
    assert (event["action"], event["actor"], event["note"]) == (
        "moderate",
        "leader",
        "Bỏ tên và số nhà",
    )
    assert not event["public"]
    masked = _post(leader, report.ticket, "moderate", {"public_text": "Gọi 0912 345 678"}).json()
    assert "0912" not in masked["public_text"]


def test_hotline_intake_keeps_the_caller_private(world: dict) -> None:
    leader = _client(world["users"]["leader"])
    inside = world["inside"]
    form = {
        "call_at": "2026-03-02T08:15",
        "phone": "0935777888",
        "name": "Trần Thị Cúc",
        "category": "chieu_sang",
        "description": "Đèn đường trước chợ không sáng ba đêm nay. Số tôi 0935777888.",
        "lon": str(inside.x),
        "lat": str(inside.y),
    }
    answer = leader.post("/api/feedback/hotline/", form)
    assert answer.status_code == 201, answer.json()
    detail = answer.json()
    assert detail["channel"] == "hotline" and detail["reporter"]["phone"] == "0935777888"
    assert detail["unit"]["name"] and detail["history"][0]["actor"] == "Tổng đài 1022"
    report = Report.objects.get(ticket=detail["ticket"])
    assert report.call_at == _at(2026, 3, 2, 8, 15) and report.reporter_name == "Trần Thị Cúc"
    assert report.events.get().actor == world["users"]["leader"]
    # The public's tracking answer carries neither the phone nor the caller's name.
    track = _client(None).get(reverse("feedback-track", kwargs={"ticket": report.ticket}))
    assert track.status_code == 200
    body = track.content.decode()
    assert "0935777888" not in body and "Trần Thị Cúc" not in body and "0935" not in body
    # Lists for staff carry no contact either.
    near = leader.get(f"/api/feedback/near/?lon={inside.x}&lat={inside.y}").content.decode()
    assert report.ticket in near and "0935777888" not in near and "Trần Thị Cúc" not in near
    # A typed-in Zalo message by commune address; a bad channel refused in both languages.
    zalo = leader.post(
        "/api/feedback/hotline/",
        {"channel": "zalo", "category": "khac", "description": "Tin Zalo", "address": "xã Thu Bồn"},
    ).json()
    assert zalo["channel"] == "zalo" and zalo["call_at"] is None and zalo["unit"]
    bad = leader.post("/api/feedback/hotline/", {**form, "channel": "fax"})
    assert bad.status_code == 400 and bad.json()["fields"]["channel"]
    future = leader.post("/api/feedback/hotline/", {**form, "call_at": "2099-01-01T00:00"})
    assert future.status_code == 400


def test_near_sorts_by_distance_with_a_straight_line(world: dict) -> None:
    base = world["inside"]
    near = _report(Point(base.x + 0.001, base.y, srid=4326))  # ~107 m east
    far = _report(Point(base.x, base.y - 0.005, srid=4326))  # ~555 m south
    _report(Point(base.x + 0.2, base.y, srid=4326))  # ~21 km: outside the radius
    closed = _report(Point(base.x, base.y + 0.0005, srid=4326))
    leader = _client(world["users"]["leader"])
    _post(leader, closed.ticket, "reject", {"reason": "spam"})
    field = _client(world["users"]["field"])
    body = field.get(f"/api/feedback/near/?lon={base.x}&lat={base.y}&radius=2000&limit=5").json()
    assert [r["ticket"] for r in body["results"]] == [near.ticket, far.ticket]
    first, second = body["results"]
    assert 90 < first["distance_m"] < 125 and 520 < second["distance_m"] < 590
    assert first["compass"] == "E" and second["compass"] == "S"
    assert 80 < first["bearing_deg"] < 100 and 170 < second["bearing_deg"] < 190
    assert first["route"] == {
        "type": "LineString",
        "coordinates": [[base.x, base.y], [near.geom.x, near.geom.y]],
    }
    assert "reporter" not in first and body["route_note"]["en"]
    assert field.get("/api/feedback/near/?lon=nan&lat=15").status_code == 400


def test_the_queue_puts_overdue_first_then_by_deadline(world: dict) -> None:
    leader = _client(world["users"]["leader"])
    made = {}
    for name, received, category in [
        ("late", _at(2026, 2, 2, 9), "moi_truong"),  # 5 days: 9 February
        ("later", _at(2026, 2, 25, 9), "duong_sa"),  # 10 days: 11 March
        ("soon", _at(2026, 2, 26, 9), "chieu_sang"),  # 5 days: 5 March
    ]:
        report = _report(world["inside"], received_at=received, category=category)
        _post(leader, report.ticket, "verify")
        _post(leader, report.ticket, "assign", {"agency": "FB-NUOC"})
        made[name] = report.ticket
    body = leader.get("/api/feedback/queue/?agency=FB-NUOC&limit=200&offset=0").json()
    rows = body["results"]
    assert [r["ticket"] for r in rows] == [made["late"], made["soon"], made["later"]]
    assert [r["overdue"] for r in rows] == [True, False, False]
    assert rows[1]["days_left"] == 3 and rows[0]["days_left"] < 0  # Mon 2 → Thu 5 March
    assert "reporter" not in rows[0] and "description" not in rows[0]
    # A leader (no agency of theirs) reads every open report; an unknown agency is refused.
    every = leader.get("/api/feedback/queue/").json()
    assert every["agency"] is None and every["count"] == 3
    assert every["results"][0]["ticket"] == made["late"]
    assert leader.get("/api/feedback/queue/?agency=NOPE").status_code == 400


def test_overdue_counts_by_agency_and_commune_on_a_fixed_day(world: dict) -> None:
    leader = _client(world["users"]["leader"])
    for point, agency in [
        (world["inside"], "FB-NUOC"),
        (world["inside"], "FB-NUOC"),
        (world["outside"], "FB-DUONG"),
    ]:
        report = _report(point, category="chieu_sang", received_at=_at(2026, 2, 2, 9))
        _post(leader, report.ticket, "verify")
        _post(leader, report.ticket, "assign", {"agency": agency})
    _report(world["inside"], received_at=_at(2026, 3, 1, 9))  # due later: not overdue
    # Received before the 2025 reform, in a former commune: counted in today's commune.
    former = _report(world["inside"], category="chieu_sang", received_at=_at(2025, 6, 2, 9))
    assert former.unit.version.valid_to is not None
    body = leader.get("/api/feedback/overdue/?limit=2").json()
    assert len(body["results"]) == 2 and body["next"]
    assert body["today"] == TODAY.isoformat() and body["count"] == 4
    assert [(a["name"], a["overdue"]) for a in body["by_agency"]] == [
        ("Cấp nước", 2),
        ("Giao thông", 1),
        (None, 1),
    ]
    assert [c["overdue"] for c in body["by_commune"]] == [3, 1]
    assert former.unit.name not in {c["name"] for c in body["by_commune"]}
    officer = _client(world["users"]["officer"]).get("/api/feedback/overdue/").json()
    assert officer["count"] == 3  # their commune only, the former commune's report too
    agencies = leader.get("/api/feedback/agencies/").json()
    assert {"FB-NUOC", "FB-DUONG"} <= {a["code"] for a in agencies["results"]}
    assert agencies["mine"] is None
    assert _client(world["users"]["member"]).get("/api/feedback/agencies/").json()["mine"] == (
        "FB-NUOC"
    )


def test_no_contact_reaches_the_log(world: dict, caplog: pytest.LogCaptureFixture) -> None:
    leader = _client(world["users"]["leader"])
    with caplog.at_level("DEBUG"):
        leader.post("/api/feedback/hotline/", {"phone": "0977000111", "category": "x"})
        leader.post(
            "/api/feedback/hotline/",
            {"phone": "0977000111", "name": "Lê Văn Đậu", "category": "khac", "description": "y"},
        )
    logged = json.dumps([r.getMessage() for r in caplog.records], ensure_ascii=False)
    assert "0977000111" not in logged and "Lê Văn Đậu" not in logged


def _jpeg() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "JPEG")
    out.seek(0)
    out.name = "sau.jpg"
    return out


def test_result_photos_and_their_moderation(world: dict, settings, tmp_path) -> None:
    settings.GISIOC_MEDIA_DIR = tmp_path
    report = _report(world["inside"])
    leader = _client(world["users"]["leader"])
    _post(leader, report.ticket, "verify")
    _post(leader, report.ticket, "assign")
    answer = leader.post(
        f"/api/feedback/reports/{report.ticket}/resolve/",
        {"result": "Đã thông cống.", "photos": [_jpeg(), _jpeg()]},
        format="multipart",
    )
    assert answer.status_code == 200, answer.json()
    media = answer.json()["media"]
    assert [(m["stage"], m["kind"], m["hidden"], m["blurred"]) for m in media] == [
        ("result", "photo", False, False)
    ] * 2
    assert media[0]["url"].startswith("/api/feedback/media/") and media[0]["thumb_url"]
    assert leader.get(media[0]["url"]).status_code == 200
    first = media[0]["id"]
    url = f"/api/feedback/reports/{report.ticket}/media/{first}"
    blurred = leader.post(f"{url}/blur/", {"note": "Có biển số xe"}, format="json").json()
    assert blurred["media"][0]["blurred"] and blurred["media"][0]["public_url"]
    hidden = leader.post(f"{url}/hide/", format="json").json()
    assert hidden["media"][0]["hidden"]
    assert leader.post(f"{url}/burn/", format="json").status_code == 404
    planner = _client(world["users"]["planner"])
    assert planner.post(f"{url}/show/", format="json").status_code == 403
    notes = [e["note"] for e in hidden["history"] if e["action"] == "moderate"]
    assert len(notes) == 2 and "Có biển số xe" in notes[0]
    # A bad file is refused whole: the result is not recorded either.
    other = _report(world["inside"])
    _post(leader, other.ticket, "verify")
    _post(leader, other.ticket, "assign")
    fake = io.BytesIO(b"<html><script>alert(1)</script></html>")
    fake.name = "anh.jpg"
    refused = leader.post(
        f"/api/feedback/reports/{other.ticket}/resolve/",
        {"result": "Xong", "photos": [fake]},
        format="multipart",
    )
    assert refused.status_code in (400, 415) and refused.json()["vi"]
    assert Report.objects.get(pk=other.pk).status == Status.ASSIGNED
