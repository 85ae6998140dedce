"""Writes of the camera system: cameras seen and gone silent (with their outages), events
stored and published on the live bus, and what staff do with an event (acknowledge, dismiss,
open a citizen-feedback ticket, bring it into an incident)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gisioc.cameras.models import Camera, CameraEvent, CameraSeen, Outage
from gisioc.errors import Conflict, Forbidden, InvalidInput, NotFound
from gisioc.geo.access import scope_unit_ids, user_role
from gisioc.geo.models import Role
from gisioc.live.bus import event_publish
from gisioc.texts import Text

Status = Camera.Status
EventStatus = CameraEvent.Status
# Who hears of camera events on the live bus: staff (events show people and plates).
EVENT_ROLES = frozenset(
    {Role.LEADER, Role.PLANNER, Role.FIELD_STAFF, Role.GIS_OFFICER, Role.COMMUNE_OFFICER}
)
# Who may act on an event: field staff only acknowledge it.
ACT_ROLES = frozenset({Role.LEADER, Role.COMMUNE_OFFICER, Role.ADMIN})
ACK_ROLES = ACT_ROLES | {Role.FIELD_STAFF}
# The feedback category and the incident kind each event kind leads to.
CATEGORY = {
    CameraEvent.Kind.TRAFFIC_VIOLATION: "trat_tu_giao_thong",
    CameraEvent.Kind.WRONG_WAY: "trat_tu_giao_thong",
    CameraEvent.Kind.CROWD: "khac",
    CameraEvent.Kind.FLOODING: "thoat_nuoc",
    CameraEvent.Kind.FIRE_SMOKE: "khac",
    CameraEvent.Kind.ILLEGAL_DUMPING: "moi_truong",
    CameraEvent.Kind.ENCROACHMENT: "trat_tu_giao_thong",
}
INCIDENT_KIND = {
    CameraEvent.Kind.FLOODING: "flood",
    CameraEvent.Kind.FIRE_SMOKE: "fire",
    CameraEvent.Kind.TRAFFIC_VIOLATION: "accident",
    CameraEvent.Kind.WRONG_WAY: "accident",
}


def silence_of(camera: Camera) -> int:
    """Seconds of silence after which the camera is offline (its own, else the setting)."""
    return camera.silence_s or settings.CONFIG.camera_silence_s


def kind_label(kind: str) -> Text:
    """An event kind's label in Vietnamese and English."""
    vi, _, en = str(CameraEvent.Kind(kind).label).partition(" / ")
    return Text(vi, en or vi)


def snapshot_url(rel: str) -> str | None:
    """The staff-only URL of a stored snapshot or thumb; None when there is none."""
    return reverse("camera-snapshot", args=[rel.rsplit("/", 1)[-1]]) if rel else None


def _status_publish(camera: Camera) -> None:
    facility = camera.facility
    event_publish(
        kind="camera.status",
        data={
            "camera_id": camera.pk,
            "code": facility.code,
            "name": facility.name,
            "status": camera.status,
            "since": camera.status_since.isoformat() if camera.status_since else None,
        },
        unit_id=facility.unit_id,
        point=facility.geom,
        roles=None,  # where a camera is and whether it works is public (the cameras layer)
    )


def camera_seen(*, camera: Camera | int, at: dt.datetime) -> bool:
    """A heartbeat (or an event) of the camera at `at` (no later than now): its newest time
    seen moves on; an offline camera comes back online, its outage closed at `at`, and
    `camera.status` is published. Whether anything moved."""
    at = min(at, timezone.now())
    with transaction.atomic():
        pk = camera.pk if isinstance(camera, Camera) else camera
        cam = Camera.objects.select_for_update().select_related("facility").get(pk=pk)
        last = cam.last_seen_at
        if last is not None and at <= last:
            return False
        # Only the heartbeat table: the camera row (which layers read) changes with its status.
        CameraSeen.objects.update_or_create(camera=cam, defaults={"at": at})
        fields = []
        back = cam.status == Status.OFFLINE
        if back:
            Outage.objects.filter(camera=cam, ended_at=None).update(ended_at=at)
            cam.status, cam.status_since = Status.ONLINE, at
            fields += ["status", "status_since"]
        elif cam.status_since is None:
            cam.status_since = at
            fields.append("status_since")
        if fields:
            cam.save(update_fields=fields)
        if back:
            _status_publish(cam)
    return True


