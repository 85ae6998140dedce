"""Admin: dossiers, read-only (they come from the source systems)."""

from django.contrib import admin

from gisioc.admin import RecordAdmin
from gisioc.public_services.models import Dossier


@admin.register(Dossier)
class DossierAdmin(RecordAdmin):
    """Dossiers as ingested; corrected at the source, never here."""

    list_display = (
        "dossier_code",
        "procedure_code",
        "office",
        "received_at",
        "due_at",
        "finished_at",
        "status",
        "unit",
        "locate_method",
    )
    list_filter = ("status", "channel", "service_level", "field", "source")
    search_fields = ("dossier_code", "procedure_code", "external_id")
    raw_id_fields = ("office", *RecordAdmin.raw_id_fields)
