"""Open311 GeoReport v2 endpoints: thin views answering JSON or XML, errors as the spec's list.

Plain Django views (not in the OpenAPI schema: Open311 has its own specification). Posting
needs no CSRF token: the client's `api_key` is the authentication."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from gisioc.feedback.open311 import definitions, intake, selectors
from gisioc.feedback.open311.render import Open311Error, answer, error_answer, format_of

View = Callable[..., HttpResponse]
BASE_PATH = "/open311/v2"  # as the spec shows it: clients append "/services.xml"


def open311(*methods: str) -> Callable[[View], View]:
    """A view answering in the asked format: the jurisdiction checked, the method allowed,
    every Open311Error as the spec's error list."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def inner(request: HttpRequest, format: str | None = None, **kwargs: Any) -> HttpResponse:
            fmt = format_of(request, format)
            try:
                if request.method not in methods:
                    raise Open311Error(
                        405,
                        f"Phương thức {request.method} không dùng được ở đây.",
                        f"Method {request.method} is not allowed here.",
                        {"Allow": ", ".join(methods)},
                    )
                definitions.jurisdiction_check(request)
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                return error_answer(error, fmt)

        return inner

    return wrap


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@open311("GET", "HEAD")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """discovery.{fmt}: the endpoint, its formats and whom to ask for a key."""
    document = definitions.discovery(_base(request) + BASE_PATH)
    return answer(document, fmt=fmt, root="discovery")


@open311("GET", "HEAD")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    """services.{fmt}: one service per report category."""
    listed = definitions.services(definitions.english(request))
    return answer(listed, fmt=fmt, root="services")


@open311("GET", "HEAD")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    """services/{code}.{fmt}: the attributes a client may (or must) post."""
    defined = definitions.definition(service_code, definitions.english(request))
    return answer(defined, fmt=fmt, root="service_definition")


@open311("GET", "HEAD", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """requests.{fmt}: GET the public reports (filters, pages); POST a new one with a key."""
    en = definitions.english(request)
    if request.method == "POST":
        intake.rate_check(request)
        report, token = intake.request_post(request)
        posted = intake.posted_answer(report, token, en)
        return answer(posted, fmt=fmt, root="service_requests", public=False)
    reports, page, size = selectors.requests_filter(request.GET)
    rows = reports[(page - 1) * size : page * size]
    listed = selectors.service_requests(rows, base=_base(request), en=en)
    return answer(listed, fmt=fmt, root="service_requests")


@open311("GET", "HEAD")
def request_one(request: HttpRequest, fmt: str, service_request_id: str) -> HttpResponse:
    """requests/{id}.{fmt}: one public report, as a list of one (as the spec shows)."""
    report = selectors.request_get(service_request_id)
    one = [selectors.service_request(report, base=_base(request), en=definitions.english(request))]
    return answer(one, fmt=fmt, root="service_requests")


@open311("GET", "HEAD")
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """tokens/{token}.{fmt}: the service_request_id of a report posted with the token."""
    return answer(intake.token_get(token), fmt=fmt, root="service_requests")
