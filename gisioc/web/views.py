"""The page that hosts the map application built from frontend/."""

import json
from collections import Counter
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gisioc.config import BASE_DIR

MANIFEST = BASE_DIR / "frontend" / "dist" / ".vite" / "manifest.json"


@cache
def _manifest(path: Path) -> dict:
    """Vite's manifest, read once per process: whitenoise indexes the static files once, at
    start, so a page naming a newer build's files would link what it cannot serve."""
    return json.loads(path.read_text()) if path.exists() else {}


def entry_assets(entry: str = "index.html") -> dict[str, list[str]]:
    """A built entry's script and every style it and its imports need, from Vite's manifest.
    Styles shared by several entries (MapLibre's, split into a chunk of their own) come first,
    so the entry's own rules win where both set a property."""
    manifest = _manifest(MANIFEST)
    if entry not in manifest:
        return {"scripts": [], "styles": []}
    styles: list[str] = []
    seen: set[str] = set()
    todo = [entry]
    while todo:
        key = todo.pop(0)
        if key in seen or key not in manifest:
            continue
        seen.add(key)
        styles += [css for css in manifest[key].get("css", []) if css not in styles]
        todo += manifest[key].get("imports", [])
    shared = Counter(css for chunk in manifest.values() for css in chunk.get("css", []))
    own = [css for css in manifest[entry].get("css", []) if shared[css] == 1]
    styles = [css for css in styles if css not in own] + own
    return {"scripts": [manifest[entry]["file"]], "styles": styles}


def map_page(request: HttpRequest) -> HttpResponse:
    """The map application's shell page."""
    assets = entry_assets()
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
