"""The SQL views installed from files: each rule written once agrees with its Python side, and
every layer view's source_tables are what it really reads."""

import datetime as dt

import pytest
from django.db import connection

from gisioc.geo.models import Facility
from gisioc.public_services.rules import DossierLate, DossierOnTime
from gisioc.viewdeps import source_tables_mismatches, view_base_tables
from layers.registry import registry

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 7, 1)


def test_facility_in_service_is_the_same_in_python_and_sql() -> None:
    for i, (active, closed_on) in enumerate(
        [(True, None), (False, None), (True, DAY), (True, DAY + dt.timedelta(1)), (False, DAY)]
    ):
        Facility.objects.create(
            kind="agency",
            code=f"F{i}",
            name=f"F{i}",
            folded_name="f",
            active=active,
            closed_on=closed_on,
        )
    python = set(Facility.objects.in_service(DAY).values_list("code", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code FROM geo_facility WHERE gisioc_facility_in_service(active, closed_on, %s)",
            [DAY],
        )
        sql = {code for (code,) in cursor.fetchall()}
    assert python == sql == {"F0", "F3"}


def test_late_rules() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gisioc_document_late('2025-03-01T17:30Z', '2025-03-01'),"  # 2 March in VN
            " gisioc_document_late('2025-03-01T16:30Z', '2025-03-01'),"  # 1 March 23:30 in VN
            " gisioc_document_on_time('2025-03-01T10:00Z', NULL),"
            " gisioc_dossier_on_time(NULL, '2025-03-01T10:00Z'),"
            " gisioc_dossier_late('2025-03-01T10:01Z', '2025-03-01T10:00Z')"
        )
        assert cursor.fetchone() == (True, False, True, False, True)
    assert DossierLate().function == "gisioc_dossier_late"
    assert DossierOnTime("finished_at", "due_at").function == "gisioc_dossier_on_time"


def test_every_layer_view_declares_the_tables_it_reads() -> None:
    assert len(registry) > 0
    assert source_tables_mismatches() == []


def test_a_wrong_source_tables_list_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    from gisioc.public_services.models import DossierUnitStats

    real, opaque = view_base_tables("gisioc_dossier_unit_stats")
    assert "geo_unitcrosswalk" in real and not opaque  # read through the rollup's view
    monkeypatch.setattr(DossierUnitStats, "source_tables", ("public_services_dossier",))
    [problem] = source_tables_mismatches()
    assert "gisioc_dossier_unit_stats" in problem and "geo_unitcrosswalk" in problem
