"""Public-services fixtures: the demo boundaries, crosswalk and facilities (one-stop offices)."""

import pytest

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load


@pytest.fixture
def geo(db: None) -> None:
    """Duy Xuyên 2019 and Đà Nẵng 2025 versions, the crosswalk, MOTCUA-DX and HCC-* offices."""
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()
