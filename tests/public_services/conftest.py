"""Public-services fixtures: the demo boundaries, crosswalk and facilities (one-stop offices)."""

import functools
import itertools
from pathlib import Path

import pytest

from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_rows
from gisioc.public_services import demo


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
def private_tiles(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var
