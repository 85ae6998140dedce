"""Unmanaged models over the views the camera layers read (gisioc/cameras/sql/)."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit


class CameraPoint(models.Model):
    """A registered camera in service today: its place, kind, road and status (public)."""

    source_tables = ("cameras_camera", "cameras_outage", "geo_facility")
    personal_fields = frozenset()

    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16)
    road = models.CharField(max_length=200)
    status = models.CharField(max_length=12)
    status_since = models.DateTimeField(null=True)
    has_stream = models.BooleanField()
    offline_since = models.DateTimeField(null=True, help_text="Its open outage's start.")

    class Meta:
        managed = False
        db_table = "gisioc_camera_points"


class CameraEventPoint(models.Model):
    """A camera event × each period it occurred in, at its camera (staff layers)."""

    source_tables = ("cameras_cameraevent",)
    personal_fields = frozenset()

    period = models.CharField(max_length=8)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    camera_id = models.IntegerField()
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=14)
    confidence = models.FloatField()
    label = models.CharField(max_length=60)
    occurred_at = models.DateTimeField()
    hour = models.IntegerField(help_text="Hour of day in Vietnam, 0–23.")

    class Meta:
        managed = False
        db_table = "gisioc_camera_event_points"
