"""One error hierarchy, one map to HTTP status; users read Vietnamese or English, never a trace."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation


class GisiocError(Exception):
    """Base of every error a user may see; carries a Vietnamese and an English message."""

    status = 400
    code = "invalid"

    def __init__(self, vi: str, en: str, *, details: Any = None) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en
        self.details = details

    def message(self, language: str | None = None) -> str:
        """The message in the active (or given) language, Vietnamese by default."""
        lang = (language or translation.get_language() or "vi")[:2]
        return self.en if lang == "en" else self.vi

    def both(self) -> str:
        """The message in Vietnamese and English, for logs, commands and reports."""
        return f"{self.vi} — {self.en}"

    def as_dict(self, language: str | None = None) -> dict[str, Any]:
        """The JSON body an API returns for this error."""
        body: dict[str, Any] = {"error": self.code, "message": self.message(language)}
        if self.details is not None:
            body["details"] = self.details
        return body


class InvalidInput(GisiocError):
    """The request or file is malformed or has values we cannot accept."""


class NotFound(GisiocError):
    """The named thing does not exist."""

    status = 404
    code = "not_found"


class Forbidden(GisiocError):
    """The user's role or scope does not allow this."""

    status = 403
    code = "forbidden"


class Unauthorized(GisiocError):
    """No credentials, or credentials that are wrong or revoked."""

    status = 401
    code = "unauthorized"


class Conflict(GisiocError):
    """The request clashes with the current state (e.g. publishing a published version)."""

    status = 409
    code = "conflict"


class TooLarge(GisiocError):
    """The request carries more than we accept at once."""

    status = 413
    code = "too_large"


class Unavailable(GisiocError):
    """The answer cannot be made right now; asking again shortly will do."""

    status = 503
    code = "unavailable"


class ValidationFailed(GisiocError):
    """Input was read but failed validation; `details` carries the report."""

    status = 422
    code = "validation_failed"


def error_response(exc: GisiocError) -> JsonResponse:
    """The JSON response for an error, Vietnamese kept readable."""
    return JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> HttpResponse | None:
    """DRF exception handler that renders GisiocError as JSON with its status."""
    from rest_framework.views import exception_handler

    if isinstance(exc, GisiocError):
        return error_response(exc)
    return exception_handler(exc, context)


class ErrorMiddleware:
    """Turn a GisiocError raised by a plain Django view into a JSON response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, GisiocError):
            return error_response(exc)
        return None
