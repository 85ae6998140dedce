"""Small rasters for tests elsewhere (the access matrix): made here, added as users add them."""

from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from rasterio.transform import from_origin

from gisioc.rasters.models import Raster
from gisioc.rasters.services import raster_add

# The demo district's box in lon/lat, with a margin: 0.005° cells.
WEST, NORTH, CELL = 108.0, 16.0, 0.005


def write_tif(
    path: Path,
    data: np.ndarray,
    *,
    crs: str | None = "EPSG:4326",
    origin: tuple[float, float] = (WEST, NORTH),
    cell: float = CELL,
    nodata: float | None = -9999.0,
    transform: Any = None,
) -> Path:
    """A plain (striped, not cloud-optimised) one-band GeoTIFF of `data`, its north-west
    corner at `origin` (or placed by `transform`), as a GIS officer would bring it."""
    with rasterio.open(
        path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=1,
        dtype=str(data.dtype), crs=crs, nodata=nodata,
        transform=transform or from_origin(*origin, cell, cell),
    ) as dst:  # fmt: skip
        dst.write(data, 1)
    return path


def rasters_matrix_load(folder: Path) -> list[Raster]:
    """A public flood-depth raster and a staff-only one over the demo district (water deepest
    in the north, along the river): every raster route answers for both."""
    rows, cols = 60, 100
    depth = np.tile(np.linspace(3.0, 0.0, rows, dtype="float32")[:, None], (1, cols))
    return [
        raster_add(path=write_tif(folder / f"{name}.tif", depth), kind="flood_depth", name=name,
                   public=public)
        for name, public in (("ngap", True), ("ngap-noi-bo", False))
    ]  # fmt: skip
