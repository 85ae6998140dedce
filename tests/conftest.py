"""Shared fixtures: the real boundary files a GIS officer brings, read from ../shared/data."""

from pathlib import Path

import pytest

SHARED_BOUNDARIES = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "boundaries"


@pytest.fixture(scope="session")
def shared_boundaries() -> Path:
    """The folder of real boundary files; failing loudly if it is missing."""
    assert SHARED_BOUNDARIES.is_dir(), f"shared boundary data not found at {SHARED_BOUNDARIES}"
    return SHARED_BOUNDARIES
