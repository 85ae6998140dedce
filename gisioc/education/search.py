"""Search provider: a school's figures of a school year by school code and year
('TH-20611:2024-2025', 'TH-20611 2024'), for signed-in staff in scope. Schools themselves are
facilities, found by the facilities' provider."""

import re

from gisioc.education.models import SchoolYear
from gisioc.geo import access
from gisioc.search.registry import Hit, User, record_hit, register_provider

_QUERY = re.compile(r"^\s*([A-Za-z][\w-]*?)[\s:/]+(?:năm học\s*)?(\d{4})(?:\s*-\s*(\d{4}))?\s*$")


@register_provider
def school_years(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """School-year figures of the school whose code the query gives, from the year given."""
    match = _QUERY.match(query)
    if match is None:
        return []
    code, first = match.group(1), match.group(2)
    found = access.readable(
        SchoolYear.objects.filter(
            school_code__iexact=code, school_year__startswith=f"{first}-"
        ).select_related("school"),
        user,
        access.STAFF,
    ).order_by("-year_start", "-id")[:limit]
    return [
        record_hit(
            "school_year",
            record,
            code=f"{record.school_code}:{record.school_year}",
            about=(
                record.school.name if record.school else record.school_name,
                f"năm học {record.school_year}",
                f"{record.pupils:,} học sinh".replace(",", "."),
            ),
            on=record.year_start,
            exact=True,
        )
        for record in found
    ]
