"""The rollup rule on a commune split between two successors: the per-commune view, the Python
filter and weight, and the officers' scopes agree; whole mergers stay whole."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.db import connection
from django.db.models import Sum
from django.test import Client

from gisioc.geo import access, rollup
from gisioc.geo.models import AdminUnit, Role, UnitCrosswalk, UserAccess
from gisioc.public_services.models import Dossier
from tests.geo.factories import make_version, square

pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2025, 3, 1, 3, tzinfo=dt.UTC)


def _box(x0: float, x1: float) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((x0, 15.0, x1, 15.1)), srid=4326)


@pytest.fixture
def split() -> dict[str, AdminUnit]:
    """Old A split into B (west) and C (east) with shares 0.6 / 0.4; old D merged whole into E."""
    make_version(
        "old-2019",
        {
            "90001": ("Xã An", square(108.0, 15.0, 0.1)),
            "90002": ("Xã Dương", square(108.2, 15.0, 0.1)),
        },
        valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    make_version(
        "new-2025",
        {
            "90011": ("Xã Bình", _box(108.0, 108.05)),
            "90012": ("Xã Châu", _box(108.05, 108.1)),
            "90013": ("Xã Đông", square(108.2, 15.0, 0.1)),
        },
    )
    units = {
        key: AdminUnit.objects.get(code=code)
        for key, code in (
            ("A", "90001"),
            ("D", "90002"),
            ("B", "90011"),
            ("C", "90012"),
            ("E", "90013"),
        )
    }
    for old, new, share in (("A", "B", 0.6), ("A", "C", 0.4), ("D", "E", 1.0)):
        UnitCrosswalk.objects.create(
            old_unit=units[old], new_unit=units[new], area_share_of_old=share, area_share_of_new=1.0
        )
    return units


def _dossier(code: str, unit: AdminUnit, method: str, lon: float) -> Dossier:
    return Dossier.objects.create(
        source="test",
        external_id=code,
        dossier_code=code,
        procedure_code="1.0001",
        received_at=RECEIVED,
        status="received",
        unit=unit,
        locate_method=method,
        geom=Point(lon, 15.05, srid=4326),
    )


@pytest.fixture
def records(split: dict[str, AdminUnit]) -> dict[str, Dossier]:
    """Dossiers of 2025-03 in old A and D (placed by point, facility, address) and in new B."""
    return {
        "point_b": _dossier("p-b", split["A"], "point", 108.02),
        "facility_c": _dossier("f-c", split["A"], "facility", 108.08),
        "address": _dossier("addr", split["A"], "address", 108.02),  # its point is its office
        "nowhere": _dossier("p-out", split["A"], "point", 109.5),  # a point in no successor
        "whole": _dossier("p-d", split["D"], "point", 108.25),
        "new_b": _dossier("n-b", split["B"], "point", 108.01),
    }


def _codes(queryset) -> set[str]:
    return set(queryset.values_list("dossier_code", flat=True))


def _officer(name: str, unit: AdminUnit) -> User:
    user = User.objects.create_user(name)
    access_row = UserAccess.objects.create(user=user, role=Role.COMMUNE_OFFICER)
    access_row.units.set([unit])
    return user


def test_a_point_goes_to_its_successor_and_an_address_is_split(
    split: dict[str, AdminUnit], records: dict[str, Dossier]
) -> None:
    b, c, e = split["B"].pk, split["C"].pk, split["E"].pk
    everything = Dossier.objects.all()
    assert _codes(rollup.records_in(everything, {b})) == {"p-b", "addr", "p-out", "n-b"}
    assert _codes(rollup.records_in(everything, {c})) == {"f-c", "addr", "p-out"}
    assert _codes(rollup.records_in(everything, {e})) == {"p-d"}
    weights = dict(everything.annotate(w=rollup.unit_weight({b})).values_list("dossier_code", "w"))
    assert weights == pytest.approx(
        {"p-b": 1.0, "f-c": 0.0, "addr": 0.6, "p-out": 0.6, "p-d": 0.0, "n-b": 1.0}
    )
    both = everything.aggregate(n=Sum(rollup.unit_weight({b, c})))["n"]
    assert both == pytest.approx(5.0)  # every record of A once, and B's own


def test_the_per_commune_view_agrees_with_the_python_weight(
    split: dict[str, AdminUnit], records: dict[str, Dossier]
) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, received FROM gisioc_dossier_unit_stats WHERE period = '2025-03'"
        )
        view = dict(cursor.fetchall())
    for key in ("B", "C", "E"):
        unit = split[key].pk
        weight = Dossier.objects.aggregate(n=Sum(rollup.unit_weight({unit})))["n"]
        assert view[unit] == round(weight)  # B 3.2, C 1.8, E 1
    assert view[split["B"].pk] == 3 and view[split["C"].pk] == 2 and view[split["E"].pk] == 1


def test_each_officer_sees_their_points_and_every_address(
    split: dict[str, AdminUnit], records: dict[str, Dossier]
) -> None:
    officer_b, officer_c = _officer("b", split["B"]), _officer("c", split["C"])
    assert _codes(access.scope_filter(Dossier.objects.all(), officer_b)) == {
        "p-b",
        "addr",
        "p-out",
        "n-b",
    }
    assert _codes(access.scope_filter(Dossier.objects.all(), officer_c)) == {"f-c", "addr", "p-out"}
    sql, params = access.scope_records_sql(officer_c, alias="d.")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.dossier_code FROM public_services_dossier d WHERE {sql}", params)
        assert {code for (code,) in cursor.fetchall()} == {"f-c", "addr", "p-out"}
    # The units an officer may open still span the old commune.
    assert split["A"].pk in access.scope_unit_ids(officer_b)


def test_the_unit_parameter_follows_the_rule(
    split: dict[str, AdminUnit], records: dict[str, Dossier]
) -> None:
    found = rollup.records_in(Dossier.objects.all(), rollup.unit_param(str(split["C"].pk)))
    assert _codes(found) == {"f-c", "addr", "p-out"}
    everything = rollup.records_in(Dossier.objects.all(), rollup.unit_param(None))
    assert everything.count() == len(records)


def test_the_map_the_kpi_api_and_the_profile_agree(
    split: dict[str, AdminUnit], records: dict[str, Dossier], client: Client
) -> None:
    """One rule for all three: B counts 3.2 dossiers received (shown 3), C 1.8 (shown 2)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, received FROM gisioc_dossier_unit_stats WHERE period = '2025-03'"
        )
        view = dict(cursor.fetchall())
    for key, expected in (("B", 3), ("C", 2), ("E", 1)):
        unit = split[key].pk
        api = client.get(f"/api/public-services/kpis/?period=2025-03&unit={unit}").json()
        profile = client.get(f"/api/profiles/units/{unit}/?period=2025-03").json()
        section = next(s for s in profile["sections"] if s["system"] == "public_services")
        shown = next(k["value"] for k in section["kpis"] if k["id"] == "received")
        assert api["kpis"]["received"] == shown == view[unit] == expected
