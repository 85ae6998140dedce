"""A raster's values as RGBA pixels: its colour map applied, nodata and empty cells transparent.

The colour map's rules are `gisioc.rasters.colormaps`': continuous stops interpolated per
channel and clamped at both ends; classes a step (the last stop at or below the value), a
value below the first stop transparent. Colours are `#rrggbb` or `#rrggbbaa`."""

from typing import Any

import numpy as np

TRANSPARENT = (0, 0, 0, 0)


def color_rgba(color: str) -> tuple[int, int, int, int]:
    """`#rgb`, `#rrggbb` or `#rrggbbaa` as (r, g, b, a) bytes."""
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) == 6:
        text += "ff"
    if len(text) != 8:
        raise ValueError(f"not a colour: {color!r}")
    return tuple(int(text[i : i + 2], 16) for i in range(0, 8, 2))  # type: ignore[return-value]


def _stops(colormap: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    stops = sorted((float(v), color_rgba(c)) for v, c in colormap.get("stops") or [])
    values = np.array([v for v, _ in stops], dtype="float64")
    colors = np.array([c for _, c in stops], dtype="float64").reshape(-1, 4)
    return values, colors


def colorize(values: np.ndarray, valid: np.ndarray, colormap: dict[str, Any]) -> np.ndarray:
    """RGBA (h, w, 4) uint8 of one band's values; `valid` False (nodata, outside) is transparent."""
    out = np.zeros((*values.shape, 4), dtype="uint8")
    xs, colors = _stops(colormap)
    if not len(xs):
        return out
    data = values.astype("float64", copy=False)
    if colormap.get("type") == "classes":
        index = np.searchsorted(xs, data, side="right") - 1  # the last stop at or below
        table = np.vstack([np.array(TRANSPARENT, dtype="float64"), colors]).astype("uint8")
        out[...] = table[np.clip(index, -1, len(xs) - 1) + 1]
    else:
        for channel in range(4):
            out[..., channel] = np.rint(np.interp(data, xs, colors[:, channel]))
    out[~(valid & np.isfinite(data))] = TRANSPARENT
    return out


def stretch(bands: np.ndarray, valid: np.ndarray, low: float, high: float) -> np.ndarray:
    """RGBA of imagery (1 band grey, 3+ bands the first three as red, green, blue): bytes as
    they are, other types stretched from `low` to `high`."""
    data = bands[:3] if bands.shape[0] >= 3 else np.repeat(bands[:1], 3, axis=0)
    if data.dtype != np.uint8:
        span = (high - low) or 1.0
        data = np.clip((data.astype("float64") - low) / span * 255, 0, 255).astype("uint8")
    out = np.zeros((*data.shape[1:], 4), dtype="uint8")
    out[..., :3] = np.moveaxis(data, 0, -1)
    out[..., 3] = np.where(valid, 255, 0)
    return out


def colormap_colors(colormap: dict[str, Any], *, most: int = 7) -> list[str]:
    """The colour map's colours as `#rrggbb`, in value order (the layer panel's swatch)."""
    _, colors = _stops(colormap)
    if len(colors) > most:
        colors = colors[np.linspace(0, len(colors) - 1, most).astype(int)]
    return ["#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgba[:3])) for rgba in colors]
