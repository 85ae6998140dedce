"""The indicators' read API: the catalogue, series, rankings (JSON, CSV, XLSX), dashboard.

Indicators are public figures: anyone reads them whole (`gisioc.geo.access`'s rule for
profiles and KPIs), so answers are cached per data version like theirs."""

import csv
import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from openpyxl import Workbook
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import answers
from gisioc.errors import InvalidInput, NotFound
from gisioc.geo.models import AdminUnit
from gisioc.indicators import selectors
from gisioc.indicators.models import Indicator, IndicatorValue
from gisioc.pagination import LimitOffset
from gisioc.params import ID, int_param
from gisioc.periods import ANY_PATTERN
from gisioc.texts import Text

PERIOD = OpenApiParameter(
    "period",
    str,
    description="2025, 2025-Q3, 2025-07, 2021-08-15 or 2024-2025 (default: the latest)",
    pattern=ANY_PATTERN,
)
BASE = OpenApiParameter(
    "base", str, description="A period to compare with (change, %)", pattern=ANY_PATTERN
)
VERSION = OpenApiParameter("version", str, description="Boundary version slug (default: in force)")
UNIT = OpenApiParameter("unit", int, description="Admin unit id (default: the whole area)")
DOMAIN = OpenApiParameter("domain", str, enum=list(Indicator.Domain.values))
LABELS = {  # column headings of the ranking's downloads
    "rank": Text("Hạng", "Rank"),
    "code": Text("Mã đơn vị", "Unit code"),
    "name": Text("Đơn vị", "Unit"),
    "version": Text("Phiên bản ranh giới", "Boundary version"),
    "approximate": Text("Ranh giới gần đúng", "Approximate boundary"),
    "period": Text("Kỳ", "Period"),
    "value": Text("Giá trị", "Value"),
    "status": Text("Tình trạng số liệu", "Data status"),
    "per_capita": Text("Theo dân số", "Per capita"),
    "base_value": Text("Giá trị kỳ so sánh", "Base period value"),
    "change": Text("Thay đổi", "Change"),
    "change_pct": Text("Thay đổi (%)", "Change (%)"),
    "avg7": Text("Trung bình 7 ngày", "7-day average"),
    "avg7_per_capita": Text("Trung bình 7 ngày theo dân số", "7-day average per capita"),
    "target": Text("Kế hoạch", "Target"),
    "achieved": Text("% kế hoạch", "% of target"),
    "standing": Text("Đánh giá", "Standing"),
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STANDING = {
    "on_track": Text("Đạt", "On track"),
    "at_risk": Text("Có nguy cơ không đạt", "At risk"),
    "missed": Text("Không đạt", "Missed"),
}


def _text(choices: type, value: str) -> dict[str, str]:
    return Text.of(choices(value).label).as_dict()


class IndicatorSerializer(serializers.ModelSerializer):
    """An indicator with its texts in both languages and the periods it has values for."""

    name = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    domain_title = serializers.SerializerMethodField()
    source_title = serializers.SerializerMethodField()
    weight = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    periods = serializers.SerializerMethodField()
    latest = serializers.SerializerMethodField()
    target_periods = serializers.SerializerMethodField()
    per_unit = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "domain",
            "domain_title",
            "combine",
            "weight",
            "per_capita",
            "period_type",
            "higher_is_better",
            "source",
            "source_title",
            "decimals",
            "headline",
            "description",
            "periods",
            "latest",
            "target_periods",
            "per_unit",
        ]

    def _periods(self, obj: Indicator) -> dict[str, Any]:
        return self.context["periods"].get(
            obj.code, {"actual": [], "target": [], "per_unit": False}
        )

    def get_name(self, obj: Indicator) -> dict[str, str]:
        return {"vi": obj.name_vi, "en": obj.name_en}

    def get_unit(self, obj: Indicator) -> dict[str, str]:
        return {"vi": obj.unit_vi, "en": obj.unit_en}

    def get_domain_title(self, obj: Indicator) -> dict[str, str]:
        return _text(Indicator.Domain, obj.domain)

    def get_source_title(self, obj: Indicator) -> dict[str, str]:
        return _text(Indicator.Source, obj.source)

    def get_periods(self, obj: Indicator) -> list[str]:
        return self._periods(obj)["actual"]

    def get_latest(self, obj: Indicator) -> str | None:
        actual = self._periods(obj)["actual"]
        return max(actual, key=lambda p: selectors.period_of(p).end) if actual else None

    def get_target_periods(self, obj: Indicator) -> list[str]:
        return self._periods(obj)["target"]

    def get_per_unit(self, obj: Indicator) -> bool:
        """Whether communes have values (else only whole areas: nothing to map or rank)."""
        return self._periods(obj)["per_unit"]


