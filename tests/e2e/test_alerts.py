"""An alert rule in a real Chromium: a camera offline past the rule's minutes fires it once;
the signed-in leader's bell shows the unread count live, without a reload; the local SMTP
server's inbox holds the mail; the notification's link moves the map to the camera."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from gisioc.alerts.evaluate import alerts_evaluate
from gisioc.alerts.models import Alert, Rule
from gisioc.cameras.models import Camera, Outage
from gisioc.geo.models import Facility, Role, UserAccess
from tests.alerts.conftest import Inbox, smtp  # noqa: F401 (a fixture: the local SMTP server)
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.live_bus import LiveBus
from tests.e2e.test_dossiers import PASSWORD, sign_in

pytestmark = pytest.mark.e2e


def test_a_rule_fires_once_into_the_bell_live_and_the_smtp_inbox(
    map_page: MapPage,
    live_bus: LiveBus,
    seeded: Seeded,
    smtp: Inbox,  # noqa: F811
) -> None:
    user = get_user_model().objects.create_user(
        "e2e-alert-leader", email="lanhdao@duyxuyen.vn", password=PASSWORD
    )
    UserAccess.objects.create(user=user, role=Role.LEADER)
    facility = Facility.objects.get(pk=seeded.facility_ids["E2E-CAM-3"])
    since = timezone.now() - dt.timedelta(minutes=45)
    camera = Camera.objects.create(facility=facility, status="offline", status_since=since)
    Outage.objects.create(camera=camera, started_at=since)
    Rule.objects.create(
        name_vi="Camera mất kết nối",
        name_en="Camera offline",
        kind="camera_offline",
        threshold=30,
        roles=["leader"],
        level="critical",
    )

    live_bus.allow(map_page)
    map_page.open()
    page = map_page.page
    assert page.locator("#alerts-bell").count() == 0  # not for the public
    sign_in(map_page, "e2e-alert-leader")
    live_bus.wait_open(map_page)
    page.wait_for_function("document.querySelector('#alerts-bell')?.dataset.unread === '0'")
    assert page.locator("#alerts-count").is_hidden()
    page.evaluate("window.gisiocNoReload = true")  # gone if the page reloads

    for minute in range(3):  # the condition stays true: one alert
        alerts_evaluate(timezone.now() + dt.timedelta(minutes=minute), wait=True)
    alert = Alert.objects.get()
    page.wait_for_function(
        "document.querySelector('#alerts-count')?.textContent === '1'", timeout=5_000
    )
    assert page.evaluate("window.gisiocNoReload") is True
    assert page.locator("#alerts-count").is_visible()

    # The mail, in the local SMTP server's inbox.
    assert alert.email_status == "sent"
    [(recipients, message)] = smtp.mails
    assert recipients == ["lanhdao@duyxuyen.vn"]
    assert "Camera ngã ba Nam Phước mất kết nối 45 phút" in message["Subject"]
    assert f"{alert.link}" in message.get_content()

    # The dropdown lists it; its link moves the map to the camera and marks it read.
    page.locator("#alerts-bell").click()
    item = page.locator(".alerts-item")
    assert item.count() == 1 and "Nam Phước" in item.inner_text()
    map_page.screenshot("alerts-menu")
    item.locator("a").click()
    page.wait_for_function(
        "document.querySelector('#alerts-bell').dataset.unread === '0'", timeout=5_000
    )
    center = page.evaluate("(() => { const c = gisiocMap.getCenter(); return [c.lng, c.lat]; })()")
    assert abs(center[0] - 108.225) < 0.001 and abs(center[1] - 15.815) < 0.001
    assert round(page.evaluate("gisiocMap.getZoom()")) == 16
    assert page.evaluate("window.gisiocNoReload") is True
    map_page.screenshot("alerts-bell")
    assert map_page.console_errors == []
