"""Why a KPI request is slow: EXPLAIN ANALYZE of what `dossier_kpis` runs, and a what-if.

The what-if bounds the KPI statement to the dossiers that can count in the period (received
before its end, and not finished before its start unless returned in it; exact because the
ingest refuses finished or returned dates before the received date) and adds composite
indexes on (unit_id, received_at | finished_at | returned_at), inside a transaction that is
rolled back: nothing outside bench/ changes. The figures must equal the current statement's.
"""

import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.ingest_api import Ask

INDEXES = tuple(
    f"CREATE INDEX bench_whatif_{c} ON public_services_dossier (unit_id, {c}_at)"
    for c in ("received", "finished", "returned")
)
REPEAT = 5
WHATIF_PERIODS = ("2025", "2025-Q3", "2025-03", "2026-09")  # a year, a quarter, two months


def others(worst: Ask, items: list[Ask]) -> list[Ask]:
    """The what-if's asks besides the slowest: its commune over a few fixed periods asked."""
    asked = {a.period for a in items}
    return [Ask(worst.unit, p) for p in WHATIF_PERIODS if p in asked]


class Rollback(Exception):
    """Leaves the what-if transaction without keeping anything."""


def _statement(run: Callable[[], Any]) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        run()
    return next(q["sql"] for q in reversed(ctx.captured_queries) if "COUNT(" in q["sql"])


def statements(ask: Ask) -> tuple[str, str]:
    """The KPI statement as the selector runs it for the ask, and the bounded one."""
    from django.db.models import Q

    from gisioc.geo.selectors import units_param
    from gisioc.periods import period_bounds, period_parse
    from gisioc.public_services import selectors

    period = period_parse(ask.period)
    start, end, _ = period_bounds(period)
    dossiers = selectors.dossiers_list(units=units_param(str(ask.unit)))
    bounded = dossiers.filter(received_at__lt=end).filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=start) | Q(returned_at__gte=start)
    )
    return tuple(  # type: ignore[return-value]
        _statement(lambda d=d: selectors.dossier_kpis(period=period, dossiers=d))
        for d in (dossiers, bounded)
    )


def _plan(cur: Any, sql: str) -> dict[str, Any]:
    cur.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
    return cur.fetchone()[0][0]


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


def _scanned(plan: dict[str, Any]) -> int:
    return _nodes(plan["Plan"])[1]["Actual Rows"]  # the node under the Aggregate


def _timed(cur: Any, sql: str) -> tuple[float, tuple]:
    times, row = [], ()
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        cur.execute(sql)
        row = cur.fetchone()
        times.append((time.perf_counter() - t0) * 1000.0)
    return round(statistics.median(times), 1), row


def _trial(cur: Any, ask: Ask, current: str, bounded: str) -> tuple[dict[str, Any], tuple]:
    """The current statement and the bounded one, timed, on today's indexes; current figures."""
    now_ms, now_row = _timed(cur, current)
    bound_ms, bound_row = _timed(cur, bounded)
    trial = {
        "unit": ask.unit,
        "period": ask.period,
        "current_ms": now_ms,
        "current_rows": _scanned(_plan(cur, current)),
        "bounded_ms": bound_ms,
        "same_figures": now_row == bound_row,
    }
    return trial, now_row


def _with_indexes(cur: Any, trial: dict[str, Any], bounded: str, expected: tuple) -> None:
    ms, row = _timed(cur, bounded)
    plan = _plan(cur, bounded)
    trial.update(
        indexed_ms=ms,
        indexed_rows=_scanned(plan),
        indexed_plan=summary(plan),
        same_figures=trial["same_figures"] and row == expected,
    )


def explain(worst: Ask, others: list[Ask]) -> dict[str, Any]:
    """The plan for the slowest ask, and the what-if on it and on a few others."""
    from django.db import connection, transaction

    asks = [worst, *(a for a in others if a != worst)]
    sqls = {a: statements(a) for a in asks}
    with connection.cursor() as cur:
        plan = _plan(cur, sqls[worst][0])
        trials, expected = zip(*(_trial(cur, a, *sqls[a]) for a in asks), strict=True)
    try:
        with transaction.atomic(), connection.cursor() as cur:
            for ddl in INDEXES:
                cur.execute(ddl)
            cur.execute("ANALYZE public_services_dossier")
            for a, trial, row in zip(asks, trials, expected, strict=True):
                _with_indexes(cur, trial, sqls[a][1], row)
            raise Rollback
    except Rollback:
        pass
    return {
        "unit": worst.unit,
        "period": worst.period,
        "sql": sqls[worst][0],
        "plan": plan,
        "summary": summary(plan),
        "whatif": {"indexes": list(INDEXES), "trials": list(trials)},
    }
