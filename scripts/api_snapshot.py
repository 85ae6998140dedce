"""What the public interfaces answer on a loaded demo, as one JSON file, to compare a refactor.

    python scripts/api_snapshot.py OUT.json

Reads only URLs (style.json, TileJSON, legends, tiles decoded, KPI APIs for every `by=`,
profiles, record lists, search), as the public and as a leader, through Django's test client,
so two checkouts can be compared on two databases loaded with the same demo:
`diff <(jq -S . before.json) <(jq -S . after.json)`. Values that change with every request
(as_of, freshness days) are kept: run both on the same day.
"""

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gisioc.settings")

import django

django.setup()

import mapbox_vector_tile  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.test import Client  # noqa: E402

from gisioc.geo.models import AdminUnit, Role, UserAccess  # noqa: E402

PERIODS = ("", "2025", "2025-Q3", "2026-10")
SEARCHES = ("duy", "Thu Bồn", "nam phuoc", "UBND", "1/", "45/QĐ")
CENTRE = (108.23, 15.82)  # Duy Xuyên


def _tile_xy(z: int) -> tuple[int, int]:
    lon, lat = CENTRE
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def _decoded(body: bytes) -> Any:
    layers = mapbox_vector_tile.decode(body)
    out = {}
    for name, layer in layers.items():
        feats = [
            json.dumps([f.get("id"), f["properties"], f["geometry"]], sort_keys=True)
            for f in layer["features"]
        ]
        out[name] = sorted(feats)
    return out


def _get(client: Client, url: str) -> Any:
    response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
    kind = response.get("Content-Type", "")
    if response.status_code != 200:
        return {"status": response.status_code}
    if "json" in kind:  # GeoJSON lists are streamed
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return json.loads(body)
    if "vector-tile" in kind:
        return _decoded(response.content)
    return response.content.decode()


def snapshot(client: Client, who: str) -> dict[str, Any]:
    """Every answer the snapshot compares, for one viewer."""
    out: dict[str, Any] = {}

    def get(url: str) -> None:
        out[f"{who} {url}"] = _get(client, url)

    style = _get(client, "/tiles/style.json")
    out[f"{who} style"] = style
    layer_ids = sorted({s.split("/tiles/")[1].split(".json")[0] for s in _sources(style)})
    for layer in layer_ids:
        get(f"/tiles/{layer}.json")
        for period in PERIODS:
            get(f"/tiles/legend/{layer}.json?period={period}")
            for z in (9, 11, 13):
                x, y = _tile_xy(z)
                get(f"/tiles/{layer}/{z}/{x}/{y}.mvt?period={period}")
    units = AdminUnit.objects.filter(level="commune").order_by("id").values_list("id", flat=True)
    for period in PERIODS:
        get(f"/api/profiles/district/?period={period}")
        for unit in units:
            get(f"/api/profiles/units/{unit}/?period={period}")
        for url, bys in (
            ("/api/public-services/kpis/", ("", "office", "unit", "field", "procedure")),
            ("/api/documents/kpis/", ("", "agency", "unit", "type")),
        ):
            for by in bys:
                get(f"{url}?period={period}&by={by}")
            for unit in units[:20]:
                get(f"{url}?period={period}&unit={unit}")
    for url in (
        "/api/public-services/dossiers/?limit=20",
        "/api/public-services/dossiers/?limit=20&overdue=1",
        "/api/documents/documents/?limit=20",
        "/api/documents/documents/?limit=20&overdue=1&direction=incoming",
    ):
        get(url)
    for query in SEARCHES:
        get(f"/api/search/?q={query}")
    return out


def _sources(style: dict[str, Any]) -> list[str]:
    return [s["url"] for s in style.get("sources", {}).values() if "url" in s]


def main() -> None:
    """Write the snapshot of the public and of a leader to the file named."""
    client = Client(HTTP_HOST="127.0.0.1")
    result = snapshot(client, "public")
    leader, _ = User.objects.get_or_create(username="snapshot-leader")
    UserAccess.objects.update_or_create(user=leader, defaults={"role": Role.LEADER})
    client.force_login(leader)
    result |= snapshot(client, "leader")
    Path(sys.argv[1]).write_text(json.dumps(result, ensure_ascii=False, sort_keys=True, indent=1))
    print(f"{len(result)} answers → {sys.argv[1]}")


if __name__ == "__main__":
    main()
