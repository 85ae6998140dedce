"""Data versions: a counter per source table, bumped by triggers on every effective write."""

from django.contrib.gis.db import models as gis
from django.db import models


class TableVersion(models.Model):
    """How many effective writes a table has seen; tile caches and ETags key on it."""

    table_name = models.CharField(max_length=128, primary_key=True)
    version = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.table_name}@{self.version}"


class ClusterCell(models.Model):
    """Points of a clustered layer summed per base-grid cell (and filter value and unit)."""

    layer_id = models.CharField(max_length=64)
    zoom = models.SmallIntegerField()
    cx = models.IntegerField()
    cy = models.IntegerField()
    keys = models.JSONField(default=dict)
    unit_id = models.BigIntegerField(null=True)
    n = models.IntegerField()
    sum_x = models.FloatField()
    sum_y = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["layer_id", "zoom", "cx", "cy"], name="tiles_clust_layer_zoom_idx")
        ]

    def __str__(self) -> str:
        return f"{self.layer_id} ({self.cx}, {self.cy}): {self.n}"


class ClusterBuild(models.Model):
    """Which data version a layer's cluster cells were built from."""

    layer_id = models.CharField(max_length=64, primary_key=True)
    version = models.CharField(max_length=200)
    built_at = models.DateTimeField(auto_now=True)
    seconds = models.FloatField(default=0)

    def __str__(self) -> str:
        return f"{self.layer_id}@{self.version}"


class UnitShape(models.Model):
    """An admin unit's shape generalised for a zoom band, its borders shared with its
    neighbours' (tiles/shapes.py)."""

    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    band = models.SmallIntegerField()
    geom = gis.MultiPolygonField(srid=4326, spatial_index=False)  # read by unit and band only

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "band"], name="tiles_unitshape_unit_band")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}@{self.band}"
