"""Workbooks statistics and finance offices send (being written: long sheets for now)."""

from collections.abc import Callable
from pathlib import Path

from gisioc.ingest.readers import Source, source_open


def workbook_open(*, path: Path, known: Callable[[str], bool]) -> Source:
    """Open a workbook's rows (long sheets, as the stock readers read them)."""
    return source_open(path=path, known=known)
