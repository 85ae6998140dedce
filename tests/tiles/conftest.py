"""Tile tests: a private tile cache per test and the demo boundaries and facilities."""

from pathlib import Path

import pytest
from django.conf import settings

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Versions repeat when each test's transaction rolls back, so no cache is shared."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"var_dir": tmp_path})
    )
    return tmp_path


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tile rendered: the version is read in the tile's own statement."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"tile_cache": False})
    )


@pytest.fixture
def demo(db: None) -> None:
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()
