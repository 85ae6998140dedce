"""The per-commune on-time view sums the daily dossier rollup: its rows are those of the view
that scanned the dossiers (kept in migration 0010 as the reference), former and split
communes included, and the layer's data version follows the dossiers."""

import datetime as dt
from importlib import import_module

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from gisioc.geo.models import AdminUnit
from gisioc.public_services.models import Dossier
from layers.registry import registry
from tests.geo.test_rollup import split  # noqa: F401  (old A split into B, C; D merged into E)
from tiles.versions import layer_versions

pytestmark = pytest.mark.django_db
OLD = import_module("gisioc.public_services.migrations.0010_unit_stats_from_rollup").OLD
COLUMNS = (
    "unit_id, period, code, received, finished, on_time, late, online, on_time_pct, online_pct"
)
PERIODS = ("2025-03", "2025-04", "2025-Q1", "2025-Q2", "2025", "2024", "")
UTC = dt.UTC
# Received instants around Vietnam midnights (UTC+7): 17:00 UTC is the next Vietnam day.
INSTANTS = (
    dt.datetime(2025, 3, 1, 3, tzinfo=UTC),
    dt.datetime(2025, 3, 31, 16, 59, tzinfo=UTC),  # 23:59 on 31 March in Vietnam
    dt.datetime(2025, 3, 31, 17, 0, tzinfo=UTC),  # 00:00 on 1 April in Vietnam
    dt.datetime(2024, 12, 31, 17, 30, tzinfo=UTC),  # 1 January 2025 in Vietnam
    dt.datetime(2025, 6, 30, 16, 0, tzinfo=UTC),  # last hour of Q2 in Vietnam
)


def rows(view: str, period: str) -> list[tuple]:
    """The view's rows of a period, by commune."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {COLUMNS} FROM {view} WHERE period = %s ORDER BY unit_id", [period])
        return cursor.fetchall()


def old_view() -> str:
    """The dossier-scanning view, as a temporary view beside the new one."""
    with connection.cursor() as cursor:
        cursor.execute(
            OLD.replace("CREATE VIEW gisioc_dossier_unit_stats", "CREATE TEMP VIEW old_s")
        )
    return "old_s"


def _make(i: int, unit: AdminUnit, method: str, lon: float) -> Dossier:
    received = INSTANTS[i % len(INSTANTS)]
    due = received + dt.timedelta(days=(i % 4) * 3, hours=i % 5) if i % 7 else None
    # finished before, at, or after its due time, or not yet; some cancelled
    finished = received + dt.timedelta(days=(i % 5) * 3, minutes=i % 3) if i % 6 else None
    return Dossier(
        source="test",
        external_id=f"u{i}",
        dossier_code=f"u{i}",
        procedure_code="1.0001",
        received_at=received,
        due_at=due,
        finished_at=finished,
        status="cancelled" if i % 11 == 0 else ("finished" if finished else "received"),
        channel="truc_tuyen" if i % 3 == 0 else "truc_tiep",
        unit=unit,
        locate_method=method,
        geom=Point(lon, 15.05, srid=4326),
    )


@pytest.fixture
def spread(split: dict[str, AdminUnit]) -> dict[str, AdminUnit]:  # noqa: F811
    """Dossiers of old A (by point in B or C, by facility, by address, a point in neither),
    old D (merged whole) and new B, over a year's periods, on time, early, late, open."""
    places = (
        ("A", "point", 108.02),
        ("A", "point", 108.08),
        ("A", "facility", 108.07),
        ("A", "address", 108.02),
        ("A", "point", 109.5),
        ("D", "point", 108.25),
        ("B", "point", 108.01),
        ("C", "address", 108.06),
    )
    made = [_make(i, split[k], m, lon) for i in range(120) for k, m, lon in [places[i % 8]]]
    Dossier.objects.bulk_create(made)
    return split


def test_the_rows_are_those_of_the_dossier_scan_for_split_and_former_communes(
    spread: dict[str, AdminUnit],
) -> None:
    old = old_view()
    counted = 0
    for period in PERIODS:
        new_rows, old_rows = rows("gisioc_dossier_unit_stats", period), rows(old, period)
        assert new_rows == old_rows, period
        counted += sum(r[3] + r[4] for r in new_rows)
    assert counted > 300  # the sample reaches every period asked
    year = {r[0]: r for r in rows("gisioc_dossier_unit_stats", "2025")}
    b, c = year[spread["B"].pk], year[spread["C"].pk]
    assert 0 < b[5] < b[4] and b[6] > 0 and c[3] > 0  # on time and late both counted
    assert b[5] + b[6] == b[4]  # on time (early included) and late make the finished


def test_the_rows_are_those_of_the_dossier_scan_for_the_demo_sample(dossiers: None) -> None:
    old = old_view()
    for period in ("2025-05", "2025-Q2", "2025", ""):
        new_rows = rows("gisioc_dossier_unit_stats", period)
        assert new_rows == rows(old, period), period
        assert sum(r[3] for r in new_rows) > 0


def test_the_layer_version_follows_the_dossiers(spread: dict[str, AdminUnit]) -> None:
    layer = registry.get("dossiers-on-time-per-commune")
    assert "gisioc_dossier_rollup" in layer.tables()
    assert "public_services_dossier" not in layer.tables()
    before = layer_versions([layer])[layer.id]
    one = Dossier.objects.filter(finished_at__isnull=True).order_by("id").first()
    Dossier.objects.filter(pk=one.pk).update(finished_at=one.received_at + dt.timedelta(hours=1))
    after = layer_versions([layer])[layer.id]
    assert after != before
    row = {r[0]: r for r in rows("gisioc_dossier_unit_stats", "")}
    assert rows("gisioc_dossier_unit_stats", "") == rows(old_view(), "") and row
