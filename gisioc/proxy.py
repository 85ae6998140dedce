"""The client's address as the trusted proxies in front tell it (GISIOC_PROXY_COUNT)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the request came from: REMOTE_ADDR, or X-Forwarded-For behind proxies.

    With N trusted proxies each appends the address it was reached from, so the client is the
    N-th entry from the right; anything further left was written by the client and is ignored.
    Only `request.META` is read, so a WSGI environ wrapped as such will do (gisioc.limits).
    """
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    count = settings.CONFIG.proxy_count
    if not count:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:  # not through every proxy (or a misconfigured one)
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
