"""Public services in a real Chromium: a leader signs in, sees an overdue dossier on the map,
opens it, and reaches the same dossier from the commune's list of overdue dossiers."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from gisioc.geo.models import Facility, Role, UserAccess
from gisioc.public_services.models import Dossier
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-leader-password"
OFFICE = "E2E-OSS-6"  # Nam Phước's one-stop office


@pytest.fixture
def overdue(seeded: Seeded) -> Dossier:
    """One dossier past due and one finished, both received at Nam Phước's office."""
    office = Facility.objects.get(code=OFFICE)
    now = timezone.now()
    common = {
        "source": "e2e",
        "procedure_code": "1.001612",
        "field": "Hộ tịch",
        "office": office,
        "office_code": OFFICE,
        "channel": Dossier.Channel.ONLINE,
        "geom": office.geom,
        "unit": office.unit,
        "locate_method": "facility",
    }
    Dossier.objects.create(
        external_id="E2E-HS-2",
        dossier_code="000.00.20.H47-261101-0002",
        procedure_name="Đăng ký khai sinh",
        received_at=now - dt.timedelta(days=20),
        due_at=now - dt.timedelta(days=15),
        finished_at=now - dt.timedelta(days=16),
        status=Dossier.Status.RETURNED,
        **common,
    )
    return Dossier.objects.create(
        external_id="E2E-HS-1",
        dossier_code="000.00.20.H47-261101-0001",
        procedure_name="Cấp bản sao trích lục hộ tịch",
        received_at=now - dt.timedelta(days=12),
        due_at=now - dt.timedelta(days=9),
        status=Dossier.Status.IN_PROGRESS,
        **common,
    )


@pytest.fixture
def leader(transactional_db) -> str:
    user = get_user_model().objects.create_user("e2e-leader", password=PASSWORD)  # not staff
    UserAccess.objects.create(user=user, role=Role.LEADER)
    return user.username


def sign_in(mp: MapPage, username: str) -> None:
    mp.page.locator("#sign-in").click()
    mp.page.wait_for_url("**/accounts/login/**")
    mp.page.fill("#id_username", username)
    mp.page.fill("#id_password", PASSWORD)
    mp.page.locator("input[type=submit]").click()
    mp.page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)


def test_a_leader_opens_an_overdue_dossier_from_the_map_and_from_the_commune(
    map_page: MapPage, seeded: Seeded, overdue: Dossier, leader: str
) -> None:
    map_page.open()
    page = map_page.page
    assert page.locator("#toggle-dossiers-overdue").count() == 0  # not for the public
    sign_in(map_page, leader)
    page.locator("#toggle-dossiers-overdue").check()
    office = overdue.geom
    page.evaluate(f"gisiocMap.jumpTo({{center: [{office.x}, {office.y}], zoom: 16}})")
    map_page.settled()
    shown = page.evaluate(
        "gisiocMap.queryRenderedFeatures({layers: ['dossiers-overdue-2']})"
        ".map((f) => f.properties.dossier_code)"
    )
    assert shown == [overdue.dossier_code]  # the finished one is not overdue

    click_at(map_page, office.x, office.y)
    map_page.sheet(f"record:{overdue.pk}")
    sheet = page.locator("#sheet")
    assert page.locator("#sheet-title").inner_text() == "Cấp bản sao trích lục hộ tịch"
    assert sheet.locator('dd[data-prop="dossier_code"]').inner_text() == overdue.dossier_code
    assert sheet.locator('dd[data-prop="status"]').inner_text() == "Đang giải quyết"
    assert sheet.locator('dd[data-prop="channel"]').inner_text() == "Trực tuyến"
    assert "Hẹn trả" in sheet.inner_text()
    map_page.screenshot("map-dossier-record")

    # The commune's profile lists its overdue dossiers; the list leads to the same record.
    sheet.locator('dd[data-prop="unit_name"] button').click()
    unit = seeded.ids["90003"]
    map_page.sheet(f"unit:{unit}")
    sheet.locator('button[data-list="dossiers_past_due"]').click()
    page.locator('#sheet[data-view="list"]:not([aria-busy])').wait_for()
    listed = sheet.locator(".records li .record-name")
    assert listed.all_inner_texts() == ["Cấp bản sao trích lục hộ tịch"]
    sheet.locator(f'.records button[data-id="{overdue.pk}"]').click()
    map_page.sheet(f"record:{overdue.pk}")
    assert page.locator("#sheet .crumbs li").all_inner_texts() == [
        "Huyện",
        "Xã Nam Phước",
        "Hồ sơ đang quá hạn",
        "Cấp bản sao trích lục hộ tịch",
    ]
    assert map_page.console_errors == []

    # Signing out returns the public map: the staff layer is gone.
    page.locator("#sign-out").click()
    page.locator("#sign-in").wait_for()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    assert page.locator("#toggle-dossiers-overdue").count() == 0
