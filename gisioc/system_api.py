"""The REST API every KPI set gets: `/api/<system>/kpis/` for anyone, and the records
themselves at `/api/<system>/<records>/` for signed-in staff within their scope."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import URLPattern, URLResolver, include, path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from gisioc import answers
from gisioc.errors import Forbidden
from gisioc.geo import access
from gisioc.geo.models import Role
from gisioc.geo.rollup import unit_param
from gisioc.kpi_small import exact_for
from gisioc.kpis import KpiSet, in_units, kpi_sets, kpis_answer
from gisioc.periods import PATTERN, period_default, period_parse
from gisioc.records import TRUE, RecordSerializer, RecordViewSet, choice_param
from gisioc.systems import RecordType, SystemSpec, record_type_get, system_module, systems

PERIOD = OpenApiParameter(
    "period", str, description="2025, 2025-Q3 or 2025-07 (default: this year)", pattern=PATTERN
)
UNIT = OpenApiParameter("unit", int, description="Admin unit id (its former units included)")


def _roles_text(roles: frozenset[str]) -> tuple[str, str]:
    """The roles' names in Vietnamese and English ('Lãnh đạo, Quản trị')."""
    labels = [str(Role(r).label).split(" / ") for r in sorted(roles | {Role.ADMIN})]
    return ", ".join(vi for vi, _ in labels), ", ".join(en for _, en in labels)


def records_selected(
    kpi_set: KpiSet, request: Request, *, kpis_only: bool = False, anywhere: bool = False
) -> QuerySet:
    """The user's records the request's filters select (unit, and the set's own filters;
    `anywhere`: whatever their unit, for residents per population)."""
    params = request.query_params
    records = kpi_set.model.objects.select_related(  # the whole path: camera.facility.name
        *{"__".join(name.split(".")[:-1]) for name in kpi_set.related.values()}, "unit"
    )
    if not anywhere:
        records = in_units(records, unit_param(params.get("unit")))
    for flt in kpi_set.filters:
        if kpis_only and not flt.kpis:
            continue
        choices = list(flt.choices)
        value = choice_param(params, flt.param, choices) if choices else params.get(flt.param)
        if value:
            records = records.filter(**{flt.lookup: value})
    # KPIs are public, records staff-only (gisioc.geo.access): one rule, two kinds of data;
    # a set may name fewer roles for its records (health's encounters).
    public = kpis_only or kpi_set.public_records
    roles = access.PUBLIC if public else (kpi_set.roles or access.STAFF)
    return access.readable(records, request.user, roles)


def kpis_asked(kpi_set: KpiSet, request: Request) -> dict[str, str]:
    """The KPI filters' values the request gives (its records are the set's, in its unit,
    with these: public to all, so a rollup of the set can answer for them)."""
    params = request.query_params
    return {f.param: params[f.param] for f in kpi_set.filters if f.kpis and params.get(f.param)}


def _filter_parameters(kpi_set: KpiSet, *, kpis_only: bool) -> list[OpenApiParameter]:
    return [
        PERIOD,
        UNIT,
        *(
            OpenApiParameter(f.param, str, enum=list(f.choices) or None, description=f.description)
            for f in kpi_set.filters
            if f.kpis or not kpis_only
        ),
    ]


