"""Small builders for tests: boundary versions (squares near Duy Xuyên), signed-in clients."""

import datetime as dt

from django.contrib.auth.models import User
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.test import Client
from django.utils import timezone

from gisioc.geo.models import AdminUnit, BoundaryVersion, UserAccess
from gisioc.geo.text import fold, short_name


def square(lon: float, lat: float, size: float = 0.05) -> MultiPolygon:
    """A square MultiPolygon with its south-west corner at (lon, lat)."""
    ring = ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat))
    return MultiPolygon(Polygon(ring), srid=4326)


def make_version(
    slug: str,
    units: dict[str, tuple[str, MultiPolygon]],
    *,
    valid_from: dt.date = dt.date(2025, 7, 1),
    valid_to: dt.date | None = None,
    published: bool = True,
) -> BoundaryVersion:
    """A boundary version with commune units {code: (full name, geometry)}."""
    version = BoundaryVersion.objects.create(
        slug=slug,
        name=slug,
        valid_from=valid_from,
        valid_to=valid_to,
        status="published" if published else "draft",
        published_at=timezone.now() if published else None,
    )
    for code, (name, geom) in units.items():
        unit_type, short = short_name(name)
        AdminUnit.objects.create(
            version=version,
            code=code,
            name=name,
            short_name=short,
            folded_name=fold(short),
            unit_type=unit_type.lower(),
            geom=geom,
            area_km2=1.0,
        )
    return version


def signed_in(username: str, role: str) -> Client:
    """A test client signed in as a new user of `role` (no password: force_login)."""
    user = User.objects.create_user(username)
    UserAccess.objects.create(user=user, role=role)
    client = Client()
    client.force_login(user)
    return client
