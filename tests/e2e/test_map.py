"""The map page in a real Chromium: the server's style and vector tiles, our glyphs, the layer
panel built from the style's metadata, legends, opacity, choropleth classes, badge and the
sheet a click opens."""

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import ROOT, MapPage, Seeded

pytestmark = pytest.mark.e2e

UNITS = "admin-units"
LABELS = "admin-units-labels"
VERSION = "admin-units-version"
FACILITIES = "facilities"
CHOROPLETH = "facilities-per-commune"


def rendered(mp: MapPage, style_layers: list[str], prop: str) -> list[str]:
    """Values of `prop` over the features MapLibre has drawn on the given style layers."""
    return mp.page.evaluate(
        "([layers, prop]) => gisiocMap.queryRenderedFeatures({layers})"
        ".map((f) => String(f.properties[prop]))",
        [style_layers, prop],
    )


def style_layers(mp: MapPage, registry_id: str) -> list[str]:
    """Ids of the style layers whose metadata names the registry layer."""
    return mp.page.evaluate(
        "(id) => gisiocMap.getStyle().layers"
        ".filter((l) => l.metadata?.['gisioc:layer'] === id).map((l) => l.id)",
        registry_id,
    )


def drawn(mp: MapPage, registry_id: str, prop: str) -> set[str]:
    """Values of `prop` over a registry layer's drawn features (all its style layers, so its
    labels and clusters too, which lack most properties)."""
    return set(rendered(mp, style_layers(mp, registry_id), prop)) - {"undefined"}


def test_map_draws_the_registry_layers_from_our_server(
    map_page: MapPage, seeded: Seeded, capsys: pytest.CaptureFixture[str]
) -> None:
    map_page.open()
    map_page.screenshot("map-desktop")

    assert map_page.console_errors == []
    assert map_page.foreign_requests() == []
    page = map_page.page
    origin = map_page.origin
    assert page.evaluate("gisiocMap.getStyle().name") == "gisioc"
    assert [s for _, s in map_page.responded("/tiles/style.json")] == [200]
    assert set(rendered(map_page, [UNITS], "code")) == set(seeded.units)
    assert drawn(map_page, FACILITIES, "code") == set(seeded.facilities)
    assert all(s in (200, 204) for _, s in map_page.responded("/tiles/admin-units/"))

    # Labels are drawn with our own SDF glyphs, fetched from the style's glyphs URL.
    glyphs = page.evaluate("gisiocMap.getStyle().glyphs")
    assert glyphs == f"{origin}/tiles/fonts/{{fontstack}}/{{range}}.pbf"
    assert set(rendered(map_page, [LABELS], "label")) == set(seeded.labels.values())
    fonts = map_page.responded("/tiles/fonts/")
    assert fonts and all(url.endswith(".pbf") and status == 200 for url, status in fonts), fonts
    # Vietnamese letters (ồ, ư, ớ) live in the 7680-7935 range: it must have been fetched.
    assert any("/7680-7935.pbf" in url for url, _ in fonts), fonts
    # The bundled-font workaround is gone: no web fonts at all.
    assert not [u for u in map_page.requests if u.endswith((".woff", ".woff2", ".ttf"))]

    badge = page.locator("#approx-badge")
    assert badge.is_visible()
    assert "Ranh giới gần đúng (minh họa)" in badge.inner_text()
    assert "Approximate" not in badge.inner_text()  # Vietnamese first, English by the switch

    # First render: navigation start → mapReady, for the first visitor after the server
    # started (tiles and glyphs rendered on demand), then for a new visitor (empty browser
    # cache) once the server's caches are warm.
    cold = map_page.ready_ms()
    tiles = [u for u, _ in map_page.responded("/tiles/") if u.endswith(".mvt")]
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'")
    warm = map_page.ready_ms()
    manifest = json.loads((ROOT / "frontend/dist/.vite/manifest.json").read_text())
    dist = ROOT / "frontend" / "dist"
    # What the map page loads before it draws: its entry and the entry's static imports (not
    # the other pages' entries, nor chunks loaded on demand such as hls.js).
    files, todo = set(), ["index.html"]
    while todo:
        chunk = manifest[todo.pop()]
        files.add(chunk["file"])
        todo += [key for key in chunk.get("imports", []) if manifest[key]["file"] not in files]
    sizes = {f: (dist / f).stat().st_size for f in files if f.endswith(".js")}
    app = sum(size for f, size in sizes.items() if "maplibre" not in f)
    with capsys.disabled():
        print(
            f"\n[e2e] first render of the default view (1280×800, SwiftShader): "
            f"{cold:.0f} ms cold server, {warm:.0f} ms warm server; {len(tiles)} tiles; "
            f"JS: app {app / 1024:.1f} KiB + MapLibre {(sum(sizes.values()) - app) / 1024:.0f} KiB"
            " (minified, before gzip)"
        )
    assert 0 < warm < 30_000
    assert len(tiles) == len(set(tiles))  # each tile once: none for a view thrown away
    assert map_page.console_errors == []


