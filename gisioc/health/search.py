"""Search provider: encounters by their MA_LK (mã liên kết), for the roles that may see
encounters (leader, planner, administrator). A hit names the diagnosis, the facility and the
day admitted; nothing of the patient."""

from django.db.models import Q

from gisioc.geo import access
from gisioc.health.kpis import ROLES
from gisioc.health.models import Encounter
from gisioc.search.registry import Hit, User, record_hit, register_provider


@register_provider
def encounters(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Encounters whose MA_LK starts with the query, as written or in capitals."""
    code = query.strip()
    # Every MA_LK has digits; words name other things. Others never reach the table.
    if not any(c.isdigit() for c in code) or not access.may_see(user, ROLES):
        return []
    found = (
        Encounter.objects.filter(
            Q(external_id__startswith=code) | Q(external_id__startswith=code.upper())
        )
        .select_related("facility")
        .order_by("-admitted_at", "-id")[:limit]
    )
    return [
        record_hit(
            "encounter",
            encounter,
            code=encounter.external_id,
            about=(
                encounter.diagnosis,
                encounter.facility.name if encounter.facility else encounter.facility_code,
            ),
            on=encounter.admitted_at,
            exact=encounter.external_id.upper() == code.upper(),
        )
        for encounter in found
    ]
