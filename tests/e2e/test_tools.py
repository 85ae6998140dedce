"""Tools in a real Chromium: PNG and CSV exports (real downloads), near me (the context's
geolocation) and the period picker with its time slider."""

import re
import struct
from pathlib import Path

import pytest
from playwright.sync_api import Route

from tests.e2e.conftest import HERE, MapPage, Seeded

pytestmark = pytest.mark.e2e

CHOROPLETH = "facilities-per-commune"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_export_has_the_map_title_legend_and_scale(
    map_page: MapPage, seeded: Seeded, tmp_path: Path
) -> None:
    map_page.open()
    page = map_page.page
    page.locator(f"#toggle-{CHOROPLETH}").check()
    page.locator(f"#legend-{CHOROPLETH}[data-method] li").first.wait_for()
    map_page.idle()
    with page.expect_download() as info:
        page.locator("#export-png").click()
    download = info.value
    assert re.fullmatch(r"gisioc-ban-do-\d{4}-\d{2}-\d{2}\.png", download.suggested_filename)
    path = tmp_path / "map.png"
    download.save_as(path)
    width, height = png_size(path.read_bytes())
    canvas = page.evaluate("[gisiocMap.getCanvas().width, gisiocMap.getCanvas().height]")
    assert width == canvas[0]
    assert height == canvas[1] + 58  # the title band (device pixel ratio 1)
    assert path.stat().st_size > 20_000  # the map itself, not a blank frame
    assert page.locator("#status").inner_text() == "Đã xuất ảnh bản đồ"
    assert map_page.console_errors == []


def test_csv_export_is_the_choropleth_table(
    map_page: MapPage, seeded: Seeded, tmp_path: Path
) -> None:
    map_page.open()
    page = map_page.page
    page.locator("#export-csv").click()  # no thematic map on: it says so
    page.locator("#status.shown").wait_for()
    assert "bản đồ chuyên đề" in page.locator("#status").inner_text()

    page.locator(f"#toggle-{CHOROPLETH}").check()
    page.locator(f"#legend-{CHOROPLETH}[data-method] li").first.wait_for()
    layer = page.locator(f'.layer[data-layer="{CHOROPLETH}"]')
    layer.locator("select[name=method]").select_option("jenks")
    page.locator(f'#legend-{CHOROPLETH}[data-method="jenks"]:not([aria-busy])').wait_for()
    with page.expect_download() as info:
        page.locator("#export-csv").click()
    download = info.value
    assert download.suggested_filename == f"{CHOROPLETH}-facilities.csv"
    path = tmp_path / "table.csv"
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, for spreadsheets
    lines = data.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["code", "name"] and "facilities" in header
    assert header[-1] == "class_jenks"
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(seeded.units)
    assert any(
        "indicator=facilities" in url and "method=jenks" in url
        for url, _ in map_page.responded(f"/tiles/table/{CHOROPLETH}.csv")
    )
    assert map_page.console_errors == []


def test_near_me_lists_the_nearest_facilities(located_page: MapPage, seeded: Seeded) -> None:
    mp = located_page
    mp.open()
    page = mp.page
    page.locator("#near-me").click()
    mp.sheet("near")
    lon, lat = HERE["longitude"], HERE["latitude"]
    api = page.request.get(f"{mp.origin}/api/nearby/?lon={lon}&lat={lat}&limit=10").json()
    names = [f["properties"]["name"] for f in api["features"]]
    assert names[0] == "Trạm Y tế Duy Xuyên"
    shown = page.locator("#sheet .records.near .record-name").all_inner_texts()
    assert shown == [f"{i}. {name}" for i, name in enumerate(names, start=1)]
    first = page.locator("#sheet .records.near li").first
    assert re.search(r"\b\d+ m\b", first.inner_text()), first.inner_text()
    assert page.locator(".me-marker").is_visible()
    mp.screenshot("map-phone-near")

    first.locator("button").click()
    health = seeded.facility_ids["E2E-TYT-2"]
    mp.sheet(f"record:{health}")
    assert page.locator("#sheet .crumbs li").all_inner_texts() == [
        "Huyện",
        "Xã Duy Xuyên",
        "Gần tôi",
        "Trạm Y tế Duy Xuyên",
    ]
    mp.settled()
    lon_c, lat_c = page.evaluate("[gisiocMap.getCenter().lng, gisiocMap.getCenter().lat]")
    assert abs(lon_c - 108.175) < 0.005 and abs(lat_c - 15.815) < 0.005
    page.locator("#sheet .crumbs li").nth(2).locator("button").click()
    mp.sheet("near")
    assert mp.console_errors == []


