"""Why a KPI request is slow: EXPLAIN ANALYZE of the statement the dossier KPI set runs."""

from typing import Any

from bench.ingest_api import Ask


def statement(ask: Ask) -> str:
    """The KPI statement as the KPI set runs it for the ask (its one aggregate with FILTERs:
    counts, or sums of the rollup weight over a commune)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gisioc.kpis import in_units
    from gisioc.periods import period_parse
    from gisioc.public_services.kpis import KPIS
    from gisioc.public_services.models import Dossier

    dossiers = in_units(Dossier.objects.all(), {ask.unit})
    with CaptureQueriesContext(connection) as ctx:
        KPIS.kpis(period=period_parse(ask.period), records=dossiers)
    return next(q["sql"] for q in reversed(ctx.captured_queries) if "FILTER (WHERE" in q["sql"])


def _nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("Plans", []) for n in _nodes(child))]


def summary(plan: dict[str, Any]) -> str:
    """One line: execution time, and each plan node with its rows and time."""
    parts = [
        f"{n['Node Type']}"
        + (f" on {n['Index Name']}" if n.get("Index Name") else "")
        + f" {n['Actual Rows']:,} rows, {n['Actual Total Time']:.1f} ms"
        for n in _nodes(plan["Plan"])
        if n["Node Type"] != "BitmapOr"
    ]
    return f"{plan['Execution Time']:.1f} ms execution; " + " ← ".join(parts)


def explain(worst: Ask) -> dict[str, Any]:
    """The plan of the slowest ask's KPI statement."""
    from django.db import connection

    sql = statement(worst)
    with connection.cursor() as cur:
        cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        plan = cur.fetchone()[0][0]
    return {
        "unit": worst.unit,
        "period": worst.period,
        "sql": sql,
        "plan": plan,
        "summary": summary(plan),
    }
