"""A hand-counted first quarter of 2026 at two facilities of the demo district, and the
communes' populations (indicator `population`), for the KPI, layer and read tests.

Communes in force (danang-2025): NP Nam Phước (20599), TB Thu Bồn (20611), DX Duy Xuyên
(20623), DN Duy Nghĩa (20635). Facilities: TTYT-DX (in NP) and TYT-20611 (in TB).
"""

import datetime as dt
from typing import Any

import pytest

from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility
from gisioc.health.icd import icd_chapter
from gisioc.health.models import Encounter
from gisioc.indicators.models import IndicatorValue
from gisioc.periods import VIETNAM

TTYT, TYT = "TTYT-DX", "TYT-20611"
COMMUNES = {"NP": "20599", "TB": "20611", "DX": "20623", "DN": "20635"}
POPULATION = {"NP": 20_000, "TB": 15_000, "DX": 10_000, "DN": 5_000}  # 2026


def vn(month: int, day: int, hour: float = 9, year: int = 2026) -> dt.datetime:
    """A Vietnam time."""
    return dt.datetime(year, month, day, tzinfo=VIETNAM) + dt.timedelta(hours=hour)


OUT, IN, DAY = "outpatient", "inpatient", "day_patient"
# MA_LK: (facility, residence, care, emergency, diagnosis, admitted, ended, treatment days,
#         discharge, outcome, insured)
ENCOUNTERS: dict[str, tuple[Any, ...]] = {
    "E01": (TTYT, "NP", OUT, False, "J06.9", vn(3, 2), vn(3, 2, 11), 1, "home", "cured", True),
    "E02": (TTYT, "NP", OUT, False, "J06.9", vn(3, 3), vn(3, 3, 11), 1, "home", "cured", True),
    "E03": (TTYT, "TB", IN, True, "A91", vn(3, 5), vn(3, 10), 5, "home", "cured", True),
    "E04": (TTYT, "TB", IN, False, "A91", vn(3, 6), vn(3, 12), 6, "referred", "improved", False),
    "E05": (TTYT, "DX", IN, True, "I21.9", vn(3, 20), None, None, "", "unknown", True),  # still in
    "E06": (TTYT, "NP", DAY, False, "K29.7", vn(3, 15), vn(3, 15, 17), 1, "home", "cured", True),
    "E07": (TYT, "TB", OUT, False, "J06.9", vn(3, 7), vn(3, 7, 10), 1, "home", "cured", True),
    "E08": (TYT, "TB", OUT, False, "B08.4", vn(3, 8), vn(3, 8, 10), 1, "referred", "unchanged",
            True),
    "E09": (TYT, None, OUT, False, "J06.9", vn(3, 9), vn(3, 9, 10), 1, "home", "cured", False),
    # admitted in February, died in March
    "E10": (TTYT, "NP", IN, True, "I21.9", vn(2, 25), vn(3, 4), 8, "home", "died", True),
    # 00:30 on 1 April in Vietnam is still 31 March in UTC: April's
    "E11": (TTYT, "DN", OUT, False, "J06.9", vn(4, 1, 0.5), vn(4, 1, 2), 1, "home", "cured", True),
    # February only
    "E12": (TTYT, "NP", IN, False, "J18.9", vn(2, 10), vn(2, 15), 5, "home", "cured", True),
    # 23:30 on 31 March in Vietnam: March's
    "E13": (TYT, "DN", OUT, True, "T14.0", vn(3, 31, 23.5), vn(3, 31, 23.8), 1, "home", "cured",
            True),
}  # fmt: skip


def communes() -> dict[str, AdminUnit]:
    """The four communes in force by their short key."""
    units = AdminUnit.objects.filter(version__slug="danang-2025", level="commune")
    by_code = {u.code: u for u in units}
    return {key: by_code[code] for key, code in COMMUNES.items()}


def encounter_add(code: str, row: tuple[Any, ...], residence: AdminUnit | None) -> Encounter:
    """One encounter stored as ingest would: at its facility, counted in its commune."""
    facility_code, _, care, emergency, diagnosis, admitted, ended, days = row[:8]
    discharge, outcome, insured = row[8:]
    facility = Facility.objects.get(code=facility_code)
    return Encounter.objects.create(
        source="test",
        external_id=code,
        facility=facility,
        facility_code=facility_code,
        geom=facility.geom,
        unit=facility.unit,
        locate_on=admitted.astimezone(VIETNAM).date(),
        locate_method="facility",
        patient_key=f"{code:0>64}",
        key_id=7,
        residence=residence,
        residence_code=residence.code if residence else "99999",
        care=care,
        emergency=emergency,
        diagnosis=diagnosis,
        chapter=icd_chapter(diagnosis),
        admitted_at=admitted,
        discharged_at=ended,
        treatment_days=days,
        outcome=outcome,
        discharge=discharge,
        insured=insured,
    )


def population_set(values: dict[str, int], *, year: int = 2026) -> None:
    """The communes' population of a year (indicator `population`, reported)."""
    version = BoundaryVersion.objects.get(slug="danang-2025")
    units = communes()
    for key, value in values.items():
        IndicatorValue.objects.create(
            source="test",
            external_id=f"population:{key}:{year}",
            indicator_id="population",
            version=version,
            unit=units[key],
            period=str(year),
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            value=value,
        )


@pytest.fixture
def quarter(geo: None) -> dict[str, AdminUnit]:
    """The hand-counted encounters and 2026 populations; the communes by key."""
    units = communes()
    for code, row in ENCOUNTERS.items():
        encounter_add(code, row, units[row[1]] if row[1] else None)
    population_set(POPULATION)
    return units
