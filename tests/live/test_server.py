"""The live server against the real database: who hears what (a commune officer never an event
outside scope), catch-up by Last-Event-ID and ?last=, refused tokens, CORS, latency of a
notification, and streams that survive the database connection's loss."""

import http.client
import json
import time

import pytest
from django.core import signing
from django.db import connection

from gisioc.live.bus import event_publish
from gisioc.live.server import BEHIND_S
from gisioc.live.tokens import SALT, Listener, token_make
from tests.live.serving import LiveProcess, Stream

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = token_make(Listener())
LEADER = token_make(Listener(role="leader"))
ADMIN = token_make(Listener(role="admin"))
PLANNER = token_make(Listener(role="planner"))


def _officer(unit_id: int) -> str:
    return token_make(Listener(role="commune_officer", scope=frozenset({unit_id})))


def _publish(kind: str, roles=None, unit_id=None, **data) -> int:
    return event_publish(kind=kind, data=data, roles=roles, unit_id=unit_id, point=(108.1, 15.8)).pk


def _get(live: LiveProcess, path: str, headers: dict | None = None) -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    answer = conn.getresponse()
    body = json.loads(answer.read())
    return answer.status, dict(answer.getheaders()), body


def test_each_listener_hears_only_what_its_role_and_scope_admit(live, communes) -> None:
    inside, outside = communes["in"].pk, communes["out"].pk
    streams = {
        "public": Stream(live.port, PUBLIC),
        "leader": Stream(live.port, LEADER),
        "planner": Stream(live.port, PLANNER),
        "admin": Stream(live.port, ADMIN),
        "officer": Stream(live.port, _officer(inside)),
    }
    assert {s.status for s in streams.values()} == {200}
    assert streams["public"].headers["content-type"].startswith("text/event-stream")
    ids = {
        "public_out": _publish("camera.event", None, outside, n=1),
        "leaders_in": _publish("alert", ["leader"], inside, n=2),
        "staff_out": _publish("feedback.report", ["leader", "commune_officer"], outside, n=3),
        "staff_in": _publish("feedback.report", ["leader", "commune_officer"], inside, n=4),
        "staff_nounit": _publish("camera.status", ["commune_officer", "planner"], None, n=5),
        "end": _publish("test.end", None, None),
    }
    heard = {
        who: [e["id"] for e in stream.events_until(ids["end"])] for who, stream in streams.items()
    }
    name = {v: k for k, v in ids.items()}
    assert [name[i] for i in heard["public"]] == ["public_out", "end"]
    assert [name[i] for i in heard["leader"]] == [
        "public_out", "leaders_in", "staff_out", "staff_in", "end"
    ]  # fmt: skip
    assert [name[i] for i in heard["planner"]] == ["public_out", "staff_nounit", "end"]
    assert [name[i] for i in heard["admin"]] == [name[i] for i in sorted(ids.values())]
    # The officer: nothing about a unit outside the scope, public or not.
    assert [name[i] for i in heard["officer"]] == ["staff_in", "end"]
    for stream in streams.values():
        stream.close()


def test_an_event_carries_its_fields_and_arrives_quickly(live, communes) -> None:
    stream = Stream(live.port, LEADER)
    t0 = time.perf_counter()
    pk = _publish("camera.event", ["leader"], communes["in"].pk, camera_id=7)
    event = stream.event(timeout=5)
    latency = time.perf_counter() - t0
    assert event["id"] == pk and event["event"] == "camera.event"
    assert event["data"]["data"] == {"camera_id": 7}
    assert event["data"]["unit_id"] == communes["in"].pk
    assert (event["data"]["lon"], event["data"]["lat"]) == (108.1, 15.8)
    assert set(event["data"]) == {"id", "kind", "at", "unit_id", "lon", "lat", "data"}
    assert latency < 1.0, f"delivered after {latency:.3f} s"  # loose: 2 shared cores
    stream.close()


