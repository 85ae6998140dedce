"""The example system's records: one inspection of a school, on the sourced-record base."""

from django.contrib.gis.db import models

from gisioc.geo.models import Facility
from gisioc.ingest.models import SourcedRecord


class Inspection(SourcedRecord):
    """A safety inspection of a school: placed at the school, counted in its commune on the day
    inspected. The base gives source, external id, run, their unique key and the Located
    fields (geom, unit, locate_on, locate_method, …)."""

    class Result(models.TextChoices):
        PENDING = "pending", "Chờ kết luận / Pending"
        PASSED = "passed", "Đạt / Passed"
        FAILED = "failed", "Không đạt / Failed"

    school = models.ForeignKey(
        Facility, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    school_code = models.CharField(max_length=40, blank=True, help_text="School as received.")
    inspected_at = models.DateTimeField()
    result = models.CharField(max_length=8, choices=Result.choices)

    def __str__(self) -> str:
        return self.external_id