def camera_snapshot(*, camera: int, event: CameraEvent) -> bool:
    """The event's snapshot becomes the camera's newest, unless it has a newer one."""
    newer = Q(snapshot_at__isnull=True) | Q(snapshot_at__lt=event.occurred_at)
    changed = Camera.objects.filter(newer, pk=camera).update(
        snapshot_file=event.snapshot_file, snapshot_at=event.occurred_at
    )
    return bool(changed)


def cameras_silence_check(*, now: dt.datetime | None = None) -> list[int]:
    """Every online camera silent longer than its silence turns offline, with an outage
    starting at its last heartbeat (a never-seen camera: since its status began), and
    `camera.status` is published. The ids of the cameras turned offline."""
    now = now or timezone.now()
    default = settings.CONFIG.camera_silence_s
    silent = Q(seen__at__lt=now - dt.timedelta(seconds=default), silence_s__isnull=True)
    candidates = Camera.objects.filter(status=Status.ONLINE).filter(
        silent | Q(silence_s__isnull=False) | Q(seen__isnull=True)
    )
    gone: list[int] = []
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            cam = (
                Camera.objects.select_for_update(skip_locked=True)
                .select_related("facility")
                .filter(pk=pk, status=Status.ONLINE)
                .first()
            )
            if cam is None:
                continue
            last = cam.last_seen_at or cam.status_since
            if last is None:  # never seen: the silence counts from now
                cam.status_since = now
                cam.save(update_fields=["status_since"])
                continue
            if now - last <= dt.timedelta(seconds=silence_of(cam)):
                continue
            Outage.objects.create(camera=cam, started_at=last)
            cam.status, cam.status_since = Status.OFFLINE, last
            cam.save(update_fields=["status", "status_since"])
            _status_publish(cam)
            gone.append(cam.pk)
    return gone


def event_publish_new(event: CameraEvent) -> None:
    """Tell staff's open maps of a new event (`camera.event`; nothing personal in it)."""
    facility = event.camera.facility
    event_publish(
        kind="camera.event",
        data={
            "id": event.pk,
            "camera_id": event.camera_id,
            "camera": facility.name,
            "kind": event.kind,
            "label": kind_label(event.kind).as_dict(),
            "confidence": round(event.confidence, 3),
            "occurred_at": event.occurred_at.isoformat(),
            "thumb": snapshot_url(event.thumb_file),
        },
        unit_id=event.unit_id,
        point=event.geom,
        roles=EVENT_ROLES,
        at=None,
    )


