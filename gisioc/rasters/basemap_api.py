"""Routes under /api/rasters/ (filled by its owner)."""

urls: list = []