def indicator_json(indicator: Indicator, periods: dict[str, Any] | None = None) -> dict[str, Any]:
    """One indicator as the API gives it."""
    periods = periods if periods is not None else selectors.indicator_periods([indicator.code])
    return IndicatorSerializer(indicator, context={"periods": periods}).data


INDICATOR_PAGE = inline_serializer(
    "IndicatorPage",
    fields={
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": IndicatorSerializer(many=True),
    },
)


@extend_schema(operation_id="indicators_list", parameters=[DOMAIN], responses=INDICATOR_PAGE)
@api_view(["GET"])
@answers.cached("kpis", params=("domain", "limit", "offset"))
def indicator_list(request: Request) -> Response:
    """The indicator catalogue with the periods each has values and targets for."""
    domain = request.query_params.get("domain")
    if domain and domain not in Indicator.Domain.values:
        raise InvalidInput(
            f"Lĩnh vực không hợp lệ: {domain}.", f"Unknown domain: {domain}.", field="domain"
        )
    paginator = LimitOffset()
    page = paginator.paginate_queryset(selectors.indicators_list(domain=domain), request)
    periods = selectors.indicator_periods([i.code for i in page])
    data = IndicatorSerializer(page, many=True, context={"periods": periods}).data
    return paginator.get_paginated_response(data)


DOMAINS = inline_serializer(
    "IndicatorDomain",
    fields={
        "id": serializers.CharField(),
        "title": serializers.DictField(child=serializers.CharField()),
        "count": serializers.IntegerField(),
    },
    many=True,
)


@extend_schema(responses=DOMAINS)
@api_view(["GET"])
@answers.cached("kpis", params=())
def domain_list(request: Request) -> Response:
    """The domains with how many indicators each has."""
    counts: dict[str, int] = {}
    for domain in Indicator.objects.values_list("domain", flat=True):
        counts[domain] = counts.get(domain, 0) + 1
    return Response(
        [
            {"id": d.value, "title": Text.of(d.label).as_dict(), "count": counts.get(d.value, 0)}
            for d in Indicator.Domain
        ]
    )


@extend_schema(operation_id="indicators_detail", responses=IndicatorSerializer)
@api_view(["GET"])
@answers.cached("kpis", params=())
def indicator_detail(request: Request, code: str) -> Response:
    """One indicator of the catalogue."""
    return Response(indicator_json(selectors.indicator_get(code=code)))


