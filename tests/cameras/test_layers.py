"""The camera layers' decoded tiles: cameras by status for everyone (no stream URL), events
as points and as a heatmap for staff only, a commune officer's within the scope, filtered by
kind and period; and the style builder's heatmap."""

import gzip
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User
from django.test import Client

from gisioc.cameras.models import Camera, CameraEvent
from layers.checks import check_layers
from tests.cameras.helpers import event, push
from tiles.sql import tile_for

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture(autouse=True)
def private_tiles(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _features(client: Client, layer: str, camera: Camera, query: str = "", z: int = 15) -> list:
    point = camera.facility.geom
    x, y = tile_for(point.x, point.y, z)
    answer = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt{query}")
    assert answer.status_code in (200, 204), answer.content
    data = answer.content if answer.status_code == 200 else b""
    if answer.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return [f["properties"] for f in mapbox_vector_tile.decode(data).get(layer, {}).get(
        "features", [])]  # fmt: skip


def test_the_camera_layers_pass_the_registry_checks() -> None:
    assert [m for m in check_layers() if "camera" in m.msg] == []


def test_everyone_sees_cameras_coloured_by_status(cameras: list[Camera]) -> None:
    Camera.objects.filter(pk=cameras[1].pk).update(status=Camera.Status.OFFLINE)
    found = {p["code"]: p for p in _features(_client(None), "cameras-status", cameras[0], z=11)}
    assert found["CAM-DX-001"]["status"] == "online"
    assert found["CAM-DX-002"]["status"] == "offline"
    assert not {"stream_url", "snapshot_url", "snapshot_file"} & set(found["CAM-DX-001"])
    only = _features(_client(None), "cameras-status", cameras[0], "?status=offline", z=11)
    assert [p["code"] for p in only] == ["CAM-DX-002"]


def test_events_are_for_staff_in_scope_by_kind_and_period(
    cameras: list[Camera], key: str, staff: dict[str, User]
) -> None:
    records = [
        event(1),
        event(2, kind="fire"),
        event(3, time="2026-10-02T10:00:00+07:00"),
        event(4, camera="CAM-DX-006"),
    ]
    assert push(key, "b1", records).json()["created"] == 4
    first, far = cameras[0], cameras[2]
    public = _client(None).get("/tiles/camera-events/15/0/0.mvt")
    assert public.status_code in (401, 403, 404)
    assert _client(None).get("/tiles/camera-events-heat/15/0/0.mvt").status_code in (401, 403, 404)
    leader = _client(staff["leader"])
    here = _features(leader, "camera-events", first)
    assert sorted(p["kind"] for p in here) == ["fire_smoke", "flooding", "flooding"]
    november = _features(leader, "camera-events", first, "?period=2026-11&kind=flooding")
    assert len(november) == 1 and november[0]["camera_id"] == first.pk
    heat = _features(leader, "camera-events-heat", first, "?kind=fire_smoke")
    assert heat == [{"kind": "fire_smoke", "confidence": 0.8}]
    officer = _client(staff["commune_officer"])
    assert len(_features(officer, "camera-events", first)) == 3
    assert _features(officer, "camera-events", far) == []
    assert len(_features(leader, "camera-events", far)) == 1
    assert CameraEvent.objects.count() == 4


def test_the_style_draws_the_heatmap_under_points_for_staff_only(
    staff: dict[str, User],
) -> None:
    public = _client(None).get("/tiles/style.json").json()
    assert not [x for x in public["layers"] if x.get("source") == "camera-events-heat"]
    assert [x for x in public["layers"] if x.get("source") == "cameras-status"]
    style = _client(staff["planner"]).get("/tiles/style.json").json()
    types = [x["type"] for x in style["layers"]]
    heat = types.index("heatmap")
    assert types.index("line") < heat < types.index("circle")
    entry = style["layers"][heat]
    assert entry["source"] == "camera-events-heat" and "heatmap-color" in entry["paint"]


def test_a_heatmap_must_draw_unclustered_points() -> None:
    from dataclasses import replace

    from layers.checks import _problems
    from layers.registry import registry

    heat = registry.get("camera-events-heat")
    assert list(_problems(heat)) == []
    clustered = replace(heat, id="heat-clustered", cluster_below=12)
    assert "a heatmap style draws points, unclustered (the browser sums them)" in list(
        _problems(clustered)
    )
