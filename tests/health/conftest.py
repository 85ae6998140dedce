"""Health fixtures: a test key for the patient pseudonym (every health test), the demo
geography, and a small slice of the demo's encounters."""

import functools
import itertools
from typing import Any

import pytest

from gisioc.health import demo
from gisioc.ingest.readers import RawRow
from gisioc.ingest.services import ingest_rows

TEST_KEY_ID, TEST_SECRET = 7, "test-only-secret-for-the-patient-pseudonym-0123456789"


@pytest.fixture(autouse=True)
def patient_keys(settings: Any) -> tuple[int, str]:
    """GISIOC_PATIENT_KEYS set to the tests' own key: (id, secret)."""
    settings.GISIOC_PATIENT_KEYS = f"{TEST_KEY_ID}:{TEST_SECRET}"
    return TEST_KEY_ID, TEST_SECRET


@functools.cache
def sample() -> tuple[RawRow, ...]:
    """Every 150th demo encounter: about a thousand, over both boundary versions."""
    return tuple(itertools.islice(demo.demo_encounter_rows(), 0, None, 150))


@pytest.fixture
def encounters_sample(geo: None) -> None:
    """The demo slice, ingested under the source 'demo-sample'."""
    report = ingest_rows(
        system="health", rows=sample(), source="demo-sample", progress=lambda _: None
    )
    assert report.rejected == 0 and report.not_located == 0 and report.created > 500
