"""Profiles of the district in force and of a commune: every system's section, one shape."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import answers
from gisioc.errors import NotFound
from gisioc.geo import selectors
from gisioc.geo.models import AdminUnit
from gisioc.periods import PATTERN, period_parse
from gisioc.profiles.registry import ProfileScope, sections_build

# Each child re-runs every section: beyond a district's worth of communes, list none.
CHILDREN_LIMIT = 200
PERIOD = OpenApiParameter(
    "period", str, description="2025, 2025-Q3 or 2025-07 (default: all time)", pattern=PATTERN
)


def _unit_json(unit: AdminUnit) -> dict[str, Any]:
    def brief(units) -> list[dict[str, str]]:
        return [{"code": u.code, "name": u.name, "version": u.version.slug} for u in units]

    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "version": unit.version.slug,
        "area_km2": round(unit.area_km2, 2),
        "predecessors": brief(
            AdminUnit.objects.filter(successors__new_unit=unit)
            .select_related("version")
            .order_by("code")
        ),
        "successors": brief(
            AdminUnit.objects.filter(predecessors__old_unit=unit)
            .select_related("version")
            .order_by("code")
        ),
    }


def _child(unit: AdminUnit, parent: ProfileScope) -> dict[str, Any]:
    """A commune row of the district profile: its first figures from each section."""
    scope = ProfileScope(
        unit,
        (unit.pk,),
        tuple(sorted(selectors.units_linked({unit.pk}))),
        parent.period,
        parent.user,
        brief=True,
    )
    kpis = [k for section in sections_build(scope) for k in section.kpis[:2]]
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "approximate": unit.version.approximate,
        "kpis": kpis,
    }


def _body(request: Request, unit: AdminUnit | None, ids: set[int]) -> dict[str, Any]:
    # Profiles are public (gisioc.geo.access): every reader, an officer too, gets this answer.
    scope = ProfileScope(
        unit,
        tuple(sorted(ids)),
        tuple(sorted(selectors.units_linked(ids))),
        period_parse(request.query_params.get("period")),
        request.user,
    )
    sections = sections_build(scope)
    communes = AdminUnit.objects.filter(pk__in=ids).select_related("version").order_by("code")
    approximate = any(u.version.approximate for u in communes)
    children = [] if unit or len(ids) > CHILDREN_LIMIT else [_child(u, scope) for u in communes]
    versions = sorted({u.version.name for u in communes})
    title = (
        {"vi": unit.name, "en": unit.name}
        if unit
        else {
            "vi": f"Toàn địa bàn ({len(ids)} xã, {', '.join(versions)})",
            "en": f"Whole area ({len(ids)} communes, {', '.join(versions)})",
        }
    )
    return {
        "title": title,
        "approximate": approximate,
        "period": scope.period.label if scope.period else "",  # '': all time
        "unit": _unit_json(unit) if unit else None,
        "sections": [s.as_dict() for s in sections],
        "children": children,
    }


@extend_schema(parameters=[PERIOD], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@answers.cached("profiles", params=("period",))
def district_profile(request: Request) -> Response:
    """KPIs of every system over the communes in force."""
    communes = selectors.units_list(level=AdminUnit.Level.COMMUNE)
    return Response(_body(request, None, set(communes.values_list("pk", flat=True))))


@extend_schema(parameters=[PERIOD], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@answers.cached("profiles", params=("period",))
def unit_profile(request: Request, unit_id: int) -> Response:
    """A commune's KPIs, trends and lists from every system, with its former units."""
    unit = AdminUnit.objects.select_related("version").filter(pk=unit_id).first()
    if unit is None or unit.version.status != "published":
        raise NotFound(f"Không có đơn vị {unit_id}.", f"No admin unit {unit_id}.")
    return Response(_body(request, unit, {unit.pk}))
