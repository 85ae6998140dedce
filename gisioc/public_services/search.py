"""Search provider: dossiers by their code (mã hồ sơ), for signed-in staff in scope.

A hit names the procedure, the office and the day received; nothing of the applicant (the
dossier keeps no name, and its applicant's address is left out of the hit too).
"""

from django.db.models import Q

from gisioc.geo import access
from gisioc.public_services.models import Dossier
from gisioc.search.registry import Hit, User, record_hit, register_provider


@register_provider
def dossiers(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Dossiers whose code starts with the query, as written or in capitals ('dx-241101-0001')."""
    code = query.strip()
    if not any(c.isdigit() for c in code):  # every code has digits; words name other things
        return []
    found = access.readable(
        Dossier.objects.filter(
            Q(dossier_code__startswith=code) | Q(dossier_code__startswith=code.upper())
        ).select_related("office"),
        user,
        access.STAFF,
    ).order_by("-received_at", "-id")[:limit]
    return [
        record_hit(
            "dossier",
            dossier,
            code=dossier.dossier_code,
            about=(
                dossier.procedure_name,
                dossier.office.name if dossier.office else dossier.office_code,
            ),
            on=dossier.received_at,
            exact=dossier.dossier_code.upper() == code.upper(),
        )
        for dossier in found
    ]
