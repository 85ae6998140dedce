"""Admin: documents, read-only (they come from the document-management systems)."""

from django.contrib import admin

from gisioc.admin import RecordAdmin
from gisioc.documents.models import Document


@admin.register(Document)
class DocumentAdmin(RecordAdmin):
    """Documents as ingested; corrected at the source, never here."""

    list_display = (
        "number_symbol",
        "direction",
        "doc_type",
        "agency",
        "received_at",
        "due_on",
        "completed_at",
        "status",
        "urgency",
        "unit",
        "locate_method",
    )
    list_filter = ("direction", "status", "doc_type", "urgency", "source")
    search_fields = ("number_symbol", "external_id", "arrival_number")
    raw_id_fields = ("agency", *RecordAdmin.raw_id_fields)
