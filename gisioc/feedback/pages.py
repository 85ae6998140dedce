"""The citizens' pages at the site's root: report a problem, track a report, the public map.

Django renders each page's frame (Vietnamese first; the script switches to English when asked
and remembers it); the Vite-built `citizen.html` entry fills it from the public API."""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.csrf import ensure_csrf_cookie

from gisioc.feedback import converters
from gisioc.feedback.models import Report
from gisioc.web.views import entry_assets

ENTRY = "citizen.html"
TICKET = re.compile(converters.TicketConverter.regex)


def _page(request: HttpRequest, template: str, page: str, **context: object) -> HttpResponse:
    assets = entry_assets(ENTRY)
    return render(
        request,
        f"feedback/{template}",
        {
            "page": page,
            "scripts": assets["scripts"],
            "styles": assets["styles"],
            "built": bool(assets["scripts"]),
            **context,
        },
    )


@ensure_csrf_cookie
def report_page(request: HttpRequest) -> HttpResponse:
    """The report form (category, description, place, photos, reporter, challenge); the
    footer's look-up (?ticket=) goes to that ticket's tracking page."""
    asked = request.GET.get("ticket", "").strip().upper()
    if TICKET.fullmatch(asked):
        return redirect(f"/phan-anh/{asked}/")
    return _page(request, "report.html", "report")


@ensure_csrf_cookie
def track_page(request: HttpRequest, ticket: str) -> HttpResponse:
    """One report's public tracking page (its steps, result and, with the link's k, rating)."""
    ticket = ticket.upper()
    if not Report.objects.filter(ticket=ticket).exists():
        raise Http404(ticket)
    return _page(request, "track.html", "track", ticket=ticket)


@ensure_csrf_cookie
def map_page(request: HttpRequest) -> HttpResponse:
    """The public map and list of reports, with counts per commune."""
    return _page(request, "map.html", "map")


urlpatterns = [
    path("phan-anh/", report_page, name="feedback-page-report"),
    path("phan-anh/ban-do/", map_page, name="feedback-page-map"),
    path("phan-anh/<ticket:ticket>/", track_page, name="feedback-page-track"),
]
