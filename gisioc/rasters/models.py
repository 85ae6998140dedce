"""Raster layers (Cloud-Optimised GeoTIFFs a GIS officer adds) and offline basemap archives.

Raster layers are registry entries too, but live in the database: they are added at run time
(`gisioc rasters add`, the web upload), not declared in code. Their files live under
var/rasters and var/basemaps; a row's `version` changes with its file or its colours, and
tile caches and ETags key on it."""

from django.conf import settings
from django.contrib.gis.db import models


class Raster(models.Model):
    """A registered GeoTIFF, kept as a COG in its own CRS, and the layer that draws it."""

    class Kind(models.TextChoices):
        POPULATION = "population", "Mật độ dân số / Population"
        FLOOD_DEPTH = "flood_depth", "Độ sâu ngập / Flood depth"
        HAZARD_CLASS = "hazard_class", "Cấp nguy cơ / Hazard class"
        ELEVATION = "elevation", "Độ cao / Elevation"
        IMAGERY = "imagery", "Ảnh / Imagery"

    name = models.SlugField(max_length=60, unique=True, help_text="The layer id: /tiles/{name}/…")
    title_vi = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    unit_vi = models.CharField(max_length=40, blank=True, help_text="e.g. 'm', 'người/ô'")
    unit_en = models.CharField(max_length=40, blank=True)
    file = models.CharField(max_length=300, help_text="The COG, relative to var/rasters")
    source_name = models.CharField(max_length=300, help_text="The file as it was given")
    crs = models.TextField(help_text="The COG's CRS as WKT (the source's, never resampled)")
    crs_name = models.CharField(max_length=200, blank=True, help_text="e.g. 'EPSG:5899'")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bands = models.PositiveSmallIntegerField(default=1)
    dtype = models.CharField(max_length=16)
    nodata = models.FloatField(null=True, blank=True)
    res_x = models.FloatField(help_text="Cell width in CRS units")
    res_y = models.FloatField(help_text="Cell height in CRS units")
    footprint = models.PolygonField(srid=4326, help_text="The raster's bounds in lon/lat")
    # {"min", "max", "mean", "std", "sum", "valid": cells, "histogram": {"edges", "counts"}}
    stats = models.JSONField(default=dict)
    # {"type": "continuous"|"classes", "stops": [[value, "#rrggbb"], …], "labels": {…}}
    colormap = models.JSONField(default=dict)
    public = models.BooleanField(default=True, help_text="Anyone may see it (else staff only)")
    visible = models.BooleanField(default=False, help_text="Shown when the map opens")
    opacity = models.FloatField(default=0.75)
    synthetic = models.BooleanField(default=False, help_text="Demo data made by our own code")
    version = models.CharField(max_length=24, help_text="Changes with the file or the colours")
    order = models.PositiveIntegerField(default=100)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("order", "name")

    def __str__(self) -> str:
        return self.name

    @property
    def title(self) -> dict[str, str]:
        """Its title in vi/en, saying "synthetic" where the data are and the title does not."""
        vi, en = self.title_vi or self.name, self.title_en or self.title_vi or self.name
        return {
            lang: text if not self.synthetic or tag in text.lower() else f"{text} ({tag})"
            for lang, text, tag in (("vi", vi, "mô phỏng"), ("en", en, "synthetic"))
        }

    @property
    def roles(self) -> frozenset[str] | None:
        """Who may see it, as `gisioc.geo.access.may_see` reads roles: None is everyone."""
        from gisioc.geo.access import STAFF

        return None if self.public else STAFF


class Basemap(models.Model):
    """An offline basemap archive (PMTiles or MBTiles of vector or raster tiles)."""

    class Format(models.TextChoices):
        PMTILES = "pmtiles", "PMTiles"
        MBTILES = "mbtiles", "MBTiles"

    class Schema(models.TextChoices):
        OPENMAPTILES = "openmaptiles", "OpenMapTiles"
        PROTOMAPS = "protomaps", "Protomaps"
        RASTER = "raster", "Raster"

    name = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200, blank=True)
    file = models.CharField(max_length=300, help_text="The archive, relative to var/basemaps")
    source_name = models.CharField(max_length=300)
    format = models.CharField(max_length=8, choices=Format.choices)
    tile_type = models.CharField(max_length=8, help_text="mvt, png, jpg or webp")
    schema = models.CharField(max_length=16, choices=Schema.choices)
    minzoom = models.PositiveSmallIntegerField(default=0)
    maxzoom = models.PositiveSmallIntegerField(default=14)
    bounds = models.JSONField(default=list, help_text="[west, south, east, north]")
    attribution = models.CharField(max_length=500, blank=True)
    size = models.BigIntegerField(default=0)
    version = models.CharField(max_length=24, help_text="A digest of the archive")
    active = models.BooleanField(default=True, help_text="The one drawn under the map")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-active", "-created_at")

    def __str__(self) -> str:
        return self.name