def test_panel_is_built_from_the_style_metadata(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    metas = page.evaluate("gisiocMap.getStyle().metadata['gisioc:layers']")
    ids = [m["id"] for m in metas]
    assert {UNITS, VERSION, FACILITIES, CHOROPLETH} <= set(ids)
    assert "boundary-drafts" not in ids  # GIS officers only; the page is anonymous

    groups = page.locator(".layer-group")
    assert groups.count() == len({m["system"] for m in metas})
    for meta in metas:
        row = page.locator(f'.layer[data-layer="{meta["id"]}"] .layer-row')
        assert row.locator(".layer-title").inner_text() == meta["title"]["vi"]
        box = page.locator(f"#toggle-{meta['id']}")
        assert box.is_checked() == meta["visible"]
        legend = page.locator(f"#legend-{meta['id']}")
        assert legend.is_visible() == meta["visible"]

    # The categorical legend is the server's.
    legend = page.request.get(f"{map_page.origin}/tiles/legend/{FACILITIES}.json").json()
    items = page.locator(f"#legend-{FACILITIES} li[data-value]")
    items.first.wait_for()
    assert [items.nth(i).get_attribute("data-color") for i in range(items.count())] == [
        i["color"] for i in legend["items"]
    ]
    assert "Trường học" in page.locator(f"#legend-{FACILITIES}").inner_text()

    # The former boundaries' tiles are filtered to the most recently closed version.
    tiles = page.evaluate(f"gisiocMap.getSource('{VERSION}').tiles[0]")
    assert re.search(r"\{z\}/\{x\}/\{y\}\.mvt\?version=e2e-2019(&v=[^&]+)?$", tiles), tiles
    assert map_page.console_errors == []


@pytest.mark.parametrize("registry_id", [FACILITIES, UNITS])
def test_checkbox_toggles_every_style_layer_of_a_registry_layer(
    map_page: MapPage, seeded: Seeded, registry_id: str
) -> None:
    map_page.open()
    box = map_page.page.locator(f"#toggle-{registry_id}")
    layers = style_layers(map_page, registry_id)
    assert box.is_checked() and drawn(map_page, registry_id, "code")

    box.uncheck()
    map_page.idle()
    visibility = "(ids) => ids.map((id) => gisiocMap.getLayoutProperty(id, 'visibility'))"
    assert set(map_page.page.evaluate(visibility, layers)) == {"none"}
    assert drawn(map_page, registry_id, "code") == set()
    assert not map_page.page.locator(f"#legend-{registry_id}").is_visible()

    box.check()
    map_page.idle()
    assert set(map_page.page.evaluate(visibility, layers)) == {"visible"}
    assert drawn(map_page, registry_id, "code")
    assert map_page.console_errors == []


def test_choice_filter_refetches_filtered_tiles(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    kind = page.locator(f'.layer[data-layer="{FACILITIES}"] select[name=kind]')
    assert kind.input_value() == ""
    assert "Trường học" in kind.locator("option").all_inner_texts()
    kind.select_option("school")
    page.wait_for_function(
        f"/\\.mvt\\?kind=school(&v=[^&]+)?$/.test(gisiocMap.getSource('{FACILITIES}').tiles[0])"
    )
    map_page.idle()
    schools = {code for code, k in seeded.facilities.items() if k == "school"}
    assert drawn(map_page, FACILITIES, "code") == schools
    filtered = map_page.responded(f"/tiles/{FACILITIES}/")
    assert any(re.search(r"\?kind=school(&v=[^&]+)?$", url) for url, _ in filtered)
    page.wait_for_function("location.search.includes('f=facilities.kind:school')")

    kind.select_option("")
    map_page.idle()
    assert drawn(map_page, FACILITIES, "code") == set(seeded.facilities)
    assert map_page.console_errors == []


def test_former_boundaries_show_the_closed_version(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    assert drawn(map_page, VERSION, "code") == set()
    map_page.page.locator(f"#toggle-{VERSION}").check()
    map_page.idle()
    assert drawn(map_page, VERSION, "code") == set(seeded.old_units)
    assert drawn(map_page, VERSION, "version") == {"e2e-2019"}
    row = map_page.page.locator(f'.layer[data-layer="{VERSION}"]')
    assert "Thử nghiệm 2019–2025" in row.inner_text()
    assert map_page.console_errors == []


def legend_classes(mp: MapPage) -> list[tuple[float | None, float | None, str | None]]:
    """(min, max, colour) of each class the page's choropleth legend shows."""

    def number(text: str | None) -> float | None:
        return None if text in (None, "null") else float(text)

    items = mp.page.locator(f"#legend-{CHOROPLETH} li")
    return [
        (
            number(items.nth(i).get_attribute("data-min")),
            number(items.nth(i).get_attribute("data-max")),
            items.nth(i).get_attribute("data-color"),
        )
        for i in range(items.count())
    ]


def test_choropleth_method_changes_legend_and_colours(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    layer = page.locator(f'.layer[data-layer="{CHOROPLETH}"]')
    assert not page.locator(f"#legend-{CHOROPLETH}").is_visible()
    page.locator(f"#toggle-{CHOROPLETH}").check()
    page.locator(f"#legend-{CHOROPLETH}[data-method] li").first.wait_for()
    method = layer.locator("select[name=method]")
    assert method.input_value() == "quantile"  # the registry's default
    options = method.locator("option").all_inner_texts()
    assert options == ["Khoảng đều", "Phân vị", "Ngắt tự nhiên (Jenks)"]
    classes = layer.locator("select[name=classes]")
    assert classes.locator("option").all_inner_texts() == ["3", "4", "5", "6", "7"]
    classes.select_option("3")

    seen = set()
    for chosen in ("equal_interval", "jenks", "quantile"):
        method.select_option(chosen)
        page.locator(f'#legend-{CHOROPLETH}[data-method="{chosen}"]:not([aria-busy])').wait_for()
        api = page.request.get(
            f"{map_page.origin}/tiles/legend/{CHOROPLETH}.json?method={chosen}&classes=3"
        ).json()
        legend = page.locator(f"#legend-{CHOROPLETH}")
        assert json.loads(legend.get_attribute("data-breaks") or "null") == api["breaks"]
        expected = [(c["min"], c["max"], c["color"]) for c in api["classes"]]
        assert legend_classes(map_page) == expected
        fill = page.evaluate(f"gisiocMap.getPaintProperty('{CHOROPLETH}', 'fill-color')")
        assert fill == api["expression"]
        seen.add(tuple(api["breaks"]))
        map_page.idle()
        assert drawn(map_page, CHOROPLETH, "code") == set(seeded.units)
    assert len(seen) == 3, seen  # the seed makes every method break differently

    layer.locator("select[name=indicator]").select_option("schools")
    page.locator(f'#legend-{CHOROPLETH}[data-indicator="schools"]:not([aria-busy])').wait_for()
    api = page.request.get(
        f"{map_page.origin}/tiles/legend/{CHOROPLETH}.json?indicator=schools&method=quantile&classes=3"
    ).json()
    fill = page.evaluate(f"gisiocMap.getPaintProperty('{CHOROPLETH}', 'fill-color')")
    assert fill == api["expression"]

    # A click on the thematic layer opens the commune, with the numbers the map shows.
    map_page.idle()
    click_at(map_page, 108.225, 15.8)  # Nam Phước, away from its facilities
    map_page.sheet(f"unit:{seeded.ids['90003']}")
    sheet = page.locator("#sheet")
    assert sheet.locator("#sheet-title").inner_text() == "Xã Nam Phước"
    on_map = sheet.locator(".on-map")
    assert on_map.locator('[data-indicator="facilities"] dd').inner_text() == "4"
    assert on_map.locator('[data-indicator="schools"] dd').inner_text() == "1"
    assert "Trường học" in on_map.inner_text()
    assert "choro=facilities-per-commune:schools:quantile:3" in page.evaluate("location.search")
    map_page.screenshot("map-desktop-choropleth")
    assert map_page.console_errors == []


def click_at(mp: MapPage, lon: float, lat: float) -> None:
    x, y = mp.page.evaluate(
        "([lon, lat]) => { const p = gisiocMap.project([lon, lat]); return [p.x, p.y]; }",
        [lon, lat],
    )
    box = mp.page.locator("#map canvas").bounding_box()
    assert box is not None
    mp.page.mouse.click(box["x"] + x, box["y"] + y)


def test_opacity_slider_scales_the_paint_opacity(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    page.locator(f"#toggle-{CHOROPLETH}").check()
    opacity = "(id) => gisiocMap.getPaintProperty(id, 'fill-opacity')"
    assert page.evaluate(opacity, CHOROPLETH) == 0.75  # the registry's own
    slider = page.locator(f"#opacity-{CHOROPLETH}")
    assert slider.input_value() == "100"
    slider.fill("40")
    assert page.evaluate(opacity, CHOROPLETH) == 0.3
    assert page.locator(f'output[for="opacity-{CHOROPLETH}"]').inner_text() == "40 %"
    page.wait_for_function(f"location.search.includes('{CHOROPLETH}~40')")

    # Points scale their fill and outline together.
    page.locator(f"#opacity-{FACILITIES}").fill("50")
    points = [layer for layer in style_layers(map_page, FACILITIES)]
    values = page.evaluate(
        "(ids) => ids.map((id) => gisiocMap.getLayer(id).type === 'circle'"
        " ? gisiocMap.getPaintProperty(id, 'circle-opacity') : null)",
        points,
    )
    assert sorted(v for v in values if v is not None) == [0.425, 0.5]  # clusters 0.85, points 1
    assert map_page.console_errors == []


def test_click_on_commune_opens_its_profile(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    click_at(map_page, 108.165, 15.795)  # inside "Xã Duy Xuyên" (90002), off its facilities
    unit = seeded.ids["90002"]
    map_page.sheet(f"unit:{unit}")
    sheet = page.locator("#sheet")
    text = sheet.inner_text()
    assert sheet.locator("#sheet-title").inner_text() == "Xã Duy Xuyên"
    assert "90002" in text and "e2e-2025" in text
    assert re.search(r"\d+,\d+ km²", text), text  # vi-VN number format: decimal comma
    assert "gần đúng" in text
    assert "Xã Duy Trinh" in sheet.locator(".facts").inner_text()  # its predecessor
    map_page.idle()
    assert page.evaluate("gisiocMap.getLayer('gisioc-highlight')?.source") == UNITS
    assert f"sel=unit:{unit}" in page.evaluate("location.search")
    map_page.screenshot("map-desktop-profile")

    click_at(map_page, 108.125, 15.815)  # the school in Thu Bồn
    school = seeded.facility_ids["E2E-SCH-1"]
    map_page.sheet(f"record:{school}")
    assert sheet.locator("#sheet-title").inner_text() == "Trường Tiểu học Thu Bồn"
    assert "Trường học" in sheet.inner_text()
    assert sheet.locator('[data-prop="code"]').inner_text() == "E2E-SCH-1"
    crumbs = sheet.locator(".crumbs li")
    assert crumbs.all_inner_texts() == ["Huyện", "Xã Thu Bồn", "Trường Tiểu học Thu Bồn"]
    assert f"sel=facility:{school}" in page.evaluate("location.search")
    assert map_page.console_errors == []


def test_click_on_cluster_zooms_in(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    page.evaluate("gisiocMap.jumpTo({center: [108.175, 15.805], zoom: 9})")
    map_page.idle()
    clusters = page.evaluate(
        "(ids) => gisiocMap.queryRenderedFeatures({layers: ids})"
        ".filter((f) => f.properties.count !== undefined)"
        ".map((f) => [f.geometry.coordinates, f.properties.count])",
        style_layers(map_page, FACILITIES),
    )
    assert clusters and sum(n for _, n in clusters) >= 1
    (lon, lat), _ = max(clusters, key=lambda c: c[1])
    click_at(map_page, lon, lat)
    page.wait_for_function("gisiocMap.getZoom() > 10.5 && !gisiocMap.isMoving()")
    assert page.locator("#sheet").get_attribute("data-ready") == "district"
    assert map_page.console_errors == []


def test_phone_layout_collapses_the_panel(phone_page: MapPage, seeded: Seeded) -> None:
    phone_page.open()
    page = phone_page.page
    toggle = page.locator(".panel-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(f"#toggle-{FACILITIES}").is_visible()
    assert page.locator("#approx-badge").is_visible()
    assert set(rendered(phone_page, [UNITS], "code")) == set(seeded.units)
    # The district's profile is the bottom sheet, under the map.
    phone_page.sheet("district")
    sheet = page.locator("#sheet").bounding_box()
    assert sheet and sheet["y"] > 844 / 2 and sheet["width"] == 390
    phone_page.screenshot("map-phone")

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(f"#toggle-{FACILITIES}").is_visible()
    phone_page.screenshot("map-phone-panel")
    assert phone_page.console_errors == []
    assert phone_page.foreign_requests() == []
    assert all(urlsplit(u).scheme in ("http", "data", "blob") for u in phone_page.requests)


def test_style_failure_is_shown_not_thrown(map_page: MapPage, seeded: Seeded) -> None:
    page = map_page.page
    page.route("**/tiles/style.json", lambda route: route.fulfill(status=500, body="{}"))
    page.goto(map_page.origin + "/")
    page.wait_for_function("document.body.dataset.mapReady")
    assert page.evaluate("document.body.dataset.mapReady") == "error"
    notice = page.locator("#map-notice")
    assert notice.is_visible()
    assert "Không tải được kiểu bản đồ" in notice.inner_text()
    page.locator('.lang-switch [data-lang="en"]').click()
    assert "The map style could not be loaded" in notice.inner_text()
    assert not [e for e in map_page.console_errors if e.startswith("uncaught")]


NAMELESS = """() => [...document.querySelectorAll('#app button, #app input, #app select, #app a')]
  .filter((el) => el.offsetParent !== null)
  .filter((el) => !(el.getAttribute('aria-label') || el.title || el.textContent.trim()
    || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el.closest('label')))
  .map((el) => el.outerHTML.slice(0, 80))"""


def test_controls_are_named_and_reached_by_keyboard(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    page = map_page.page
    map_page.sheet("district")
    page.locator(f"#toggle-{CHOROPLETH}").check()
    page.locator(f"#legend-{CHOROPLETH}[data-method] li").first.wait_for()
    assert page.evaluate(NAMELESS) == []
    slider = page.locator(f"#opacity-{CHOROPLETH}")
    assert slider.get_attribute("aria-label") == "Độ đậm: Số cơ sở theo xã"

    # Tab from the search box reaches the tools, the language switch and then the panel.
    page.locator("#search-input").focus()
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("document.activeElement.id || document.activeElement.dataset.lang")
        )
    assert seen[:4] == ["near-me", "share", "export-png", "export-csv"]
    assert "vi" in seen and "en" in seen and "sign-in" in seen
    # Space toggles a layer from the keyboard; the focus stays on its checkbox.
    page.locator("#toggle-facilities").focus()
    page.keyboard.press("Space")
    assert not page.locator("#toggle-facilities").is_checked()
    assert page.evaluate("document.activeElement.id") == "toggle-facilities"
    page.keyboard.press("Space")
    assert page.locator("#toggle-facilities").is_checked()
    # A commune from the sheet's table by keyboard: Enter opens it, focus moves to its title.
    unit = page.locator(f'#sheet .children button[data-unit="{seeded.ids["90001"]}"]')
    unit.focus()
    page.keyboard.press("Enter")
    map_page.sheet(f"unit:{seeded.ids['90001']}")
    assert page.evaluate("document.activeElement.id") == "sheet-title"
    assert map_page.console_errors == []
