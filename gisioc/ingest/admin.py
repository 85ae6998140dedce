"""Admin: runs and raw records to audit, mapping profiles to edit without code changes."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from gisioc.errors import GisiocError
from gisioc.ingest.mapping import mapping_profile_check
from gisioc.ingest.models import IngestRun, MappingProfile, PullSource, RawRecord, SourceKey
from gisioc.ingest.systems import system_get


@admin.register(IngestRun)
class IngestRunAdmin(admin.ModelAdmin):
    """Every run with its counts; read-only."""

    list_display = (
        "id",
        "system",
        "source",
        "kind",
        "file_name",
        "started_at",
        "status",
        "received",
        "created",
        "updated",
        "unchanged",
        "rejected",
        "not_located",
    )
    list_filter = ("system", "source", "kind", "status")
    search_fields = ("file_name", "idempotency_key")

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(RawRecord)
class RawRecordAdmin(admin.ModelAdmin):
    """Rows as received (personal columns already dropped); read-only."""

    list_display = ("run", "row", "external_id", "outcome", "note")
    list_filter = ("outcome",)
    search_fields = ("external_id",)
    raw_id_fields = ("run",)
    show_full_result_count = False

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class MappingProfileForm(forms.ModelForm):
    """Refuses a system that does not exist or a target that is not one of its fields."""

    class Meta:
        model = MappingProfile
        fields = ("system", "name", "description", "mapping")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            mapping_profile_check(
                system=system_get(data.get("system", "")), mapping=data.get("mapping") or {}
            )
        except GisiocError as exc:
            raise ValidationError(exc.both()) from exc
        return data


@admin.register(MappingProfile)
class MappingProfileAdmin(admin.ModelAdmin):
    """Column-mapping profiles: header as written → field (null drops the column)."""

    form = MappingProfileForm
    list_display = ("system", "name", "updated_at")
    list_filter = ("system",)


@admin.register(SourceKey)
class SourceKeyAdmin(admin.ModelAdmin):
    """Push keys by prefix (the key itself is never stored); issued and revoked from the CLI."""

    list_display = ("prefix", "system", "source", "active", "created_at", "last_used_at")
    list_filter = ("system", "active")
    readonly_fields = ("key_hash",)

    def has_add_permission(self, request: Any) -> bool:
        return False  # `gisioc sources key-add` shows the key once

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(PullSource)
class PullSourceAdmin(admin.ModelAdmin):
    """Scheduled pulls: where each stands and how the last one ended."""

    list_display = (
        "source",
        "system",
        "url",
        "every_minutes",
        "active",
        "last_finished_at",
        "last_status",
        "last_run",
    )
    list_filter = ("system", "active", "last_status")
    readonly_fields = (
        "last_started_at",
        "last_finished_at",
        "last_status",
        "last_error",
        "last_run",
    )
