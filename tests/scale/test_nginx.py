"""nginx in front of `gisioc serve` (deploy/nginx): the real nginx, the real app, real HTTP.

Public tiles asked at their current data version are kept by nginx; a data change gives new
URLs whose tiles are the new data; validators pass through; what needs a sign-in is never
kept; the map app's files come from disk.
"""

import gzip
import http.client
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User

from bench.nginx import nginx_start
from gisioc.geo.demo import boundaries_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load
from gisioc.geo.models import Facility, Role
from gisioc.nginx import Nginx
from tests.geo.factories import signed_in
from tests.processes import gisioc_serving
from tiles.sql import tile_for

FACILITY_ZOOM = 14
PASSWORD = "mat-khau-thu-nginx-19"


@dataclass(frozen=True)
class Front:
    nginx: Nginx
    app_log: Path  # the app's access log: what reached it

    def get(self, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
        """One GET through nginx; the body read into `.body`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.nginx.port, timeout=30)
        conn.request("GET", path, headers={"Accept-Encoding": "gzip", **(headers or {})})
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response

    def json(self, path: str, headers: dict[str, str] | None = None) -> dict:
        """A JSON answer through nginx, unzipped."""
        response = self.get(path, headers)
        body = response.body  # type: ignore[attr-defined]
        gzipped = response.getheader("Content-Encoding") == "gzip"
        return json.loads(gzip.decompress(body) if gzipped else body)

    def reached(self, path: str) -> int:
        """How many requests for `path` (query strings are not logged) the app has answered."""
        time.sleep(0.3)  # granian writes its access log after the answer
        return self.app_log.read_text().count(f'"GET {path}"')


@pytest.fixture
def front(
    transactional_db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Front]:
    """The demo geography, `gisioc serve` trusting one proxy, and nginx in front of it with
    the map app's files collected for it."""
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()
    monkeypatch.setenv("GISIOC_PROXY_COUNT", "1")  # read by the server started below
    with gisioc_serving(tmp_path, access_log=True) as (port, log, _):
        static = tmp_path / "static"  # collected by the test that needs it
        with nginx_start([port], static_root=static, access_log=True) as nginx:
            yield Front(nginx, log)


def _collected(var: Path) -> Path:
    """collectstatic into the test's var/, as scripts/start.sh does into var/."""
    env = {**os.environ, "GISIOC_VAR_DIR": str(var)}
    cmd = [sys.executable, "-m", "gisioc.cli", "collectstatic", "--no-input", "-v", "0"]
    subprocess.run(cmd, env=env, check=True)
    return var / "static"


def _tile_path(front: Front, layer: str, z: int, lon: float, lat: float) -> str:
    """The layer's tile URL from style.json (with its data version), for the tile at lon/lat."""
    style = front.json("/tiles/style.json")
    url = urlsplit(style["sources"][layer]["tiles"][0])
    x, y = tile_for(lon, lat, z)
    return url.path.replace("{z}/{x}/{y}", f"{z}/{x}/{y}") + f"?{url.query}"


def _sign_in(front: Front, username: str, role: str) -> dict[str, str]:
    """The Cookie header of a session signed in through nginx with the login form."""
    signed_in(username, role).logout()  # the user and their role; the password next
    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    form = front.get("/accounts/login/", {"Accept-Encoding": "identity"})
    csrf = re.search(r"csrftoken=([^;]+)", form.getheader("Set-Cookie"))[1]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)[1].decode()
    body = urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    conn = http.client.HTTPConnection("127.0.0.1", front.nginx.port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
    conn.request("POST", "/accounts/login/", body=body, headers=headers)
    answer = conn.getresponse()
    assert answer.status == 302, answer.read()[:300]
    session = re.search(r"sessionid=([^;]+)", answer.getheader("Set-Cookie"))[1]
    conn.close()
    return {"Cookie": f"sessionid={session}"}


def _names(body: bytes, layer: str) -> set[str]:
    decoded = mapbox_vector_tile.decode(gzip.decompress(body))
    return {f["properties"]["name"] for f in decoded[layer]["features"]}


def test_a_kept_tile_is_served_by_nginx_and_a_change_gives_new_urls(front: Front) -> None:
    facility = Facility.objects.filter(kind="school", geom__isnull=False).first()
    lon, lat = facility.geom.x, facility.geom.y
    first = _tile_path(front, "facilities", FACILITY_ZOOM, lon, lat)
    assert re.search(r"[?&]v=[^&]+", first), first
    path = first.split("?")[0]

    miss = front.get(first)
    assert (miss.status, miss.getheader("X-Cache-Status")) == (200, "MISS")
    assert facility.name in _names(miss.body, "facilities")
    assert miss.getheader("X-Accel-Expires") is None  # nginx's own, never the client's
    assert miss.getheader("Cache-Control") == "public, no-cache"  # browsers revalidate
    assert front.reached(path) == 1
    hit = front.get(first)
    assert (hit.status, hit.getheader("X-Cache-Status")) == (200, "HIT")
    assert hit.body == miss.body and hit.getheader("ETag") == miss.getheader("ETag")
    assert front.reached(path) == 1  # the app never saw the second request

    Facility.objects.filter(pk=facility.pk).update(name="Trường mới đổi tên")  # bumps the version
    second = _tile_path(front, "facilities", FACILITY_ZOOM, lon, lat)
    assert second != first
    fresh = front.get(second)
    assert (fresh.status, fresh.getheader("X-Cache-Status")) == (200, "MISS")
    assert "Trường mới đổi tên" in _names(fresh.body, "facilities")
    assert facility.name not in _names(fresh.body, "facilities")
    assert front.get(second).getheader("X-Cache-Status") == "HIT"
    # The old URL still means the old bytes: the map app asks for the new ones.
    assert front.get(first).body == miss.body


def test_a_tile_not_at_the_current_version_is_never_kept(front: Front) -> None:
    current = _tile_path(front, "admin-units", 11, 108.25, 15.8)
    for stale in (current.split("?")[0], current.split("?")[0] + "?v=0.0"):
        answers = [front.get(stale) for _ in range(2)]
        assert [a.status for a in answers] == [200, 200]
        assert {a.getheader("X-Cache-Status") for a in answers} <= {"MISS", "BYPASS"}
        assert answers[0].body == front.get(current).body  # the current data all the same
    assert front.reached(current.split("?")[0]) == 5  # every stale ask reached the app


def test_validators_pass_through(front: Front) -> None:
    url = _tile_path(front, "admin-units", 11, 108.25, 15.8)
    path = url.split("?")[0]
    first = front.get(url)
    etag = first.getheader("ETag")
    assert first.status == 200 and etag, (first.status, first.headers)
    kept = front.get(url, {"If-None-Match": etag})  # answered by nginx from its copy
    assert (kept.status, kept.getheader("X-Cache-Status"), kept.body) == (304, "HIT", b"")
    assert front.reached(path) == 1
    unversioned = front.get(path, {"If-None-Match": etag})  # never kept: the app's own 304
    assert (unversioned.status, unversioned.body) == (304, b"")
    assert front.reached(path) == 2
    assert re.search(rf'"GET {re.escape(path)}" 304', front.app_log.read_text())
    changed = front.get(url, {"If-None-Match": '"something-else"'})
    assert changed.status == 200 and changed.body


def test_what_needs_a_sign_in_is_never_kept(front: Front) -> None:
    cookie = _sign_in(front, "gis-nginx", Role.GIS_OFFICER)
    style = front.json("/tiles/style.json", cookie)
    assert "boundary-drafts" in style["sources"]  # the GIS officer's own layer
    template = urlsplit(style["sources"]["boundary-drafts"]["tiles"][0])
    x, y = tile_for(108.25, 15.8, 11)
    url = template.path.replace("{z}/{x}/{y}", f"11/{x}/{y}") + f"?{template.query}"
    answers = [front.get(url, cookie) for _ in range(2)]
    assert [a.status for a in answers] == [204, 204] or [a.status for a in answers] == [200, 200]
    assert "private" in answers[0].getheader("Cache-Control")
    assert [a.getheader("X-Cache-Status") for a in answers] == ["MISS", "MISS"]
    assert front.reached(url.split("?")[0]) == 2
    assert front.get(url).status == 403  # nothing kept for the public to find

    # A public tile asked with a session is answered but not stored from that request.
    public = _tile_path(front, "admin-units", 11, 108.25, 15.8)
    assert front.get(public, cookie).getheader("X-Cache-Status") == "MISS"
    assert front.get(public).getheader("X-Cache-Status") == "MISS"
    assert front.get(public).getheader("X-Cache-Status") == "HIT"
    me = [front.get("/api/me/", cookie) for _ in range(2)]
    assert [m.status for m in me] == [200, 200] and b"gis-nginx" in me[1].body
    assert front.reached("/api/me/") == 2 and me[1].getheader("X-Cache-Status") is None


def test_the_map_app_files_come_from_nginx(front: Front) -> None:
    _collected(front.nginx.site.static_root.parent)  # a folder only its owner reads (root too)
    page = front.get("/", {"Accept-Encoding": "identity"})
    assert page.status == 200
    scripts = re.findall(rb'src="(/static/assets/[^"]+\.js)"', page.body)
    assert scripts, "the map app is not built (make frontend)"
    script = front.get(scripts[0].decode())
    assert script.status == 200 and len(script.body) > 1000
    assert "immutable" in script.getheader("Cache-Control")
    assert script.getheader("Content-Encoding") == "gzip"
    assert front.reached(scripts[0].decode()) == 0 and front.reached("/") == 1
    served = (front.nginx.site.directory / "log" / "access.log").read_text()
    assert f'"GET {scripts[0].decode()}" 200' in served
