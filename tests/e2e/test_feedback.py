"""Citizen feedback in a real Chromium: a citizen on a phone files a report with a photo (its
GPS stripped), is offered an open report nearby and follows it, follows their own to its
result and rates it; a field officer finds it near them with the line to it; and no public
answer of the whole run (pages, APIs, tiles, Open311) carries the reporter's data."""

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response, Route

from gisioc.feedback import services
from gisioc.feedback.human import VI_WORDS
from gisioc.feedback.media import media_path
from gisioc.feedback.models import Report, RoutingRule
from gisioc.geo.models import Facility, Role, UserAccess
from tests.e2e.conftest import PHONE, MapPage, Seeded, _map_page
from tests.e2e.test_dossiers import PASSWORD
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e
# In Nam Phước (90003) of the seeded squares; the field officer stands 300 m west.
PLACE = {"longitude": 108.222, "latitude": 15.80}
OFFICER_AT = {"longitude": 108.219, "latitude": 15.80}
NAME, PHONE_NO, EMAIL = "Trần Thị Bích Ngọc", "0935 246 813", "ngoc.tran@example.vn"
DESCRIPTION = "Cống thoát nước trước nhà bị tắc, nước ngập nửa đường. Gọi tôi 0935246813."


@pytest.fixture
def citizen_page(
    browser, live_server, transactional_db, built_frontend, seeded
) -> Iterator[MapPage]:
    """A phone standing at PLACE, anonymous."""
    yield from _map_page(
        browser, live_server, PHONE, geolocation=PLACE, permissions=["geolocation"]
    )


@pytest.fixture
def officer_page(
    browser, live_server, transactional_db, built_frontend, seeded
) -> Iterator[MapPage]:
    """A phone standing at OFFICER_AT: the field officer's."""
    yield from _map_page(
        browser, live_server, PHONE, geolocation=OFFICER_AT, permissions=["geolocation"]
    )


@pytest.fixture
def handled(seeded: Seeded) -> Report:
    """Routing for drainage, and an open drainage report 100 m away, already public."""
    police = Facility.objects.get(code="E2E-AGY-7")
    RoutingRule.objects.create(category="thoat_nuoc", agency=police)
    report = services.report_receive(
        category="thoat_nuoc",
        description="Nước ngập sâu đoạn gần chợ sau mưa.",
        channel="hotline",
        point=Point(PLACE["longitude"] + 0.001, PLACE["latitude"], srid=4326),
        reporter_phone="0905000111",
    )
    return services.report_verify(report=report, actor=None)


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (640, 480), (90, 120, 160))
    exif = Image.Exif()
    exif[0x010F] = "GisiocPhone"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (15.0, 48.0, 0.0), 3: "E", 4: (108.0, 13.0, 19.2)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert b"GisiocPhone" in out.getvalue()
    return out.getvalue()


def _answer(question: str) -> str:
    """The check question's sum, read from its Vietnamese words ("Bảy cộng năm bằng mấy?")."""
    words = re.match(r"(.+?) cộng (.+?) bằng mấy", question.lower()).groups()
    return str(sum(VI_WORDS.index(w.strip()) for w in words))


def _answer_challenge(page: Page, after: str = "") -> str:
    """Answer the check question on the page (a new one than `after`); the question."""
    page.wait_for_function(
        "(before) => { const q = document.getElementById('challenge-question').textContent;"
        " return q.length > 5 && q !== before; }",
        arg=after,
    )
    question = page.locator("#challenge-question").inner_text()
    page.fill("#challenge-answer", _answer(question))
    return question


