"""Drill-down in a real Chromium: the district's profile, a commune's (numbers equal to the
API's), its record lists and records, breadcrumbs back up, and the search box."""

import pytest

from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_map import click_at

pytestmark = pytest.mark.e2e


def vi_number(value: float, format: str) -> str:
    """A number as Intl.NumberFormat('vi-VN') writes it (dot thousands, comma decimals)."""
    if format == "int":
        text = f"{round(value):,}"
    elif format == "percent":
        text = f"{value * 100:,.1f}".rstrip("0").rstrip(".") + " %"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def assert_profile_matches(mp: MapPage, body: dict) -> None:
    """Every KPI, freshness line and not-located count of the API's profile is in the sheet,
    formatted."""
    sheet = mp.page.locator("#sheet")
    assert sheet.locator("#sheet-title").inner_text() == body["title"]["vi"]
    assert body["sections"], body
    for section in body["sections"]:
        block = sheet.locator(f'.profile-section[data-section="{section["id"]}"]')
        assert block.locator("h3").inner_text().lower() == section["title"]["vi"].lower()
        for kpi in section["kpis"]:
            cell = block.locator(f'.kpi[data-kpi="{kpi["id"]}"]')
            if kpi["value"] is None:
                assert cell.locator("dd").inner_text() == "–"
                continue
            assert float(cell.get_attribute("data-value") or "nan") == kpi["value"]
            shown = vi_number(kpi["value"], kpi["format"])
            unit = f" {kpi['unit']['vi']}" if kpi["unit"] else ""
            assert cell.locator("dd").inner_text().replace("\n", " ") == shown + unit
        fresh, line = section["freshness"], block.locator(".freshness")
        if fresh is None:
            assert line.count() == 0
        else:
            assert line.get_attribute("data-newest") == fresh["newest"]
            stale = "stale" in (line.get_attribute("class") or "").split()
            assert stale is fresh["stale"]
            said = "Không có bản ghi mới từ" if stale else "Bản ghi mới nhất"
            assert line.inner_text().startswith(said)
        located = block.locator(".not-located")
        assert located.get_attribute("data-count") == str(section["not_located"])
        assert "Không định vị được" in located.inner_text()
        for series in section["series"]:
            points = block.locator(
                f'figure[data-series="{series["id"]}"] circle, '
                f'figure[data-series="{series["id"]}"] rect'
            )
            assert points.count() == len([p for p in series["points"] if p["value"] is not None])
        for breakdown in section["breakdowns"]:
            bars = block.locator(f'figure[data-breakdown="{breakdown["id"]}"] g[data-key]')
            assert bars.count() == len(breakdown["items"])
        for listed in section["lists"]:
            assert block.locator(f'button[data-list="{listed["id"]}"]').count() == 1


