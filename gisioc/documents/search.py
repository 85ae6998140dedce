"""Search provider: documents by number and symbol (số, ký hiệu), for signed-in staff in scope."""

from gisioc.documents.models import Document
from gisioc.documents.system import SYSTEM
from gisioc.geo import access
from gisioc.geo.text import fold
from gisioc.periods import vietnam_date
from gisioc.search.registry import Hit, User, register_provider


@register_provider
def documents(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Documents whose symbol starts with the query, any case or diacritics ('45/QD-UBND')."""
    symbol = fold(query)  # the whole query: a symbol has no unit type to strip
    # Every symbol starts with its number; without a digit the query names something else.
    if access.user_role(user) is None or not symbol[:1].isdigit():
        return []
    found = access.scope_filter(
        Document.objects.filter(folded_symbol__startswith=symbol).select_related("agency"), user
    ).order_by("-received_at", "-id")[:limit]
    hits = []
    for doc in found:
        day = vietnam_date(doc.received_at).strftime("%d/%m/%Y")
        kind = Document.Type(doc.doc_type).label.split(" / ")[0]
        where = doc.agency.name if doc.agency else doc.agency_code
        hits.append(
            Hit(
                "document",
                doc.pk,
                doc.number_symbol,
                doc.number_symbol,
                f"{kind} · {where} · {day}",
                0 if doc.folded_symbol == symbol else 1,
                SYSTEM.detail(SYSTEM.records[0]).format(id=doc.pk),
                None,
                (doc.geom.x, doc.geom.y) if doc.geom else None,
            )
        )
    return hits
