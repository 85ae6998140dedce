"""The live server as a real process on the test database, and two communes to scope by."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.utils import timezone

from gisioc.geo.models import AdminUnit, BoundaryVersion
from tests.live.serving import LiveProcess, live_serving


@pytest.fixture(scope="module")
def live(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveProcess]:
    """`gisioc live serve` (no jobs) for the module's tests."""
    folder: Path = tmp_path_factory.mktemp("live")
    with live_serving(folder) as process:
        yield process


def _square(lon: float, lat: float, size: float = 0.05) -> MultiPolygon:
    ring = ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat))
    return MultiPolygon(Polygon(ring), srid=4326)


@pytest.fixture
def communes(transactional_db: None) -> dict[str, AdminUnit]:
    """Two communes in force: 'in' (a commune officer's scope) and 'out'."""
    version = BoundaryVersion.objects.create(
        slug="live-2025",
        name="Thử nghiệm",
        valid_from=dt.date(2025, 7, 1),
        status=BoundaryVersion.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    units = {}
    for key, code, lon in (("in", "91001", 108.10), ("out", "91002", 108.15)):
        units[key] = AdminUnit.objects.create(
            version=version,
            code=code,
            name=f"Xã {code}",
            short_name=code,
            folded_name=code,
            unit_type="xã",
            level=AdminUnit.Level.COMMUNE,
            geom=_square(lon, 15.78),
            area_km2=30.0,
        )
    return units
