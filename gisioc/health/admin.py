"""Admin: encounters, read-only (they come from the hospitals' software)."""

from django.contrib import admin

from gisioc.admin import RecordAdmin
from gisioc.health.models import Encounter


@admin.register(Encounter)
class EncounterAdmin(RecordAdmin):
    """Encounters as ingested (pseudonymised); corrected at the source, never here."""

    list_display = (
        "external_id",
        "facility_code",
        "care",
        "diagnosis",
        "admitted_at",
        "discharged_at",
        "residence_code",
        "unit",
        "locate_method",
    )
    list_filter = ("care", "emergency", "chapter", "outcome", "source")
    search_fields = ("external_id", "facility_code", "diagnosis")
    raw_id_fields = ("facility", "residence", *RecordAdmin.raw_id_fields)
    exclude = ("patient_key",)  # pseudonymous, yet no one needs to read it here
