from django.apps import AppConfig


class RastersConfig(AppConfig):
    name = "gisioc.rasters"
    label = "rasters"
    verbose_name = "Lớp raster và bản đồ nền / Rasters and basemap"
