"""Publish on the live bus (the writers' one function)."""

from collections.abc import Iterable
from typing import Any

from django.contrib.gis.geos import Point
from django.utils import timezone

from gisioc.live.models import LiveEvent

CHANNEL = "gisioc_live"


def event_publish(
    *,
    kind: str,
    data: dict[str, Any],
    unit_id: int | None = None,
    point: Point | tuple[float, float] | None = None,
    roles: Iterable[str] | None = None,
    at=None,
) -> LiveEvent:
    """Insert one live event in the caller's transaction (listeners hear of it on commit).

    `roles` None: everyone may hear it, the public included; otherwise the staff roles that
    may (admins always may). `data` must hold nothing personal: it goes to every listener
    `roles` admits.
    """
    if point is not None and not isinstance(point, Point):
        point = Point(*point, srid=4326)
    return LiveEvent.objects.create(
        at=at or timezone.now(),
        kind=kind,
        data=data,
        unit_id=unit_id,
        geom=point,
        roles=None if roles is None else sorted(set(roles)),
    )
