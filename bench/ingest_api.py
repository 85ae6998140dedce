"""Measure 2: a commune's KPIs over HTTP against the same KPIs computed in-process.

Targets, on the same (commune, period) list, interleaved level by level:
  api      GET /api/public-services/kpis/?period=P&unit=ID on `gisioc serve` (bench/servers.py)
  kpis     the same figures in this process: `in_units` then the dossier KPI set on the
           commune's dossiers, as the view computes them (no HTTP, no view, no JSON)
  profile  GET /api/profiles/units/ID/?period=P (every system's section, trends, breakdowns)
  sections the same profile sections built in this process (`sections_build`)
The HTTP load comes from bench/drive.py in its own process; the in-process targets run in
this process's threads, one Django connection each. Results have drive.py's shape.
"""

import datetime as dt
import json
import random
import subprocess
import sys
from collections.abc import Callable
from typing import Any, NamedTuple

from bench import db
from bench.drive import drive

TARGETS = {
    "api": "KPI API over HTTP",
    "kpis": "KPIs in-process: KPIS.kpis",
    "profile": "commune profile over HTTP",
    "sections": "profile sections in-process: sections_build",
}
PEERS = {"api": "kpis", "profile": "sections"}  # HTTP target → its in-process peer
SEED = 5


class Ask(NamedTuple):
    """One question: a commune in force and a period label."""

    unit: int
    period: str

    def path(self, target: str) -> str:
        """Its URL on the KPI or the profile endpoint."""
        if target == "profile":
            return f"/api/profiles/units/{self.unit}/?period={self.period}"
        return f"/api/public-services/kpis/?period={self.period}&unit={self.unit}"


def periods() -> list[str]:
    """Years, quarters and months covering the two demo years."""
    from gisioc.public_services.demo import FIRST_DAY, LAST_DAY

    months, day = [], FIRST_DAY.replace(day=1)
    while day <= LAST_DAY:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    years = sorted({f"{m.year}" for m in months})
    quarters = sorted({f"{m.year}-Q{(m.month - 1) // 3 + 1}" for m in months})
    return years + quarters + [f"{m:%Y-%m}" for m in months]


def asks() -> list[Ask]:
    """Every commune in force × every period, shuffled once (seeded): any prefix is a fair mix."""
    from gisioc.geo import selectors
    from gisioc.geo.models import AdminUnit

    units = sorted(selectors.units_list(level=AdminUnit.Level.COMMUNE).values_list("pk", flat=True))
    out = [Ask(u, p) for u in units for p in periods()]
    random.Random(SEED).shuffle(out)
    return out


def kpis_call(ask: Ask) -> Callable[[], Any]:
    """What the KPI view computes for an anonymous caller, without HTTP, view or JSON."""
    from gisioc.kpis import in_units
    from gisioc.periods import period_parse
    from gisioc.public_services.kpis import KPIS
    from gisioc.public_services.models import Dossier

    period = period_parse(ask.period)

    def call() -> Any:
        dossiers = in_units(Dossier.objects.all(), {ask.unit})
        return KPIS.kpis(period=period, records=dossiers, units={ask.unit}, asked={})

    return call


def sections_call(ask: Ask) -> Callable[[], Any]:
    """The commune profile's sections for an anonymous caller, without HTTP."""
    from django.contrib.auth.models import AnonymousUser

    from gisioc.geo.models import AdminUnit
    from gisioc.geo.selectors import units_linked
    from gisioc.periods import period_parse
    from gisioc.profiles.registry import ProfileScope, sections_build

    period = period_parse(ask.period)

    def call() -> Any:
        unit = AdminUnit.objects.select_related("version").get(pk=ask.unit)
        related = tuple(sorted(units_linked({unit.pk})))
        scope = ProfileScope(unit, (unit.pk,), related, period, AnonymousUser())
        return [s.as_dict() for s in sections_build(scope)]

    return call


def inprocess(
    calls: list[Callable[[], Any]], concurrency: int, requests: int, seconds: float
) -> dict[str, Any]:
    """drive.py's loop with Python calls for requests; one Django connection per thread."""
    from django.db import connections

    def factory() -> Callable[[int], tuple[int, int]]:
        connections["default"].ensure_connection()  # connected before the clock

        def request(i: int) -> tuple[int, int]:
            calls[i % len(calls)]()
            return 200, 0

        return request

    return drive(
        factory,
        concurrency=concurrency,
        requests=requests,
        seconds=seconds,
        after=connections.close_all,
    )


def http(port: int, paths: list[str], concurrency: int, requests: int, seconds: float) -> dict:
    """One level of HTTP load from bench/drive.py in its own process."""
    spec = {
        "kind": "http",
        "port": port,
        "paths": paths,
        "concurrency": concurrency,
        "requests": requests,
        "seconds": seconds,
    }
    proc = subprocess.run(
        [sys.executable, "-m", "bench.drive"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        cwd=db.ROOT,
        timeout=seconds + 300,
        check=False,
    )
    if proc.returncode:
        raise RuntimeError(f"load generator failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def queries_per_request(items: list[Ask]) -> dict[str, Any]:
    """SQL statements one request runs on each endpoint, via Django's test client, once each."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    out: dict[str, Any] = {}
    for target in ("api", "profile"):
        counts, statuses = [], set()
        for ask in items:
            with CaptureQueriesContext(connection) as ctx:
                statuses.add(client.get(ask.path(target)).status_code)
            counts.append(len(ctx.captured_queries))
        out[target] = {"queries": sorted(set(counts)), "statuses": sorted(statuses)}
    return out
