"""KPIs (766/QĐ-TTg counting) checked against a hand-counted month of dossiers."""

import datetime as dt

import pytest

from gisioc import kpi_rollup
from gisioc.errors import InvalidInput
from gisioc.geo.models import Facility
from gisioc.periods import VIETNAM, period_parse
from gisioc.public_services.kpis import KPIS
from gisioc.public_services.models import Dossier

pytestmark = pytest.mark.django_db
MARCH = period_parse("2025-03")
MIDNIGHT_UTC = dt.datetime(2025, 2, 28, 17, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True, params=["rollup", "records"])
def kpi_path(request: pytest.FixtureRequest) -> object:
    """Every test twice: KPIs from the rollup (gisioc.kpi_rollup), then from the records."""
    if request.param == "rollup":
        yield
        return
    with kpi_rollup.records_only():
        yield


def vn(month: int, day: int, hour: float = 9) -> dt.datetime:
    """A Vietnam time in 2025."""
    return dt.datetime(2025, month, day, tzinfo=VIETNAM) + dt.timedelta(hours=hour)


# code: (received, due, finished, returned, status, extra)
DOSSIERS = {
    # carried over from February
    "A": (vn(2, 20), vn(3, 5, 17), vn(3, 3), None, "finished", {}),  # early
    "B": (vn(2, 25), vn(3, 4, 17), vn(3, 4), None, "finished", {}),  # on time (due day)
    "C": (vn(2, 26), vn(3, 2, 17), vn(3, 6), None, "finished", {}),  # late
    "E": (vn(2, 27), vn(3, 10, 17), None, None, "in_progress", {}),  # open, past due
    # not part of March at all, but for its result handed back on 2 March
    "D": (vn(2, 10), vn(2, 20, 17), vn(2, 28), None, "finished", {}),
    "M": (vn(2, 5), vn(2, 12, 17), vn(2, 10), vn(3, 2), "returned", {}),
    "O": (vn(1, 2), None, None, None, "cancelled", {}),
    # received in March
    "F": (vn(3, 3), vn(3, 3, 17), vn(3, 3, 15), None, "finished", {"channel": "truc_tuyen"}),
    "G": (vn(3, 10), vn(3, 20, 17), vn(3, 12), vn(3, 13), "returned",
          {"channel": "truc_tuyen", "online_payment": True}),
    "H": (vn(3, 15), vn(3, 25, 17), vn(3, 25, 17.5), None, "finished", {}),  # late by 30 min
    "I": (vn(3, 20), vn(4, 5, 17), None, None, "in_progress", {}),  # open, within due
    "J": (vn(3, 28), vn(3, 31, 17), None, None, "supplement_requested", {"supplement_count": 1}),
    "K": (vn(3, 5), vn(3, 12, 17), None, None, "cancelled", {}),
    "L": (vn(3, 25), vn(4, 10, 17), vn(4, 2), None, "finished", {}),  # finished in April
    "N": (vn(3, 6), None, vn(3, 9), None, "finished", {}),  # no deadline: on time
    # 00:30 on 1 March in Vietnam is still 28 February in UTC: it counts in March.
    "P": (MIDNIGHT_UTC, vn(4, 3, 17), None, None, "received", {}),
}  # fmt: skip


@pytest.fixture
def month(db: None) -> None:
    office = Facility.objects.create(
        kind="one_stop", code="HCC-T", name="HCC test", folded_name="hcc test"
    )
    for code, (received, due, finished, returned, status, extra) in DOSSIERS.items():
        Dossier.objects.create(
            source="test",
            external_id=code,
            dossier_code=code,
            procedure_code="2.000488" if code < "H" else "1.004227",
            field="Hộ tịch" if code < "H" else "Đất đai",
            office=office if code in "FGH" else None,
            received_at=received,
            due_at=due,
            finished_at=finished,
            returned_at=returned,
            status=status,
            channel=extra.get("channel", "truc_tiep"),
            online_payment=extra.get("online_payment", False),
            supplement_count=extra.get("supplement_count", 0),
        )


def test_a_month_counted_by_hand(month: None) -> None:
    kpis = KPIS.kpis(period=MARCH)
    assert kpis == {
        "received": 9,  # F G H I J K L N P
        "carried_over": 4,  # A B C E
        "to_process": 13,
        "finished": 7,  # A B C F G H N
        "early": 2,  # A G
        "on_time": 3,  # B F N
        "late": 2,  # C H
        "on_time_rate": round(5 / 7, 4),
        "in_progress": 5,  # E I J L P, as of the end of March
        "in_progress_within_due": 3,  # I L P
        "in_progress_past_due": 2,  # E J
        "online": 2,  # F G
        "online_share": round(2 / 9, 4),
        "online_payment": 1,  # G
        "supplements": 1,  # J
        "returned": 2,  # M G
        "cancelled": 1,  # K
        # (11 + 7 + 8 + 0.25 + 2 + 10 + 8.5/24 + 3) days / 7
        "avg_days": 5.9,
    }


def test_a_cut_off_inside_the_period(month: None) -> None:
    kpis = KPIS.kpis(period=MARCH, as_of=vn(3, 11))
    # Open at 09:00 on 11 March: E (due 10 March: past due), G (finished on the 12th) and P;
    # H, I, J, L come later, K is cancelled, the rest are finished.
    assert (kpis["in_progress"], kpis["in_progress_past_due"], kpis["in_progress_within_due"]) == (
        3,
        1,
        2,
    )
    assert kpis["received"] == 9  # received counts the whole period


def test_kpis_per_group_and_per_month(month: None) -> None:
    by_field = {g["key"]: g["kpis"] for g in KPIS.kpis_by(period=MARCH, by="field")}
    assert {k: (v["received"], v["carried_over"], v["finished"]) for k, v in by_field.items()} == {
        "Đất đai": (7, 0, 2),  # received H I J K L N P; finished H N
        "Hộ tịch": (2, 4, 5),  # received F G; carried A B C E; finished A B C F G
    }
    by_office = KPIS.kpis_by(period=MARCH, by="office")
    office = next(g for g in by_office if g["label"] == "HCC test")
    assert (office["kpis"]["received"], office["kpis"]["late"], office["kpis"]["early"]) == (
        3,
        1,
        1,
    )
    months = KPIS.months(period=period_parse("2025"))
    march = next(m for m in months if m["period"] == "2025-03")
    assert march == {
        "period": "2025-03",
        "received": 9,
        "online_share": round(2 / 9, 4),
        "finished": 7,
        "on_time_rate": round(5 / 7, 4),
    }
    with pytest.raises(InvalidInput, match="Cannot group by"):
        KPIS.kpis_by(period=MARCH, by="colour")
