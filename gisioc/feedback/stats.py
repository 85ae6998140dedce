"""Read-only models over the feedback system's SQL views (gisioc/feedback/sql/): what the
layers read. Every column is public: no view carries the description, the address as given
or anything of the reporter."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit, UnitRow

REPORTS = ("feedback_report",)
UNITS = ("geo_adminunit", "geo_boundaryversion", "geo_unitcrosswalk")
POPULATION = ("indicators_indicatorvalue",)


class ReportPoint(models.Model):
    """Public reports × the periods they were received in: where, what, how far along;
    `overdue` as of today in Vietnam, `state` the status or 'overdue'."""

    source_tables = (*REPORTS, "geo_facility")
    personal_fields = frozenset()

    period = models.CharField(max_length=8)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    ticket = models.CharField(max_length=20)
    category = models.CharField(max_length=24)
    status = models.CharField(max_length=12)
    state = models.CharField(max_length=12, help_text="The status, or 'overdue'.")
    overdue = models.BooleanField()
    received_on = models.DateField()
    due_on = models.DateField(null=True)
    agency_name = models.CharField(max_length=300, null=True)
    public_text = models.CharField(max_length=160, help_text="Its first 140 characters.")
    followers = models.IntegerField()

    class Meta:
        managed = False
        db_table = "gisioc_feedback_report_points"


class ReportUnitStats(UnitRow):
    """Communes in force × periods: reports placed there (former communes' rolled up), per
    1,000 residents, and of them the ones open and overdue today."""

    source_tables = (*REPORTS, *UNITS, *POPULATION)
    personal_fields = frozenset()

    period = models.CharField(max_length=8)
    reports = models.IntegerField(help_text="Received in the period, not rejected or merged.")
    open = models.IntegerField()
    overdue = models.IntegerField()
    population = models.IntegerField(null=True)
    per_1000 = models.FloatField(null=True, help_text="Reports per 1,000 residents.")

    class Meta:
        managed = False
        db_table = "gisioc_feedback_unit_stats"


class ReportAgencyStats(models.Model):
    """Agencies in service (or still holding open reports) with their open reports and the
    ones overdue today in Vietnam."""

    source_tables = (*REPORTS, "geo_facility")
    personal_fields = frozenset()

    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    subtype = models.CharField(max_length=40)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    open_reports = models.IntegerField()
    overdue_reports = models.IntegerField()
    overdue_pct = models.FloatField(null=True)

    class Meta:
        managed = False
        db_table = "gisioc_feedback_agency_stats"
