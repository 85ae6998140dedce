"""The two demo versions, their crosswalk, publishing that re-locates records, and the demo
kept out of a real database."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.management import CommandError, call_command
from django.db import connection

from gisioc.errors import Conflict, NotFound
from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility, UnitCrosswalk
from gisioc.geo.services import boundary_publish
from tests.geo.factories import make_version, square

pytestmark = pytest.mark.django_db

MERGERS = {
    "20599": {"20599", "20626", "20632"},
    "20611": {"20605", "20608", "20611", "20614"},
    "20623": {"20617", "20620", "20623"},
    "20635": {"20629", "20635", "20638"},
}
OFFICIAL_KM2 = {"20599": 38.85, "20611": 108.77, "20623": 125.78, "20635": 35.36}


@pytest.fixture
def demo() -> None:
    boundaries_demo_load(progress=lambda _: None)


def test_demo_versions(demo: None) -> None:
    old = BoundaryVersion.objects.get(slug="duyxuyen-2019")
    new = BoundaryVersion.objects.get(slug="danang-2025")
    assert (old.valid_from, old.valid_to) == (dt.date(2019, 1, 1), dt.date(2025, 6, 30))
    assert (new.valid_from, new.valid_to) == (dt.date(2025, 7, 1), None)
    assert old.approximate and new.approximate and "pproximate" in new.source
    assert old.units.filter(level="commune").count() == 13
    assert old.units.get(level="district").code == "508"
    assert set(old.units.filter(level="commune").values_list("parent__code", flat=True)) == {"508"}
    assert new.units.count() == 4
    # Codes are reused with new meanings: the code alone does not identify a unit.
    assert old.units.get(code="20611").name == "Xã Duy Hòa"
    assert new.units.get(code="20611").name == "Xã Thu Bồn"
    assert old.units.get(code="20623").name == "Xã Duy Trung"
    assert new.units.get(code="20623").name == "Xã Duy Xuyên"


def test_new_communes_are_the_dissolve_of_old_members_within_15_percent(demo: None) -> None:
    with connection.cursor() as cursor:
        for new_code, members in MERGERS.items():
            cursor.execute(
                """SELECT ST_Area(ST_SymDifference(n.geom, (SELECT ST_Union(o.geom)
                     FROM geo_adminunit o JOIN geo_boundaryversion ov ON ov.id = o.version_id
                     WHERE ov.slug = 'duyxuyen-2019' AND o.code = ANY(%s)))::geography), n.area_km2
                   FROM geo_adminunit n JOIN geo_boundaryversion v ON v.id = n.version_id
                   WHERE v.slug = 'danang-2025' AND n.code = %s""",
                [sorted(members), new_code],
            )
            difference_m2, area_km2 = cursor.fetchone()
            assert difference_m2 < 1.0
            assert abs(area_km2 - OFFICIAL_KM2[new_code]) / OFFICIAL_KM2[new_code] < 0.15


def test_crosswalk_matches_the_resolution(demo: None) -> None:
    links = UnitCrosswalk.objects.select_related("old_unit", "new_unit")
    assert links.count() == 13
    got: dict[str, set[str]] = {}
    for link in links:
        assert link.old_unit.version.slug == "duyxuyen-2019"
        assert link.area_share_of_old == 1.0
        got.setdefault(link.new_unit.code, set()).add(link.old_unit.code)
    assert got == MERGERS
    for new_code in MERGERS:
        shares = links.filter(new_unit__code=new_code).values_list("area_share_of_new", flat=True)
        assert sum(shares) == pytest.approx(1.0, abs=0.002)


def test_demo_load_is_idempotent(demo: None) -> None:
    before = AdminUnit.objects.count(), UnitCrosswalk.objects.count()
    assert boundaries_demo_load(progress=lambda _: None) == []
    assert (AdminUnit.objects.count(), UnitCrosswalk.objects.count()) == before


def test_publish_relocates_records_and_closes_the_previous_version() -> None:
    make_version("v1", {"100": ("Xã Cũ", square(108.0, 15.0, 0.2))}, valid_from=dt.date(2020, 1, 1))
    draft = make_version(
        "v2",
        {"200": ("Xã Tây", square(108.0, 15.0, 0.1)), "201": ("Xã Đông", square(108.1, 15.0, 0.1))},
        valid_from=dt.date(2025, 7, 1),
        published=False,
    )
    old_record = Facility.objects.create(
        kind="school",
        code="S1",
        name="A",
        folded_name="a",
        geom=Point(108.15, 15.05),
        locate_on=dt.date(2024, 1, 1),
    )
    new_record = Facility.objects.create(
        kind="school",
        code="S2",
        name="B",
        folded_name="b",
        geom=Point(108.15, 15.05),
        locate_on=dt.date(2025, 8, 1),
    )
    outside = Facility.objects.create(
        kind="school",
        code="S3",
        name="C",
        folded_name="c",
        geom=Point(109.5, 15.05),
        locate_on=dt.date(2025, 8, 1),
    )
    result = boundary_publish(slug="v2", progress=lambda _: None)
    assert result["closed"] == ["v1"]
    assert BoundaryVersion.objects.get(slug="v1").valid_to == dt.date(2025, 6, 30)
    new_record.refresh_from_db()
    old_record.refresh_from_db()
    outside.refresh_from_db()
    assert new_record.unit.code == "201" and new_record.unit.version == draft
    assert new_record.locate_method == "point"
    assert old_record.unit is None  # dated before v2: v2's publication does not touch it
    assert outside.unit is None and "outside" in outside.locate_reason
    with pytest.raises(Conflict):
        boundary_publish(slug="v2", progress=lambda _: None)
    with pytest.raises(NotFound):
        boundary_publish(slug="nope", progress=lambda _: None)


def test_publish_carries_address_located_records_through_the_crosswalk() -> None:
    from gisioc.geo.models import UnitCrosswalk

    make_version(
        "old", {"100": ("Xã Cũ", square(108.0, 15.0, 0.2))}, valid_from=dt.date(2020, 1, 1)
    )
    new = make_version(
        "new",
        {"200": ("Xã Mới", square(108.0, 15.0, 0.2))},
        valid_from=dt.date(2025, 7, 1),
        published=False,
    )
    old_unit = AdminUnit.objects.get(version__slug="old")
    UnitCrosswalk.objects.create(
        old_unit=old_unit, new_unit=new.units.get(), area_share_of_old=1.0, area_share_of_new=1.0
    )
    office = Facility.objects.create(
        kind="one_stop",
        code="OFFICE",
        name="Văn phòng",
        folded_name="van phong",
        geom=Point(108.05, 15.05),
    )
    # Located by the applicant's address (unit) although its point is the office's.
    by_address = Facility.objects.create(
        kind="agency",
        code="R1",
        name="R",
        folded_name="r",
        geom=office.geom,
        unit=old_unit,
        locate_method="address",
        locate_on=dt.date(2025, 8, 1),
    )
    boundary_publish(slug="new", progress=lambda _: None)
    by_address.refresh_from_db()
    assert by_address.unit.code == "200" and by_address.locate_method == "crosswalk"


def test_the_demo_is_refused_outside_demo_mode(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A real database gets no demo records and no demo logins, even from the Docker image."""
    config = settings.CONFIG.model_copy(update={"demo": False, "var_dir": tmp_path})
    monkeypatch.setattr(settings, "CONFIG", config)
    with pytest.raises(CommandError, match="GISIOC_DEMO=false"):
        call_command("demo", "load")
    assert not BoundaryVersion.objects.exists()
    assert not get_user_model().objects.exists()
    assert not (tmp_path / "demo-logins.json").exists()
