"""The map page in a real Chromium: offline rendering, layers, badge, toggles and popups."""

import re

import pytest

from tests.e2e.conftest import MapPage, Seeded

pytestmark = pytest.mark.e2e

FILL = "communes-fill"
LABELS = "communes-label"
OLD = "old-communes-outline"
FACILITIES = "facilities-circle"


def rendered(mp: MapPage, layer: str, prop: str) -> set[str]:
    """Values of `prop` over the features MapLibre has drawn on `layer`."""
    return set(
        mp.page.evaluate(
            "([layer, prop]) => gisiocMap.queryRenderedFeatures({layers: [layer]})"
            ".map((f) => String(f.properties[prop]))",
            [layer, prop],
        )
    )


def visibility(mp: MapPage, layer: str) -> str:
    """A layer's visibility layout property ('visible' when unset)."""
    script = "(l) => gisiocMap.getLayoutProperty(l, 'visibility') ?? 'visible'"
    return mp.page.evaluate(script, layer)


def test_map_draws_the_seeded_units_offline(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    map_page.screenshot("map-desktop")

    assert map_page.console_errors == []
    assert map_page.foreign_requests() == []
    assert any("/api/admin-units/" in url for url in map_page.requests)
    assert rendered(map_page, FILL, "code") == set(seeded.units)
    assert rendered(map_page, OLD, "code") == set(seeded.old_units)
    assert rendered(map_page, FACILITIES, "code") == set(seeded.facilities)
    # Labels come from the bundled font, drawn locally: the style has no glyphs URL.
    assert map_page.page.evaluate("gisiocMap.getStyle().glyphs") is None
    assert rendered(map_page, LABELS, "name") == set(seeded.units.values())
    font_ready = "document.fonts.check('600 16px \"Noto Sans SemiBold\"', 'Bồn Phước')"
    assert map_page.page.evaluate(font_ready)


def test_approximate_badge_is_shown(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    badge = map_page.page.locator("#approx-badge")
    assert badge.is_visible()
    assert "Ranh giới gần đúng (minh họa)" in badge.inner_text()
    assert "Approximate boundaries (demo)" in badge.inner_text()


@pytest.mark.parametrize(
    ("checkbox", "layer", "prop"),
    [
        ("#toggle-old-communes", OLD, "code"),
        ("#toggle-facilities", FACILITIES, "code"),
        ("#toggle-communes", FILL, "code"),
    ],
)
def test_checkbox_toggles_layer(
    map_page: MapPage, seeded: Seeded, checkbox: str, layer: str, prop: str
) -> None:
    map_page.open()
    box = map_page.page.locator(checkbox)
    assert box.is_checked() and visibility(map_page, layer) == "visible"
    assert rendered(map_page, layer, prop)

    box.uncheck()
    map_page.idle()
    assert visibility(map_page, layer) == "none"
    assert rendered(map_page, layer, prop) == set()

    box.check()
    map_page.idle()
    assert visibility(map_page, layer) == "visible"
    assert rendered(map_page, layer, prop)
    assert map_page.console_errors == []


def test_click_on_commune_opens_popup(map_page: MapPage, seeded: Seeded) -> None:
    map_page.open()
    # A point inside "Xã Duy Xuyên" (90002) but off its facility.
    x, y = map_page.page.evaluate(
        "(() => { const p = gisiocMap.project([108.165, 15.795]); return [p.x, p.y]; })()"
    )
    box = map_page.page.locator("#map canvas").bounding_box()
    map_page.page.mouse.click(box["x"] + x, box["y"] + y)

    popup = map_page.page.locator(".maplibregl-popup")
    popup.wait_for(state="visible")
    text = popup.inner_text()
    assert "Xã Duy Xuyên" in text
    assert "90002" in text and "e2e-2025" in text
    # vi-VN number format: decimal comma.
    assert re.search(r"\d+,\d+ km²", text), text
    assert map_page.console_errors == []


def test_phone_layout_collapses_the_panel(phone_page: MapPage, seeded: Seeded) -> None:
    phone_page.open()
    page = phone_page.page
    toggle = page.locator(".panel-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#toggle-facilities").is_visible()
    assert page.locator("#approx-badge").is_visible()
    assert rendered(phone_page, FILL, "code") == set(seeded.units)
    phone_page.screenshot("map-phone")

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator("#toggle-facilities").is_visible()
    phone_page.screenshot("map-phone-panel")
    assert phone_page.console_errors == []
    assert phone_page.foreign_requests() == []
