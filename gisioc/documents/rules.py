"""Late and on time for documents, written once in SQL (sql/document_rules.sql), called here.

A completed document is late when the Vietnam day it was completed on is after its due day;
on time otherwise, and when it has no due day. Use them as conditions:
`documents.filter(DocumentLate())`, `Count("id", filter=Q(DocumentOnTime()))`.
"""

from django.db.models import BooleanField, F, Func


class DocumentLate(Func):
    """True for a document completed on a Vietnam day after its due day."""

    function = "gisioc_document_late"
    output_field = BooleanField()

    def __init__(self, completed_at: str = "completed_at", due_on: str = "due_on") -> None:
        super().__init__(F(completed_at), F(due_on))


class DocumentOnTime(Func):
    """True for a document completed by its due day, or completed without one."""

    function = "gisioc_document_on_time"
    output_field = BooleanField()

    def __init__(self, completed_at: str = "completed_at", due_on: str = "due_on") -> None:
        super().__init__(F(completed_at), F(due_on))
