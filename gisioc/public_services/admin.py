"""Admin: dossiers, read-only (they come from the source systems)."""

from typing import Any

from django.contrib import admin

from gisioc.public_services.models import Dossier


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
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
    raw_id_fields = ("office", "unit", "run")
    show_full_result_count = False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
