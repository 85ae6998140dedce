"""Admin: the indicator catalogue (administrators edit it) and the values, read-only (they come
from the offices' workbooks and feeds, corrected by sending them again)."""

from django.contrib import admin

from gisioc.admin import RecordAdmin
from gisioc.indicators.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """The catalogue: names, units, how values combine, targets' direction, source."""

    list_display = (
        "code",
        "name_vi",
        "unit_vi",
        "domain",
        "combine",
        "period_type",
        "higher_is_better",
        "source",
        "headline",
        "order",
    )
    list_editable = ("headline", "order")
    list_filter = ("domain", "combine", "period_type", "source", "headline")
    search_fields = ("code", "name_vi", "name_en")
    raw_id_fields = ("weight",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(RecordAdmin):
    """Values and targets as ingested."""

    list_display = (
        "indicator",
        "period",
        "kind",
        "value",
        "status",
        "unit",
        "whole",
        "version",
        "source",
    )
    list_filter = ("kind", "status", "whole", "version", "source", "indicator__domain")
    search_fields = ("indicator__code", "period", "external_id")
    raw_id_fields = ("indicator", "version", *RecordAdmin.raw_id_fields)
