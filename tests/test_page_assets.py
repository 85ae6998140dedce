"""The pages link a Vite entry's styles in an order where the page's own rules win."""

import json
from pathlib import Path

import pytest

from gisioc.web import views


def test_styles_shared_by_entries_come_before_the_entrys_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As Vite writes it once two entries import MapLibre's CSS: the shared file listed last.
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "index.html": {
                    "file": "assets/index-1.js",
                    "css": ["assets/index-1.css", "assets/maplibre-gl-1.css"],
                    "imports": ["_maplibre.js"],
                },
                "wall.html": {
                    "file": "assets/wall-1.js",
                    "css": ["assets/wall-1.css", "assets/maplibre-gl-1.css"],
                    "imports": ["_maplibre.js"],
                },
                "_maplibre.js": {"file": "assets/maplibre.js"},
            }
        )
    )
    monkeypatch.setattr(views, "MANIFEST", manifest)
    assert views.entry_assets() == {
        "scripts": ["assets/index-1.js"],
        "styles": ["assets/maplibre-gl-1.css", "assets/index-1.css"],
    }
    assert views.entry_assets("wall.html")["styles"] == [
        "assets/maplibre-gl-1.css",
        "assets/wall-1.css",
    ]
    assert views.entry_assets("missing.html") == {"scripts": [], "styles": []}
