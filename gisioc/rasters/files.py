"""Where raster files live: COGs under var/rasters, named by layer and version."""

from pathlib import Path

from django.conf import settings

from gisioc.rasters.models import Raster


def rasters_dir() -> Path:
    """The folder of the COGs (made when missing)."""
    folder = settings.CONFIG.var_dir / "rasters"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def raster_path(raster: Raster) -> Path:
    """The absolute path of a raster's COG."""
    return rasters_dir() / raster.file
