"""Document KPIs checked against a hand-counted April of two agencies."""

import datetime as dt

import pytest

from gisioc.documents.kpis import KPIS, documents_overdue
from gisioc.documents.models import Document
from gisioc.errors import InvalidInput
from gisioc.geo.models import Facility
from gisioc.periods import VIETNAM, period_parse

pytestmark = pytest.mark.django_db
APRIL = period_parse("2025-04")


def vn(month: int, day: int, hour: float = 9) -> dt.datetime:
    """A Vietnam time in 2025."""
    return dt.datetime(2025, month, day, tzinfo=VIETNAM) + dt.timedelta(hours=hour)


def d(month: int, day: int) -> dt.date:
    """A day in 2025."""
    return dt.date(2025, month, day)


IN, OUT = "incoming", "outgoing"
# code: (direction, received, due day, completed, status, type, agency)
DOCUMENTS = {
    # carried over from March
    "A": (IN, vn(3, 20), d(4, 5), vn(4, 3), "completed", "cong_van", "X"),  # on time
    "B": (IN, vn(3, 25), d(4, 2), vn(4, 4), "completed", "cong_van", "X"),  # late
    "C": (IN, vn(3, 28), d(4, 10), None, "in_progress", "ke_hoach", "X"),  # open, overdue
    "D": (IN, vn(3, 10), d(3, 20), vn(3, 25), "completed", "cong_van", "Y"),  # March only
    "E": (IN, vn(3, 15), None, None, "withdrawn", "cong_van", "Y"),  # never open
    # received in April
    "F": (IN, vn(4, 1), d(4, 1), vn(4, 1, 16), "completed", "giay_moi", "X"),  # same day
    "G": (IN, vn(4, 7), None, vn(4, 9), "completed", "thong_bao", "Y"),  # no due: on time
    # Done at 00:30 on the 19th in Vietnam (still the 18th in UTC): a day late.
    "H": (IN, vn(4, 14), d(4, 18), vn(4, 19, 0.5), "completed", "cong_van", "Y"),
    "I": (IN, vn(4, 21), d(4, 30), None, "received", "cong_van", "X"),  # overdue at the end
    "J": (IN, vn(4, 25), d(5, 15), None, "in_progress", "quyet_dinh", "Y"),  # within due
    "K": (IN, vn(4, 28), d(5, 5), vn(5, 2), "completed", "cong_van", "X"),  # open at the end
    "L": (IN, vn(4, 10), None, None, "withdrawn", "cong_van", "Y"),  # counted, never open
    # 00:30 on 1 April in Vietnam is still 31 March in UTC: it counts in April.
    "M": (IN, vn(4, 1, 0.5), None, vn(4, 2), "completed", "cong_van", "X"),
    "N": (IN, vn(4, 15), d(4, 20), vn(4, 24), "completed", "bao_cao", "Y"),  # late
    "Q": (IN, vn(4, 8), d(4, 11), vn(4, 11, 15), "completed", "giay_moi", "X"),  # on its day
    "O1": (OUT, vn(4, 2), None, None, "issued", "cong_van", "X"),
    "O2": (OUT, vn(4, 16), None, None, "issued", "quyet_dinh", "X"),
    "O3": (OUT, vn(4, 29), None, None, "withdrawn", "cong_van", "Y"),
    "O4": (OUT, vn(3, 30), None, None, "issued", "cong_van", "X"),  # March
    "O5": (OUT, vn(5, 2), None, None, "issued", "cong_van", "X"),  # May
}


@pytest.fixture
def april(db: None) -> None:
    agencies = {
        name: Facility.objects.create(
            kind="agency", code=f"UBND-{name}", name=f"UBND {name}", folded_name=f"ubnd {name}"
        )
        for name in "XY"
    }
    for code, (direction, received, due, done, status, kind, agency) in DOCUMENTS.items():
        Document.objects.create(
            source="test",
            external_id=code,
            direction=direction,
            number_symbol=f"{code}/UBND",
            folded_symbol=f"{code.lower()} ubnd",
            doc_type=kind,
            agency=agencies[agency],
            received_at=received,
            due_on=due,
            completed_at=done,
            status=status,
        )


def test_april_counted_by_hand(april: None) -> None:
    kpis = KPIS.kpis(period=APRIL)
    assert kpis == {
        "incoming": 10,  # F G H I J K L M N Q
        "outgoing": 3,  # O1 O2 O3
        "in_progress": 4,  # C I J K, open at the end of April
        "overdue": 2,  # C I: due on or before 30 April
        "completed": 8,  # A B F G H M N Q
        "on_time": 5,  # A F G M Q
        "late": 3,  # B H N
        "on_time_rate": 0.625,
        # (14 + 10 + 7/24 + 2 + 4 + 15.5/24 + 1 + 8.5/24 + 9 + 3.25) days / 8
        "avg_days": 5.6,
    }


def test_a_cut_off_inside_the_period(april: None) -> None:
    kpis = KPIS.kpis(period=APRIL, as_of=vn(4, 11, 12))
    # Open at noon on 11 April: C (due the 10th: overdue) and Q (due that very day: not yet).
    assert (kpis["in_progress"], kpis["overdue"]) == (2, 1)
    assert kpis["incoming"] == 10  # incoming counts the whole period
    overdue = documents_overdue(Document.objects.all(), vn(4, 11, 12))
    assert list(overdue.values_list("external_id", flat=True)) == ["C"]


def test_kpis_per_agency_type_and_month(april: None) -> None:
    by_agency = {g["label"]: g["kpis"] for g in KPIS.kpis_by(period=APRIL, by="agency")}
    assert {
        name: (
            k["incoming"],
            k["outgoing"],
            k["completed"],
            k["late"],
            k["in_progress"],
            k["overdue"],
        )
        for name, k in by_agency.items()
    } == {
        "UBND X": (5, 2, 5, 1, 3, 2),  # in F I K M Q; out O1 O2; done A B F M Q; late B
        "UBND Y": (5, 1, 3, 2, 1, 0),  # in G H J L N; out O3; done G H N; late H N; open J
    }
    by_type = {g["key"]: g for g in KPIS.kpis_by(period=APRIL, by="type")}
    letters = by_type["cong_van"]
    assert letters["label"] == "Công văn / Official letter"
    assert (letters["kpis"]["incoming"], letters["kpis"]["outgoing"], letters["kpis"]["late"]) == (
        5,
        2,
        2,
    )
    assert by_type["giay_moi"]["kpis"]["on_time_rate"] == 1.0
    months = {m["period"]: m for m in KPIS.months(period=period_parse("2025"))}
    assert months["2025-03"] == {
        "period": "2025-03",
        "incoming": 5,  # A B C D E
        "outgoing": 1,  # O4
        "completed": 1,  # D, late
        "on_time_rate": 0.0,
    }
    assert months["2025-04"] == {
        "period": "2025-04",
        "incoming": 10,
        "outgoing": 3,
        "completed": 8,
        "on_time_rate": 0.625,
    }
    assert months["2025-05"] == {
        "period": "2025-05",
        "incoming": 0,
        "outgoing": 1,
        "completed": 1,
        "on_time_rate": 1.0,
    }
    with pytest.raises(InvalidInput, match="Cannot group by"):
        KPIS.kpis_by(period=APRIL, by="colour")
