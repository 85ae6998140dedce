"""The indicator catalogue and the values and plan targets reported for units and periods."""

from django.contrib.gis.db import models

from gisioc.geo.models import BoundaryVersion, UnitRow
from gisioc.ingest.models import SourcedRecord


class Indicator(models.Model):
    """One indicator of the catalogue: what it measures, in what unit, how values combine."""

    class Domain(models.TextChoices):
        ECONOMY = "economy", "Kinh tế / Economy"
        BUDGET_REVENUE = "budget_revenue", "Thu ngân sách / Budget revenue"
        BUDGET_SPENDING = "budget_spending", "Chi ngân sách / Budget spending"
        POPULATION = "population", "Dân số và lao động / Population and labour"
        SOCIAL = "social", "Xã hội / Social"
        HEALTH = "health", "Y tế / Health"
        EDUCATION = "education", "Giáo dục / Education"
        COVID = "covid", "Covid-19"
        ENVIRONMENT = "environment", "Môi trường / Environment"

    class Combine(models.TextChoices):
        SUM = "sum", "Cộng / Sum"
        MEAN = "mean", "Bình quân gia quyền / Weighted mean"
        RATE = "rate", "Tỷ lệ trên 1.000 dân / Rate per 1,000 people"
        NONE = "none", "Không cộng gộp được / Not combinable"

    class PeriodType(models.TextChoices):
        DAY = "day", "Ngày / Day"
        MONTH = "month", "Tháng / Month"
        QUARTER = "quarter", "Quý / Quarter"
        YEAR = "year", "Năm / Year"
        SCHOOL_YEAR = "school_year", "Năm học / School year"

    class Source(models.TextChoices):
        STATISTICS = "statistics", "Thống kê / Statistics office"
        FINANCE = "finance", "Tài chính – Kế hoạch / Finance and planning office"
        HEALTH = "health", "Trung tâm Y tế / Health centre"
        EDUCATION = "education", "Giáo dục và Đào tạo / Education office"
        AGRICULTURE = "agriculture", "Nông nghiệp / Agriculture office"
        LABOUR = "labour", "Lao động – Thương binh và Xã hội / Labour office"
        ECONOMY = "economy", "Kinh tế / Economy office"
        RASTER = "raster", "Thống kê vùng từ lớp raster / Zonal statistics of a raster layer"
        OTHER = "other", "Khác / Other"

    code = models.CharField(max_length=40, unique=True, help_text="e.g. 'population'")
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    unit_vi = models.CharField(max_length=40, blank=True, help_text="e.g. 'người', '%', 'tỷ đồng'")
    unit_en = models.CharField(max_length=40, blank=True)
    domain = models.CharField(max_length=20, choices=Domain.choices)
    combine = models.CharField(max_length=8, choices=Combine.choices, default=Combine.SUM)
    weight = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The indicator a mean or rate is weighted by across units (population).",
    )
    per_capita = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Per how many residents a per-capita map shows it (1000, 100000); empty: never.",
    )
    period_type = models.CharField(max_length=12, choices=PeriodType.choices)
    higher_is_better = models.BooleanField(
        null=True, blank=True, help_text="Empty: neither (population)."
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.STATISTICS)
    decimals = models.PositiveSmallIntegerField(default=0)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names workbooks use for it."
    )
    description = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=100)
    headline = models.BooleanField(default=False, help_text="Shown on the district dashboard.")

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.name_vi} ({self.code})"


class IndicatorValue(SourcedRecord):
    """A value or plan target of an indicator for a unit (or a version's whole area) and period.

    `unit` is the admin unit in `version`; `whole` values cover every unit of the version (the
    district before 2025). Converted values (old communes shown on new ones) are computed when
    read (gisioc/indicators/sql), never stored, unless a source sends them as such."""

    class Kind(models.TextChoices):
        ACTUAL = "actual", "Thực hiện / Actual"
        TARGET = "target", "Kế hoạch / Target"

    class Status(models.TextChoices):
        REPORTED = "reported", "Báo cáo / Reported"
        ESTIMATED = "estimated", "Ước tính / Estimated"
        CONVERTED = "converted", "Quy đổi / Converted"

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, to_field="code", db_column="indicator"
    )
    version = models.ForeignKey(BoundaryVersion, on_delete=models.PROTECT, related_name="+")
    whole = models.BooleanField(default=False, help_text="For the whole area of the version.")
    period = models.CharField(
        max_length=10, help_text="2025, 2025-Q3, 2025-07, 2025-07-15, 2024-2025"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.ACTUAL)
    value = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REPORTED)
    note = models.CharField(max_length=300, blank=True)

    class Meta(SourcedRecord.Meta):
        constraints = [*SourcedRecord.Meta.constraints]
        indexes = [
            models.Index(fields=["indicator", "period", "kind"], name="indicatorvalue_key"),
            models.Index(
                fields=["unit", "indicator", "kind", "period"], name="indicatorvalue_unit"
            ),
            models.Index(
                fields=["version", "indicator", "kind", "period"],
                condition=models.Q(whole=True),
                name="indicatorvalue_whole",
            ),
            models.Index(fields=["indicator", "kind", "-period_end"], name="indicatorvalue_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.value}"


class IndicatorMap(UnitRow):
    """Read-only view: communes × indicators × periods, the indicator choropleth's source."""

    source_tables = (
        "geo_adminunit",
        "geo_boundaryversion",
        "geo_unitcrosswalk",
        "indicators_indicator",
        "indicators_indicatorvalue",
    )

    version_key = models.CharField(max_length=80)
    indicator = models.CharField(max_length=40)
    period_key = models.CharField(max_length=10)
    period = models.CharField(max_length=10)
    base = models.CharField(max_length=10)
    value = models.FloatField(null=True)
    status = models.CharField(max_length=10, null=True)
    converted = models.BooleanField(null=True)
    per_capita = models.FloatField(null=True)
    base_value = models.FloatField(null=True)
    change = models.FloatField(null=True)
    change_pct = models.FloatField(null=True)
    avg7 = models.FloatField(null=True)
    avg7_per_capita = models.FloatField(null=True)
    target = models.FloatField(null=True)
    achieved = models.FloatField(null=True)
    standing = models.CharField(max_length=10, null=True)

    class Meta:
        managed = False
        db_table = "gisioc_indicator_map"
