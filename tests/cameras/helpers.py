"""Helpers of the camera tests: clients, images, event records and pushes."""

import base64
import io
import json
from typing import Any

from django.contrib.auth.models import User
from PIL import Image
from rest_framework.test import APIClient

URL = "/api/ingest/cameras/batches/"
SOURCE = "nvr-test"


def client_of(user: User | None) -> APIClient:
    """A client signed in as `user` (None: the public)."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def image_b64(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), exif: bool = False) -> str:
    """A small real image, base64 (JPEG with a GPS tag when `exif`)."""
    out = io.BytesIO()
    img = Image.new("RGB", size, (200, 40, 40))
    if exif:
        data = Image.Exif()
        data[0x010F] = "CameraMaker"
        data[0x8825] = {1: "N", 2: (15.0, 48.0, 0.0)}
        img.save(out, fmt, exif=data)
    else:
        img.save(out, fmt)
    return base64.b64encode(out.getvalue()).decode()


def event(n: int, camera: str = "CAM-DX-001", **more: Any) -> dict[str, Any]:
    """An event record as a sender pushes it."""
    return {
        "type": "event",
        "id": f"ev-{n}",
        "camera": camera,
        "kind": "flooding",
        "confidence": 0.8,
        "time": "2026-11-20T08:30:00+07:00",
        "bbox": [0.1, 0.2, 0.3, 0.4],
        "label": "water",
        **more,
    }


def push(key: str, batch: str, records: list[dict[str, Any]], client: APIClient | None = None):
    """POST a batch with the key; the response."""
    return (client or APIClient()).post(
        URL,
        data=json.dumps({"idempotency_key": batch, "records": records}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )


def cameras_matrix_load(officer: str) -> None:
    """For the access matrix: a camera in the commune officer's communes and one outside
    (CAM-DX-006, on the coast: away from the point /api/nearby/ is asked at, where staff's
    nearest points would push the public's out of the list), each with an event."""
    from gisioc.cameras.models import Camera
    from gisioc.geo import access
    from gisioc.geo.models import AdminUnit, Facility
    from gisioc.geo.text import fold
    from gisioc.ingest.records import records_rows
    from gisioc.ingest.services import ingest_rows

    scope = access.scope_unit_ids(User.objects.get(username=officer))
    unit = AdminUnit.objects.filter(pk__in=scope, level="commune", version__slug="danang-2025")[0]
    name = f"Camera ma trận {unit.name}"
    inside = Facility.objects.create(
        kind=Facility.Kind.CAMERA, code="CAM-MATRIX", name=name, folded_name=fold(name),
        geom=unit.geom.point_on_surface, unit=unit,
    )  # fmt: skip
    for facility in (inside, Facility.objects.get(code="CAM-DX-006")):
        Camera.objects.create(facility=facility, road="Quốc lộ 1A", stream_url="/s.m3u8")
    records = [
        event(1, camera="CAM-MATRIX", time="2026-11-20T08:30:00+07:00"),
        event(2, camera="CAM-DX-006", kind="fire", time="2026-11-21T08:30:00+07:00"),
    ]
    report = ingest_rows(
        system="cameras", rows=records_rows(records), source="matrix", progress=lambda _: None
    )
    assert report.created == 2, report.errors
