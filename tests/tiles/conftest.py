"""Tile tests: a private tile cache per test and the demo boundaries and facilities."""

from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def private_cache(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var


@pytest.fixture
def no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tile rendered: the version is read in the tile's own statement."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"tile_cache": False})
    )


@pytest.fixture
def demo(geo: None) -> None:
    """The demo boundaries and facilities (tests/conftest.py)."""
