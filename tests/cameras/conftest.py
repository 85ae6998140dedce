"""Fixtures of the camera tests: three registered cameras of the demo facilities, a push key
of source `nvr-test`, staff of each role (a commune officer scoped to the first camera's
commune), and snapshots written to the test's own media folder."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from gisioc.cameras.models import Camera
from gisioc.geo.models import Facility, Role, UserAccess
from gisioc.ingest.keys import source_key_create
from tests.cameras.helpers import SOURCE


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Snapshots go to the test's own folder."""
    settings.GISIOC_MEDIA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def cameras(geo: None) -> list[Camera]:
    """Three cameras, online: CAM-DX-001 and 002 in Nam Phước (the second named 'cong_chinh'
    in its NVR), 006 in Duy Hải."""
    made = []
    codes = ("CAM-DX-001", "CAM-DX-002", "CAM-DX-006")  # the third in another commune
    facilities = Facility.objects.filter(code__in=codes).order_by("code")
    for n, facility in enumerate(facilities):
        made.append(
            Camera.objects.create(
                facility=facility,
                road="Quốc lộ 1A",
                nvr_name="cong_chinh" if n == 1 else "",
                stream=Camera.Stream.HLS,
                stream_url=f"/media/streams/{facility.code}/index.m3u8",
                snapshot_url=f"/media/streams/{facility.code}/snapshot.jpg",
            )
        )
    assert len(made) == 3
    return made


@pytest.fixture
def key(db: None) -> str:
    """A push key of the NVR source."""
    return source_key_create(system="cameras", source=SOURCE)[1]


@pytest.fixture
def staff(cameras: list[Camera]) -> dict[str, User]:
    """A user of each role; the commune officer's scope is the first camera's commune."""
    users = {}
    for role in Role:
        user = User.objects.create_user(f"u-{role.value}", password="x")
        UserAccess.objects.create(user=user, role=role)
        users[role.value] = user
    users["commune_officer"].access.units.set([cameras[0].facility.unit_id])
    return users