def test_period_picker_steps_and_replays(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    map_page.sheet("district")
    assert page.locator("#period-label").inner_text() == "Toàn thời gian"
    assert not page.locator("#period-range").is_visible()

    page.locator("#period-kind").select_option("quarter")
    page.wait_for_function("/period=\\d{4}-Q[1-4]/.test(location.search)")
    latest = re.search(r"period=(\d{4}-Q\d)", page.evaluate("location.search")).group(1)
    year, quarter = latest.split("-Q")
    assert page.locator("#period-label").inner_text() == f"Quý {quarter}/{year}"
    assert page.locator("#period-next").is_disabled()
    page.locator('#sheet[data-ready="district"]:not([aria-busy])').wait_for()
    assert any(
        f"period={latest}" in url for url, _ in map_page.responded("/api/profiles/district/")
    )
    assert f"Quý {quarter}/{year}" in page.locator("#sheet .sheet-subtitle").inner_text()

    # Step back with the button, then with the keyboard on the slider.
    page.locator("#period-prev").click()
    previous = page.locator("#period-label").inner_text()
    assert previous != f"Quý {quarter}/{year}"
    page.locator("#period-range").focus()
    page.keyboard.press("ArrowLeft")
    two_back = page.locator("section.period").get_attribute("data-period")
    assert two_back < latest
    assert page.locator("#period-label").inner_text() != previous

    # Play replays the periods in turn up to the latest, then stops.
    play = page.locator("#period-play")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function(
        f"new URLSearchParams(location.search).get('period') === '{latest}'", timeout=15_000
    )
    page.wait_for_function("document.querySelector('#period-play').ariaPressed === 'false'")
    asked = {
        url.split("period=")[1]
        for url, _ in map_page.responded("/api/profiles/district/")
        if "period=" in url
    }
    assert {latest, two_back} <= asked and len(asked) == 3  # each once: profiles are kept

    page.locator("#period-kind").select_option("month")
    label = page.locator("#period-label").inner_text()
    assert re.fullmatch(r"Tháng \d{1,2}/\d{4}", label), label
    page.locator("#period-kind").select_option("")
    page.wait_for_function("!location.search.includes('period=')")
    assert map_page.console_errors == []


def test_layers_filtered_by_period_get_it_in_their_tile_urls(
    map_page: MapPage, seeded: Seeded
) -> None:
    """No layer takes a period yet: give the facilities one in the style's metadata, and
    strip it again from the requests, which our server would refuse."""
    page = map_page.page

    def style(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        for meta in body["metadata"]["gisioc:layers"]:
            if meta["id"] == "facilities":
                period = {"vi": "Kỳ", "en": "Period"}
                meta["filters"].append(
                    {"name": "period", "kind": "text", "title": period, "choices": []}
                )
        route.fulfill(response=response, json=body)

    asked: list[str] = []

    def strip(route: Route) -> None:
        asked.append(route.request.url)
        route.continue_(url=re.sub(r"period=[^&]*&?", "", route.request.url).rstrip("?&"))

    page.route("**/tiles/style.json", style)
    page.route(re.compile(r".*/tiles/(facilities/|legend/facilities\.json).*period="), strip)
    map_page.open("/?period=2025-Q3")
    source = "(id) => gisiocMap.getSource(id).tiles[0]"
    assert re.search(r"\.mvt\?period=2025-Q3(&v=[^&]+)?$", page.evaluate(source, "facilities"))
    assert "period" not in page.evaluate(source, "admin-units")
    page.locator("#legend-facilities li[data-value]").first.wait_for()  # its request was routed
    assert any(".mvt?period=2025-Q3" in url for url in asked)
    # No tile was asked for before the period was on the layer's URL.
    first = [url for url in map_page.requests if "/tiles/facilities/" in url]
    assert first and all("period=" in url for url in first), first
    assert any("legend/facilities.json?period=2025-Q3" in url for url in asked), asked

    page.locator("#period-next").click()
    q4 = "/\\.mvt\\?period=2025-Q4(&v=[^&]+)?$/"
    page.wait_for_function(f"{q4}.test(({source})('facilities'))")
    map_page.idle()
    assert any(".mvt?period=2025-Q4" in url for url in asked)
    page.locator("#period-kind").select_option("")
    page.wait_for_function(f"/\\.mvt(\\?v=[^&]+)?$/.test(({source})('facilities'))")
    assert map_page.console_errors == []
