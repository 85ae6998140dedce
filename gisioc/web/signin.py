"""Sign-in lockout (django-axes): two limits, and the answer a locked-out sign-in gets."""

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from gisioc.errors import GisiocError, error_response


class SignInLocked(GisiocError):
    """Too many failed sign-ins from this address (for this username, or for any)."""

    status = 429
    code = "sign_in_locked"


class SignInHandler(AxesDatabaseHandler):
    """Axes' database handler with two limits: a username from an address, and the address.

    AXES_LOCKOUT_PARAMETERS lists the two groups in that order; axes compares one count with
    AXES_FAILURE_LIMIT, so an address past its own cap counts as the whole limit.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.CONFIG.signin_address_failures:
            return max(pair, settings.AXES_FAILURE_LIMIT)
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # A success clears its own username's failures from the address, not the others': one
        # account of one's own must not reset a password spray across usernames.
        pair = self.filter_user_attempts(request, credentials)[0]
        return pair.delete()[0]


class SignInBackend(AxesStandaloneBackend):
    """Axes' lockout check before every sign-in over HTTP (first in AUTHENTICATION_BACKENDS).

    A call without a request (Django's test client, the shell) comes from no address and is
    let through to the next backend; every way in over HTTP passes its request (Django's
    AuthenticationForm does; an API sign-in must too).
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is not None:
            super().authenticate(request, *args, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """429 with Retry-After: the sign-in page saying so, or the JSON error to an API client."""
    seconds = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds())
    minutes = math.ceil(seconds / 60)
    if request.path.startswith("/api/") or not request.accepts("text/html"):
        response: HttpResponse = error_response(
            SignInLocked(
                f"Đăng nhập sai quá nhiều lần; tạm khóa, hãy thử lại sau {minutes} phút.",
                f"Too many failed sign-ins; locked for now, try again in {minutes} minutes.",
            )
        )
    else:
        username = (credentials or {}).get("username") or request.POST.get("username", "")
        after = request.POST.get("next", request.GET.get("next", ""))
        safe = url_has_allowed_host_and_scheme(
            after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        context: dict[str, Any] = {
            "form": AuthenticationForm(request, initial={"username": username}),
            "next": after if safe else "",
            "locked_minutes": minutes,
        }
        response = render(request, "web/login.html", context, status=SignInLocked.status)
    response["Retry-After"] = str(seconds)
    return response
