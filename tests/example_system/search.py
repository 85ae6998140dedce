"""The example system's search provider: inspections by record id, for signed-in staff."""

from gisioc.geo import access
from gisioc.search.registry import Hit, User, register_provider
from tests.example_system.models import Inspection
from tests.example_system.system import SYSTEM

RECORD = SYSTEM.records[0]


@register_provider
def example_inspections(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Inspections whose record id starts with the query ('KT-2026'), in the user's scope."""
    code = query.strip().upper()
    if access.user_role(user) is None or len(code) < 3:
        return []
    found = access.scope_filter(
        Inspection.objects.filter(external_id__startswith=code), user
    ).order_by("-inspected_at", "-id")[:limit]
    return [
        Hit(
            RECORD.type,
            x.pk,
            x.external_id,
            x.external_id,
            f"{x.school_code} · {x.get_result_display()}",
            0 if x.external_id == code else 1,
            SYSTEM.detail(RECORD).format(id=x.pk),
            None,
            (x.geom.x, x.geom.y) if x.geom else None,
        )
        for x in found
    ]
