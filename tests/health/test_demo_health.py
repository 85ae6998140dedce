"""The health demo: deterministic, at realistic volumes and mixes, written as hospital
exports write XML1 (identities included, for the screen to drop), and clean through ingest."""

import datetime as dt
import itertools
from collections import Counter

from gisioc import workdays
from gisioc.health import demo
from gisioc.health.models import Encounter
from gisioc.ingest.models import RawRecord
from tests.health.conftest import sample

MONTH = demo.FIRST_DAY + dt.timedelta(days=29)


def _rows(last: dt.date) -> list[dict[str, object]]:
    return [demo.row_as_of(life, demo.SNAPSHOT) for life in demo.encounter_lives(last)]


def test_the_demo_is_the_same_on_every_run_and_a_longer_run_only_adds() -> None:
    first = _rows(MONTH)
    assert first == _rows(MONTH)
    longer = _rows(MONTH + dt.timedelta(days=3))
    assert longer[: len(first)] == first and len(longer) > len(first)
    assert len({r["MA_LK"] for r in longer}) == len(longer)


def test_a_month_of_the_demo_looks_like_the_district() -> None:
    rows = _rows(MONTH)
    days: Counter[tuple[str, str]] = Counter()
    for r in rows:
        days[str(r["MA_CSKCB"]), str(r["NGAY_VAO"])[:8]] += 1
    working = [d for d in range(30) if workdays.is_working(demo.FIRST_DAY + dt.timedelta(days=d))]
    centre = [days["TTYT-DX", f"{demo.FIRST_DAY + dt.timedelta(days=d):%Y%m%d}"] for d in working]
    assert 130 <= sum(centre) / len(centre) <= 200
    stations = [n for (code, _), n in days.items() if code.startswith("TYT-")]
    assert 4 <= sum(stations) / len(stations) <= 15
    centre_rows = [r for r in rows if r["MA_CSKCB"] == "TTYT-DX"]
    inpatients = sum(r["MA_LOAI_KCB"] == "03" for r in centre_rows) / len(centre_rows)
    assert 0.08 <= inpatients <= 0.15
    assert 0.85 <= sum(bool(r["MA_THE_BHYT"]) for r in rows) / len(rows) <= 0.95
    patients = Counter(r["MA_BN"] for r in rows)
    assert patients.most_common(1)[0][1] >= 3  # a chronic patient back again
    codes = Counter(str(r["MA_BENH_CHINH"]) for r in rows)
    assert {"I10", "J06.9", "E11.9", "K29.7", "A90"} <= set(codes)
    assert all(r["HO_TEN"] and r["SO_CCCD"] and r["NGAY_SINH"] and r["DIA_CHI"] for r in rows)
    assert {str(r["MAXA_CU_TRU"])[:3] for r in rows} >= {"205", "206"}  # 2019 codes


def test_residence_codes_follow_the_reform() -> None:
    lives = demo.encounter_lives(dt.date(2025, 7, 2))
    july = [life.values for life in lives if life.received.date() >= dt.date(2025, 7, 1)]
    codes = {str(r["MAXA_CU_TRU"]) for r in july}
    assert {"20599", "20611", "20623", "20635"} <= codes
    assert not codes & {"20605", "20608", "20614", "20617", "20638"}  # merged away


def test_a_slice_of_the_demo_ingests_cleanly_without_identities(encounters_sample: None) -> None:
    stored = Encounter.objects.filter(source="demo-sample")
    assert stored.count() == len(sample())
    assert stored.filter(residence__isnull=True).count() < 0.06 * len(sample())
    names = {str(r.values["HO_TEN"]) for r in itertools.islice(sample(), 50)}
    raw = " ".join(str(r) for r in RawRecord.objects.values_list("raw", flat=True))
    assert not [n for n in names if n in raw]
