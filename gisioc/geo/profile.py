"""The geography core's profile section: communes, area and facilities by type."""

from django.db.models import Count, Sum

from gisioc.geo.models import AdminUnit, Facility
from gisioc.geo.selectors import vietnam_today
from gisioc.profiles.registry import ProfileScope, Section, register_section
from gisioc.texts import Text

KM2 = Text("km²", "km²")


@register_section("geo", order=0)
def facilities_section(scope: ProfileScope) -> Section:
    """Communes, area and facilities in service today (by type) of the scope."""
    section = Section("geo", "boundaries", Text("Địa bàn và cơ sở", "Area and facilities"))
    units = AdminUnit.objects.filter(pk__in=scope.unit_ids)
    in_service = Facility.objects.in_service(vietnam_today())
    facilities = in_service.filter(unit__in=scope.record_unit_ids)
    section.kpi("facilities", Text("Cơ sở đang hoạt động", "Active facilities"), facilities.count())
    if scope.unit is None:
        section.kpi("communes", Text("Số xã", "Communes"), units.count())
    section.kpi(
        "area",
        Text("Diện tích", "Area"),
        round(units.aggregate(s=Sum("area_km2"))["s"] or 0, 2),
        unit=KM2,
        format="decimal",
    )
    by_kind = dict(facilities.values_list("kind").annotate(n=Count("id")))
    section.breakdowns.append(
        {
            "id": "facilities_by_kind",
            "title": Text("Cơ sở theo loại", "Facilities by type").as_dict(),
            "items": [
                {"key": kind, "label": Text.of(label).as_dict(), "value": by_kind.get(kind, 0)}
                for kind, label in Facility.Kind.choices
            ],
        }
    )
    unit_query = f"?unit={scope.unit.pk}" if scope.unit else ""
    section.record_list(
        "facilities",
        Text("Danh sách cơ sở", "Facilities"),
        count=facilities.count(),
        href=f"/api/facilities/{unit_query}",
        type="facility",
    )
    if scope.unit is None:
        section.not_located = in_service.filter(unit__isnull=True).count()
    return section
