"""The education layers decoded from tiles, the fake school software pulled, the demo."""

import datetime as dt
import gzip
import itertools
from typing import Any

import mapbox_vector_tile
import pytest
from django.test import Client

from gisioc.education import demo
from gisioc.education.fake import FakeSchools
from gisioc.education.models import SchoolYear
from gisioc.indicators.demo_communes import communes
from gisioc.indicators.demo_yearly import school_age_population
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.periods import VIETNAM
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db


def _features(client: Client, layer: str, query: str = "") -> list[dict[str, Any]]:
    x, y = tile_for(108.25, 15.82, 7)  # the whole district in one tile
    answer = client.get(f"/tiles/{layer}/7/{x}/{y}.mvt{query}")
    if answer.status_code == 204:
        return []
    assert answer.status_code == 200, answer.content
    data = answer.content
    if answer.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return mapbox_vector_tile.decode(data).get(layer, {}).get("features", [])


def test_the_schools_layer_shows_the_latest_school_year_or_the_one_asked(
    schools: None, client: Client
) -> None:
    latest = {f["properties"]["code"]: f["properties"] for f in _features(client, "schools")}
    assert set(latest) == {"TH-20611", "THCS-20611", "MN-20605"}
    assert latest["TH-20611"]["pupils"] == 300 and latest["TH-20611"]["level"] == "tieu_hoc"
    assert latest["TH-20611"]["pupils_per_class"] == 30.0
    before = _features(client, "schools", "?school_year=2023-2024")
    assert [(f["properties"]["code"], f["properties"]["pupils"]) for f in before] == [
        ("TH-20611", 280)
    ]
    over = _features(client, "schools-over-capacity")
    assert [f["properties"]["code"] for f in over] == ["MN-20605"]
    assert client.get("/tiles/schools/7/0/0.mvt?school_year=2024-2026").status_code == 400


def test_the_choropleth_rolls_former_communes_up_to_the_communes_in_force(
    schools: None, client: Client
) -> None:
    found = {f["properties"]["code"]: f["properties"] for f in _features(client, PUPILS_LAYER)}
    assert set(found) == {"20599", "20611", "20623", "20635"}  # the 4 communes in force
    assert found["20611"]["pupils"] == 600 and found["20611"]["teachers"] == 30
    assert found["20611"]["pupils_per_teacher"] == 20.0
    assert "pupils_per_teacher" not in found["20599"]  # no school reported there: no value


PUPILS_LAYER = "pupils-per-teacher-per-commune"


def test_the_demo_is_deterministic_and_follows_the_population() -> None:
    first = [r.values for r in itertools.islice(demo.demo_school_rows(), 60)]
    assert first == [r.values for r in itertools.islice(demo.demo_school_rows(), 60)]
    rows = [r.values for r in demo.demo_school_rows()]
    assert len(rows) == 42 * 5  # every school, five school years
    assert {r["Năm học"] for r in rows} == {f"{y}-{y + 1}" for y in range(2021, 2026)}
    town = next(c for c in communes() if c.code == "20599")
    primary = next(r for r in rows if r["Mã trường"] == "TH-20599" and r["Năm học"] == "2024-2025")
    ages = demo.cohort(town, 2024, 6) + sum(demo.cohort(town, 2024, a) for a in range(7, 11))
    assert 0.95 < primary["Tổng số học sinh"] / ages < 1.0  # primary enrolment 95–100 %
    share = school_age_population(town, 2024) / town.population(2024)
    assert 0.19 < share < 0.23
    for row in rows:
        assert row["Số giáo viên"] > 0 and row["Tổng số học sinh"] > row["Học sinh nữ"]
        if row["Cấp học"] == "Tiểu học":
            assert 25 < row["Tổng số học sinh"] / row["Số lớp"] < 40
            assert row["Số học sinh bỏ học"] <= 0.005 * row["Tổng số học sinh"] + 1


def test_the_fake_publishes_the_running_school_year_monthly_and_is_pulled(geo: None) -> None:
    moment = dt.datetime(2026, 12, 5, 9, tzinfo=VIETNAM)
    fake = FakeSchools(as_of=moment)
    # September, October and November of 2026-2027 are out, 42 schools each.
    assert fake.head == 3 * 42
    latest = {r["MaTruong"]: r for r in fake.records()}
    assert latest["TH-20611"]["NamHoc"] == "2026-2027"
    assert latest["TH-20611"]["NgayBaoCao"] == "2026-11-30"
    assert "LenLop" not in latest["TH-20611"]  # promotion only at the year's end
    with fake_serving(fake) as url:
        pull_source_add(system="education", source="csdl-test", url=url, every_minutes=1)
        report = pull_run(source="csdl-test", timeout=30.0, progress=lambda _: None)
        assert (report.status, report.received, report.rejected) == ("done", 126, 0)
        assert (report.created, report.updated) == (42, 84)
        assert fake.catch_up(dt.datetime(2026, 12, 31, 18, tzinfo=VIETNAM))  # December's
        again = pull_run(source="csdl-test", timeout=30.0, progress=lambda _: None)
    assert (again.received, again.created) == (42, 0)
    record = SchoolYear.objects.get(source="csdl-test", school_code="TH-20611")
    assert record.reported_on == dt.date(2026, 12, 31) and record.unit.code == "20611"
    assert record.unit.version.slug == "danang-2025"


def test_the_demo_loads_once(geo: None) -> None:
    lines: list[str] = []
    demo.load(progress=lines.append)
    assert SchoolYear.objects.filter(source=demo.SOURCE).count() == 210
    assert not SchoolYear.objects.filter(source=demo.SOURCE, unit__isnull=True).exists()
    demo.load(progress=lines.append)
    assert "already loaded" in lines[-1]
