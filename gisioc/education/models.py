"""A school's figures for one school year (aggregates only: no pupil is ever named) and the
views the layers read."""

from django.contrib.gis.db import models

from gisioc.geo.models import AdminUnit, Facility, UnitRow
from gisioc.ingest.models import SourcedRecord


class Level(models.TextChoices):
    """Cấp học, as the facility subtypes of schools name them."""

    MAM_NON = "mam_non", "Mầm non / Pre-school"
    TIEU_HOC = "tieu_hoc", "Tiểu học / Primary"
    THCS = "thcs", "Trung học cơ sở / Lower secondary"
    THPT = "thpt", "Trung học phổ thông / Upper secondary"
    LIEN_CAP = "lien_cap", "Liên cấp / Multi-level"


class SchoolYear(SourcedRecord):
    """One school × one school year ('2024-2025', 1 September to 31 May): its classes, pupils,
    teachers and results, as the school management software reports them.

    Placed at the school (a facility of kind school), counted in the commune holding it on
    `locate_on`, the school year's first day. `year_start` is that day's first instant in
    Vietnam: a school year counts in the period its start falls in (KPIs, `period=`).
    """

    class Ownership(models.TextChoices):
        PUBLIC = "cong_lap", "Công lập / Public"
        PRIVATE = "tu_thuc", "Tư thục / Private"

    class Standard(models.TextChoices):
        NONE = "chua_dat", "Chưa đạt chuẩn / Not yet standard"
        LEVEL_1 = "muc_1", "Đạt chuẩn quốc gia mức 1 / National standard, level 1"
        LEVEL_2 = "muc_2", "Đạt chuẩn quốc gia mức 2 / National standard, level 2"

    school = models.ForeignKey(
        Facility,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to={"kind": Facility.Kind.SCHOOL},
        related_name="school_years",
    )
    school_code = models.CharField(max_length=120, help_text="Mã trường, as received.")
    school_name = models.CharField(max_length=300, blank=True, help_text="Tên trường")
    school_year = models.CharField(max_length=9, help_text="Năm học, e.g. 2024-2025")
    year_start = models.DateTimeField(help_text="1 September of the school year, Vietnam.")
    level = models.CharField(max_length=10, choices=Level.choices, help_text="Cấp học")
    ownership = models.CharField(
        max_length=10, choices=Ownership.choices, default=Ownership.PUBLIC, help_text="Loại hình"
    )
    classes = models.IntegerField(null=True, blank=True, help_text="Số lớp (nhóm, lớp)")
    pupils = models.IntegerField(help_text="Tổng số học sinh (trẻ)")
    pupils_female = models.IntegerField(null=True, blank=True)
    grades = models.JSONField(default=dict, blank=True, help_text="{grade or group: pupils}")
    final_grade = models.IntegerField(
        null=True, blank=True, help_text="Pupils of the level's last grade (5, 9, 12, 5-year-olds)."
    )
    teachers = models.IntegerField(null=True, blank=True)
    managers = models.IntegerField(null=True, blank=True, help_text="Cán bộ quản lý")
    employees = models.IntegerField(null=True, blank=True, help_text="Nhân viên")
    capacity = models.IntegerField(null=True, blank=True, help_text="Designed places")
    attendance_rate = models.FloatField(null=True, blank=True, help_text="Chuyên cần, %")
    dropouts = models.IntegerField(null=True, blank=True, help_text="Bỏ học")
    promoted = models.IntegerField(null=True, blank=True, help_text="Lên lớp")
    completed = models.IntegerField(
        null=True, blank=True, help_text="Hoàn thành chương trình / tốt nghiệp"
    )
    ethnic_minority = models.IntegerField(null=True, blank=True)
    standard = models.CharField(max_length=10, choices=Standard.choices, blank=True)
    over_capacity = models.BooleanField(
        default=False,
        help_text="More pupils than places, or classes fuller on average than the norm.",
    )
    reported_on = models.DateField(null=True, blank=True, help_text="Ngày báo cáo")

    class Meta(SourcedRecord.Meta):
        indexes = [
            models.Index(fields=["year_start"]),
            models.Index(fields=["school", "year_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.school_code} {self.school_year}"


class SchoolMap(models.Model):
    """Read-only view: each school's figures per school year, and its latest ('')."""

    source_tables = ("education_schoolyear", "geo_facility")

    record_id = models.BigIntegerField()
    school_year = models.CharField(max_length=9)
    code = models.CharField(max_length=120)
    name = models.CharField(max_length=300)
    level = models.CharField(max_length=10)
    ownership = models.CharField(max_length=10)
    geom = models.PointField(srid=4326)
    unit = models.ForeignKey(AdminUnit, on_delete=models.DO_NOTHING, null=True, related_name="+")
    pupils = models.IntegerField()
    classes = models.IntegerField(null=True)
    teachers = models.IntegerField(null=True)
    capacity = models.IntegerField(null=True)
    pupils_per_class = models.FloatField(null=True)
    pupils_per_teacher = models.FloatField(null=True)
    standard = models.CharField(max_length=10)
    over_capacity = models.BooleanField()

    class Meta:
        managed = False
        db_table = "gisioc_school_map"


class SchoolUnitStats(UnitRow):
    """Read-only view: communes in force × school years ('' the latest) with their schools'
    pupils, classes and teachers (former communes' schools rolled up) and the enrolment
    against the school-age population of the year the school year starts."""

    source_tables = (
        "education_schoolyear",
        "geo_adminunit",
        "geo_boundaryversion",
        "geo_unitcrosswalk",
        "indicators_indicatorvalue",
    )

    school_year = models.CharField(max_length=9)
    schools = models.IntegerField()
    pupils = models.IntegerField()
    classes = models.IntegerField()
    teachers = models.IntegerField()
    pupils_per_teacher = models.FloatField(null=True)
    pupils_per_class = models.FloatField(null=True)
    school_age = models.IntegerField(null=True, help_text="Aged 3–17 (indicator), or null.")
    enrolment_pct = models.FloatField(null=True, help_text="Pupils of school age, %.")

    class Meta:
        managed = False
        db_table = "gisioc_school_unit_stats"
