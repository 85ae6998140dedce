"""/api/rasters/: adding and listing rasters, zonal statistics, exposure, basemaps."""

from gisioc.rasters import api, basemap_api, exposure_api, zonal_api

urlpatterns = [*api.urls, *zonal_api.urls, *exposure_api.urls, *basemap_api.urls]