class Recorder:
    """Every answer of our server to a page, kept to scan for personal data (read as the
    page receives it: the page's requests pass through here)."""

    def __init__(self, mp: MapPage) -> None:
        self.bodies: list[tuple[str, bytes]] = []
        self.origin = mp.origin
        mp.page.route("**/*", self._keep)

    def _keep(self, route: Route) -> None:
        if not route.request.url.startswith(self.origin) or route.request.method != "GET":
            # Elsewhere: the context's guard refuses it. Writes go as they are (an intercepted
            # upload would lose its file); the test keeps their answers itself (`kept`).
            route.fallback()
            return
        try:
            response = route.fetch()
            self.bodies.append((route.request.url, response.body()))
            route.fulfill(response=response)
        except PlaywrightError:  # the page moved on (a navigation, the context closing)
            pass

    def kept(self, response: Response) -> None:
        """Keep an answer to a write as well."""
        self.bodies.append((response.url, response.body()))

    def leaks(self, secrets: list[str]) -> list[str]:
        found = []
        for url, body in self.bodies:
            for secret in secrets:
                if secret.encode() in body:
                    found.append(f"{secret!r} in {url}")
        return found


def test_a_citizen_files_follows_and_rates_and_a_field_officer_finds_the_report(
    citizen_page: MapPage, officer_page: MapPage, seeded: Seeded, handled: Report, tmp_path: Path
) -> None:
    public = Recorder(citizen_page)
    page = citizen_page.page
    page.goto(citizen_page.origin + "/phan-anh/")
    page.locator("[data-testid=category-thoat_nuoc]").click()
    page.fill("#description", DESCRIPTION)
    page.locator("#pick-location").click()
    # "Is it one of these?": the open drainage report 100 m away, which they follow too.
    nearby = page.locator(f"#nearby-list [data-ticket='{handled.ticket}']")
    nearby.wait_for()
    first = _answer_challenge(page)
    page.locator(f"#nearby-list [data-ticket='{handled.ticket}'] .c-follow").click()
    page.locator(f"#nearby-list a.c-followed[href='/phan-anh/{handled.ticket}/']").wait_for()
    handled.refresh_from_db()
    assert handled.followers == 1
    # Their own is another problem: a new report with a photo carrying GPS.
    photo = tmp_path / "gps.jpg"
    photo.write_bytes(_photo_with_gps())
    page.set_input_files("#photos", str(photo))
    page.fill("#name", NAME)
    page.fill("#phone", PHONE_NO)
    page.fill("#email", EMAIL)
    _answer_challenge(page, after=first)  # a question answers once: following drew another
    with page.expect_response("**/api/feedback/public/reports/") as sent:
        page.locator("#send").click()
    public.kept(sent.value)
    page.locator("#receipt:not([hidden]), #form-error:not([hidden])").first.wait_for()
    assert page.locator("#form-error").is_hidden(), page.locator("#form-error").inner_text()
    ticket = page.locator("#ticket").inner_text().strip()
    citizen_page.screenshot("feedback-receipt-phone")
    report = Report.objects.get(ticket=ticket)
    assert report.reporter_phone.replace(" ", "") == "0935246813" and report.reporter_name == NAME
    assert report.unit_id == seeded.ids["90003"] and report.channel == "web"
    stored = report.media.get()
    kept = media_path(stored.file).read_bytes()
    assert b"GisiocPhone" not in kept and b"Exif" not in kept
    assert not Image.open(io.BytesIO(kept)).getexif()

    # The commune handles it (the staff's side is tested in its own module).
    leader = get_user_model().objects.create_user("e2e-1022", password=PASSWORD)
    UserAccess.objects.create(user=leader, role=Role.LEADER)
    report = services.report_verify(report=report, actor=leader)
    report = services.report_assign(report=report, actor=leader)
    assert report.agency.code == "E2E-AGY-7"

    # A field officer on their phone finds it near them, with the straight line to it.
    field = get_user_model().objects.create_user("e2e-field", password=PASSWORD)
    UserAccess.objects.create(user=field, role=Role.FIELD_STAFF)
    officer = officer_page.page
    officer.goto(officer_page.origin + "/accounts/login/")
    officer.fill("#id_username", "e2e-field")
    officer.fill("#id_password", PASSWORD)
    officer.locator("input[type=submit]").click()
    officer.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    officer.locator("#fb-tool").click()
    officer.locator("#fb-tab-near").click()
    officer.locator("#fb-near-me").click()
    mine = officer.locator(f"#fb-near-list button[data-ticket='{ticket}']")
    mine.wait_for()
    distance = float(mine.get_attribute("data-distance"))
    assert 250 < distance < 400, distance  # 0.003° of longitude at 15.8°N ≈ 321 m
    mine.click()
    officer.locator("#fb-route-label").wait_for()
    officer_page.settled()
    line = officer.evaluate(
        "gisiocMap.getSource('fb-route').getData().then((d) => d.features[0].geometry.coordinates)"
    )
    assert line[0] == pytest.approx([OFFICER_AT["longitude"], OFFICER_AT["latitude"]], abs=1e-5)
    assert line[-1] == pytest.approx([PLACE["longitude"], PLACE["latitude"]], abs=1e-4)
    officer_page.screenshot("feedback-near-me-field-phone")

    report = services.report_start(report=report, actor=leader)
    report = services.report_resolve(report=report, actor=leader, result="Đã nạo vét cống.")
    report = services.report_publish(report=report, actor=leader)

    # Back on the receipt, the citizen follows their link, sees each step and rates once.
    page.locator("#tracking-link").click()
    page.wait_for_url(f"**/phan-anh/{ticket}/**")
    page.locator("#track-result").wait_for()
    assert "Đã nạo vét cống." in page.locator("#track-result").inner_text()
    steps = page.locator("#steps li").all_inner_texts()
    assert len(steps) >= 4 and any("Công an xã Nam Phước" in s for s in steps), steps
    with page.expect_response(f"**/api/feedback/track/{ticket}/rate/") as rated:
        page.locator("#rate-yes").click()
    public.kept(rated.value)
    page.locator("#rate-done:not([hidden])").wait_for()
    citizen_page.screenshot("feedback-tracking-rated-phone")
    report.refresh_from_db()
    assert report.satisfied is True and report.rated_at is not None
    page.reload()
    page.locator("#track-status").wait_for()
    assert page.locator("#rate").is_hidden()

    # The public map and Open311 as the public sees them, then the whole run's scan.
    page.goto(citizen_page.origin + "/phan-anh/ban-do/")
    page.locator(f"#public-list [data-ticket='{ticket}']").wait_for()
    for path in ("requests.json", "requests.xml", f"requests/{ticket}.json",
                 f"requests/{ticket}.xml"):  # fmt: skip
        assert page.request.get(f"{citizen_page.origin}/open311/v2/{path}").ok
        page.goto(f"{citizen_page.origin}/open311/v2/{path}")
    citizen_page.open("/")
    page.locator(".panel-toggle").click()  # folded on a phone
    page.locator("#toggle-feedback-reports").check()
    page.evaluate(
        f"gisiocMap.jumpTo({{center: [{PLACE['longitude']}, {PLACE['latitude']}], zoom: 15}})"
    )
    citizen_page.settled()
    assert any("/tiles/feedback-reports/" in url for url, _ in public.bodies)
    assert any(ticket.encode() in body for _, body in public.bodies)  # the scan sees the report
    # A report on the public's map opens its tracking page (its details are the staff's).
    page.locator(".panel-toggle").click()  # fold the panel off the map again
    click_at(citizen_page, PLACE["longitude"], PLACE["latitude"])
    page.wait_for_url(f"**/phan-anh/{ticket}/")
    page.locator("#track-status").wait_for()
    secrets = [NAME, PHONE_NO, "0935246813", EMAIL, DESCRIPTION, "0905000111"]
    assert public.leaks(secrets) == []
    assert citizen_page.console_errors == [] and officer_page.console_errors == []
    assert citizen_page.foreign_requests() == [] and officer_page.foreign_requests() == []