def _event_take(event: CameraEvent | int, actor: User | None, roles: frozenset[str]) -> CameraEvent:
    """The event locked, after checking the actor's role and scope."""
    pk = event.pk if isinstance(event, CameraEvent) else event
    found = (
        CameraEvent.objects.select_for_update(of=("self",))
        .select_related("camera__facility")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(f"Không có sự kiện camera #{pk}.", f"No camera event #{pk}.")
    role = user_role(actor)
    if role is None:
        raise Forbidden("Cần đăng nhập bằng tài khoản cán bộ.", "Sign in with a staff account.")
    if role != Role.ADMIN and role not in roles:
        raise Forbidden(
            "Vai trò của bạn không được xử lý sự kiện camera này.",
            "Your role may not act on this camera event.",
        )
    scope = scope_unit_ids(actor)
    if scope is not None and found.unit_id not in scope:
        raise Forbidden(
            "Sự kiện này ngoài phạm vi xã của bạn.", "This event is outside your commune."
        )
    return found


def _move(event: CameraEvent, status: str, allowed: tuple[str, ...]) -> CameraEvent:
    if event.status not in allowed:
        now = str(EventStatus(event.status).label)
        raise Conflict(
            f"Sự kiện đang ở trạng thái «{now.split(' / ')[0]}»; không thể chuyển.",
            f"The event is '{now.split(' / ')[-1]}'; it cannot move so.",
        )
    event.status = status
    event.save(update_fields=["status"])
    return event


@transaction.atomic
def event_acknowledge(*, actor: User | None, event: CameraEvent | int) -> CameraEvent:
    """Mark a new event seen (field staff may too)."""
    found = _event_take(event, actor, ACK_ROLES)
    return _move(found, EventStatus.ACKNOWLEDGED, (EventStatus.NEW,))


@transaction.atomic
def event_dismiss(*, actor: User | None, event: CameraEvent | int) -> CameraEvent:
    """Set a new or seen event aside (a false detection, nothing to do)."""
    found = _event_take(event, actor, ACT_ROLES)
    return _move(found, EventStatus.DISMISSED, (EventStatus.NEW, EventStatus.ACKNOWLEDGED))


def _report_text(event: CameraEvent) -> tuple[str, str]:
    """The ticket's title and description: kind, camera, time; nothing about people."""
    label = kind_label(event.kind)
    facility = event.camera.facility
    local = timezone.localtime(event.occurred_at, dt.timezone(dt.timedelta(hours=7)))
    when = local.strftime("%H:%M %d/%m/%Y")
    title = f"{label.vi} — camera {facility.name}"[:200]
    road = f", {event.camera.road}" if event.camera.road else ""
    description = (
        f"Camera AI {facility.code} ({facility.name}{road}) phát hiện: {label.vi} "
        f"lúc {when}, độ tin cậy {event.confidence:.0%}. Sự kiện camera #{event.pk}. "
        f"/ AI camera {facility.code} detected: {label.en} at {when} (Vietnam time), "
        f"confidence {event.confidence:.0%}. Camera event #{event.pk}."
    )
    return title, description


@transaction.atomic
def event_report(*, actor: User | None, event: CameraEvent | int) -> CameraEvent:
    """Open a citizen-feedback ticket for the event (channel `camera`), linked to it."""
    from gisioc.feedback.services import report_receive

    found = _event_take(event, actor, ACT_ROLES)
    if found.report_id is not None:
        raise Conflict(
            "Sự kiện này đã có phiếu phản ánh.", "This event already has a feedback ticket."
        )
    _move(found, EventStatus.REPORTED, (EventStatus.NEW, EventStatus.ACKNOWLEDGED))
    title, description = _report_text(found)
    report = report_receive(
        category=CATEGORY[found.kind],
        description=description,
        channel="camera",
        point=found.geom,
        unit_id=None if found.geom is not None else found.unit_id,
        title=title,
        source="camera",
        external_id=f"camera-event-{found.pk}",
        actor=actor,
        actor_label="Camera AI",
    )
    found.report = report
    found.save(update_fields=["report"])
    return found


def event_incident(
    *,
    actor: User | None,
    event: CameraEvent | int,
    incident: int | None = None,
    severity: int = 2,
    title: str = "",
) -> Any:
    """Bring the event into an incident: a new one at the event's place (its kind from the
    event's), or the open `incident` given. The incident."""
    from gisioc.incidents import services as incidents

    with transaction.atomic():
        found = _event_take(event, actor, ACT_ROLES)
        if found.status == EventStatus.DISMISSED:
            raise Conflict(
                "Sự kiện đã bị bỏ qua; không đưa vào sự việc.",
                "The event was dismissed; it cannot go into an incident.",
            )
        if incident is not None:
            return incidents.incident_attach(actor=actor, incident=incident, event=found)
        if found.geom is None:
            raise InvalidInput(
                "Sự kiện chưa có vị trí; hãy chọn một sự việc có sẵn.",
                "The event has no place; choose an existing incident.",
            )
        label = kind_label(found.kind)
        return incidents.incident_open(
            actor=actor,
            kind=INCIDENT_KIND.get(found.kind, "other"),
            severity=severity,
            point=found.geom,
            title=title or f"{label.vi} — camera {found.camera.facility.name}"[:200],
            events=[found],
        )
