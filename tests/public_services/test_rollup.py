"""The dossier KPIs' rollup: the same answers as the records for every commune (split ones
included) and group, and kept right by its triggers whatever writes the dossiers."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client

from gisioc import kpi_rollup
from gisioc.geo.models import AdminUnit
from gisioc.geo.selectors import units_list
from gisioc.kpis import in_units
from gisioc.periods import VIETNAM, period_parse
from gisioc.public_services.kpis import KPIS
from gisioc.public_services.models import Dossier
from gisioc.public_services.rollup import ROLLUP

pytestmark = pytest.mark.django_db
YEAR = period_parse("2025")
MONTH = period_parse("2025-05")
MID_DAY = dt.datetime(2025, 5, 14, 10, 45, tzinfo=VIETNAM)  # a cut in mid-day


def both(call: object) -> tuple[object, object]:
    """A call's answer through the rollup, then through the records."""
    first = call()  # type: ignore[operator]
    with kpi_rollup.records_only():
        return first, call()  # type: ignore[operator]


def communes() -> list[int]:
    """The communes in force (split ones' successors among them), then the former ones."""
    now = list(units_list(level=AdminUnit.Level.COMMUNE).values_list("pk", flat=True))
    former = AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).exclude(pk__in=now)
    return sorted(now) + sorted(former.values_list("pk", flat=True))


def test_every_commune_and_group_as_the_records(dossiers: None) -> None:
    assert kpi_rollup.rollup_check(ROLLUP) == 0
    units = communes()
    assert len(units) > 8
    nonzero = 0
    for unit in units:
        for period, as_of in ((YEAR, None), (MONTH, MID_DAY), (period_parse("2025-Q2"), None)):
            records = in_units(Dossier.objects.all(), {unit})
            kw = {"period": period, "records": records, "units": {unit}, "as_of": as_of}
            rolled, counted = both(lambda kw=kw: KPIS.kpis(**kw, asked={}))
            assert rolled == counted, (unit, period.label)
            nonzero += bool(counted["received"])
    assert nonzero > 8  # the sample reaches many communes
    for by in ("office", "field", "procedure", "unit"):
        rolled, counted = both(lambda by=by: KPIS.kpis_by(period=YEAR, by=by))
        assert rolled == counted and counted, by
    unit = units[0]
    records = in_units(Dossier.objects.filter(field="Hộ tịch"), {unit})
    rolled, counted = both(
        lambda: KPIS.kpis_by(
            period=YEAR, by="procedure", records=records, units={unit}, asked={"field": "Hộ tịch"}
        )
    )
    assert rolled == counted


def test_the_kpi_api_answers_from_the_rollup_as_from_the_records(dossiers: None) -> None:
    unit = communes()[3]
    body = Client().get(f"/api/public-services/kpis/?period=2025&unit={unit}&by=field").json()
    with kpi_rollup.records_only():
        records = in_units(Dossier.objects.all(), {unit})
        kpis = KPIS.kpis(period=YEAR, records=records, units={unit})
        groups = KPIS.kpis_by(period=YEAR, by="field", records=records)
    assert body["kpis"] == dict(kpis) and body["groups"] == groups and groups


def test_triggers_keep_it_through_every_write(dossiers: None) -> None:
    some = list(Dossier.objects.order_by("id").values_list("id", flat=True)[:40])
    # update: status and finishing
    Dossier.objects.filter(id__in=some[:10], finished_at__isnull=True).update(
        finished_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC), status="finished"
    )
    Dossier.objects.filter(id__in=some[10:15]).update(status="cancelled")
    assert kpi_rollup.rollup_check(ROLLUP) == 0
    # a record re-located: it moves to another commune
    other = AdminUnit.objects.exclude(pk=Dossier.objects.get(id=some[15]).unit_id).first()
    Dossier.objects.filter(id=some[15]).update(unit=other)
    assert kpi_rollup.rollup_check(ROLLUP) == 0
    # delete
    Dossier.objects.filter(id__in=some[20:30]).delete()
    assert kpi_rollup.rollup_check(ROLLUP) == 0
    # COPY, as the ingest writes
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE d_out AS SELECT * FROM public_services_dossier WHERE id = ANY(%s)",
            [some[30:]],
        )
        cursor.execute("UPDATE d_out SET id = id + 1000000, external_id = external_id || '-c'")
        buffer = io.StringIO()
        cursor.cursor.copy_expert("COPY d_out TO STDOUT", buffer)
        buffer.seek(0)
        cursor.cursor.copy_expert("COPY public_services_dossier FROM STDIN", buffer)
    assert Dossier.objects.filter(external_id__endswith="-c").count() == len(some[30:])
    assert kpi_rollup.rollup_check(ROLLUP) == 0
    rolled, counted = both(lambda: KPIS.kpis(period=YEAR))
    assert rolled == counted
    # a rebuild gives the same tables; a truncate empties them
    kpi_rollup.rollup_rebuild(ROLLUP)
    assert kpi_rollup.rollup_check(ROLLUP) == 0
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: TRUNCATE may run
        cursor.execute("TRUNCATE public_services_dossier CASCADE")
        cursor.execute(f"SELECT count(*) FROM {ROLLUP.table}")
        assert cursor.fetchone()[0] == 0
    assert KPIS.kpis(period=YEAR)["received"] == 0


def test_a_wrong_rollup_is_found(dossiers: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ROLLUP.table} SET received = received + 1 WHERE ctid IN "
                       f"(SELECT ctid FROM {ROLLUP.table} LIMIT 1)")  # fmt: skip
    assert kpi_rollup.rollup_check(ROLLUP) == 2  # the row kept, and the row it should be


def test_the_command_rebuilds_and_checks(dossiers: None) -> None:
    from django.core.management import CommandError, call_command

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROLLUP.keyed} WHERE ctid IN "
                       f"(SELECT ctid FROM {ROLLUP.keyed} LIMIT 3)")  # fmt: skip
    with pytest.raises(CommandError, match="A KPI rollup is wrong"):
        call_command("kpi-rollups", "check")
    out = io.StringIO()
    call_command("kpi-rollups", "rebuild", stdout=out)
    assert out.getvalue().startswith("dossier: ")
    call_command("kpi-rollups", "check", stdout=out)
    assert "dossier: 0 rows differ" in out.getvalue()
