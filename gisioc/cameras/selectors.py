"""Reads of the camera system: cameras, their outages with durations, and uptime per camera
and period (1 − offline time / time in the period, counted from the camera's registration
and up to now)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from gisioc.cameras.models import Camera, Outage
from gisioc.geo.access import scope_unit_ids
from gisioc.geo.models import Facility
from gisioc.periods import Period, period_bounds


@dataclass(frozen=True)
class Uptime:
    """A camera's time in a period, offline time within it and the share it was up."""

    camera: Camera
    seconds: float  # of the period, from its registration up to now
    offline_s: float
    outages: int  # outages overlapping the period

    @property
    def uptime(self) -> float | None:
        """1 − offline / period time; None when the period has no time of the camera."""
        if self.seconds <= 0:
            return None
        return round(max(0.0, 1.0 - self.offline_s / self.seconds), 5)


def cameras_list(*, user: User | None = None, status: str = "", q: str = "") -> QuerySet[Camera]:
    """Cameras with their facility, by code; a commune officer's within the scope."""
    cameras = Camera.objects.select_related("facility", "facility__unit", "agency").order_by(
        "facility__code"
    )
    if status:
        cameras = cameras.filter(status=status)
    if q:
        cameras = cameras.filter(
            Q(facility__code__icontains=q) | Q(facility__name__icontains=q) | Q(road__icontains=q)
        )
    scope = scope_unit_ids(user)
    if scope is not None:
        cameras = cameras.filter(facility__unit_id__in=scope)
    return cameras


def camera_facilities(*, status: str = "", q: str = "") -> QuerySet[Facility]:
    """The facilities of registered cameras (with their camera), by code: the same for all."""
    facilities = Facility.objects.filter(camera__isnull=False).select_related(
        "camera", "camera__agency", "camera__seen", "unit"
    )
    if status:
        facilities = facilities.filter(camera__status=status)
    if q:
        facilities = facilities.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(camera__road__icontains=q)
        )
    return facilities.order_by("code")


def outages_list(
    *,
    cameras: QuerySet[Camera] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> QuerySet[Outage]:
    """Outages (overlapping [start, end) when given), the open ones first, then the newest."""
    outages = Outage.objects.select_related("camera__facility")
    if cameras is not None:
        outages = outages.filter(camera__in=cameras)
    if end is not None:
        outages = outages.filter(started_at__lt=end)
    if start is not None:
        outages = outages.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
    return outages.extra(select={"open": "ended_at IS NULL"}).order_by("-open", "-started_at")


def outage_seconds(outage: Outage, *, now: dt.datetime | None = None) -> float:
    """How long the outage lasted (or lasts so far)."""
    end = outage.ended_at or now or timezone.now()
    return max(0.0, (end - outage.started_at).total_seconds())


def uptimes(
    *, cameras: QuerySet[Camera], period: Period, now: dt.datetime | None = None
) -> list[Uptime]:
    """Each camera's uptime in the period, clipped to its registration and to now."""
    now = now or timezone.now()
    start, end, _ = period_bounds(period, now)
    end = min(end, now)
    listed = list(cameras)
    overlaps: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    outages = Outage.objects.filter(camera__in=[c.pk for c in listed], started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=start)
    )
    for outage in outages.only("camera_id", "started_at", "ended_at"):
        overlaps[outage.camera_id].append((outage.started_at, outage.ended_at or now))
    found = []
    for camera in listed:
        since = max(start, camera.registered_at)
        seconds = max(0.0, (end - since).total_seconds())
        offline = sum(
            max(0.0, (min(stop, end) - max(began, since)).total_seconds())
            for began, stop in overlaps[camera.pk]
        )
        found.append(Uptime(camera, seconds, min(offline, seconds), len(overlaps[camera.pk])))
    return found
