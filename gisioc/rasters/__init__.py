"""Raster layers, zonal statistics, exposure and offline basemaps."""

import os

# rio-tiler imports numexpr, which logs "NumExpr defaulting to N threads" at INFO unless told;
# set here, before any module of the package can import it.
os.environ.setdefault("NUMEXPR_MAX_THREADS", str(os.cpu_count() or 1))
