"""The benchmark's 1,000,000 points: an unmanaged model over the table bench/db.py creates."""

from django.contrib.gis.db import models

KINDS = ("school", "health", "camera", "one_stop", "agency")


class BenchPoint(models.Model):
    """One generated point inside a commune of the national boundary version."""

    source_tables = ("bench_points",)  # the layer's data version keys on this table

    id = models.IntegerField(primary_key=True)
    unit = models.ForeignKey(
        "geo.AdminUnit",
        on_delete=models.DO_NOTHING,
        db_column="unit_id",
        db_constraint=False,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=[(k, k) for k in KINDS])
    geom = models.PointField(srid=4326)

    class Meta:
        managed = False
        db_table = "bench_points"
