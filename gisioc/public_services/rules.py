"""Late and on time for dossiers, written once in SQL (sql/dossier_rules.sql) and called here.

A finished dossier is late when it finished after its due time; on time otherwise, and when it
has no due time. Use them as conditions: `dossiers.filter(DossierLate())`,
`Count("id", filter=Q(DossierOnTime()))`.
"""

from django.db.models import BooleanField, F, Func


class DossierLate(Func):
    """True for a dossier finished after its due time (NULL while it is not finished)."""

    function = "gisioc_dossier_late"
    output_field = BooleanField()

    def __init__(self, finished_at: str = "finished_at", due_at: str = "due_at") -> None:
        super().__init__(F(finished_at), F(due_at))


class DossierOnTime(Func):
    """True for a dossier finished by its due time, or finished without one."""

    function = "gisioc_dossier_on_time"
    output_field = BooleanField()

    def __init__(self, finished_at: str = "finished_at", due_at: str = "due_at") -> None:
        super().__init__(F(finished_at), F(due_at))
