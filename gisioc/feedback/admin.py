"""Admin: reports read-only (the workflow changes them, with history); routing rules and
agency staff edited here."""

from django.contrib import admin

from gisioc.admin import RecordAdmin
from gisioc.feedback.models import AgencyMember, Report, ReportEvent, RoutingRule


class EventInline(admin.TabularInline):
    """A report's history, as written by the workflow."""

    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor_label", "agency", "note", "public")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Report)
class ReportAdmin(RecordAdmin):
    """Reports and their history; changed only through the workflow (the map app, the API)."""

    list_display = (
        "ticket",
        "category",
        "channel",
        "status",
        "agency",
        "received_at",
        "due_on",
        "unit",
    )
    list_filter = ("status", "category", "channel", "source")
    search_fields = ("ticket", "external_id")
    raw_id_fields = ("agency", "merged_into", *RecordAdmin.raw_id_fields)
    inlines = (EventInline,)


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """Which agency handles a category, in one commune or anywhere."""

    list_display = ("category", "unit", "agency")
    list_filter = ("category",)
    raw_id_fields = ("unit", "agency")


@admin.register(AgencyMember)
class AgencyMemberAdmin(admin.ModelAdmin):
    """Staff who work for an agency and handle its queue."""

    list_display = ("user", "agency")
    raw_id_fields = ("user", "agency")
