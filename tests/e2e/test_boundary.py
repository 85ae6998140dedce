"""A GIS officer's boundary work in a real Chromium: sign in, upload a small GeoJSON, read the
validation report, see the draft (new and changed units) over the map, publish it."""

import json

import pytest
from django.contrib.auth import get_user_model

from gisioc.geo.models import BoundaryVersion, Role, UserAccess
from tests.e2e.conftest import MapPage, Seeded

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-gis-officer-password"


def square(lon: float, lat: float, size: float = 0.05) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "MultiPolygon", "coordinates": [[ring]]}


def draft_file(duplicate: bool = False) -> bytes:
    """Thu Bồn as it is, Duy Xuyên renamed (changed), Nam Phước as it is, a new commune; or,
    with `duplicate`, the new commune under Nam Phước's code (an error)."""
    units = [
        ("90001", "Xã Thu Bồn", square(108.10, 15.78)),
        ("90002", "Xã Duy Xuyên Mới", square(108.15, 15.78)),
        ("90003", "Xã Nam Phước", square(108.20, 15.78)),
        ("90003" if duplicate else "90004", "Xã Duy Hải", square(108.25, 15.78)),
    ]
    features = [
        {"type": "Feature", "properties": {"ma_xa": code, "ten_xa": name}, "geometry": geom}
        for code, name, geom in units
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


@pytest.fixture
def gis_officer(transactional_db) -> str:
    user = get_user_model().objects.create_user("e2e-gis", password=PASSWORD, is_staff=True)
    UserAccess.objects.create(user=user, role=Role.GIS_OFFICER)
    return user.username


def test_gis_officer_uploads_checks_reviews_and_publishes(
    map_page: MapPage, seeded: Seeded, gis_officer: str
) -> None:
    map_page.open()
    page = map_page.page
    assert not page.locator("#boundary-tool").is_visible()  # the public has no boundary work
    page.locator("#sign-in").click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("#id_username", gis_officer)
    page.fill("#id_password", PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    assert page.locator("#user-name").inner_text() == gis_officer
    assert "Cán bộ GIS" in page.locator("#user").inner_text()
    tool = page.locator("#boundary-tool")
    tool.wait_for()
    tool.click()
    map_page.sheet("boundary")

    def upload(**options: bool) -> None:
        page.locator("#bf-file").set_input_files(
            {
                "name": "draft.geojson",
                "mimeType": "application/geo+json",
                "buffer": draft_file(**options),
            }
        )

    # A file with an error: the report lists it and nothing is stored.
    upload(duplicate=True)
    page.fill("#bf-name", "Thử nghiệm 2026")
    page.fill("#bf-valid_from", "2026-01-01")
    page.fill("#bf-code_field", "ma_xa")
    page.fill("#bf-name_field", "ten_xa")
    assert page.locator("#bf-dry_run").is_checked()
    page.locator("#bf-submit").click()
    report = page.locator("#boundary-report")
    report.wait_for()
    assert report.get_attribute("data-errors") != "0"
    assert page.locator("#boundary-result .sheet-error").is_visible()
    error = report.locator('tr[data-severity="error"]').first
    assert error.get_attribute("data-check") == "duplicate_code"
    assert "90003" in error.inner_text()

    # The right file, checked only.
    upload()
    page.locator("#bf-submit").click()
    page.locator('#boundary-report[data-errors="0"]').wait_for()
    assert report.get_attribute("data-errors") == "0"
    assert "draft.geojson" in report.inner_text()
    facts = report.locator(".facts").inner_text()
    assert "Số đối tượng\n4" in facts or "Số đối tượng\t4" in facts, facts
    assert not page.locator("#bf-publish").is_visible()  # a dry run stores nothing
    assert not BoundaryVersion.objects.filter(name="Thử nghiệm 2026").exists()

    page.locator("#bf-dry_run").uncheck()
    page.locator("#bf-submit").click()
    draft = page.locator(".draft[data-version]")
    draft.wait_for()
    slug = draft.get_attribute("data-version")
    assert BoundaryVersion.objects.get(slug=slug).status == BoundaryVersion.Status.DRAFT
    page.wait_for_function(
        f"/\\.mvt\\?version={slug}(&v=[^&]+)?$/"  # v: the data version
        ".test(gisiocMap.getSource('boundary-drafts').tiles[0])"
    )
    assert page.locator("#toggle-boundary-drafts").is_checked()
    map_page.idle()
    changes = page.evaluate(
        "gisiocMap.queryRenderedFeatures({layers: ['gisioc-draft-change']})"
        ".map((f) => [f.properties.code, f.properties.change])"
    )
    assert {tuple(c) for c in changes} == {("90002", "changed"), ("90004", "new")}
    map_page.screenshot("map-desktop-boundary-draft")

    page.locator("#bf-publish").click()
    assert "đóng phiên bản" in page.locator(".draft").inner_text()  # asks first
    page.locator("#bf-publish").click()
    page.locator(f'.published[data-version="{slug}"]').wait_for()
    assert BoundaryVersion.objects.get(slug=slug).status == BoundaryVersion.Status.PUBLISHED
    assert not page.locator("#toggle-boundary-drafts").is_checked()
    map_page.idle()
    page.wait_for_function(
        "gisiocMap.querySourceFeatures('admin-units', {sourceLayer: 'admin-units'})"
        ".some((f) => f.properties.code === '90004')"
    )
    map_page.screenshot("map-desktop-boundary-published")
    # Chromium logs the rejected file's 422 itself; the app logged nothing.
    assert [e for e in map_page.console_errors if "(Unprocessable Entity)" not in e] == []
