"""The notifiable-disease watch API: a week's communes over the threshold, exact for the
roles that read encounters, small counts held back for everyone else."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc import answers
from gisioc.health import selectors
from gisioc.health.kpis import KPIS
from gisioc.kpi_small import exact_for

WEEK = OpenApiParameter(
    "week",
    str,
    description="ISO week, 2026-W40 (default: this week, Vietnam days)",
    pattern=selectors.WEEK_PATTERN,
)


@extend_schema(operation_id="health_watch", parameters=[WEEK], responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@answers.cached("kpis", params=("week",))
def watch(request: Request) -> Response:
    """Communes (of residence, in force) whose notifiable-disease cases in the week are over
    the threshold: at least 3 and twice the mean of the 4 weeks before, or a first case of
    measles or cholera. Cases of 1–4 are null (`suppressed`) unless the reader may see
    encounters (leader, planner, administrator)."""
    week = selectors.week_check(request.query_params.get("week"))
    return Response(selectors.watch_answer(week=week, exact=exact_for(KPIS, request.user)))
