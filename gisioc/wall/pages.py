"""The kiosk page `/wall/?token=…`: a frame Django renders, filled by the Vite entry
`wall.html` (map, KPIs, events strip). Read-only: GET only, no session needed."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gisioc.wall.selectors import wall_by_token_any
from gisioc.web.views import entry_assets as _entry_assets

ENTRY = "wall.html"


def entry_assets() -> dict[str, list[str]]:
    """The wall entry's script and styles (the one manifest reader, read again after a build)."""
    return _entry_assets(ENTRY)


def build_id() -> str:
    """The built wall script's name (hashed by Vite): a new one means a new build."""
    scripts = entry_assets()["scripts"]
    return scripts[0] if scripts else ""


@require_GET
def kiosk_page(request: HttpRequest) -> HttpResponse:
    """The wall's page; an unknown token 404, a disabled wall 403 (a dark page, no error
    screen on the wall)."""
    wall = wall_by_token_any(request.GET.get("token"))
    status = 404 if wall is None else 403 if not wall.enabled else 200
    assets = entry_assets()
    response = render(
        request,
        "wall/kiosk.html",
        {
            "status": status,
            "name": wall.name if wall and status == 200 else "",
            "scripts": assets["scripts"] if status == 200 else [],
            "styles": assets["styles"],
            "built": bool(assets["scripts"]),
        },
        status=status,
    )
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
