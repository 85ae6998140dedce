"""Every benchmark runs whole, small (`--smoke`), so a change that breaks one fails CI.

Each runs as `make bench-*` runs it, in its own process, on smoke databases of its own
(`gisioc_smoke_*`, made when missing and kept, as the benchmarks keep theirs). Nothing is
judged on its figures: the machine is shared and a smoke run is too small to mean anything.
What is checked is that it sets up, serves, measures and prints its tables, and exits 0.
"""

import os
import subprocess
import sys

import pytest

from tests.processes import ROOT

# Smoke databases: the benchmarks' own names, so no run touches a real benchmark's data.
ENV = {
    "GISIOC_BENCH_DB": "gisioc_smoke_bench",  # tiles, indicators, rasters: national communes
    "GISIOC_BENCH_POINTS": "20000",
    "GISIOC_BENCH_LOAD_DB": "gisioc_smoke_demo",  # load, live, lists: the demo
    "GISIOC_BENCH_LISTS_DB": "gisioc_smoke_demo",
    "GISIOC_BENCH_INGEST_DB": "gisioc_smoke_ingest",
    "GISIOC_BENCH_KPIS_DB": "gisioc_smoke_kpis",
}
# (module, what its printed tables must contain)
BENCHMARKS = [
    ("bench", "| ratio | target |"),
    ("bench.ingest", "rows/s"),
    ("bench.kpis", "p95"),
    ("bench.load", "**Profiles**"),
    ("bench.live", "**Live streams**"),
    ("bench.lists", "documents in"),
    ("bench.indicators", "map-cold"),
    ("bench.rasters", "Zonal statistics"),
]


@pytest.mark.parametrize(("module", "printed"), BENCHMARKS, ids=[m for m, _ in BENCHMARKS])
def test_benchmark_runs_small(module: str, printed: str) -> None:
    """`python -m <module> --smoke` exits 0 and prints its tables."""
    env = dict(os.environ) | ENV
    for inherited in ("GISIOC_DB_NAME", "DJANGO_SETTINGS_MODULE"):  # the test run's, not theirs
        env.pop(inherited, None)
    proc = subprocess.run(
        [sys.executable, "-m", module, "--smoke"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    tail = f"\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
    assert proc.returncode == 0, f"{module} --smoke exited {proc.returncode}{tail}"
    assert printed in proc.stdout, f"{module} --smoke did not print {printed!r}{tail}"
