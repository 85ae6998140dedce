"""One demo encounter from arrival to discharge (`Life`), and its XML1 row at any moment."""

import datetime as dt
import random
from dataclasses import dataclass, field

from gisioc.health.demo_people import Person, Place
from gisioc.indicators.demo_communes import REFORM
from gisioc.periods import VIETNAM

STATUS, ADMITTED, DISCHARGED = "Trạng thái", "Đang điều trị", "Đã ra viện"
# What a record shows only once the patient has left: the end, the outcome, the bill.
AT_DISCHARGE = (
    "NGAY_RA", "SO_NGAY_DTRI", "KET_QUA_DTRI", "MA_LOAI_RV", "T_TONGCHI_BV", "T_TONGCHI_BH",
    "T_BNTT", "T_BNCCT", "T_BHTT", "NGAY_TTOAN",
)  # fmt: skip
FULL_COVER = ("TE1", "HT3", "BT2")  # cards the fund pays in full; others 80 %
SURGERY = {"K35.8": (8e6, 16e6), "S72.0": (15e6, 30e6), "O80": (3e6, 6e6)}
ADMITTED_MORE = 0.04  # of the centre's visits, admitted whatever the diagnosis (observation)
LONG_STAYS = {"I63.9": (7, 14), "S72.0": (8, 15), "O80": (2, 4), "B08.4": (3, 5)}


@dataclass(frozen=True)
class Life:
    """An encounter from admission on: what the hospital software shows of it at any moment."""

    values: dict[str, object] = field(repr=False)  # the row once the patient has left
    received: dt.datetime  # admitted
    discharged: dt.datetime

    @property
    def code(self) -> str:
        """Its MA_LK."""
        return str(self.values["MA_LK"])

    def settled_by(self, moment: dt.datetime) -> bool:
        """Nothing more happens to the encounter after `moment`."""
        return self.discharged <= moment


def row_as_of(life: Life, moment: dt.datetime) -> dict[str, object]:
    """The encounter's XML1 row at `moment` (not before admission): no end before it ends."""
    row = dict(life.values)
    if life.discharged > moment:
        row.update(dict.fromkeys(AT_DISCHARGE, ""))
    row[STATUS] = DISCHARGED if life.discharged <= moment else ADMITTED
    return row


def _at(day: dt.date, hours: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), VIETNAM) + dt.timedelta(minutes=round(hours * 60))


def _compact_day(day: dt.date) -> str:
    return f"{day.year}{day.month:02d}{day.day:02d}"


def _compact(moment: dt.datetime) -> str:
    return f"{moment.year}{moment.month:02d}{moment.day:02d}{moment.hour:02d}{moment.minute:02d}"


@dataclass(frozen=True)
class Visit:
    """What brought the patient: the main diagnosis and how it tends to go."""

    code: str
    reason: str
    inpatient: float  # share admitted at the district centre
    emergency: float  # share of admissions arriving as emergencies


def _care(rng: random.Random, place: Place, visit: Visit) -> tuple[str, bool, bool]:
    """(MA_LOAI_KCB, admitted, referred out)."""
    if place.kind == "ttyt":
        if rng.random() < visit.inpatient + ADMITTED_MORE:
            return "03", True, False
        return ("04" if rng.random() < 0.015 else "01"), False, False
    serious = visit.inpatient >= 0.5
    if place.kind == "tram_y_te" and rng.random() < visit.inpatient * 0.05:
        return "06", True, False
    return "01", False, serious and rng.random() < 0.7


def _stay(rng: random.Random, visit: Visit, care: str, admitted: dt.datetime) -> dt.datetime:
    if care == "01":
        return admitted + dt.timedelta(minutes=rng.randint(30, 180))
    if care == "04":
        return admitted + dt.timedelta(hours=rng.uniform(5, 9))
    first, last = LONG_STAYS.get(visit.code, (1, 3) if care == "06" else (0, 0))
    days = rng.randint(first, last) if last else min(1 + round(rng.gammavariate(3, 1.2)), 20)
    return _at(admitted.date() + dt.timedelta(days=days), rng.uniform(8, 11))


