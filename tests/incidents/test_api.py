"""The incidents API over HTTP: what is near (inside the radius, not outside), facilities in the
radius, the lifecycle through actions, roles (the public nothing, readers read, field staff
note, officers in scope) and the layer's tiles (open incidents only, staff only)."""

import gzip
import json
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from gisioc.geo.models import Facility
from gisioc.incidents import services
from gisioc.incidents.models import Incident
from tests.bodies import json_body
from tests.incidents.conftest import World, camera_at, event_at, offset, report_at
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
URL = "/api/incidents/"


def _client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _open(world: World, who: str = "leader", **kwargs: object) -> dict:
    body = {
        "kind": "flood",
        "severity": 3,
        "title": "Ngập sâu trước chợ",
        "lon": world.inside.x,
        "lat": world.inside.y,
        "radius_m": 1000,
        **kwargs,
    }
    answer = _client(world.users[who]).post(URL, body, format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def test_near_finds_what_is_inside_the_radius_and_not_outside(world: World) -> None:
    near_cam = camera_at(offset(world.inside, east_m=400), "CAM-NEAR")
    far_cam = camera_at(offset(world.inside, east_m=1600), "CAM-FAR")
    near_event = event_at(near_cam)
    event_at(far_cam)  # outside the radius
    event_at(near_cam, ago_h=30)  # inside, but 30 h before: outside the 24 h window
    near_report = report_at(offset(world.inside, north_m=-700))
    report_at(offset(world.inside, north_m=-1300))  # outside
    school = Facility.objects.create(
        kind=Facility.Kind.SCHOOL,
        code="INC-TH",
        name="Trường TH gần",
        geom=offset(world.inside, east_m=-900),
    )
    Facility.objects.create(
        kind=Facility.Kind.HEALTH,
        code="INC-TYT",
        name="Trạm y tế xa",
        geom=offset(world.inside, east_m=-1100),
    )
    Facility.objects.create(
        kind=Facility.Kind.HEALTH, code="INC-CLOSED", name="Trạm đã đóng",
        geom=offset(world.inside, east_m=100), active=False,
    )  # fmt: skip
    incident = _open(world)
    near = _client(world.users["planner"]).get(f"{URL}{incident['id']}/near/").json()
    assert near["radius_m"] == 1000
    assert [e["id"] for e in near["events"]] == [near_event.pk]
    assert 390 < near["events"][0]["distance_m"] < 410
    assert [r["id"] for r in near["reports"]] == [near_report.pk]
    assert [c["camera_id"] for c in near["cameras"]] == [near_cam.pk]
    names = [f["name"] for f in near["facilities"]]
    assert "Trường TH gần" in names and "Trạm y tế xa" not in names and "Trạm đã đóng" not in names
    dists = [f["distance_m"] for f in near["facilities"]]
    assert dists == sorted(dists) and all(d <= 1000 for d in dists), "nearest first, inside"
    assert {f["kind"] for f in near["facilities"]} <= {"school", "health"}
    assert any(f["id"] == school.pk for f in near["facilities"])
    wider = _client(world.users["planner"]).get(f"{URL}{incident['id']}/near/?hours=48").json()
    assert len(wider["events"]) == 2
    assert (
        _client(world.users["planner"]).get(f"{URL}{incident['id']}/near/?hours=0").status_code
        == 400
    )


def test_lifecycle_over_http_and_the_list(world: World) -> None:
    camera = camera_at(offset(world.inside, east_m=100), "CAM-API")
    event = event_at(camera)
    incident = _open(world, events=[event.pk], note="Mở từ camera")
    assert incident["type"] == "Feature" and incident["geometry"]["type"] == "Point"
    props, more = incident["properties"], incident["incident"]
    assert more["severity_label"] == {"vi": "Cao", "en": "High"} and more["severity"] == 3
    assert more["kind_label"]["vi"] == "Ngập lụt" and props["unit_id"] == world.thu_bon.pk
    assert props["name"] == "Ngập sâu trước chợ" and more["opened_by"] == "Leader"
    assert props["labels"]["status"]["vi"] == "Đang xử lý" and "kind" not in props
    assert [e["id"] for e in more["events"]] == [event.pk] and len(more["cameras"]) == 1
    assert more["can"] == ["note", "attach", "assign", "severity", "close"]
    leader = _client(world.users["leader"])
    act = f"{URL}{incident['id']}/actions/"
    steps = [
        {"action": "note", "text": "Đã phong tỏa đoạn đường"},
        {"action": "assign", "agency": world.agency.pk, "person": "Tổ 2", "text": "Bơm nước"},
        {"action": "severity", "severity": 4},
    ]
    for step in steps:
        assert leader.post(act, step, format="json").status_code == 200
    refused = leader.post(act, {"action": "close", "summary": " "}, format="json")
    assert refused.status_code == 400 and refused.json()["fields"]["summary"]
    assert leader.get(URL).json()["count"] == 1
    done = leader.post(act, {"action": "close", "summary": "Đã xử lý xong."}, format="json").json()
    p, m = done["properties"], done["incident"]
    assert p["status"] == "closed" and m["summary"] == "Đã xử lý xong." and m["can"] == []
    assert [a["action"] for a in m["actions"]] == [
        "opened", "linked", "note", "assigned", "severity", "closed",
    ]  # fmt: skip
    assert m["actions"][3]["agency"]["code"] == "INC-PCCC"
    assert leader.get(URL).json()["count"] == 0, "closed incidents leave the open list"
    assert leader.get(f"{URL}?status=closed").json()["features"][0]["id"] == incident["id"]
    again = leader.post(act, {"action": "note", "text": "x"}, format="json")
    assert again.status_code == 409 and again.json()["vi"]
    for bad in ({"action": "explode"}, {"action": "severity", "severity": "x"}, [1, 2]):
        assert leader.post(act, bad, format="json").status_code == 400


def test_roles_read_and_act_by_the_rule(world: World) -> None:
    inside = _open(world)
    outside = _open(world, lon=world.outside.x, lat=world.outside.y)
    public = _client(None)
    assert public.get(URL).status_code == 403
    assert public.get(f"{URL}{inside['id']}/").status_code == 403
    assert public.post(URL, {}, format="json").status_code in (401, 403)
    assert _client(world.users["nobody"]).get(URL).status_code == 403
    for who in ("planner", "gis", "field", "leader", "admin"):
        client = _client(world.users[who])
        assert client.get(URL).json()["count"] == 2, who
        assert client.get(f"{URL}{outside['id']}/").status_code == 200, who
    officer = _client(world.users["officer"])
    assert [f["id"] for f in officer.get(URL).json()["features"]] == [inside["id"]]
    assert officer.get(f"{URL}{outside['id']}/").status_code == 404
    assert officer.get(f"{URL}{outside['id']}/near/").status_code == 404
    note = {"action": "note", "text": "Tôi đã đến"}
    assert officer.post(f"{URL}{outside['id']}/actions/", note, format="json").status_code == 404
    assert officer.post(f"{URL}{inside['id']}/actions/", note, format="json").status_code == 200
    field = _client(world.users["field"])
    assert field.post(f"{URL}{inside['id']}/actions/", note, format="json").status_code == 200
    close = {"action": "close", "summary": "x"}
    assert field.post(f"{URL}{inside['id']}/actions/", close, format="json").status_code == 403
    for who in ("planner", "gis", "field"):
        body = {"kind": "fire", "severity": 1, "title": "t", "lon": world.inside.x,
                "lat": world.inside.y}  # fmt: skip
        assert _client(world.users[who]).post(URL, body, format="json").status_code == 403, who
        detail = _client(world.users[who]).get(f"{URL}{inside['id']}/").json()
        assert detail["incident"]["can"] == (["note"] if who == "field" else []), who
    body = {
        "kind": "fire",
        "severity": 1,
        "title": "t",
        "lon": world.outside.x,
        "lat": world.outside.y,
    }
    assert officer.post(URL, body, format="json").status_code == 403
    assert officer.post(URL, {**body, "lon": world.inside.x, "lat": world.inside.y},
                        format="json").status_code == 201  # fmt: skip


def _tile_features(client: APIClient, lon: float, lat: float) -> list[dict]:
    z = 14
    x, y = tile_for(lon, lat, z)
    answer = client.get(f"/tiles/incidents/{z}/{x}/{y}.mvt")
    if answer.status_code == 204:
        return []
    assert answer.status_code == 200, answer.status_code
    data = answer.content
    if answer.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    layer = mapbox_vector_tile.decode(data).get("incidents", {})
    return [f["properties"] for f in layer.get("features", [])]


def test_the_layer_shows_open_incidents_to_staff_until_closed(
    world: World, private_var: Path
) -> None:
    incident = services.incident_open(
        actor=world.users["leader"], kind="landslide", severity=4, point=world.inside,
        title="Sạt lở bờ sông",
    )  # fmt: skip
    leader = _client(world.users["leader"])
    found = _tile_features(leader, world.inside.x, world.inside.y)
    assert [(f["title"], f["severity"], f["kind"]) for f in found] == [
        ("Sạt lở bờ sông", 4, "landslide")
    ]
    assert _client(None).get(
        "/tiles/incidents/14/{}/{}.mvt".format(*tile_for(world.inside.x, world.inside.y, 14))
    ).status_code in (401, 403, 404)
    staff_style = json.dumps(json_body(leader.get("/tiles/style.json")))
    assert '"/api/incidents/{id}/"' in staff_style, "a clicked incident opens its record"
    assert '"incidents"' not in json.dumps(json_body(_client(None).get("/tiles/style.json")))
    services.incident_close(actor=world.users["leader"], incident=incident, summary="Đã gia cố.")
    assert Incident.objects.get().status == "closed"
    assert _tile_features(leader, world.inside.x, world.inside.y) == []
