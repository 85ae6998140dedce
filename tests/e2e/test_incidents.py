"""Incidents in a real Chromium: a leader opens an incident by clicking the map, sees the
health station within its radius (and not the school 5 km away) with the circle drawn, the
incident on the layer of open incidents, adds a note, closes it with a summary, and it leaves
the map and the list."""

import pytest

from gisioc.incidents.models import Incident
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_dossiers import leader, sign_in  # noqa: F401  (the leader fixture)
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e
# 400 m south-east of Trạm Y tế Duy Xuyên (108.175, 15.815), in Xã Duy Xuyên (90002).
PLACE = (108.178, 15.8125)
TITLE = "Ngập sâu đường liên xã"
RENDERED = """() => {
  const ids = gisiocMap.getStyle().layers
    .filter((l) => l.metadata?.['gisioc:layer'] === 'incidents').map((l) => l.id);
  return ids.length ? gisiocMap.queryRenderedFeatures({ layers: ids }).length : -1;
}"""


def _rendered(mp: MapPage, count: int) -> None:
    """Wait until the incidents layer draws `count` features (its tiles fetched again)."""
    mp.page.wait_for_function(f"({RENDERED})() === {count}", timeout=20_000, polling=250)


def test_a_leader_opens_an_incident_sees_what_is_near_and_closes_it(
    map_page: MapPage,
    seeded: Seeded,
    leader: str,  # noqa: F811
) -> None:
    map_page.open()
    page = map_page.page
    assert page.locator("#inc-tool").count() == 0, "not for the public"
    sign_in(map_page, leader)
    page.locator("#inc-tool").click()
    map_page.sheet("incidents:list")
    assert "Không có sự việc" in page.locator("#inc-count").inner_text()

    page.locator("#inc-open").click()
    map_page.sheet("incidents:open")
    page.select_option("#inc-kind", "flood")
    page.select_option("#inc-severity", "3")
    page.fill("#inc-title", TITLE)
    # The place in the middle of the map (left of the sheet).
    page.evaluate("([c]) => gisiocMap.jumpTo({ center: c, zoom: 14 })", [PLACE])
    map_page.settled()
    click_at(map_page, *PLACE)
    page.wait_for_selector("#inc-open-form[data-picked='1']")
    assert "Đã chọn" in page.locator("#inc-where").inner_text()
    page.locator("#inc-send").click()

    panel = page.locator("#inc-panel[data-status='open']")
    panel.wait_for()
    incident = Incident.objects.get()
    assert incident.title == TITLE and incident.severity == 3 and incident.kind == "flood"
    assert abs(incident.geom.x - PLACE[0]) < 0.002 and abs(incident.geom.y - PLACE[1]) < 0.002
    assert incident.unit_id == seeded.ids["90002"], "located in its commune"
    facilities = page.locator("#inc-facilities")
    facilities.locator("li").first.wait_for()
    listed = facilities.inner_text()
    assert "Trạm Y tế Duy Xuyên" in listed and "Trường Tiểu học Thu Bồn" not in listed
    page.wait_for_function("document.body.dataset.incidentArea === '1000'")
    map_page.idle()
    drawn = "(ids) => gisiocMap.queryRenderedFeatures({ layers: ids }).length"
    assert page.evaluate(drawn, ["inc-area-line"]) > 0, "the radius drawn as a circle"
    assert page.evaluate(drawn, ["inc-near-points"]) == 1, "the health station marked"
    _rendered(map_page, 1)
    map_page.screenshot("incident-open")

    page.locator("#inc-act-note").click()
    page.fill("#inc-form-note textarea", "Đã cử lực lượng phong tỏa")
    page.locator("#inc-confirm").click()
    page.locator("#inc-timeline li[data-action='note']").wait_for()

    page.locator("#inc-act-close").click()
    page.locator("#inc-confirm").click()  # no summary: the browser's own check holds it
    assert Incident.objects.get().status == "open"
    page.fill("#inc-summary", "Nước đã rút, không có thiệt hại về người.")
    page.locator("#inc-confirm").click()
    page.locator("#inc-panel[data-status='closed']").wait_for()
    assert "Nước đã rút" in page.locator("#inc-summary-text").inner_text()
    closed = Incident.objects.get()
    assert closed.status == "closed" and closed.summary.startswith("Nước đã rút")
    assert [a.action for a in closed.actions.all()] == ["opened", "note", "closed"]
    _rendered(map_page, 0)
    page.wait_for_function("document.body.dataset.incidentArea === undefined")

    page.locator("#inc-tool").click()
    map_page.sheet("incidents:list")
    assert "Không có sự việc" in page.locator("#inc-count").inner_text()
    assert not map_page.foreign_requests()
    assert not [e for e in map_page.console_errors if "incident" in e.lower()], (
        map_page.console_errors
    )
