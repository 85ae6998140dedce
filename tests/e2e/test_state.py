"""The URL holds the whole state: a shared link reproduces layers, opacity, the choropleth's
indicator and method, period, filters, the selected feature, language and view; and the
English switch changes texts and number formats."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.conftest import MapPage, Seeded

pytestmark = pytest.mark.e2e

CHOROPLETH = "facilities-per-commune"


def visible_layers(mp: MapPage) -> set[str]:
    """Registry layers whose checkbox is ticked."""
    return set(
        mp.page.eval_on_selector_all(
            ".layer-row input:checked", "(boxes) => boxes.map((b) => b.dataset.layer)"
        )
    )


def test_shared_link_restores_the_state(map_page: MapPage, seeded: Seeded) -> None:
    unit = seeded.ids["90003"]
    query = (
        f"lang=en&map=13.2/15.805/108.2251/20&layers=admin-units,{CHOROPLETH}~60,facilities"
        f"&choro={CHOROPLETH}:schools:jenks:3&period=2025-Q3&f=facilities.kind:school"
        f"&sel=unit:{unit}"
    )
    map_page.open(f"/?{query}")
    page = map_page.page
    map_page.sheet(f"unit:{unit}")

    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator(".topbar h1").inner_text().startswith("Intelligent Operations Center")
    assert visible_layers(map_page) == {"admin-units", CHOROPLETH, "facilities"}
    assert page.evaluate(f"gisiocMap.getPaintProperty('{CHOROPLETH}', 'fill-opacity')") == 0.45
    layer = page.locator(f'.layer[data-layer="{CHOROPLETH}"]')
    page.locator(f'#legend-{CHOROPLETH}[data-method="jenks"]:not([aria-busy])').wait_for()
    assert layer.locator("select[name=indicator]").input_value() == "schools"
    assert layer.locator("select[name=classes]").input_value() == "3"
    legend = page.request.get(
        f"{map_page.origin}/tiles/legend/{CHOROPLETH}.json?indicator=schools&method=jenks&classes=3"
    ).json()
    fill = page.evaluate(f"gisiocMap.getPaintProperty('{CHOROPLETH}', 'fill-color')")
    assert fill == legend["expression"]
    assert page.locator("#period-kind").input_value() == "quarter"
    assert page.locator("#period-label").inner_text() == "Q3 2025"
    source = page.evaluate("gisiocMap.getSource('facilities').tiles[0]")
    assert re.search(r"\.mvt\?kind=school(&v=[^&]+)?$", source), source  # v: the data version
    # Filtered from the first tile on: none was asked for unfiltered.
    facilities = [url for url, _ in map_page.responded("/tiles/facilities/")]
    filtered = [re.search(r"\?kind=school(&v=[^&]+)?$", url) for url in facilities]
    assert facilities and all(filtered), facilities
    assert any(
        "period=2025-Q3" in url for url, _ in map_page.responded(f"/api/profiles/units/{unit}/")
    )
    assert page.locator("#sheet-title").inner_text() == "Xã Nam Phước"
    assert page.locator("#sheet .sheet-subtitle").inner_text() == "Period: Q3 2025"
    view = page.evaluate(
        "[gisiocMap.getZoom(), gisiocMap.getCenter().lat, gisiocMap.getCenter().lng,"
        " gisiocMap.getBearing()]"
    )
    assert view == pytest.approx([13.2, 15.805, 108.2251, 20], abs=1e-3)
    map_page.idle()
    assert page.evaluate("gisiocMap.getLayer('gisioc-highlight')?.filter") == ["==", ["id"], unit]
    map_page.screenshot("map-desktop-shared-en")
    assert map_page.console_errors == []


def test_share_button_copies_a_link_that_reproduces_the_page(
    sharing_page: MapPage, seeded: Seeded
) -> None:
    mp = sharing_page
    mp.open()
    page = mp.page
    page.locator(f"#toggle-{CHOROPLETH}").check()
    page.locator(f"#legend-{CHOROPLETH}[data-method] li").first.wait_for()
    page.locator(f'.layer[data-layer="{CHOROPLETH}"] select[name=method]').select_option("jenks")
    page.locator(f"#opacity-{CHOROPLETH}").fill("80")
    page.locator("#toggle-facilities").uncheck()
    page.locator("#period-kind").select_option("year")
    page.locator(".children button[data-unit]").first.wait_for()
    page.locator(f'.children button[data-unit="{seeded.ids["90001"]}"]').click()
    mp.sheet(f"unit:{seeded.ids['90001']}")
    mp.settled()
    page.locator('.lang-switch [data-lang="en"]').click()

    page.locator("#share").click()
    page.locator("#status.shown").wait_for()
    assert page.locator("#status").inner_text() == "Link copied"
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.evaluate("location.href") or link == page.locator("#share").get_attribute(
        "data-url"
    )
    params = parse_qs(urlsplit(link).query)
    assert params["lang"] == ["en"]
    assert params["layers"] == [f"admin-units,{CHOROPLETH}~80"]
    assert params["choro"] == [f"{CHOROPLETH}::jenks:"]
    assert re.fullmatch(r"\d{4}", params["period"][0])
    assert params["sel"] == [f"unit:{seeded.ids['90001']}"]
    assert len(params["map"][0].split("/")) == 3

    other = page.context.new_page()
    other.goto(link)
    other.wait_for_function("document.body.dataset.mapReady === '1'")
    other.locator(f'#sheet[data-ready="unit:{seeded.ids["90001"]}"]:not([aria-busy])').wait_for()
    assert other.locator("#sheet-title").inner_text() == "Xã Thu Bồn"
    assert other.locator("#toggle-facilities").is_checked() is False
    assert other.locator(f"#toggle-{CHOROPLETH}").is_checked()
    assert other.evaluate(f"gisiocMap.getPaintProperty('{CHOROPLETH}', 'fill-opacity')") == 0.6
    other.locator(f'#legend-{CHOROPLETH}[data-method="jenks"]').wait_for()
    assert other.locator("#period-label").inner_text() == params["period"][0]
    assert other.locator(".topbar h1").inner_text().startswith("Intelligent")
    # The link's view, taken as written (north up: no bearing in it), not fitted to the district.
    zoom, lat, lon = map(float, params["map"][0].split("/"))
    seen = other.evaluate(
        "[gisiocMap.getZoom(), gisiocMap.getCenter().lat, gisiocMap.getCenter().lng]"
    )
    assert seen == pytest.approx([zoom, lat, lon], abs=1e-3)
    other.close()
    assert mp.console_errors == []


def test_english_switch_changes_texts_and_number_formats(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    click_unit = seeded.ids["90002"]
    page.locator(f'.children button[data-unit="{click_unit}"]').click()
    map_page.sheet(f"unit:{click_unit}")
    area = page.locator('#sheet .kpi[data-kpi="area"] dd')
    vi_area = area.inner_text()
    assert re.fullmatch(r"\d+,\d+ km²", vi_area), vi_area
    assert page.locator("#search-input").get_attribute("placeholder").startswith("Tìm xã")
    assert page.locator("#near-me").inner_text() == "Gần tôi"

    english = page.locator('.lang-switch [data-lang="en"]')
    english.click()
    assert english.get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert area.inner_text() == vi_area.replace(",", ".")
    assert page.locator("#near-me").inner_text() == "Near me"
    assert page.locator("#share").inner_text() == "Share"
    assert page.locator("#search-input").get_attribute("placeholder").startswith("Search")
    assert page.locator(".panel-toggle").inner_text().strip() == "Layers"
    metas = page.evaluate("gisiocMap.getStyle().metadata['gisioc:layers']")
    for meta in metas:
        title = page.locator(f'.layer[data-layer="{meta["id"]}"] .layer-title')
        assert title.inner_text() == meta["title"]["en"]
    assert page.locator("#sheet .crumbs li").all_inner_texts() == ["District", "Xã Duy Xuyên"]
    assert "Not located: 0" in page.locator("#sheet").inner_text()
    assert page.locator('#legend-facilities li[data-value="school"]').inner_text() == "School"
    assert "Approximate boundaries (demo)" in page.locator("#approx-badge").inner_text()
    page.wait_for_function("location.search.includes('lang=en')")
    map_page.screenshot("map-desktop-en")

    page.locator('.lang-switch [data-lang="vi"]').click()
    assert area.inner_text() == vi_area
    assert page.locator("#near-me").inner_text() == "Gần tôi"
    page.wait_for_function("!location.search.includes('lang=')")
    assert map_page.console_errors == []
