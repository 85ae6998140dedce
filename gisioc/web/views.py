"""The page that hosts the map application built from frontend/."""

import json
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gisioc.config import BASE_DIR

MANIFEST = BASE_DIR / "frontend" / "dist" / ".vite" / "manifest.json"


@cache
def _entry_assets() -> dict[str, list[str]]:
    """The built entry's script and styles, from Vite's manifest."""
    if not MANIFEST.exists():
        return {"scripts": [], "styles": []}
    entry = json.loads(MANIFEST.read_text())["index.html"]
    return {"scripts": [entry["file"]], "styles": entry.get("css", [])}


def map_page(request: HttpRequest) -> HttpResponse:
    """The map application's shell page."""
    assets = _entry_assets()
    return render(
        request,
        "web/map.html",
        {
            "scripts": assets["scripts"],
            "styles": assets["styles"],
            "built": bool(assets["scripts"]),
            "language": settings.LANGUAGE_CODE,
        },
    )
