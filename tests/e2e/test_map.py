"""The map page in a real Chromium: the server's style and vector tiles, our glyphs, the layer
panel built from the style's metadata, legends, choropleth classes, badge and popups."""

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import MapPage, Seeded

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
    assert "Approximate boundaries (demo)" in badge.inner_text()

    # First render: navigation start → mapReady, for the first visitor after the server
    # started (tiles and glyphs rendered on demand), then for a new visitor (empty browser
    # cache) once the server's caches are warm.
    cold = map_page.ready_ms()
    tiles = [u for u, _ in map_page.responded("/tiles/") if u.endswith(".mvt")]
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'")
    warm = map_page.ready_ms()
    with capsys.disabled():
        print(
            f"\n[e2e] first render of the default view (1280×800, SwiftShader): "
            f"{cold:.0f} ms cold server, {warm:.0f} ms warm server; {len(tiles)} tiles"
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
        assert row.locator(".vi").first.inner_text() == meta["title"]["vi"]
        assert row.locator(".en").first.inner_text() == meta["title"]["en"]
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
    assert tiles.endswith("{z}/{x}/{y}.mvt?version=e2e-2019"), tiles
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
    assert "Trường học — School" in kind.locator("option").all_inner_texts()
    kind.select_option("school")
    page.wait_for_function(
        f"gisiocMap.getSource('{FACILITIES}').tiles[0].endsWith('.mvt?kind=school')"
    )
    map_page.idle()
    schools = {code for code, k in seeded.facilities.items() if k == "school"}
    assert drawn(map_page, FACILITIES, "code") == schools
    filtered = map_page.responded(f"/tiles/{FACILITIES}/")
    assert any(url.endswith("?kind=school") for url, _ in filtered)

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
    assert options == [
        "Khoảng đều — Equal interval",
        "Phân vị — Quantile",
        "Ngắt tự nhiên (Jenks) — Natural breaks",
    ]
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

    # The thematic layer's popup shows the commune's numbers.
    map_page.idle()
    click_at(map_page, 108.225, 15.8)  # Nam Phước, away from its facilities
    popup = page.locator(".maplibregl-popup")
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert "Số cơ sở theo xã" in popup.text_content() and "Xã Nam Phước" in text
    assert re.search(r"Số cơ sở · Facilities\s+4\b", text), text
    assert re.search(r"Trường học · Schools\s+1\b", text), text
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


def test_click_on_commune_opens_popup(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    click_at(map_page, 108.165, 15.795)  # inside "Xã Duy Xuyên" (90002), off its facilities
    popup = map_page.page.locator(".maplibregl-popup")
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert "Xã Duy Xuyên" in text
    assert "90002" in text and "e2e-2025" in text and "Thử nghiệm 2025–" in text
    assert re.search(r"\d+,\d+ km²", text), text  # vi-VN number format: decimal comma
    assert "gần đúng" in text
    map_page.idle()
    assert map_page.page.evaluate("gisiocMap.getLayer('gisioc-highlight')?.source") == UNITS
    map_page.screenshot("map-desktop-popup")

    click_at(map_page, 108.125, 15.815)  # the school in Thu Bồn
    popup.wait_for(state="visible")
    map_page.page.wait_for_function(
        "document.querySelector('.maplibregl-popup').innerText.includes('Trường Tiểu học')"
    )
    text = popup.inner_text()
    assert "Trường Tiểu học Thu Bồn" in text and "Trường học" in text
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
    assert not page.locator(".maplibregl-popup").is_visible()
    assert map_page.console_errors == []


def test_phone_layout_collapses_the_panel(phone_page: MapPage, seeded: Seeded) -> None:
    phone_page.open()
    page = phone_page.page
    toggle = page.locator(".panel-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator(f"#toggle-{FACILITIES}").is_visible()
    assert page.locator("#approx-badge").is_visible()
    assert set(rendered(phone_page, [UNITS], "code")) == set(seeded.units)
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
    assert "The map style could not be loaded" in notice.inner_text()
    assert not [e for e in map_page.console_errors if e.startswith("uncaught")]