def test_district_profile_then_commune_then_record_and_back(
    map_page: MapPage, seeded: Seeded
) -> None:
    map_page.open()
    page = map_page.page
    origin = map_page.origin
    map_page.sheet("district")
    district = page.request.get(f"{origin}/api/profiles/district/").json()
    assert_profile_matches(map_page, district)
    rows = page.locator("#sheet .children tbody tr")
    assert sorted(rows.locator("th").all_inner_texts()) == sorted(seeded.units.values())
    assert not page.locator("#sheet .crumbs-nav").is_visible()  # the top: nothing to go back to

    # A commune from the map: its profile is the API's, number for number.
    click_at(map_page, 108.165, 15.795)  # Xã Duy Xuyên, off its facilities
    unit = seeded.ids["90002"]
    map_page.sheet(f"unit:{unit}")
    profile = page.request.get(f"{origin}/api/profiles/units/{unit}/").json()
    assert_profile_matches(map_page, profile)
    assert page.locator("#sheet .crumbs li").all_inner_texts() == ["Huyện", "Xã Duy Xuyên"]

    # Its facilities, then one of them.
    facilities = page.locator('#sheet button[data-list="facilities"]')
    facilities.click()
    page.locator('#sheet[data-view="list"]:not([aria-busy])').wait_for()
    listed = page.locator("#sheet .records li")
    assert sorted(listed.locator(".record-name").all_inner_texts()) == [
        "Trạm Y tế Duy Xuyên",
        "UBND xã Duy Xuyên",
    ]
    health = seeded.facility_ids["E2E-TYT-2"]
    page.locator(f'#sheet .records button[data-id="{health}"]').click()
    map_page.sheet(f"record:{health}")
    crumbs = page.locator("#sheet .crumbs li")
    assert crumbs.all_inner_texts() == [
        "Huyện",
        "Xã Duy Xuyên",
        "Danh sách cơ sở",
        "Trạm Y tế Duy Xuyên",
    ]
    assert "Cơ sở y tế" in page.locator("#sheet").inner_text()
    map_page.settled()
    assert page.evaluate("gisiocMap.getLayer('gisioc-highlight-point')?.source") == "facilities"
    map_page.screenshot("map-desktop-record")

    # Breadcrumbs go back up: the list, the commune, the district.
    crumbs.nth(2).locator("button").click()
    page.locator('#sheet[data-view="list"]:not([aria-busy])').wait_for()
    page.locator("#sheet .crumbs li").nth(1).locator("button").click()
    map_page.sheet(f"unit:{unit}")
    page.locator("#sheet .crumbs li").first.locator("button").click()
    map_page.sheet("district")
    assert page.locator("#sheet-title").inner_text() == district["title"]["vi"]
    assert "sel=" not in page.evaluate("location.search")

    # Browser Back returns to the commune; Escape closes the sheet, the overview reopens it.
    page.go_back()
    map_page.sheet(f"unit:{unit}")
    page.locator("#sheet-title").focus()
    page.keyboard.press("Escape")
    assert not page.locator("#sheet").is_visible()
    assert page.evaluate("document.activeElement.id") == "sheet-open"
    page.keyboard.press("Enter")
    assert page.locator("#sheet").is_visible()
    assert map_page.console_errors == []


def test_search_finds_a_former_commune_without_diacritics(
    map_page: MapPage, seeded: Seeded
) -> None:
    map_page.open()
    page = map_page.page
    box = page.locator("#search-input")
    box.click()
    page.keyboard.type("duy chau")  # Xã Duy Châu, closed in 2025, now part of Thu Bồn
    options = page.locator("#search-results [role=option]")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    thu_bon = page.locator(f'#search-results [data-type="unit"][data-id="{seeded.ids["90001"]}"]')
    assert thu_bon.locator(".search-label").inner_text() == "Xã Thu Bồn"
    assert "Tên cũ: Xã Duy Châu" in thu_bon.inner_text()
    map_page.screenshot("map-desktop-search")

    # Keyboard: down to the commune, Enter opens it and flies there.
    index = [o.get_attribute("data-id") for o in options.all()].index(str(seeded.ids["90001"]))
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == f"search-opt-{index}"
    assert thu_bon.get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    map_page.sheet(f"unit:{seeded.ids['90001']}")
    assert box.get_attribute("aria-expanded") == "false"
    map_page.settled()
    lon, lat = page.evaluate("[gisiocMap.getCenter().lng, gisiocMap.getCenter().lat]")
    # The padding for the panel and the sheet shifts the centre; the commune fills the middle.
    assert 108.05 < lon < 108.2 and 15.75 < lat < 15.86, (lon, lat)
    outlined = page.evaluate(
        "gisiocMap.queryRenderedFeatures({layers: ['gisioc-highlight']})"
        ".map((f) => f.properties.code)"
    )
    assert set(outlined) == {"90001"}

    # A facility by code; Escape closes the list, then empties the box.
    box.fill("")
    page.keyboard.type("E2E-CAM")
    page.locator('#search-results [data-type="facility"]').first.wait_for()
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator("#sheet").is_visible()  # the search's Escape is not the sheet's
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    camera = seeded.facility_ids["E2E-CAM-3"]
    map_page.sheet(f"record:{camera}")
    assert page.locator("#sheet-title").inner_text() == "Camera ngã ba Nam Phước"
    map_page.settled()
    lon, lat = page.evaluate("[gisiocMap.getCenter().lng, gisiocMap.getCenter().lat]")
    assert abs(lon - 108.225) < 0.02 and abs(lat - 15.815) < 0.01, (lon, lat)
    assert page.evaluate("gisiocMap.getZoom()") >= 15
    assert map_page.console_errors == []
