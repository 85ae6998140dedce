"""Reads on a real streaming replica, writes on the primary, over real HTTP (`gisioc serve`).

A small primary and its replica are made under a temporary folder by scripts/replica.sh (the
project's cluster is gigabytes: never copied here). Where a read went is proved by pausing
the replica's replay (`pg_wal_replay_pause()`) and writing on the primary: an answer without
the write came from the replica, one with it from the primary.
"""

import contextlib
import gzip
import http.client
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings

from tests.processes import ROOT, free_port, serving

PASSWORD = "mat-khau-dai-du-12"
LON, LAT, Z = 108.2, 16.05, 10
MAX_LAG = 8.0  # server "a": a paused replica is read for this long after its last catch-up


def _tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


TILE = "/tiles/facilities/{}/{}/{}.mvt".format(Z, *_tile_xy(LON, LAT, Z))


@dataclass
class Pair:
    """The small primary and its replica: their env for scripts and servers, and SQL on each."""

    folder: Path
    env: dict[str, str]
    replicas: str

    def sql(self, side: str, statement: str, params: tuple = ()) -> list[tuple]:
        port = self.env["GISIOC_DB_PORT"] if side == "primary" else self.env["GISIOC_REPLICA_PORT"]
        host = self.env["GISIOC_DB_HOST"] if side == "primary" else f"{self.folder}/r/run"
        with contextlib.closing(
            psycopg2.connect(host=host, port=port, user="gisioc", dbname=self.env["GISIOC_DB_NAME"])
        ) as conn:
            conn.autocommit = True
            with conn.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []

    def script(self, *args: str) -> str:
        done = subprocess.run(
            ["bash", "scripts/replica.sh", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def caught_up(self) -> None:
        """Replay resumed, and the replica at the primary's position."""
        self.sql("replica", "SELECT pg_wal_replay_resume()")
        # The primary commits asynchronously (synchronous_commit = off): one synchronous
        # commit flushes every earlier one; the position after it covers them all.
        self.sql("primary", "SET synchronous_commit = on; CREATE TEMP TABLE flush (i int)")
        lsn = self.sql("primary", "SELECT pg_current_wal_lsn()::text")[0][0]
        for _ in range(200):
            if self.sql("replica", "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,))[0][0]:
                return
            time.sleep(0.05)
        raise AssertionError("the replica did not catch up")

    def move(self, code: str, lon: float, lat: float) -> None:
        """A write on the primary: the facility moves (the layer's data version is bumped)."""
        self.sql(
            "primary",
            "UPDATE geo_facility SET geom = ST_SetSRID(ST_MakePoint(%s, %s), 4326) WHERE code = %s",
            (lon, lat, code),
        )


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


SETUP = f"""
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from gisioc.geo.models import Facility
Facility.objects.create(kind="school", code="R1", name="Trường Một", geom=Point({LON}, {LAT}))
Facility.objects.create(kind="school", code="R2", name="Trường Hai", geom=Point(100, 10))
Facility.objects.create(kind="health", code="R3", name="Trạm Ba", geom=Point(101, 11))
get_user_model().objects.create_user("nhanvien", password="{PASSWORD}")
"""


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    """Primary and replica (scripts/replica.sh), migrated, with two facilities and a user."""
    folder = Path(tempfile.mkdtemp(prefix="gr", dir="/tmp"))  # short: socket paths
    folder.chmod(0o755)  # as root, the clusters run as "postgres"
    name = f"{settings.DATABASES['default']['NAME']}_pair"
    env = {
        **os.environ,
        "GISIOC_PRIMARY_DIR": str(folder / "p"),
        "GISIOC_DB_HOST": str(folder / "p" / "run"),
        "GISIOC_DB_PORT": "5491",
        "GISIOC_DB_NAME": name,
        "GISIOC_REPLICA_DIR": str(folder / "r"),
        "GISIOC_REPLICA_PORT": "5492",
        "GISIOC_VAR_DIR": str(folder / "var"),
    }
    found = Pair(folder, env, json.dumps([f"{folder}/r/run:5492"]))
    try:
        found.script("primary-start")
        assert "GISIOC_REPLICAS=" in found.script("start")  # before migrating: it follows
        # Migrations with the replica configured: they run on the primary alone (the replica
        # is read-only; the router allows none there).
        _manage({**env, "GISIOC_REPLICAS": found.replicas}, "migrate", "-v0")
        _manage(env, "shell", "-c", SETUP)
        found.caught_up()
        yield found
    finally:
        with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
            found.script("kill")
            found.script("primary-stop")
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _served(pair: Pair, name: str, **config: str) -> Iterator[tuple[int, Path]]:
    port = free_port()
    env = {**pair.env, "GISIOC_REPLICAS": pair.replicas, "GISIOC_THREADS": "2"}
    env |= {f"GISIOC_{key.upper()}": value for key, value in config.items()}
    log = pair.folder / f"serve-{name}.log"
    argv = [sys.executable, "-m", "gisioc.cli", "serve", "--port", str(port)]
    with serving(argv, env=env, port=port, log=log):
        yield port, log


@pytest.fixture(scope="module")
def served(pair: Pair) -> Iterator[int]:
    """`gisioc serve` reading the replica: checked often, skipped past MAX_LAG seconds."""
    with _served(pair, "a", replica_max_lag=str(MAX_LAG), replica_check_seconds="0.2") as (p, _):
        yield p


def _get(port: int, path: str, cookie: str = "", **extra: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "gzip", **extra})
    answer = conn.getresponse()
    body = answer.read()
    if answer.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    headers = {k.lower(): v for k, v in answer.getheaders() if k.lower() != "set-cookie"}
    headers["set-cookie"] = "; ".join(
        v for k, v in answer.getheaders() if k.lower() == "set-cookie"
    )
    conn.close()
    return answer.status, headers, body


def _cookies(set_cookie: str) -> dict[str, str]:
    return dict(
        re.findall(r"(?:^|[;,]\s*)(csrftoken|sessionid|gisioc_primary)=([^;,\s]+)", set_cookie)
    )


def _sign_in(port: int) -> dict[str, str]:
    """The sign-in form posted as a browser does; the cookies it leaves."""
    status, headers, page = _get(port, "/accounts/login/")
    assert status == 200
    cookies = _cookies(headers["set-cookie"])
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    form = f"csrfmiddlewaretoken={token}&username=nhanvien&password={PASSWORD}"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    answer = conn.getresponse()
    answer.read()
    assert answer.status == 302, answer.status
    set_cookie = "; ".join(v for k, v in answer.getheaders() if k.lower() == "set-cookie")
    conn.close()
    return _cookies(set_cookie)


def _me(port: int, cookie: str) -> str | None:
    status, _, body = _get(port, "/api/me/", cookie)
    assert status == 200, body
    return json.loads(body)["username"]


def test_reads_go_to_the_replica_writes_to_the_primary_and_a_writer_reads_its_own(
    pair: Pair, served: int
) -> None:
    _get(served, TILE)  # a check while the replica is caught up
    pair.sql("replica", "SELECT pg_wal_replay_pause()")
    try:
        cookies = _sign_in(served)  # a write: the session, on the primary
        assert "gisioc_primary" in cookies and "sessionid" in cookies
        session = f"sessionid={cookies['sessionid']}"
        key = cookies["sessionid"]
        count = "SELECT count(*) FROM django_session WHERE session_key = %s"
        assert pair.sql("primary", count, (key,)) == [(1,)]
        assert pair.sql("replica", count, (key,)) == [(0,)]  # replay paused: not there yet
        # The browser that signed in reads the primary: it sees its session.
        assert _me(served, f"{session}; gisioc_primary={cookies['gisioc_primary']}") == "nhanvien"
        # Without the mark, the same session reads the replica, which has not replayed it.
        assert _me(served, session) is None
    finally:
        pair.caught_up()
    assert _me(served, session) == "nhanvien"  # replayed: the replica has it


def _found(port: int, query: str, cookie: str = "") -> list[str]:
    status, _, body = _get(port, f"/api/search/?q={query}", cookie)
    assert status == 200, body
    return [hit["code"] for hit in json.loads(body)["results"]]


def test_searches_read_the_replica(pair: Pair, served: int) -> None:
    assert _found(served, "R3") == ["R3"]  # and a check while the replica is caught up
    pair.sql("replica", "SELECT pg_wal_replay_pause()")
    try:
        pair.sql("primary", "UPDATE geo_facility SET code = 'RMOI' WHERE code = 'R3'")
        assert _found(served, "RMOI") == []  # the replica: not replayed yet
        assert _found(served, "R3") == ["R3"]
        assert _found(served, "RMOI", f"gisioc_primary={int(time.time()) + 60}") == ["RMOI"]
    finally:
        pair.caught_up()
    assert _found(served, "RMOI") == ["RMOI"]


def test_a_lagging_replica_serves_old_tiles_under_their_old_version_then_is_skipped(
    pair: Pair, served: int
) -> None:
    status, headers, before = _get(served, TILE)
    assert status == 200 and before, status
    old_etag = headers["etag"]
    pair.sql("replica", "SELECT pg_wal_replay_pause()")
    try:
        pair.move("R2", LON + 0.01, LAT + 0.01)  # into the tile: a new data version
        started = time.monotonic()
        # The browser that wrote (its mark) reads the primary: the new version and bytes.
        mark = f"gisioc_primary={int(time.time()) + 60}"
        status, headers, after = _get(served, TILE, mark)
        assert status == 200 and after != before
        new_etag = headers["etag"]
        assert new_etag != old_etag
        # Anyone else, within the lag allowed, reads the replica: the old bytes under the OLD
        # version, never the old bytes under the new one.
        status, headers, again = _get(served, TILE)
        assert time.monotonic() - started < MAX_LAG
        assert (headers["etag"], again) == (old_etag, before)
        # A client holding the new version's ETag is not told its copy is current by a
        # replica drawing the old version: it gets the old version, named as such.
        status, headers, body = _get(served, TILE, **{"If-None-Match": new_etag})
        assert (status, headers["etag"], body) == (200, old_etag, before)
        # nginx keeps a tile only when it is drawn at its URL's version (v, from TileJSON):
        # the new version's URL answered by the lagging replica is not kept, as it would
        # hold the old bytes for good; answered by the primary, it is.
        tilejson = json.loads(_get(served, "/tiles/facilities.json", mark)[2])
        url = urlsplit(tilejson["tiles"][0].format(z=Z, x=TILE.split("/")[4], y=0))
        versioned = TILE + "?" + url.query
        assert "v=" in url.query
        status, headers, body = _get(served, versioned)
        assert (headers["etag"], body) == (old_etag, before)
        assert "x-accel-expires" not in headers
        status, headers, body = _get(served, versioned, mark)
        assert (headers["etag"], body) == (new_etag, after)
        assert "x-accel-expires" in headers
        time.sleep(MAX_LAG + 0.5 - (time.monotonic() - started))
        # Now the replica lags more than allowed: skipped, the primary answers, no error.
        status, headers, late = _get(served, TILE)
        assert (status, headers["etag"], late) == (200, new_etag, after)
    finally:
        pair.caught_up()
    status, headers, body = _get(served, TILE)
    assert (headers["etag"], body) == (new_etag, after)
    # Every tile the server stored on disk is the one its version says.
    stored = pair.folder / "var" / "cache" / "tiles" / "facilities"
    assert list(stored.rglob("*.mvt.gz"))
    for path in stored.rglob("*.mvt.gz"):
        etag = f'"{path.name.removesuffix(".mvt.gz")}"'
        assert gzip.decompress(path.read_bytes()) == {old_etag: before, new_etag: after}[etag]


def test_a_killed_replica_falls_back_to_the_primary_without_an_error(pair: Pair) -> None:
    # Health trusted for a minute: the replica dies while this server still trusts it, so a
    # request starts on it and fails there; it is answered again from the primary.
    with _served(pair, "b", replica_max_lag="60", replica_check_seconds="60") as (port, log):
        status, _, body = _get(port, TILE)
        assert status == 200
        assert _me(port, "") is None
        pair.script("kill")  # as a crash: immediate shutdown
        try:
            for path, cookie in ((TILE, ""), (TILE, ""), ("/api/me/", "sessionid=x")):
                status, again, data = _get(port, path, cookie)
                assert status == 200, data
            assert (again["content-type"], json.loads(data)["username"]) == (
                "application/json",
                None,
            )
            assert _get(port, TILE)[2] == body
            assert "answered from the primary" in log.read_text()
        finally:
            pair.script("start")
            pair.caught_up()


PROBE = """
import json
from django.db import connection, transaction
from gisioc.geo.models import Facility
from gisioc.replicas import router

def recovering():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]

router.install()
seen = {"outside": (recovering(), Facility.objects.all().db)}
router.begin(primary=False)
seen["reading"] = (recovering(), Facility.objects.all().db)
seen["for_update"] = Facility.objects.select_for_update().db
with transaction.atomic():
    seen["atomic"] = (recovering(), Facility.objects.all().db)
    Facility.objects.filter(code="R1").update(name="Trường Một")
router.begin(primary=False)
with transaction.atomic():
    Facility.objects.count()
seen["after_atomic"] = (recovering(), Facility.objects.all().db)
router.begin(primary=True)
seen["writer"] = (recovering(), Facility.objects.all().db)
print(json.dumps(seen))
"""


def test_the_router_keeps_transactions_writes_and_non_requests_on_the_primary(pair: Pair) -> None:
    out = _manage({**pair.env, "GISIOC_REPLICAS": pair.replicas}, "shell", "-c", PROBE)
    seen = json.loads(out.strip().splitlines()[-1])
    assert seen == {
        "outside": [False, "default"],  # commands, workers: the primary
        "reading": [True, "replica1"],  # a reading request: raw SQL and the ORM on the replica
        "for_update": "default",
        "atomic": [False, "default"],
        "after_atomic": [False, "default"],  # read the primary first: never older after
        "writer": [False, "default"],
    }
