"""Geocoding by coordinates, facility code and address, in the version in force at a date."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.geocoder import geocode, geocode_address, geocode_facility, geocode_point
from gisioc.geo.models import AdminUnit, Facility

pytestmark = pytest.mark.django_db
BEFORE, AFTER = dt.date(2024, 5, 1), dt.date(2025, 9, 1)


@pytest.fixture(autouse=True)
def demo() -> None:
    boundaries_demo_load(progress=lambda _: None)


def _unit(location) -> tuple[str, str] | None:
    if location.unit_id is None:
        return None
    unit = AdminUnit.objects.select_related("version").get(pk=location.unit_id)
    return unit.name, unit.version.slug


def _inside(code: str, slug: str) -> Point:
    return AdminUnit.objects.get(code=code, version__slug=slug).geom.point_on_surface


def test_point_uses_the_version_in_force_at_the_date() -> None:
    point = _inside("20608", "duyxuyen-2019")  # inside old Duy Tân, now part of Thu Bồn
    assert _unit(geocode_point(lon=point.x, lat=point.y, on=BEFORE)) == (
        "Xã Duy Tân",
        "duyxuyen-2019",
    )
    found = geocode_point(lon=point.x, lat=point.y, on=AFTER)
    assert _unit(found) == ("Xã Thu Bồn", "danang-2025")
    assert (found.method, found.confidence) == ("point", 1.0)


def test_point_outside_and_invalid_are_kept_with_a_reason() -> None:
    far = geocode_point(lon=105.85, lat=21.03, on=AFTER)
    assert far.unit_id is None and far.method == "none" and "outside" in far.reason
    assert far.point is not None  # the coordinates are kept even when not located
    assert "invalid" in geocode_point(lon=500, lat=15, on=AFTER).reason


def test_facility_code() -> None:
    point = _inside("20611", "duyxuyen-2019")
    Facility.objects.create(
        kind="health",
        code="49123",
        name="Trạm Y tế xã Duy Hòa",
        folded_name="tram y te xa duy hoa",
        geom=point,
    )
    assert _unit(geocode_facility(code="49123", on=BEFORE)) == ("Xã Duy Hòa", "duyxuyen-2019")
    found = geocode_facility(code="49123", on=AFTER)
    assert _unit(found) == ("Xã Thu Bồn", "danang-2025") and found.method == "facility"
    assert "49999" in geocode_facility(code="49999", on=AFTER).reason


@pytest.mark.parametrize(
    ("text", "on", "expected", "method"),
    [
        (
            "Thôn 2, xã Duy Phú, huyện Duy Xuyên, tỉnh Quảng Nam",
            BEFORE,
            ("Xã Duy Phú", "duyxuyen-2019"),
            "address",
        ),
        ("thon 2, xa duy phu, huyen duy xuyen", AFTER, ("Xã Thu Bồn", "danang-2025"), "crosswalk"),
        ("DUY HÒA", AFTER, ("Xã Thu Bồn", "danang-2025"), "crosswalk"),
        ("Xã Thu Bồn, TP Đà Nẵng", AFTER, ("Xã Thu Bồn", "danang-2025"), "address"),
        ("TT. Nam Phuoc", BEFORE, ("Thị trấn Nam Phước", "duyxuyen-2019"), "address"),
        ("thi tran Nam Phuoc", AFTER, ("Xã Nam Phước", "danang-2025"), "address"),
        ("xã Duy Xuyên", AFTER, ("Xã Duy Xuyên", "danang-2025"), "address"),
        ("Khối phố 3 - Xã Duy Trung", BEFORE, ("Xã Duy Trung", "duyxuyen-2019"), "address"),
        ("Khối phố 3 - Xã Duy Trung", AFTER, ("Xã Duy Xuyên", "danang-2025"), "crosswalk"),
    ],
)
def test_address(text: str, on: dt.date, expected: tuple[str, str], method: str) -> None:
    found = geocode_address(text=text, on=on)
    assert (_unit(found), found.method) == (expected, method)
    assert 0.5 < found.confidence < 1


def test_nfd_and_nfc_addresses_agree() -> None:
    import unicodedata

    text = "Xã Duy Châu, huyện Duy Xuyên"
    nfd = geocode_address(text=unicodedata.normalize("NFD", text), on=BEFORE)
    assert nfd.unit_id == geocode_address(text=text, on=BEFORE).unit_id is not None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Xã Thu Bồn", "4"),  # a 2025 name before the reform: four possible old units
        ("huyện Duy Xuyên, tỉnh Quảng Nam", "no commune"),
        ("", "empty"),
        ("Phường Bến Nghé, Quận 1", "no commune"),
    ],
)
def test_unlocatable_addresses_say_why(text: str, reason: str) -> None:
    found = geocode_address(text=text, on=BEFORE if "Thu" in text else AFTER)
    assert found.unit_id is None and reason in found.reason


def test_geocode_falls_back_and_keeps_every_reason() -> None:
    found = geocode(on=AFTER, lon=105.85, lat=21.03, address="xã Duy Sơn")
    assert _unit(found) == ("Xã Duy Xuyên", "danang-2025") and found.method == "crosswalk"
    lost = geocode(on=AFTER, lon=105.85, lat=21.03, facility_code="X1", address="nowhere")
    assert lost.unit_id is None and lost.reason.count(";") == 2
