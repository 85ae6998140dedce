"""Public-services fixtures: the demo boundaries, crosswalk and facilities (one-stop offices)."""

import functools
import itertools
from pathlib import Path

import pytest
from django.conf import settings

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load
from gisioc.geo.facility_files import RawRow
from gisioc.ingest.services import ingest_rows
from gisioc.public_services import demo


@pytest.fixture
def geo(db: None) -> None:
    """Duy Xuyên 2019 and Đà Nẵng 2025 versions, the crosswalk, MOTCUA-DX and HCC-* offices."""
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()


@functools.cache
def _sample() -> tuple[RawRow, ...]:
    """Every 40th demo row: about a thousand dossiers over both boundary versions."""
    return tuple(itertools.islice(demo.demo_dossier_rows(), 0, None, 40))


@pytest.fixture
def dossiers(geo: None) -> None:
    """The demo sample, ingested."""
    report = ingest_rows(
        system="public_services", rows=_sample(), source="demo-sample", progress=lambda _: None
    )
    assert report.rejected == 0 and report.not_located == 0 and report.created > 900


@pytest.fixture(autouse=True)
def private_tiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's rollback repeats data versions, so no tile cache is shared."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"var_dir": tmp_path})
    )
