"""A small world for incidents: the demo geography, users of each role, a place inside the
commune officer's commune (Thu Bồn) and one outside, cameras, events and reports around them."""

import datetime as dt
import math
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.utils import timezone

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.feedback import services as feedback
from gisioc.feedback.models import Report
from gisioc.geo.models import AdminUnit, Facility, Role, UserAccess

ROLES = {
    "leader": Role.LEADER,
    "admin": Role.ADMIN,
    "officer": Role.COMMUNE_OFFICER,
    "field": Role.FIELD_STAFF,
    "planner": Role.PLANNER,
    "gis": Role.GIS_OFFICER,
}


def offset(point: Point, *, east_m: float = 0.0, north_m: float = 0.0) -> Point:
    """A point moved by metres east and north (small distances)."""
    lat = point.y + north_m / 111_320
    lon = point.x + east_m / (111_320 * math.cos(math.radians(point.y)))
    return Point(lon, lat, srid=4326)


@dataclass
class World:
    users: dict[str, User]
    inside: Point
    outside: Point
    thu_bon: AdminUnit
    agency: Facility


def camera_at(point: Point, code: str) -> Camera:
    """A camera (its facility and the camera row) at a point."""
    facility = Facility.objects.create(
        kind=Facility.Kind.CAMERA, code=code, name=f"Camera {code}", geom=point
    )
    return Camera.objects.create(facility=facility)


def event_at(
    camera: Camera, *, kind: str = "flooding", ago_h: float = 1.0, n: int = 0
) -> CameraEvent:
    """A camera event at its camera, `ago_h` hours ago."""
    at = timezone.now() - dt.timedelta(hours=ago_h)
    return CameraEvent.objects.create(
        source="test",
        external_id=f"ev-{camera.pk}-{kind}-{n}-{ago_h}",
        camera=camera,
        kind=kind,
        confidence=0.9,
        occurred_at=at,
        geom=camera.facility.geom,
        unit_id=None,
    )


def report_at(point: Point, **kwargs: object) -> Report:
    """A citizen report received now at a point."""
    return feedback.report_receive(
        category="thoat_nuoc",
        description="Nước ngập sâu trước chợ.",
        channel="web",
        point=point,
        received_at=timezone.now(),
        **kwargs,
    )


@pytest.fixture
def world(geo: None) -> World:
    """Users of every role (the officer scoped to Thu Bồn), places in and out of scope."""
    thu_bon = AdminUnit.objects.get(version__slug="danang-2025", code="20611")
    other = (
        AdminUnit.objects.filter(version__slug="danang-2025", level="commune")
        .exclude(pk=thu_bon.pk)
        .order_by("code")
        .first()
    )
    users = {}
    for name, role in ROLES.items():
        user = User.objects.create_user(name, password="x", first_name=name.title())
        UserAccess.objects.create(user=user, role=role)
        users[name] = user
    users["officer"].access.units.set([thu_bon])
    users["nobody"] = User.objects.create_user("nobody", password="x")
    agency = Facility.objects.create(
        kind=Facility.Kind.AGENCY, code="INC-PCCC", name="Đội PCCC huyện"
    )
    return World(
        users=users,
        inside=thu_bon.geom.point_on_surface,
        outside=other.geom.point_on_surface,
        thu_bon=thu_bon,
        agency=agency,
    )
