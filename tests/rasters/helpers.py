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
    """A public flood-depth raster and a staff-only population raster over the demo district
    (water deepest in the north, along the river; people everywhere)."""
    rows, cols = 60, 100
    depth = np.tile(np.linspace(3.0, 0.0, rows, dtype="float32")[:, None], (1, cols))
    people = np.full((rows, cols), 25.0, dtype="float32")
    return [
        raster_add(path=lonlat_tif(folder / "ngap.tif", depth), kind="flood_depth", name="ngap"),
        raster_add(
            path=lonlat_tif(folder / "dan-so.tif", people),
            kind="population",
            name="dan-so",
            public=False,
        ),
    ]
