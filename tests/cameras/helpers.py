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