def kpis_view(kpi_set: KpiSet) -> Callable[..., Response]:
    """The KPI API of a set: figures over a period, optionally per group (`by=`)."""

    @extend_schema(
        operation_id=f"{kpi_set.record}_kpis",
        parameters=[
            *_filter_parameters(kpi_set, kpis_only=True),
            OpenApiParameter("by", str, enum=list(kpi_set.groups), description="Also per group"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @api_view(["GET"])
    @answers.cached(
        "kpis", params=("period", "by", "unit", *(f.param for f in kpi_set.filters if f.kpis))
    )
    def view(request: Request) -> Response:
        period = period_parse(request.query_params.get("period")) or period_default()
        by = choice_param(request.query_params, "by", list(kpi_set.groups))
        records = records_selected(kpi_set, request, kpis_only=True)
        public = not exact_for(kpi_set, request.user)  # small counts held back (answers
        # are cached per role, so each reader gets their own)
        units = unit_param(request.query_params.get("unit"))
        asked = kpis_asked(kpi_set, request)  # what the records are, for a rollup
        groups = (
            kpi_set.kpis_by(
                period=period, by=by, records=records, public=public, units=units, asked=asked
            )
            if by
            else []
        )
        kpis = kpi_set.kpis(
            period=period,
            records=records,
            units=units,
            residents=records_selected(kpi_set, request, kpis_only=True, anywhere=True),
            public=public,
            asked=asked,
        )
        return Response(kpis_answer(period=period, kpis=kpis, by=by, groups=groups))

    view.__doc__ = f"KPIs of {kpi_set.record} records over a period, optionally per group."
    return view


def _serializer(kpi_set: KpiSet, spec: SystemSpec, record: RecordType) -> type:
    detail = spec.detail(record)

    def get_detail(self: serializers.Serializer, obj: Model) -> str:
        """The API URL of this record."""
        return detail.format(id=obj.pk)

    attrs: dict[str, Any] = {
        "name": serializers.CharField(source=kpi_set.name_field, read_only=True),
        **{
            name: serializers.CharField(
                source=source, read_only=True, default=None, allow_null=True
            )
            for name, source in kpi_set.related.items()
        },
        "detail": serializers.SerializerMethodField(),
        "get_detail": get_detail,
        "Meta": type(
            "Meta",
            (),
            {
                "model": kpi_set.model,
                "geo_field": "geom",
                "fields": [
                    *kpi_set.fields,
                    "unit_id",
                    "unit_code",
                    "unit_name",
                    "locate_method",
                    "locate_reason",
                    "detail",
                    "labels",
                ],
            },
        ),
        "__doc__": f"A {record.type} as a GeoJSON feature, with the commune it counts in.",
    }
    return type(f"{kpi_set.model.__name__}Serializer", (RecordSerializer,), attrs)


def record_viewset(kpi_set: KpiSet, spec: SystemSpec, record: RecordType) -> type:
    """The record API of a set: GeoJSON, newest first, signed-in staff within their scope
    (everyone, for records that name no one: `KpiSet.public_records`)."""

    def records(self: RecordViewSet, params: Mapping[str, str]) -> QuerySet:
        if kpi_set.roles is not None and not access.may_see(self.request.user, kpi_set.roles):
            vi, en = _roles_text(kpi_set.roles)
            raise Forbidden(
                f"Chỉ {vi} được xem {record.plural.vi}.", f"Only {en} may see {record.plural.en}."
            )
        selected = records_selected(kpi_set, self.request)
        for subset in kpi_set.subsets:
            if params.get(subset.param, "").lower() in TRUE:
                selected = subset.select(selected, timezone.now())
        return selected

    who = "public" if kpi_set.public_records else "signed-in staff only, within their scope"
    viewset = type(
        f"{kpi_set.model.__name__}ViewSet",
        (RecordViewSet,),
        {
            "queryset": kpi_set.model.objects.none(),  # for the schema; records() decides
            "serializer_class": _serializer(kpi_set, spec, record),
            "noun": record.plural,
            "public": kpi_set.public_records,
            "received": kpi_set.received,
            "records": records,
            "__doc__": f"{record.plural.en.capitalize()} as GeoJSON, newest first; {who}.",
        },
    )
    subsets = [OpenApiParameter(s.param, bool, description=s.description) for s in kpi_set.subsets]
    return extend_schema(parameters=[*_filter_parameters(kpi_set, kpis_only=False), *subsets])(
        viewset
    )


def systems_urls(router: DefaultRouter) -> list[URLPattern | URLResolver]:
    """Every KPI set's record viewset (on `router`) and KPI view, each system's own
    `urls.py` under /api/<path>/ and its `site_urls.py` (pages, a standard's API such as
    Open311) at the site's root; the URL patterns to add."""
    patterns: list[URLPattern | URLResolver] = [
        path(f"api/{spec.path}/", include(dotted))
        for spec in systems
        if (dotted := system_module(spec.name, "urls")) is not None
    ]
    patterns += [
        path("", include(dotted))
        for spec in systems
        if (dotted := system_module(spec.name, "site_urls")) is not None
    ]
    for kpi_set in kpi_sets:
        spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
        router.register(
            f"{spec.path}/{record.path}",
            record_viewset(kpi_set, spec, record),
            basename=record.type,
        )
        patterns.append(
            path(f"api/{spec.path}/kpis/", kpis_view(kpi_set), name=f"{spec.path}-kpis")
        )
    return patterns
