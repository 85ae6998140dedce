"""Stock helpers a system's `ingest.py` declares its fields and rules with: words a source
writes for a stored value, a field in one line, a refusal, the received-date range check."""

import datetime as dt
from typing import Any

from django.utils import timezone

from gisioc.ingest.systems import Field, FieldError, Kind
from gisioc.texts import Text

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # no record of ours was received before


def words(**groups: tuple[str, ...]) -> dict[str, str]:
    """Folded words → stored value (`value=("word", …)`); each value also names itself."""
    found = {word: value for value, aliases in groups.items() for word in aliases}
    return found | {value: value for value in groups}


def field(name: str, kind: Kind, vi: str, en: str, *aliases: str, **options: Any) -> Field:
    """A field in one line: name, kind, vi/en title, the folded headers that name it."""
    return Field(name, kind, Text(vi, en), aliases=aliases, **options)


def error(name: str, vi: str, en: str) -> list[FieldError]:
    """A row's one refusal, on field `name`, as a rule returns it."""
    return [FieldError(name, vi, en)]


def received_check(
    values: dict[str, Any], *, title: Text, name: str = "received_at"
) -> list[FieldError]:
    """A refusal when the moment received is before 2000 or after tomorrow; else none."""
    if EARLIEST <= values[name] <= timezone.now() + dt.timedelta(days=1):
        return []
    return error(name, f"{title.vi} ngoài khoảng hợp lý", f"{title.en} out of range")
