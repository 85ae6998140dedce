"""Shared fixtures: the real boundary files a GIS officer brings (read from ../shared/data),
the demo geography, and a private var/ for tests that render tiles."""

from pathlib import Path

import pytest
from django.conf import settings

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load

SHARED_BOUNDARIES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "boundaries"


@pytest.fixture(scope="session")
def shared_boundaries() -> Path:
    """The folder of real boundary files; failing loudly if it is missing."""
    assert SHARED_BOUNDARIES.is_dir(), f"shared boundary data not found at {SHARED_BOUNDARIES}"
    return SHARED_BOUNDARIES


@pytest.fixture
def geo(db: None) -> None:
    """Duy Xuyên 2019 and Đà Nẵng 2025 versions, the crosswalk, and the demo facilities
    (one-stop offices, agencies, schools, health facilities, cameras)."""
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()


@pytest.fixture
def private_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """var/ in the test's own folder: each test's rollback repeats data versions, so a shared
    tile cache would serve another test's tile."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"var_dir": tmp_path})
    )
    return tmp_path
