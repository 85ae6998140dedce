"""The benchmark app, installed only in the server a benchmark runs; its `bench-points` layer
is declared in bench/layers.py and found by the system kit (bench/system.py)."""

from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark app: one point layer over the table bench_points."""

    name = "bench"
    label = "bench"
    verbose_name = "Benchmarks"
