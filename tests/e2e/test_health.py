"""Health in a real Chromium: a health station drawn by its visits; picking it draws where its
patients live (small counts held back from the public); a leader drills from the station to
its encounters, pseudonymised, which field staff never see."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from gisioc.geo.models import AdminUnit, Facility, Role, UserAccess
from gisioc.health.models import Encounter
from gisioc.periods import VIETNAM
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_dossiers import PASSWORD, leader, sign_in  # noqa: F401  (a fixture)
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e
STATION = "E2E-TYT-2"  # Trạm Y tế Duy Xuyên, in 90002
# Residents of each commune among the station's patients: 90003's two are a small count.
RESIDENTS = {"90002": 8, "90001": 6, "90003": 2}
CATCHMENT = "health-catchment"
FACILITIES = "health-facilities"


@pytest.fixture
def encounters(seeded: Seeded) -> list[Encounter]:
    """Sixteen encounters at the station last Monday, one of them an inpatient stay, three of
    them dengue in Duy Xuyên (a first: the disease watch flags the week)."""
    station = Facility.objects.get(code=STATION)
    today = timezone.localdate(timezone=VIETNAM)
    monday = today - dt.timedelta(days=today.weekday() + 7)
    start = dt.datetime.combine(monday, dt.time(7), tzinfo=VIETNAM)
    made = []
    number = 0
    for code, n in RESIDENTS.items():
        residence = AdminUnit.objects.get(code=code, version__slug="e2e-2025")
        for _ in range(n):
            number += 1
            made.append(
                Encounter.objects.create(
                    source="e2e",
                    external_id=f"E2E-LK-{number:03d}",
                    facility=station,
                    facility_code=STATION,
                    geom=station.geom,
                    unit=station.unit,
                    locate_on=start.date(),
                    locate_method="facility",
                    patient_key=f"{number:064x}",
                    key_id=1,
                    sex="f" if number % 2 else "m",
                    age_band="25-44",
                    residence_code=code,
                    residence=residence,
                    care="inpatient" if number == 1 else "outpatient",
                    diagnosis="A91" if number <= 3 else "J06.9",
                    chapter="I" if number <= 3 else "X",
                    admitted_at=start + dt.timedelta(hours=number),
                    insured=True,
                )
            )
    return made


@pytest.fixture
def field_staff(transactional_db) -> str:
    user = get_user_model().objects.create_user("e2e-field", password=PASSWORD)
    UserAccess.objects.create(user=user, role=Role.FIELD_STAFF)
    return user.username


def _drawn(mp: MapPage, layer: str, *props: str) -> list[list]:
    keys = ", ".join(f"f.properties.{p}" for p in props)
    return mp.page.evaluate(
        f"gisiocMap.queryRenderedFeatures({{layers: ['{layer}']}}).map((f) => [{keys}])"
    )


def test_picking_a_station_draws_where_its_patients_live_and_a_leader_opens_its_encounters(
    map_page: MapPage,
    seeded: Seeded,
    encounters: list[Encounter],
    leader: str,  # noqa: F811
) -> None:
    map_page.open()
    page = map_page.page
    page.locator(f"#toggle-{FACILITIES}").check()  # public: aggregates only
    station = encounters[0].geom
    page.evaluate(f"gisiocMap.jumpTo({{center: [{station.x}, {station.y}], zoom: 12}})")
    map_page.settled()
    assert [STATION, 16] in _drawn(map_page, FACILITIES, "code", "visits")
    choices = page.locator(f'.layer[data-layer="{FACILITIES}"] select[name="measure"] option')
    assert choices.first.inner_text() == "Lượt khám chữa bệnh"  # titled, no "all"

    # Picking the station draws its catchment; the public never reads a count under 5.
    click_at(map_page, station.x, station.y)
    facility = seeded.facility_ids[STATION]
    map_page.sheet(f"record:{facility}")
    assert page.locator(f"#toggle-{CATCHMENT}").is_checked()
    page.evaluate("gisiocMap.jumpTo({center: [108.17, 15.78], zoom: 10.5})")
    map_page.settled()
    drawn = {code: visits for code, visits in _drawn(map_page, CATCHMENT, "code", "visits")}
    assert drawn.get("90002") == 8 and drawn.get("90001") == 6
    assert drawn.get("90003") is None  # two patients: held back, never 0 or 2
    assert page.locator('#sheet button[data-list="encounters_at_facility"]').count() == 0
    map_page.screenshot("map-health-catchment")

    # Duy Xuyên's section: one inpatient is a small count, and last week's dengue is flagged.
    unit = seeded.ids["90002"]
    page.evaluate(f"history.replaceState(null, '', '?sel=unit:{unit}')")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    map_page.sheet(f"unit:{unit}")
    block = page.locator('#sheet .profile-section[data-section="health"]')
    assert block.locator('.kpi[data-kpi="inpatient"] dd').inner_text() == "< 5"
    # Visits count where the station is: all sixteen.
    assert block.locator('.kpi[data-kpi="visits"]').get_attribute("data-value") == "16"
    watch = block.locator(".section-table tbody tr")
    assert watch.count() == 1
    assert watch.locator('td[data-col="name"]').inner_text() == "Xã Duy Xuyên"
    assert watch.locator('td[data-col="cases"]').inner_text() == "< 5"  # three, held back
    chapters = block.locator('figure[data-breakdown] g[data-key="I"]')
    assert "< 5" in chapters.text_content()  # the three dengue cases' chapter, held back
    block.scroll_into_view_if_needed()
    map_page.screenshot("map-health-section")

    # A leader drills from the station to its encounters, pseudonymised.
    sign_in(map_page, leader)
    page.evaluate(f"history.replaceState(null, '', '?sel=facility:{facility}')")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    map_page.sheet(f"record:{facility}")
    listed = page.locator('#sheet button[data-list="encounters_at_facility"]')
    assert listed.locator("xpath=..").locator(".count").inner_text() == "16"
    listed.click()
    page.locator('#sheet[data-view="list"]:not([aria-busy])').wait_for()
    names = page.locator("#sheet .records li .record-name").all_inner_texts()
    assert len(names) == 16 and names.count("A91") == 3  # named by their main diagnosis
    crumbs = page.locator("#sheet .crumbs li").all_inner_texts()
    assert crumbs[-2:] == ["Trạm Y tế Duy Xuyên", "Y tế: lượt khám chữa bệnh tại cơ sở"]
    first = encounters[0]
    page.locator(f'#sheet .records button[data-id="{first.pk}"]').click()
    map_page.sheet(f"record:{first.pk}")
    sheet = page.locator("#sheet")
    assert sheet.locator('dd[data-prop="diagnosis"]').inner_text() == "A91"
    assert first.patient_key not in page.content()  # pseudonyms stay in the database
    map_page.screenshot("map-health-encounter")
    assert map_page.console_errors == []


def test_field_staff_see_the_station_but_not_its_encounters(
    map_page: MapPage, seeded: Seeded, encounters: list[Encounter], field_staff: str
) -> None:
    map_page.open()
    sign_in(map_page, field_staff)
    page = map_page.page
    facility = seeded.facility_ids[STATION]
    page.evaluate(f"history.replaceState(null, '', '?sel=facility:{facility}')")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    map_page.sheet(f"record:{facility}")
    assert page.locator('#sheet button[data-list="encounters_at_facility"]').count() == 0
    denied = page.request.get(f"{map_page.origin}/api/health/encounters/")
    assert denied.status == 403
    assert "Lãnh đạo" in denied.json()["vi"]
