"""The kiosk page `/wall/?token=…`: a frame Django renders, filled by the Vite entry
`wall.html` (map, KPIs, events strip). Read-only: GET only, no session needed."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gisioc.web.views import MANIFEST

ENTRY = "wall.html"
_read: dict[str, Any] = {"mtime": None, "assets": None}


def entry_assets() -> dict[str, list[str]]:
    """The wall entry's script and styles from Vite's manifest, read again after a build."""
    try:
        mtime = MANIFEST.stat().st_mtime
    except OSError:
        return {"scripts": [], "styles": []}
    if _read["mtime"] != mtime:
        manifest = json.loads(MANIFEST.read_text())
        assets: dict[str, list[str]] = {"scripts": [], "styles": []}
        if ENTRY in manifest:
            seen: set[str] = set()
            todo = [ENTRY]
            while todo:
                key = todo.pop(0)
                if key in seen or key not in manifest:
                    continue
                seen.add(key)
                assets["styles"] += [
                    c for c in manifest[key].get("css", []) if c not in assets["styles"]
                ]
                todo += manifest[key].get("imports", [])
            assets["scripts"] = [manifest[ENTRY]["file"]]
        _read.update(mtime=mtime, assets=assets)
    return _read["assets"]


def build_id() -> str:
    """The built wall script's name (hashed by Vite): a new one means a new build."""
    scripts = entry_assets()["scripts"]
    return scripts[0] if scripts else ""


@require_GET
def kiosk_page(request: HttpRequest) -> HttpResponse:
    """The wall's page; an unknown token 404, a disabled wall 403 (a dark page, no error
    screen on the wall)."""
    from gisioc.wall.selectors import wall_by_token_any

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
