"""What every system's admin of records shares: records are read-only (corrected at their
source, never here), and long lists skip the full count."""

from typing import Any

from django.contrib import admin


class RecordAdmin(admin.ModelAdmin):
    """A system's records as ingested; a system's `admin.py` names the columns."""

    raw_id_fields: tuple[str, ...] = ("unit", "run")
    show_full_result_count = False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
