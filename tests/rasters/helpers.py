"""Small rasters for tests elsewhere (the access matrix): made here, added as users add them."""

from pathlib import Path

import numpy as np
import rasterio
from rasterio.transform import from_origin

from gisioc.rasters.models import Raster
from gisioc.rasters.services import raster_add

# The demo district's box in lon/lat, with a margin: 0.005° cells.
WEST, NORTH, CELL = 108.0, 16.0, 0.005


def lonlat_tif(path: Path, data: np.ndarray, *, nodata: float | None = -9999.0) -> Path:
    """A GeoTIFF in EPSG:4326 whose north-west corner is (WEST, NORTH)."""
    with rasterio.open(
        path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=1,
        dtype=str(data.dtype), crs="EPSG:4326", transform=from_origin(WEST, NORTH, CELL, CELL),
        nodata=nodata,
    ) as dst:  # fmt: skip
        dst.write(data, 1)
    return path


def rasters_matrix_load(folder: Path) -> list[Raster]:
    """A public flood-depth raster and a staff-only one over the demo district (water deepest
    in the north, along the river): every raster route answers for both."""
    rows, cols = 60, 100
    depth = np.tile(np.linspace(3.0, 0.0, rows, dtype="float32")[:, None], (1, cols))
    return [
        raster_add(path=lonlat_tif(folder / f"{name}.tif", depth), kind="flood_depth", name=name,
                   public=public)
        for name, public in (("ngap", True), ("ngap-noi-bo", False))
    ]  # fmt: skip
