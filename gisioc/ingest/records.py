"""Records that arrive as JSON objects (pushed or pulled) turned into rows keyed by header."""

from collections.abc import Iterable, Iterator, Mapping

from gisioc.errors import InvalidInput
from gisioc.geo.text import nfc
from gisioc.ingest.readers import RawRow
from gisioc.ingest.values import clean, text_storable


def record_row(number: int, record: object) -> RawRow:
    """One JSON object as a row; InvalidInput naming its number when it is not an object."""
    if not isinstance(record, Mapping):
        raise InvalidInput(
            f"Bản ghi {number} không phải đối tượng JSON.", f"Record {number} is not a JSON object."
        )
    return RawRow(number, {text_storable(nfc(str(k))): clean(v) for k, v in record.items()})


def records_rows(records: Iterable[object], start: int = 1) -> Iterator[RawRow]:
    """Rows numbered from `start` as the sender counts them."""
    for number, record in enumerate(records, start=start):
        yield record_row(number, record)
