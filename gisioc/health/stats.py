"""Read-only models over the health system's SQL views (gisioc/health/sql/): what the layers
and the disease watch read. Counts of 1–4 are NULL in the public views (`suppressed`)."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit, Facility, UnitRow

ENCOUNTERS = ("health_encounter",)
UNITS = ("geo_adminunit", "geo_boundaryversion", "geo_unitcrosswalk")
POPULATION = ("indicators_indicatorvalue",)


class FacilityHealthStats(models.Model):
    """Health facilities × periods × measures: visits, and the measure's value and quartile
    among the district's facilities (NULL when held back as a small count)."""

    source_tables = (*ENCOUNTERS, "geo_facility")
    personal_fields = frozenset()

    period = models.CharField(max_length=8)
    measure = models.CharField(max_length=20)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    subtype = models.CharField(max_length=40)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    visits = models.IntegerField(null=True)
    value = models.FloatField(null=True, help_text="The measure: a count, or a share in %.")
    suppressed = models.BooleanField(help_text="The value is held back (fewer than 5).")
    level = models.IntegerField(null=True, help_text="Quartile among facilities, 1–4.")

    class Meta:
        managed = False
        db_table = "gisioc_health_facility_stats"


class ResidenceHealthStats(UnitRow):
    """Communes in force × periods: their residents' visits, per 1,000 residents."""

    source_tables = (*ENCOUNTERS, *UNITS, *POPULATION)
    personal_fields = frozenset()

    period = models.CharField(max_length=8)
    visits = models.IntegerField(null=True)
    inpatient = models.IntegerField(null=True)
    population = models.IntegerField(null=True)
    per_1000 = models.FloatField(null=True, help_text="Visits per 1,000 residents.")
    suppressed = models.BooleanField()

    class Meta:
        managed = False
        db_table = "gisioc_health_residence_stats"


class HealthCatchment(UnitRow):
    """Communes in force × health facilities × periods: where a facility's patients live."""

    source_tables = (*ENCOUNTERS, *UNITS, "geo_facility")
    personal_fields = frozenset()

    facility = models.ForeignKey(Facility, on_delete=models.DO_NOTHING, related_name="+")
    facility_code = models.CharField(max_length=40)
    period = models.CharField(max_length=8)
    visits = models.IntegerField(null=True)
    share_pct = models.FloatField(null=True, help_text="Of the facility's visits, %.")
    suppressed = models.BooleanField()

    class Meta:
        managed = False
        db_table = "gisioc_health_catchment"


class DiseaseWatch(models.Model):
    """Communes in force × ISO weeks × watched diseases: cases, the 4 previous weeks and the
    threshold flag (exact counts)."""

    source_tables = (*ENCOUNTERS, *UNITS)
    personal_fields = frozenset()

    week_key = models.CharField(max_length=8, help_text="'2026-W40', or '' the latest whole.")
    week = models.CharField(max_length=8)
    monday = models.DateField()
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, related_name="+")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    disease = models.CharField(max_length=12)
    cases = models.IntegerField()
    previous = models.IntegerField(help_text="Cases in the 4 weeks before.")
    previous_mean = models.FloatField()
    flagged = models.BooleanField()

    class Meta:
        managed = False
        db_table = "gisioc_health_watch"


class DiseaseWatchMap(UnitRow):
    """Communes in force × ISO weeks: watched cases per disease, flagged diseases."""

    source_tables = (*ENCOUNTERS, *UNITS)
    personal_fields = frozenset()

    week_key = models.CharField(max_length=8)
    week = models.CharField(max_length=8)
    cases = models.IntegerField()
    flagged = models.BooleanField()
    flagged_diseases = models.CharField(max_length=80)
    dengue = models.IntegerField()
    hfmd = models.IntegerField()
    measles = models.IntegerField()
    influenza = models.IntegerField()
    cholera = models.IntegerField()
    diarrhoea = models.IntegerField()

    class Meta:
        managed = False
        db_table = "gisioc_health_watch_map"