@extend_schema(parameters=[UNIT], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@answers.cached("kpis", params=("unit",))
def indicator_series(request: Request, code: str) -> Response:
    """Every period of an indicator for a unit (own or converted values) or the whole area."""
    indicator = selectors.indicator_get(code=code)
    unit_id = int_param(request.query_params, "unit", bounds=ID)
    if unit_id is None:
        return Response(
            {
                "indicator": indicator_json(indicator),
                "unit": None,
                "points": selectors.whole_series(indicator),
            }
        )
    unit = AdminUnit.objects.select_related("version").filter(pk=unit_id).first()
    if unit is None or unit.version.status != "published":
        raise NotFound(f"Không có đơn vị {unit_id}.", f"No admin unit {unit_id}.", field="unit")
    return Response(
        {
            "indicator": indicator_json(indicator),
            "unit": {
                "id": unit.pk,
                "code": unit.code,
                "name": unit.name,
                "version": unit.version.slug,
                "approximate": unit.version.approximate,
            },
            "points": selectors.unit_series(indicator, unit),
        }
    )


@extend_schema(parameters=[PERIOD, VERSION, BASE], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@answers.cached("kpis", params=("period", "version", "base"))
def indicator_ranking(request: Request, code: str) -> Response:
    """The communes ranked by an indicator in a period, best first, with the whole area."""
    return Response(ranking_body(code, request.query_params))


def ranking_body(code: str, params: Any) -> dict[str, Any]:
    """The ranking's answer for the query parameters (the API's and the downloads')."""
    indicator = selectors.indicator_get(code=code)
    period = selectors.period_check(params.get("period"))
    base = selectors.period_check(params.get("base"), name="base")
    version = selectors.version_get(params.get("version"))
    rows = selectors.ranking(indicator, period=period, version=version, base=base)
    shown = period or next((r["period"] for r in rows if r["period"]), "")
    return {
        "indicator": indicator_json(indicator),
        "period": shown,
        "version": version.slug if version else None,
        "base": base or None,
        "rows": rows,
        "whole": selectors.whole_value(indicator, period=shown, version=version) if shown else None,
    }


# A download names units by code and name; the id is the API's.
EXPORT_COLUMNS = ("rank", *(c for c in selectors.RANK_COLUMNS if c != "unit_id"))


def _export_rows(body: dict[str, Any]) -> list[list[object]]:
    """Header and rows of a ranking download: both languages in the header, words for codes."""
    unit = body["indicator"]["unit"]
    header = [f"{LABELS[c].vi} / {LABELS[c].en}" for c in EXPORT_COLUMNS]
    at = EXPORT_COLUMNS.index("value")
    header[at] += f" ({unit['vi']})" if unit["vi"] else ""
    rows = [header]
    for row in body["rows"]:
        shown = dict(row)
        if row["status"]:
            shown["status"] = IndicatorValue.Status(row["status"]).label
        if row["standing"]:
            shown["standing"] = f"{STANDING[row['standing']].vi} / {STANDING[row['standing']].en}"
        shown["approximate"] = "x" if row["approximate"] else ""
        rows.append([shown.get(c) for c in EXPORT_COLUMNS])
    return rows


@require_GET
def ranking_download(request: HttpRequest, code: str, extension: str) -> HttpResponse:
    """The ranking as a CSV or XLSX file."""
    body = ranking_body(code, request.GET)
    rows = _export_rows(body)
    name = f"xep-hang-{code}-{body['period'] or 'moi-nhat'}"
    if extension == "csv":
        out = io.StringIO()
        out.write("\ufeff")  # a BOM, so spreadsheet software reads the Vietnamese as UTF-8
        csv.writer(out).writerows(rows)
        content, kind = out.getvalue().encode(), "text/csv; charset=utf-8"
    else:
        content, kind = _xlsx(body, rows), XLSX
    return HttpResponse(
        content,
        content_type=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'},
    )


def _xlsx(body: dict[str, Any], rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Xep hang")
    name = body["indicator"]["name"]
    sheet.append([f"{name['vi']} / {name['en']} — {body['period']}"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@extend_schema(parameters=[PERIOD], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@answers.cached("kpis", params=("period",))
def indicator_dashboard(request: Request) -> Response:
    """The headline indicators for the whole area up to a period (the latest by default)."""
    period = selectors.period_check(request.query_params.get("period"))
    items = selectors.dashboard(period=period)
    codes = [item["indicator"].code for item in items]
    periods = selectors.indicator_periods(codes)
    return Response(
        {
            "period": period or None,
            "items": [
                {**item, "indicator": indicator_json(item["indicator"], periods)} for item in items
            ],
        }
    )
