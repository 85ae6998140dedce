"""Stream the records of a JSON array or GeoJSON FeatureCollection in bounded memory; read
a whole JSON body with its nesting bounded before it is parsed."""

import itertools
import json
import re
from collections.abc import Iterator
from typing import TextIO

from gisioc.errors import InvalidInput

BLOCK = 1 << 20
MAX_VALUE = 64 << 20  # one record larger than this is taken as malformed, not buffered
MAX_DEPTH = 32  # nesting of arrays and objects; a record is 2–4 deep, a GeoJSON geometry 5
# Keys of a top-level object whose array holds the records.
ARRAY_KEYS = ("features", "records", "data", "items", "rows", "results")
_WHITESPACE = " \t\r\n"
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = str.maketrans({"[": "\x02", "{": "\x02", "]": "\x00", "}": "\x00"})


def _malformed(detail: str) -> InvalidInput:
    return InvalidInput(f"JSON không hợp lệ: {detail}.", f"Malformed JSON: {detail}.")


def depth_check(text: str, *, max_depth: int = MAX_DEPTH) -> None:
    """InvalidInput when arrays and objects nest deeper than `max_depth`, found without
    parsing: strings and scalars are cut out, the brackets left are counted in C loops."""
    steps = _NOT_BRACKET.sub("", _STRING.sub("", text)).translate(_STEP).encode("latin-1")
    too_deep = b"\x02" * (max_depth + 1) in steps or max_depth < max(
        itertools.accumulate(map(int.__sub__, steps, itertools.repeat(1))), default=0
    )
    if too_deep:
        raise InvalidInput(
            f"JSON lồng sâu quá {max_depth} tầng.", f"JSON nested deeper than {max_depth} levels."
        )


def json_document(raw: bytes, *, max_depth: int = MAX_DEPTH) -> object:
    """A whole JSON text from UTF-8 bytes, its depth checked before parsing. NaN and
    ±Infinity are read as floats (not JSON, but named where they stand by the caller's
    checks, e.g. `value_fault`)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"Nội dung không phải UTF-8 (byte {exc.start}).",
            f"The body is not UTF-8 (byte {exc.start}).",
        ) from exc
    depth_check(text, max_depth=max_depth)
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _malformed(str(exc)) from exc


class _Reader:
    """A window on the text, refilled block by block; values are decoded one at a time."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.text = ""
        self.at = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        block = self.stream.read(BLOCK)
        if not block:
            self.eof = True
            return False
        self.text = self.text[self.at :] + block
        self.at = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space, '' at the end."""
        while True:
            while self.at < len(self.text) and self.text[self.at] in _WHITESPACE:
                self.at += 1
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def take(self, char: str) -> None:
        """Consume the expected character."""
        found = self.peek()
        if found != char:
            raise _malformed(f"expected {char!r}, found {found or 'end of file'!r}")
        self.at += 1

    def value(self) -> object:
        """The next complete JSON value."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.text, self.at)
            except RecursionError as exc:
                raise _malformed("nested too deep") from exc
            except json.JSONDecodeError as exc:
                too_long = len(self.text) - self.at > MAX_VALUE
                if too_long or self.eof or not self._more():
                    raise _malformed(str(exc)) from exc
                continue
            if end == len(self.text) and not self.eof and self._more():
                continue  # a number may go on in the next block
            self.at = end
            return value


def _array(reader: _Reader) -> Iterator[object]:
    reader.take("[")
    if reader.peek() == "]":
        reader.take("]")
        return
    while True:
        yield reader.value()
        following = reader.peek()
        if following == "]":
            reader.take("]")
            return
        reader.take(",")


def json_values(stream: TextIO) -> Iterator[object]:
    """Elements of a top-level array, or of the first records array of a top-level object."""
    reader = _Reader(stream)
    first = reader.peek()
    if first == "[":
        yield from _array(reader)
        return
    if first != "{":
        raise _malformed("expected an array or an object")
    reader.take("{")
    while reader.peek() not in ("}", ""):
        key = reader.value()
        reader.take(":")
        if key in ARRAY_KEYS and reader.peek() == "[":
            yield from _array(reader)
            return
        reader.value()  # skip "type", "crs", "name", …
        if reader.peek() == ",":
            reader.take(",")
    raise InvalidInput(
        f"Không thấy mảng bản ghi ({', '.join(ARRAY_KEYS)}) trong đối tượng JSON.",
        f"No records array ({', '.join(ARRAY_KEYS)}) in the JSON object.",
    )
