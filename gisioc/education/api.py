"""Enrolment per commune in force and school year: pupils of the commune's schools (its
former communes' rolled up) against its school-age population (3–17) of the year the school
year starts. Public, like KPIs; no value where the population has none."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import answers
from gisioc.education.layers import SCHOOL_YEAR
from gisioc.education.models import SchoolUnitStats

FIELDS = ("unit_id", "code", "name", "schools", "pupils", "school_age", "enrolment_pct")


def enrolment_rows(*, school_year: str) -> list[dict[str, Any]]:
    """Each commune in force with its pupils, school-age population and enrolment (%)."""
    rows = SchoolUnitStats.objects.filter(school_year=school_year).order_by("code")
    return list(rows.values(*FIELDS))


@extend_schema(
    operation_id="education_enrolment",
    parameters=[
        OpenApiParameter(
            "school_year",
            str,
            enum=list(SCHOOL_YEAR.choices),
            description="School year, e.g. 2024-2025 (default: the latest on record)",
        )
    ],
    responses={200: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@answers.cached("kpis", params=("school_year",))
def enrolment(request: Request) -> Response:
    """Enrolment per commune in force for a school year."""
    school_year = SCHOOL_YEAR.parse(request.query_params.get("school_year") or "") or ""
    return Response(
        {"school_year": school_year, "communes": enrolment_rows(school_year=str(school_year))}
    )