def test_a_reconnecting_client_catches_up_from_its_last_event_id(live, communes) -> None:
    first = _publish("camera.event", None, communes["in"].pk)
    second = _publish("camera.event", None, communes["in"].pk)
    hidden = _publish("alert", ["leader"], communes["in"].pk)
    third = _publish("camera.event", None, communes["out"].pk)
    by_header = Stream(live.port, PUBLIC, last_header=first)
    assert [e["id"] for e in by_header.events_until(third)] == [second, third]
    by_param = Stream(live.port, LEADER, last=second)
    assert [e["id"] for e in by_param.events_until(third)] == [hidden, third]
    # Caught up, then live, with nothing twice.
    fourth = _publish("camera.event", None, None)
    assert [e["id"] for e in by_param.events_until(fourth)] == [fourth]
    by_header.close()
    by_param.close()


def test_bad_or_expired_tokens_are_refused_in_our_error_shape(live, communes, monkeypatch) -> None:
    forged = PUBLIC[:-3] + ("aaa" if not PUBLIC.endswith("aaa") else "bbb")
    old = int(time.time() - 13 * 3600)
    monkeypatch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(old))
    expired = signing.dumps({"r": "leader", "s": None, "w": False}, salt=SALT, compress=True)
    monkeypatch.undo()
    for token in (forged, expired, ""):
        stream = Stream(live.port, token, origin=f"http://127.0.0.1:{live.port - 1}")
        assert stream.status == 401
        body = stream.body()
        assert body["error"] == "unauthorized"
        assert body["vi"] and body["en"] and body["request_id"]
        assert stream.headers["access-control-allow-origin"] == f"http://127.0.0.1:{live.port - 1}"
        stream.close()


def test_cors_answers_pages_of_this_host_only(live, communes) -> None:
    ok = Stream(live.port, PUBLIC, origin="http://127.0.0.1:8000")
    assert ok.headers["access-control-allow-origin"] == "http://127.0.0.1:8000"
    assert ok.headers["access-control-allow-credentials"] == "true"
    ok.close()
    other = Stream(live.port, PUBLIC, origin="http://evil.example")
    assert "access-control-allow-origin" not in other.headers
    other.close()


def test_health_and_unknown_paths(live, communes) -> None:
    status, _, body = _get(live, "/health")
    assert status == 200 and body["ok"] is True and body["database"] is True
    status, _, body = _get(live, "/nowhere", {"Accept-Language": "en"})
    assert status == 404 and body["error"] == "not_found" and body["message"] == body["en"]


def test_streams_survive_the_database_connection_dropping(live, communes) -> None:
    stream = Stream(live.port, PUBLIC)
    before = _publish("camera.event", None, None)
    assert stream.event()["id"] == before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = 'gisioc-live'"
        )
        assert cursor.fetchall(), "the live server's LISTEN connection was not found"
    missed = _publish("camera.event", None, None)  # while it reconnects
    assert stream.event(timeout=10)["id"] == missed
    after = _publish("camera.event", None, None)
    assert stream.event(timeout=5)["id"] == after
    stream.close()


def test_a_client_too_far_behind_is_dropped_and_catches_up_when_back(live, communes) -> None:
    slow = Stream(live.port, PUBLIC, receive_buffer=4096)  # reads nothing more from here
    fast = Stream(live.port, PUBLIC)
    pad = "x" * 100_000
    ids = [event_publish(kind="test.big", data={"pad": pad}).pk for _ in range(40)]
    assert [e["id"] for e in fast.events_until(ids[-1], timeout=20)] == ids  # 4 MB in a burst
    time.sleep(BEHIND_S + 0.5)
    last = _publish("camera.event", None, None)  # the next send finds the slow one still behind
    assert fast.event(timeout=5)["id"] == last
    assert _get(live, "/health")[2]["clients"] == 1, "the client that fell behind is still held"
    slow.close()
    back = Stream(live.port, PUBLIC, last_header=ids[-2])
    assert [e["id"] for e in back.events_until(last, timeout=10)] == [ids[-1], last]
    back.close()
    fast.close()
