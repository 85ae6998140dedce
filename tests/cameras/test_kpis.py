"""Camera event KPIs counted by hand: by kind, commune and camera over a period; the profile's
cameras online and uptime; and the live bus's camera events carrying nothing personal."""

import datetime as dt

import pytest
from django.utils import timezone

from gisioc.cameras.models import Camera, Outage
from gisioc.live.models import LiveEvent
from tests.cameras.helpers import client_of, event, image_b64, push

pytestmark = pytest.mark.usefixtures("media")
LIVE_KEYS = {"id", "camera_id", "camera", "kind", "label", "confidence", "occurred_at", "thumb"}


@pytest.fixture
def pushed(cameras: list[Camera], key: str) -> list[Camera]:
    """Five November events (3 at CAM-DX-001, 2 at CAM-DX-006) and one in October."""
    records = [
        event(1),
        event(2, kind="fire", label="smoke"),
        event(3, kind="crowd", snapshot=image_b64()),
        event(4, camera="CAM-DX-006", kind="flooding"),
        event(5, camera="CAM-DX-006", kind="wrong way"),
        event(6, time="2026-10-31T23:30:00+07:00"),
    ]
    assert push(key, "b1", records).json()["created"] == 6
    return cameras


def test_events_by_kind_commune_and_camera_over_a_period(pushed: list[Camera]) -> None:
    client = client_of(None)
    body = client.get("/api/cameras/kpis/?period=2026-11").json()
    kpis = body["kpis"]
    assert (kpis["events"], kpis["flooding"], kpis["fire_smoke"], kpis["wrong_way"]) == (5, 2, 1, 1)
    assert kpis["crowd"] == 1 and kpis["traffic_violation"] == 0
    assert client.get("/api/cameras/kpis/?period=2026-10").json()["kpis"]["events"] == 1
    by_camera = client.get("/api/cameras/kpis/?period=2026-11&by=camera").json()["groups"]
    counts = {g["label"]: g["kpis"]["events"] for g in by_camera}
    assert sorted(counts.values()) == [2, 3]
    by_unit = client.get("/api/cameras/kpis/?period=2026-11&by=unit").json()["groups"]
    assert sorted(g["kpis"]["events"] for g in by_unit) == [2, 3]
    only = client.get("/api/cameras/kpis/?period=2026-11&camera=CAM-DX-006").json()["kpis"]
    assert only["events"] == 2
    by_kind = client.get("/api/cameras/kpis/?period=2026-11&by=kind").json()["groups"]
    assert {g["key"]: g["kpis"]["events"] for g in by_kind}["flooding"] == 2


def test_the_profile_counts_cameras_online_and_their_uptime(pushed: list[Camera]) -> None:
    now = timezone.now()
    for camera in pushed:
        camera.registered_at = now - dt.timedelta(hours=10)
        camera.save()
    Camera.objects.filter(pk=pushed[1].pk).update(status=Camera.Status.OFFLINE)
    Outage.objects.create(camera=pushed[1], started_at=now - dt.timedelta(hours=3))
    month = timezone.localdate().strftime("%Y-%m")
    unit = pushed[0].facility.unit_id
    body = client_of(None).get(f"/api/profiles/units/{unit}/?period={month}").json()
    section = next(s for s in body["sections"] if s["id"] == "cameras")
    table = next(t for t in section["tables"] if t["id"] == "cameras")
    rows = {r["code"]: r for r in table["rows"]}
    assert set(rows) == {"CAM-DX-001", "CAM-DX-002"}  # in Nam Phước
    assert rows["CAM-DX-002"]["status"]["en"] == "Offline" and rows["CAM-DX-002"]["outages"] == 1
    assert rows["CAM-DX-002"]["uptime"] == pytest.approx(0.7, abs=1e-3)
    assert rows["CAM-DX-001"]["uptime"] == 1.0
    assert table["note"]["en"] == "1 of 2 cameras online; mean uptime 85.0%."
    district = client_of(None).get(f"/api/profiles/district/?period={month}").json()
    whole = next(s for s in district["sections"] if s["id"] == "cameras")
    assert len(next(t for t in whole["tables"] if t["id"] == "cameras")["rows"]) == 3


def test_live_camera_events_carry_the_contract_keys_and_nothing_personal(
    pushed: list[Camera],
) -> None:
    live = list(LiveEvent.objects.filter(kind="camera.event").order_by("id"))
    assert len(live) == 6
    for item in live:
        assert set(item.data) == LIVE_KEYS
        assert item.roles is not None  # never the public
        assert set(item.roles) >= {"leader", "commune_officer", "field_staff"}
        assert item.unit_id is not None and item.geom is not None
    with_thumb = [x for x in live if x.data["thumb"]]
    assert len(with_thumb) == 1 and with_thumb[0].data["thumb"].startswith("/api/cameras/")
    assert {x.data["label"]["en"] for x in live} >= {"Flooding", "Fire or smoke", "Wrong-way"}
