"""One error hierarchy, one map to HTTP status, one JSON shape; users read Vietnamese or
English, never a trace.

Every error answer under /api/, /tiles/ and /open311/ is
`{"error": code, "message": <active language>, "vi", "en", "fields"?, "details"?, "request_id"}`:
our own errors, DRF's, Django's 404/405/500 pages and a database outage (503 with Retry-After)
alike. Every 5xx is logged to `gisioc.errors` with the request id its answer carries.
"""

import logging
import re
import sys
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.views import defaults

API_PREFIXES = ("/api/", "/tiles/", "/open311/")
RETRY_AFTER_S = 5
# A database that cannot be reached, or dropped the connection: asking again shortly will do.
OUTAGE = (OperationalError, InterfaceError)
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
log = logging.getLogger("gisioc.errors")
_request_id: ContextVar[str | None] = ContextVar("gisioc_request_id", default=None)

Messages = list[tuple[str, str]]  # (vi, en) of each message about one input


class GisiocError(Exception):
    """Base of every error a user may see; carries a Vietnamese and an English message.

    `field` names the input the message is about; `fields` gives several, each its messages.
    """

    status = 400
    code = "invalid"
    headers: Mapping[str, str] = {}

    def __init__(
        self,
        vi: str,
        en: str,
        *,
        field: str | None = None,
        fields: Mapping[str, Messages] | None = None,
        details: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en
        self.fields: dict[str, Messages] = {
            **({field: [(vi, en)]} if field else {}),
            **(fields or {}),
        }
        self.details = details
        if headers is not None:
            self.headers = {**self.headers, **headers}

    def message(self, language: str | None = None) -> str:
        """The message in the active (or given) language, Vietnamese by default."""
        return self.en if _english(language) else self.vi

    def both(self) -> str:
        """The message in Vietnamese and English, for logs, commands and reports."""
        return f"{self.vi} — {self.en}"

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The JSON body an API returns for this error."""
        en = _english(language)
        body: dict[str, Any] = {
            "error": self.code,
            "message": self.en if en else self.vi,
            "vi": self.vi,
            "en": self.en,
        }
        if self.fields:
            body["fields"] = {
                name: [m[1] if en else m[0] for m in messages]
                for name, messages in self.fields.items()
            }
        if self.details is not None:
            body["details"] = self.details
        if rid := _request_id.get():
            body["request_id"] = rid
        return body


def _english(language: str | None) -> bool:
    return (language or translation.get_language() or "vi")[:2] == "en"


class InvalidInput(GisiocError):
    """The request or file is malformed or has values we cannot accept."""


class Unauthorized(GisiocError):
    """No credentials, or credentials that are wrong or revoked."""

    status = 401
    code = "unauthorized"


class Forbidden(GisiocError):
    """The user's role or scope does not allow this (or, signed out, a sign-in is needed)."""

    status = 403
    code = "forbidden"


class NotFound(GisiocError):
    """The named thing does not exist."""

    status = 404
    code = "not_found"


class MethodNotAllowed(GisiocError):
    """The URL exists but does not answer this HTTP method."""

    status = 405
    code = "method_not_allowed"


class NotAcceptable(GisiocError):
    """None of the formats the client accepts can be produced."""

    status = 406
    code = "not_acceptable"


class Conflict(GisiocError):
    """The request clashes with the current state (e.g. publishing a published version)."""

    status = 409
    code = "conflict"


class TooLarge(GisiocError):
    """The request carries more than we accept at once."""

    status = 413
    code = "too_large"


class UnsupportedMediaType(GisiocError):
    """The request body is in a format this URL does not read."""

    status = 415
    code = "unsupported_media_type"


class ValidationFailed(GisiocError):
    """Input was read but failed validation; `details` carries the report."""

    status = 422
    code = "validation_failed"


class Throttled(GisiocError):
    """Too many requests; Retry-After says when to ask again."""

    status = 429
    code = "throttled"


class ServerError(GisiocError):
    """A fault of ours; the request id leads to the logged traceback."""

    status = 500
    code = "server_error"


class Unavailable(GisiocError):
    """The answer cannot be made right now; asking again shortly will do."""

    status = 503
    code = "unavailable"
    headers = {"Retry-After": str(RETRY_AFTER_S)}


def server_error_new() -> ServerError:
    """The error of an unexpected fault: a message that names the request id, nothing else."""
    rid = _request_id.get() or "—"
    return ServerError(
        f"Máy chủ gặp lỗi. Nếu lỗi lặp lại, hãy báo mã yêu cầu {rid} cho quản trị viên.",
        f"The server failed. If it happens again, give the administrator request id {rid}.",
    )


def outage_new() -> Unavailable:
    """The error of a database that cannot be reached."""
    return Unavailable(
        f"Cơ sở dữ liệu tạm thời không truy cập được; thử lại sau {RETRY_AFTER_S} giây.",
        f"The database is unreachable for now; try again in {RETRY_AFTER_S} seconds.",
    )


# What an error answer of a given status says when nothing more specific is known.
BY_STATUS: dict[int, tuple[type[GisiocError], str, str]] = {
    400: (InvalidInput, "Yêu cầu không hợp lệ.", "Bad request."),
    401: (Unauthorized, "Cần đăng nhập.", "Sign-in required."),
    403: (Forbidden, "Bạn không được phép làm việc này.", "You may not do this."),
    404: (NotFound, "Không có địa chỉ này.", "No such URL."),
    405: (MethodNotAllowed, "Địa chỉ này không nhận phương thức đó.", "Method not allowed here."),
    406: (NotAcceptable, "Không có định dạng được yêu cầu.", "No acceptable format."),
    413: (TooLarge, "Yêu cầu quá lớn.", "The request is too large."),
    415: (UnsupportedMediaType, "Kiểu nội dung không được hỗ trợ.", "Unsupported media type."),
    429: (Throttled, "Quá nhiều yêu cầu; hãy thử lại sau.", "Too many requests; try later."),
    503: (Unavailable, "Tạm thời chưa phục vụ được; hãy thử lại sau.", "Unavailable; try later."),
}


def error_of_status(status: int) -> GisiocError:
    """The generic error of an HTTP status; an unlisted one keeps its status."""
    if status >= 500 and status not in BY_STATUS:
        error: GisiocError = server_error_new()
    else:
        cls, vi, en = BY_STATUS.get(status, BY_STATUS[400])
        error = cls(vi, en)
    error.status = status
    return error


def error_response(exc: GisiocError, *, language: str | None = None) -> JsonResponse:
    """The JSON response for an error, Vietnamese kept readable, with the request id."""
    response = JsonResponse(
        exc.as_dict(language),
        status=exc.status,
        headers=exc.headers,
        json_dumps_params={"ensure_ascii": False},
    )
    if rid := _request_id.get():
        response["X-Request-ID"] = rid
    return response


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.0.sub": [messages]}."""
    from rest_framework.settings import api_settings

    if isinstance(detail, Mapping):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            for name, messages in _flatten(value, f"{prefix}{key}.").items():
                out.setdefault(name, []).extend(messages)
        return out
    name = prefix.rstrip(".") or api_settings.NON_FIELD_ERRORS_KEY
    if isinstance(detail, list) and any(isinstance(d, Mapping | list) for d in detail):
        out = {}
        for i, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}{i}."))
        return out
    items = detail if isinstance(detail, list) else [detail]
    return {name: [str(d) for d in items]}


