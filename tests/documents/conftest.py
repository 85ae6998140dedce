"""Documents fixtures: the demo boundaries and facilities (agencies), a demo sample, own tiles."""

import functools
import itertools
from pathlib import Path

import pytest
from django.conf import settings

from gisioc.documents import demo
from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load
from gisioc.geo.facility_files import RawRow
from gisioc.ingest.services import ingest_rows


@pytest.fixture
def geo(db: None) -> None:
    """Duy Xuyên 2019 and Đà Nẵng 2025 versions, the crosswalk, UBND-DX and UBND-* agencies."""
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()


@functools.cache
def sample() -> tuple[RawRow, ...]:
    """Every 60th demo row: well over a thousand documents over both boundary versions."""
    return tuple(itertools.islice(demo.demo_document_rows(), 0, None, 60))


@pytest.fixture
def documents(geo: None) -> None:
    """The demo sample, ingested."""
    report = ingest_rows(
        system="documents", rows=sample(), source="demo-sample", progress=lambda _: None
    )
    assert report.rejected == 0 and report.not_located == 0 and report.created > 1000


@pytest.fixture(autouse=True)
def private_tiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's rollback repeats data versions, so no tile cache is shared."""
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"var_dir": tmp_path})
    )
