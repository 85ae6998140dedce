"""Admin: school-year figures, read-only (they come from the school management software)."""

from django.contrib import admin

from gisioc.admin import RecordAdmin
from gisioc.education.models import SchoolYear


@admin.register(SchoolYear)
class SchoolYearAdmin(RecordAdmin):
    """School-year figures as ingested; corrected at the source, never here."""

    list_display = (
        "school_code",
        "school_name",
        "school_year",
        "level",
        "ownership",
        "pupils",
        "classes",
        "teachers",
        "standard",
        "over_capacity",
        "unit",
        "locate_method",
    )
    list_filter = ("school_year", "level", "ownership", "standard", "over_capacity", "source")
    search_fields = ("school_code", "school_name", "external_id")
    raw_id_fields = ("school", *RecordAdmin.raw_id_fields)
