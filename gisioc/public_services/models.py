"""One-stop-shop dossiers (hồ sơ thủ tục hành chính) and the per-commune view layers read."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit, Facility, UnitRow
from gisioc.ingest.models import SourcedRecord


class Dossier(SourcedRecord):
    """A dossier of an administrative procedure, placed at its office, counted in a commune.

    `unit` is the applicant's commune when the address locates, else the office's; `geom` is
    the office's point; `locate_on` is the Vietnam day it was received. No applicant name,
    phone, ID number or email is stored: the ingest adapter drops those columns on reading.
    """

    personal_fields = frozenset()

    class Channel(models.TextChoices):
        IN_PERSON = "truc_tiep", "Trực tiếp / In person"
        ONLINE = "truc_tuyen", "Trực tuyến / Online"
        POST = "buu_chinh", "Bưu chính công ích / By post"

    class ServiceLevel(models.TextChoices):
        FULL = "toan_trinh", "Toàn trình / Fully online"
        PARTIAL = "mot_phan", "Một phần / Partly online"

    class Status(models.TextChoices):
        RECEIVED = "received", "Mới tiếp nhận / Received"
        IN_PROGRESS = "in_progress", "Đang giải quyết / In progress"
        SUPPLEMENT_REQUESTED = "supplement_requested", "Chờ bổ sung / Supplement requested"
        PAUSED = "paused", "Tạm dừng / Paused"
        FINISHED = "finished", "Đã giải quyết / Finished"
        RETURNED = "returned", "Đã trả kết quả / Result returned"
        CANCELLED = "cancelled", "Đã hủy, rút / Cancelled or withdrawn"

    dossier_code = models.CharField(max_length=80, db_index=True, help_text="Mã hồ sơ")
    procedure_code = models.CharField(max_length=60, db_index=True, help_text="Mã TTHC")
    procedure_name = models.CharField(max_length=500, blank=True)
    field = models.CharField(max_length=200, blank=True, help_text="Lĩnh vực")
    office = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": Facility.Kind.ONE_STOP},
        related_name="dossiers",
    )
    office_code = models.CharField(max_length=120, blank=True, help_text="Office as received.")
    channel = models.CharField(max_length=12, choices=Channel.choices, blank=True)
    service_level = models.CharField(max_length=12, choices=ServiceLevel.choices, blank=True)
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True, help_text="Hẹn trả")
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices)
    supplement_count = models.PositiveSmallIntegerField(default=0, help_text="Số lần bổ sung")
    applicant_commune = models.CharField(
        max_length=300, blank=True, help_text="Applicant's address as received (commune level)."
    )
    online_payment = models.BooleanField(default=False)

    class Meta(SourcedRecord.Meta):
        constraints = [
            *SourcedRecord.Meta.constraints,
            # KPI queries skip dossiers closed before a period on this (ingest checks it too).
            models.CheckConstraint(
                condition=models.Q(finished_at__gte=models.F("received_at"))
                | models.Q(finished_at__isnull=True),
                name="dossier_finished_after_received",
            ),
            models.CheckConstraint(
                condition=models.Q(returned_at__gte=models.F("received_at"))
                | models.Q(returned_at__isnull=True),
                name="dossier_returned_after_received",
            ),
        ]
        indexes = [
            models.Index(fields=["received_at"]),
            models.Index(fields=["finished_at"]),
            models.Index(fields=["office", "received_at"]),
            # A commune's KPIs read its dossiers received, or still open, in the period.
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["unit", "finished_at"]),
            # Staff search dossiers by a prefix of their code.
            models.Index(
                fields=["dossier_code"],
                opclasses=["varchar_pattern_ops"],
                name="dossier_code_prefix",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_code} ({self.procedure_code})"


class DossierUnitStats(UnitRow):
    """Read-only view: communes in force × reporting periods, with their applicants' dossiers.

    One row per commune and period ('' is all time; see `gisioc_periods`): dossiers received
    in the period, and finished in it (on time or late). Dossiers located in a former commune
    count towards its successor, weighted by the share of the old commune's area inside it
    (1 for whole mergers). Read it filtered on `period`, or it holds every period.
    """

    # The daily rollup, not the dossiers: its triggers write it in the statement that writes
    # the dossiers, so its version changes with every dossier change it counts.
    source_tables = (
        "gisioc_dossier_rollup",
        "geo_adminunit",
        "geo_boundaryversion",
        "geo_unitcrosswalk",
    )

    period = models.CharField(max_length=8)
    received = models.IntegerField()
    finished = models.IntegerField()
    on_time = models.IntegerField(help_text="Finished early or on time.")
    late = models.IntegerField()
    online = models.IntegerField()
    on_time_pct = models.FloatField(null=True, help_text="On time of finished, %.")
    online_pct = models.FloatField(null=True, help_text="Received online, %.")

    class Meta:
        managed = False
        db_table = "gisioc_dossier_unit_stats"


class DossierOfficeStats(models.Model):
    """Read-only view: one-stop offices × reporting periods, dossiers received and finished late."""

    source_tables = ("public_services_dossier", "geo_facility")

    period = models.CharField(max_length=8)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=300)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    received = models.IntegerField()
    finished = models.IntegerField()
    late = models.IntegerField()
    late_pct = models.FloatField(null=True, help_text="Late of finished, %.")

    class Meta:
        managed = False
        db_table = "gisioc_dossier_office_stats"


class OverdueDossier(models.Model):
    """Read-only view: open dossiers whose due day is before today (Vietnam), at their office."""

    source_tables = ("public_services_dossier", "geo_facility")
    personal_fields = frozenset()

    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    dossier_code = models.CharField(max_length=80)
    procedure_code = models.CharField(max_length=60)
    procedure_name = models.CharField(max_length=500)
    field = models.CharField(max_length=200)
    office_code = models.CharField(max_length=40, null=True)
    office_name = models.CharField(max_length=300, null=True)
    status = models.CharField(max_length=24)
    received_on = models.DateField()
    due_on = models.DateField()
    days_overdue = models.IntegerField()

    class Meta:
        managed = False
        db_table = "gisioc_dossier_overdue"
