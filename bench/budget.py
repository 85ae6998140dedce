"""The size budget of polygon tiles: the largest gzipped `admin-units` tile at every zoom.

Tiles are rendered in this process as the endpoint renders them (`tiles.cache.render`: the
tile's one statement, gzip as stored and sent), with the national communes in force. Up to
zoom 7 every tile over Vietnam is drawn; above it, the 3 × 3 tiles around the densest places
(Hà Nội, Hồ Chí Minh City, Đà Nẵng), where communes are smallest and most numerous per tile.
"""

import time
from typing import Any

BUDGET_BYTES = 100_000  # the target: no admin-units tile over 100 kB gzipped
LAYER = "admin-units"
VIETNAM = (102.1, 8.4, 109.5, 23.4)
DENSE = ((105.85, 21.03), (106.70, 10.78), (108.20, 16.05))
ALL_TILES_UP_TO = 7


def _tiles(z: int) -> set[tuple[int, int]]:
    from tiles.sql import tile_for

    if z <= ALL_TILES_UP_TO:
        x0, y1 = tile_for(VIETNAM[0], VIETNAM[1], z)
        x1, y0 = tile_for(VIETNAM[2], VIETNAM[3], z)
        return {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
    out = set()
    for lon, lat in DENSE:
        cx, cy = tile_for(lon, lat, z)
        out |= {(cx + dx, cy + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)}
    return out


def measure(zooms: range) -> list[dict[str, Any]]:
    """Per zoom: tiles drawn, the largest gzipped tile (bytes, which) and the budget's mark."""
    from layers.registry import registry
    from tiles.cache import render
    from tiles.sql import TileQuery

    layer = registry.get(LAYER)
    rows = []
    for z in zooms:
        started, biggest, which, n = time.perf_counter(), 0, "", 0
        for x, y in sorted(_tiles(z)):
            _version, data = render(TileQuery(layer, z, x, y))
            n += 1
            if len(data) > biggest:
                biggest, which = len(data), f"{z}/{x}/{y}"
        rows.append(
            {
                "z": z,
                "tiles": n,
                "max_gzip_bytes": biggest,
                "tile": which,
                "met": biggest <= BUDGET_BYTES,
                "seconds": round(time.perf_counter() - started, 2),
            }
        )
    return rows


def markdown(rows: list[dict[str, Any]]) -> list[str]:
    """The budget as a Markdown table with ✓/✗ per zoom."""
    if not rows:
        return []
    ok = all(r["met"] for r in rows)
    lines = [
        f"Size budget: the largest gzipped {LAYER} tile per zoom ≤ {BUDGET_BYTES // 1000} kB"
        f"{' ✓' if ok else ' ✗'} (every tile over Vietnam up to z{ALL_TILES_UP_TO}, the 3 × 3 "
        "around Hà Nội, Hồ Chí Minh City and Đà Nẵng above):",
        "",
        "| z | tiles | largest gzip bytes | tile | ≤ budget |",
        "|---:|---:|---:|---|---|",
    ]
    lines += [
        f"| {r['z']} | {r['tiles']} | {r['max_gzip_bytes']:,} | {r['tile']} | "
        f"{'✓' if r['met'] else '✗'} |"
        for r in rows
    ]
    return lines