def _drf_error(exc: Exception) -> GisiocError | None:
    """Our error for one of DRF's exceptions, in both languages."""
    from rest_framework import exceptions as drf

    if isinstance(exc, drf.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.items()))
        note = f" ({first[0]}: {first[1][0]})"
        return InvalidInput(
            f"Dữ liệu gửi lên không hợp lệ{note}.",
            f"The data sent is not valid{note}.",
            fields={k: [(m, m) for m in v] for k, v in fields.items()},
        )
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        # DRF answers 403 when no scheme can name a WWW-Authenticate challenge (sessions).
        header = getattr(exc, "auth_header", None)
        cls = Unauthorized if exc.status_code == 401 else Forbidden
        if isinstance(exc, drf.AuthenticationFailed):
            vi, en = "Thông tin đăng nhập không đúng.", "Incorrect credentials."
        else:
            vi, en = "Cần đăng nhập.", "Sign-in required."
        return cls(vi, en, headers={"WWW-Authenticate": header} if header else None)
    if isinstance(exc, drf.UnsupportedMediaType):
        return UnsupportedMediaType(
            "Kiểu nội dung không được hỗ trợ ở đây.", "This URL does not read that media type."
        )
    if isinstance(exc, drf.ParseError):
        return InvalidInput("Không đọc được nội dung yêu cầu.", "The request body is malformed.")
    if isinstance(exc, drf.Throttled):
        wait = int(exc.wait or 1)
        return Throttled(
            f"Quá nhiều yêu cầu; hãy thử lại sau {wait} giây.",
            f"Too many requests; try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, drf.APIException):
        return error_of_status(exc.status_code)
    return None


def error_for(exc: BaseException | None) -> GisiocError | None:
    """Our error for an exception: ours, DRF's, Django's or a database outage; None for a fault."""
    if exc is None:
        return None
    if isinstance(exc, GisiocError):
        return exc
    if isinstance(exc, OUTAGE):
        return outage_new()
    if isinstance(exc, Http404):
        return error_of_status(404)
    if isinstance(exc, PermissionDenied):
        return error_of_status(403)
    if isinstance(exc, RequestDataTooBig):
        return error_of_status(413)
    if isinstance(exc, SuspiciousOperation):
        return error_of_status(400)
    return _drf_error(exc)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF exception handler: every error in our shape; a fault is left to ErrorMiddleware."""
    error = error_for(exc)
    if error is None:
        return None
    if isinstance(exc, OUTAGE) and context.get("request") is not None:
        context["request"]._request.gisioc_exception = exc  # for the 5xx log line
    return error_response(error)


def is_api(path: str) -> bool:
    """Whether the path's answers are JSON (the API, tiles, Open311)."""
    return path.startswith(API_PREFIXES)


def request_id_of(request: HttpRequest) -> str:
    """The client's X-Request-ID when it is sane, otherwise a new one."""
    given = request.headers.get("X-Request-ID", "")
    return given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _is_json(response: HttpResponse) -> bool:
    # Open311's XML errors are the spec's error list already: kept as they are.
    return response.get("Content-Type", "").startswith(("application/json", "text/xml"))


class ErrorMiddleware:
    """Gives each request its id; answers errors under API_PREFIXES as JSON; logs every 5xx.

    Exceptions of views become our errors (a fault a 500 naming the request id); error pages
    Django makes itself (an unknown URL, a method a view refuses, a CSRF failure) are
    replaced by the same JSON under the API prefixes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.request_id = request_id_of(request)
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
            api = is_api(request.path_info)
            if response.status_code >= 400 and api and not _is_json(response):
                kept = {k: response[k] for k in ("Allow", "Retry-After") if response.has_header(k)}
                response = error_response(error_of_status(response.status_code))
                for key, value in kept.items():
                    response[key] = value
            if response.status_code >= 500:
                response["X-Request-ID"] = request.request_id
                _log(request, response.status_code, getattr(request, "gisioc_exception", None))
            return response
        finally:
            _request_id.reset(token)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        error = error_for(exc)
        if error is None or isinstance(exc, OUTAGE):
            if not is_api(request.path_info):
                return None  # Django's handler500 (server_error) answers and logs
            request.gisioc_exception = exc
        return error_response(error or server_error_new())


def _log(request: HttpRequest, status: int, exc: BaseException | None) -> None:
    """One line per 5xx: method, path (never the query string: it may hold a name), id; the
    traceback of a fault, the reason of an outage (a 503 is a warning: it passes)."""
    rid = getattr(request, "request_id", None) or _request_id.get()
    line = f"{request.method} {request.path} {status} [request {rid}]"
    if status == 503:
        reason = str(exc).strip().splitlines()[0] if exc is not None and str(exc).strip() else ""
        log.warning("%s: unavailable%s", line, f": {reason}" if reason else "")
    else:
        log.error(line, exc_info=(type(exc), exc, exc.__traceback__) if exc else None)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an exception outside a view (a middleware, a template) or on a page."""
    exc = sys.exc_info()[1]
    request.gisioc_exception = exc
    if isinstance(exc, OUTAGE):
        return error_response(outage_new())
    if is_api(request.path_info):
        return error_response(server_error_new())
    return defaults.server_error(request)
