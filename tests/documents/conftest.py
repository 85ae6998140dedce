"""Documents fixtures: the demo boundaries and facilities (agencies), a demo sample, own tiles."""

import functools
import itertools
from pathlib import Path

import pytest

from gisioc.documents import demo
from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_rows


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
def private_tiles(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var
