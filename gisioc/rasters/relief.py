"""Relief from an elevation tile: a hillshade drawn as a translucent overlay.

Slopes facing the light (north-west, 45° up) lighten, slopes away from it darken, flat land
stays clear, so the overlay sits on the elevation colours (or any layer) without greying it.
The tile is read with a one-pixel buffer so that slopes are continuous across tile edges."""

import math

import numpy as np

AZIMUTH = 315.0
ALTITUDE = 45.0
STRENGTH = 1.6  # alpha per unit of shade away from flat
EARTH = 40075016.686  # Web Mercator's circumference, metres


def pixel_metres(z: int, y: int, tilesize: int = 256) -> float:
    """Ground size of a pixel of tile row `y` at zoom `z` (Mercator metres × cos latitude)."""
    n = 2**z
    lat = math.atan(math.sinh(math.pi * (1 - 2 * (y + 0.5) / n)))
    return EARTH / (tilesize * n) * math.cos(lat)


def exaggeration(z: int) -> float:
    """More relief at low zooms, where a pixel averages slopes away."""
    return max(1.0, 2 ** ((13 - z) / 2))


def hillshade(
    elevation: np.ndarray, valid: np.ndarray, *, cell: float, z_factor: float
) -> np.ndarray:
    """RGBA (h-2, w-2, 4) uint8 of an elevation array read with a one-pixel buffer."""
    e = np.where(valid, elevation.astype("float64"), np.nan) * z_factor
    centre = e[1:-1, 1:-1]

    def near(rows: slice, cols: slice) -> np.ndarray:
        side = e[rows, cols]  # a missing neighbour (nodata, the raster's edge) reads as level
        return np.where(np.isnan(side), centre, side)

    inner, before, after = slice(1, -1), slice(None, -2), slice(2, None)
    dzdx = (near(inner, after) - near(inner, before)) / (2 * cell)
    dzdy = (near(after, inner) - near(before, inner)) / (2 * cell)  # rows run south
    slope = np.arctan(np.hypot(dzdx, dzdy))
    aspect = np.arctan2(dzdy, -dzdx)
    zenith = math.radians(90 - ALTITUDE)
    azimuth = math.radians((360 - AZIMUTH + 90) % 360)
    shade = math.cos(zenith) * np.cos(slope) + math.sin(zenith) * np.sin(slope) * np.cos(
        azimuth - aspect
    )
    missing = ~valid[1:-1, 1:-1] | np.isnan(shade)
    delta = np.where(missing, 0.0, shade - math.cos(zenith))  # relative to flat ground
    out = np.zeros((*delta.shape, 4), dtype="uint8")
    out[..., :3] = np.where(delta[..., None] > 0, 255, 0)
    out[..., 3] = np.clip(np.abs(delta) * STRENGTH * 255, 0, 200).astype("uint8")
    out[missing] = 0
    return out
