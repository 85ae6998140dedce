"""Search providers of the geography core: communes by old or new name, facilities."""

from django.db.models import Q

from gisioc.geo import selectors
from gisioc.geo.models import AdminUnit, Facility, UnitCrosswalk
from gisioc.search.registry import Hit, User, register_provider


def _words(field: str, folded: str) -> Q:
    """Every word of the query somewhere in the field."""
    condition = Q()
    for word in folded.split():
        condition &= Q(**{f"{field}__contains": word})
    return condition


def _rank(folded_value: str, folded_query: str) -> int:
    if folded_value == folded_query:
        return 0
    return 1 if folded_value.startswith(folded_query) else 2


def _unit_hit(unit: AdminUnit, rank: int, note: dict[str, str] | None = None) -> Hit:
    west, south, east, north = unit.geom.extent
    return Hit(
        "unit",
        unit.pk,
        unit.code,
        unit.name,
        unit.version.name,
        rank,
        f"/api/profiles/units/{unit.pk}/",
        (west, south, east, north),
        None,
        note,
    )


@register_provider
def units(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Communes in force by name or code; a former name leads to the commune that replaced it."""
    in_force = set(
        selectors.versions_in_force(on=selectors.vietnam_today()).values_list("pk", flat=True)
    )
    matches = (
        AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, version__status="published")
        .filter(_words("folded_name", folded) | Q(code=query))
        .select_related("version")[: limit * 4]
    )
    hits: dict[int, Hit] = {}
    # Units in force first, so a current name is never shown as another unit's former name.
    for unit in sorted(matches, key=lambda u: u.version_id not in in_force):
        rank = 0 if unit.code == query else _rank(unit.folded_name, folded)
        if unit.version_id in in_force:
            hits.setdefault(unit.pk, _unit_hit(unit, rank))
            continue
        links = UnitCrosswalk.objects.filter(old_unit=unit, new_unit__version__in=in_force)
        for link in links.select_related("new_unit__version").order_by("-area_share_of_old")[:1]:
            note = {
                "vi": f"Tên cũ: {unit.name} ({unit.version.name})",
                "en": f"Former name: {unit.name} ({unit.version.name})",
            }
            hits.setdefault(link.new_unit_id, _unit_hit(link.new_unit, rank + 1, note))
    return list(hits.values())  # communes are public: the same hits for everyone (geo.access)


@register_provider
def facilities(query: str, folded: str, limit: int, user: User) -> list[Hit]:
    """Facilities by name (any diacritics) or code; a closed one (a body the reform dissolved,
    whose records stay) comes after the open ones, saying since when it is closed."""
    today = selectors.vietnam_today()
    found = (  # facilities are public: the same hits for everyone (gisioc.geo.access)
        Facility.objects.filter(active=True, geom__isnull=False)
        .filter(_words("folded_name", folded) | Q(code__istartswith=query))
        .select_related("unit")[:limit]
    )
    hits = []
    for f in found:
        rank = 0 if f.code.lower() == query.lower() else _rank(f.folded_name, folded)
        closed = f.closed_on is not None and f.closed_on <= today
        note = None
        if closed:
            since = f.closed_on.strftime("%d/%m/%Y")
            note = {"vi": f"Ngừng hoạt động từ {since}", "en": f"Closed since {since}"}
        sublabel = f.unit.name if f.unit else f.get_kind_display()
        hits.append(
            Hit("facility", f.pk, f.code, f.name, sublabel, rank + closed,
                f"/api/facilities/{f.pk}/", None, (f.geom.x, f.geom.y), note)
        )  # fmt: skip
    return hits
