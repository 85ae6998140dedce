"""Any site's map may draw our public layers: answers under /tiles/ allow every origin.

Browsers send no cookies with such cross-origin requests (and would not let a page read an
answer to one that did, without Access-Control-Allow-Credentials), so another site only ever
sees what the public sees.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PREFIX = "/tiles/"
HEADER = ("Access-Control-Allow-Origin", "*")


class PublicCorsMiddleware:
    """Adds Access-Control-Allow-Origin: * to the tile service's answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PREFIX):
            response[HEADER[0]] = HEADER[1]
        return response
