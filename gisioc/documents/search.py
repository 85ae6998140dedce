"""Search provider: documents by number and symbol (số, ký hiệu), for signed-in staff in scope."""

from gisioc.documents.models import Document
from gisioc.geo import access
from gisioc.geo.text import fold
from gisioc.search.registry import Hit, User, record_hit, register_provider


@register_provider
def documents(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Documents whose symbol starts with the query, any case or diacritics ('45/QD-UBND')."""
    symbol = fold(query)  # the whole query: a symbol has no unit type to strip
    # Every symbol starts with its number; without a digit the query names something else.
    if not symbol[:1].isdigit():
        return []
    found = access.readable(
        Document.objects.filter(folded_symbol__startswith=symbol).select_related("agency"),
        user,
        access.STAFF,
    ).order_by("-received_at", "-id")[:limit]
    return [
        record_hit(
            "document",
            doc,
            code=doc.number_symbol,
            about=(
                Document.Type(doc.doc_type).label.split(" / ")[0],
                doc.agency.name if doc.agency else doc.agency_code,
            ),
            on=doc.received_at,
            exact=doc.folded_symbol == symbol,
        )
        for doc in found
    ]