def _ending(
    rng: random.Random, person: Person, day: dt.date, admitted: bool, referred: bool
) -> tuple[int, int]:
    """(KET_QUA_DTRI, MA_LOAI_RV)."""
    if referred:
        return 3, 2
    if not admitted:
        return (2 if rng.random() < 0.72 else 1), 1
    old = person.band(day) == "65+"
    draw = rng.random()
    if draw < (0.02 if old else 0.002):
        return 5, 1
    if draw < 0.05:
        return 4, 2  # worse: referred to the provincial hospital
    if draw < 0.08:
        return 6 if old else 2, 4  # taken home on request
    if draw < 0.083:
        return 7, 3
    return (1 if rng.random() < 0.4 else 2), 1


def _costs(
    rng: random.Random, place: Place, visit: Visit, person: Person, days: int, care: str
) -> dict[str, int]:
    if care in ("03", "06"):
        low, high = SURGERY.get(visit.code, (0.5e6, 3e6))
        total = days * rng.uniform(0.4e6, 0.9e6) + rng.uniform(low, high)
    elif place.kind == "tram_y_te":
        total = rng.uniform(30e3, 160e3)
    else:
        total = rng.uniform(120e3, 700e3 if place.kind == "ttyt" else 450e3)
    total = round(total, -3)
    covered = total if person.card else 0
    paid = covered if person.card[:3] in FULL_COVER else round(covered * 0.8)
    return {
        "T_TONGCHI_BV": int(total),
        "T_TONGCHI_BH": int(covered),
        "T_BNTT": int(total - covered),
        "T_BNCCT": int(covered - paid),
        "T_BHTT": int(paid),
    }


def life_of(
    rng: random.Random, place: Place, day: dt.date, number: int, person: Person, visit: Visit
) -> Life:
    """The encounter of `person` at `place` on `day`, the `number`th there that day."""
    care, admitted_in, referred = _care(rng, place, visit)
    urgent = visit.emergency if admitted_in else visit.emergency * 0.3
    emergency = place.kind == "ttyt" and rng.random() < urgent + 0.01
    if emergency:
        hours = rng.uniform(6, 23) if rng.random() < 0.8 else rng.uniform(0, 6)
    else:
        hours = rng.uniform(7, 11.5) if rng.random() < 0.75 else rng.uniform(13.5, 16.5)
    admitted = _at(day, hours)
    discharged = _stay(rng, visit, care, admitted)
    days = (discharged.date() - admitted.date()).days + 1 if care in ("03", "04", "06") else 0
    result, leaving = _ending(rng, person, day, admitted_in, referred)
    others = "I10" if visit.code == "E11.9" and rng.random() < 0.4 else ""
    if not others and person.band(day) == "65+" and visit.code != "I10" and rng.random() < 0.3:
        others = "I10"
    before = day < REFORM
    values: dict[str, object] = {
        "MA_LK": f"{place.code}.{day.year % 100:02d}{day.month:02d}{day.day:02d}.{number:04d}",
        "STT": 1,
        "MA_BN": person.patient_code,
        "HO_TEN": person.name,
        "SO_CCCD": person.id_card,
        "NGAY_SINH": f"{_compact_day(person.born)}0000",
        "GIOI_TINH": 1 if person.sex == "m" else 2,
        "MA_QUOCTICH": "000",
        "MA_DANTOC": "01",
        "DIA_CHI": person.address,
        "MATINH_CU_TRU": "49" if before else "48",
        "MAHUYEN_CU_TRU": "508" if before else "",
        "MAXA_CU_TRU": person.residence(day),
        "DIEN_THOAI": person.phone,
        "MA_THE_BHYT": person.card,
        "GT_THE_TU": f"{day.year}0101" if person.card else "",
        "GT_THE_DEN": f"{day.year}1231" if person.card else "",
        "LY_DO_VV": f"Cấp cứu: {visit.reason.lower()}" if emergency else visit.reason,
        "MA_BENH_CHINH": visit.code,
        "MA_BENH_KT": others,
        "MA_DOITUONG_KCB": "2" if emergency else ("1.1" if person.card else ""),
        "NGAY_VAO": _compact(admitted),
        "NGAY_RA": _compact(discharged),
        "SO_NGAY_DTRI": days,
        "KET_QUA_DTRI": result,
        "MA_LOAI_RV": leaving,
        "NGAY_TTOAN": _compact(discharged),
        **_costs(rng, place, visit, person, days, care),
        "MA_LOAI_KCB": care,
        "MA_KHOA": "K01" if care == "01" else "K02",
        "MA_CSKCB": place.code,
    }
    return Life(values, admitted, discharged)
