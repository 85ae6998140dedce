"""Input checks at the edge, before any view reads a parameter.

- No path holds NUL (a 404).
- Every query string, on every path: a name or value holding NUL or bytes that are not UTF-8
  (a lone surrogate included) is a 400 naming the parameter; nothing downstream can store or
  query such text.
- GET of an API view in the OpenAPI schema: the query parameters the schema declares for the
  operation are the ones it accepts (pagination's and filter backends' included); another
  name, a value outside a declared enum or a malformed or out-of-range number is a 400 naming
  the parameter, so `bbox=abc` is refused instead of answering the whole list.
"""

import functools
import math
import threading
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils import translation

from gisioc.errors import GisiocError, InvalidInput, error_response
from gisioc.params import INT64, float_parse, int_parse

ALWAYS = frozenset({"format"})  # DRF's format override, accepted by every API view


def _bytes(query: str) -> bytes:
    """The raw query string (WSGI gives it as latin-1 text)."""
    try:
        return query.encode("latin-1")
    except UnicodeEncodeError:
        return query.encode("utf-8", "surrogatepass")


def query_problem(query: str) -> InvalidInput | None:
    """The error of a query string whose names or values hold NUL or non-UTF-8 bytes."""
    if query.isascii() and "%" not in query and "\x00" not in query:
        return None  # plain ASCII: most queries (a tile's period=2025-Q3), in ~0.1 µs
    for part in _bytes(query).split(b"&"):
        raw_name, _, raw_value = part.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" "))
        shown = name.decode("utf-8", "backslashreplace").replace("\x00", "\\x00")
        for raw in (name, unquote_to_bytes(raw_value.replace(b"+", b" "))):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return InvalidInput(
                    f"Tham số {shown} chứa byte không phải UTF-8.",
                    f"Parameter {shown} holds bytes that are not UTF-8.",
                    field=shown,
                )
            if "\x00" in text:
                return InvalidInput(
                    f"Tham số {shown} chứa ký tự NUL.",
                    f"Parameter {shown} holds a NUL character.",
                    field=shown,
                )
    return None


_DECLARING = threading.Lock()


def declared() -> dict[Callable[..., Any], dict[str, dict[str, Any]]]:
    """{view callback: {query parameter: its schema}} of every GET operation in the schema."""
    # drf-spectacular's first schema is not thread-safe (its extension loading races): the
    # first requests of a threaded server would otherwise build it at once and fail. Once
    # built, every request reads it without the lock.
    if _declared.cache_info().currsize:
        return _declared()
    with _DECLARING:
        return _declared()


@functools.cache
def _declared() -> dict[Callable[..., Any], dict[str, dict[str, Any]]]:
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    paths = generator.get_schema(request=None, public=True)["paths"]
    accepted: dict[Callable[..., Any], dict[str, dict[str, Any]]] = {}
    for path, _, method, callback in generator.endpoints:
        if method != "GET":
            continue
        path = generator.coerce_path(path, method, generator.create_view(callback, method))
        operation = paths.get(path, {}).get("get")
        if operation is not None:
            accepted.setdefault(callback, {}).update(
                (p["name"], p.get("schema", {}))
                for p in operation.get("parameters", [])
                if p["in"] == "query"
            )
    return accepted


def _value_check(name: str, value: str, schema: Mapping[str, Any]) -> None:
    """InvalidInput unless the value fits the declared enum, or number type and range."""
    if value == "":
        return  # an empty value means "not given" to every view
    enum = schema.get("enum")
    if enum and value not in [str(e) for e in enum if e is not None]:
        raise InvalidInput(
            f"{name}={value!r} không thuộc {', '.join(map(str, enum))}.",
            f"{name}={value!r} is not one of {', '.join(map(str, enum))}.",
            field=name,
        )
    if schema.get("type") == "integer":
        int_parse(
            value, name, bounds=(schema.get("minimum", INT64[0]), schema.get("maximum", INT64[1]))
        )
    elif schema.get("type") == "number":
        float_parse(
            value, name, bounds=(schema.get("minimum", -math.inf), schema.get("maximum", math.inf))
        )


def params_problem(
    params: QueryDict, accepted: Mapping[str, Mapping[str, Any]]
) -> GisiocError | None:
    """The error of query parameters an operation does not declare, or of malformed values."""
    unknown = sorted(set(params) - set(accepted) - ALWAYS)
    if unknown:
        names = ", ".join(sorted(accepted)) or "—"
        return InvalidInput(
            f"Tham số không được nhận ở đây: {', '.join(unknown)} (nhận: {names}).",
            f"Unknown parameter(s): {', '.join(unknown)} (accepted: {names}).",
            fields={
                name: [("Tham số không được nhận ở đây.", "Not a parameter of this URL.")]
                for name in unknown
            },
        )
    try:
        for name, values in params.lists():
            for value in values:
                _value_check(name, value, accepted.get(name, {}))
    except GisiocError as exc:
        return exc
    return None


class EdgeMiddleware:
    """Refuses malformed query strings everywhere, and undeclared parameters of API views."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404  # no URL holds NUL; a path converter would pass it to a view
        query = request.environ.get("QUERY_STRING", "")
        problem = query_problem(query) if query else None
        if problem is not None:
            # Before LocaleMiddleware: the request's own language, not the thread's last one.
            language = translation.get_language_from_request(request)
            return error_response(problem, language=language)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.method not in ("GET", "HEAD") or not request.GET:
            return None
        accepted = declared().get(view)
        problem = None if accepted is None else params_problem(request.GET, accepted)
        return None if problem is None else error_response(problem)
