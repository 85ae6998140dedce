"""Open311 answers as JSON or XML (the format the client asked for) and the spec's error list."""

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict

from gisioc.errors import GisiocError

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
# The element of each item of a list in XML, by the list's element (GeoReport v2's names).
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


class Open311Error(Exception):
    """An error answered as the spec's error list: its HTTP status, Vietnamese and English."""

    def __init__(self, status: int, vi: str, en: str, headers: Mapping[str, str] | None = None):
        super().__init__(en)
        self.status, self.vi, self.en = status, vi, en
        self.headers = dict(headers or {})

    @classmethod
    def of(cls, exc: GisiocError) -> "Open311Error":
        """Our error as Open311's (an Unauthorized key is a 403, as the spec has it)."""
        status = 403 if exc.status == 401 else exc.status
        return cls(status, exc.vi, exc.en, exc.headers)

    @property
    def description(self) -> str:
        """'Vietnamese / English', as every description we give."""
        return f"{self.vi} / {self.en}"


def number_param(params: QueryDict, name: str, low: float, high: float) -> float | None:
    """A parameter's number within [low, high]; None when absent; else the spec's 400."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:  # NaN fails too
        shown = raw[:30]
        raise Open311Error(
            400,
            f"{name} phải là số từ {low:g} đến {high:g}, không phải «{shown}».",
            f"{name} must be a number from {low:g} to {high:g}, not '{shown}'.",
        )
    return value


def format_of(request: HttpRequest, extension: str | None) -> str:
    """json or xml: the URL's extension, else `?format=`, else JSON."""
    wanted = (extension or request.GET.get("format") or "json").lower()
    return wanted if wanted in FORMATS else "json"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    _fill(node, name, value)


def _fill(node: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list | tuple):
        child = ITEMS.get(name, "item")
        for item in value:
            _element(node, child, item)
    else:
        node.text = _text(value)


def xml_bytes(root: str, value: Any) -> bytes:
    """The XML document of a value: mappings as elements, lists as their spec items."""
    node = ET.Element(root)
    _fill(node, root, value)
    return DECLARATION + ET.tostring(node, encoding="unicode").encode()


def answer(
    value: Any, *, fmt: str, root: str, status: int = 200, public: bool = True
) -> HttpResponse:
    """The answer in the format: JSON as is, XML under `root`; public GETs open to any origin.

    For XML `value` is what goes inside `root` (a list becomes its spec items)."""
    if fmt == "xml":
        body = xml_bytes(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    if public:
        response["Access-Control-Allow-Origin"] = "*"
    return response


def error_answer(error: Open311Error, fmt: str) -> HttpResponse:
    """The spec's error list: [{code, description}] / <errors><error>…</error></errors>."""
    errors = [{"code": error.status, "description": error.description}]
    response = answer(errors, fmt=fmt, root="errors", status=error.status)
    for key, value in error.headers.items():
        response[key] = value
    return response
