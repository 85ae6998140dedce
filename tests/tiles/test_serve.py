"""`gisioc serve` over real HTTP: the command `make run` and the Docker image use."""

import gzip
import http.client
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import mapbox_vector_tile
import pytest

from gisioc.geo.demo import boundaries_demo_load
from gisioc.web.management.commands.serve import KILL_AFTER_S
from tests.processes import gisioc_serving
from tests.tiles.test_tiles import _url


@dataclass(frozen=True)
class Served:
    port: int
    log: Path
    proc: subprocess.Popen  # the server, leader of its own process group


@pytest.fixture
def served(transactional_db: None, tmp_path: Path) -> Iterator[Served]:
    """`gisioc serve` on a free port, reading the test database; stopped with SIGTERM."""
    boundaries_demo_load(progress=lambda _: None)
    with gisioc_serving(tmp_path, access_log=True) as (port, log, proc):
        yield Served(port, log, proc)


def test_serve_answers_tiles_and_pages_on_one_kept_connection(served: Served) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    conn.request("GET", _url("admin-units", 11), headers={"Accept-Encoding": "gzip"})
    tile = conn.getresponse()
    body = tile.read()
    assert tile.status == 200 and tile.getheader("Content-Encoding") == "gzip"
    assert mapbox_vector_tile.decode(gzip.decompress(body))["admin-units"]["features"]
    etag = tile.getheader("ETag")
    assert not tile.will_close  # the next requests reuse this connection
    conn.request("GET", _url("admin-units", 11), headers={"If-None-Match": etag})
    again = conn.getresponse()
    assert (again.status, again.read()) == (304, b"")
    conn.request("GET", "/tiles/nope/1/0/0.mvt", headers={"Accept-Language": "en"})
    missing = conn.getresponse()
    assert missing.status == 404 and b"No map layer nope" in missing.read()
    conn.request("GET", "/")
    page = conn.getresponse()
    assert page.status == 200 and page.getheader("Content-Type").startswith("text/html")
    assert b"</html>" in page.read()


def test_the_access_log_keeps_paths_not_query_strings(served: Served) -> None:
    port, log = served.port, served.log
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/search/?q=Nguy%E1%BB%85n%20V%C4%83n%20An")  # a citizen's name
    assert conn.getresponse().read() is not None
    deadline = time.monotonic() + 10
    while b"/api/search/" not in log.read_bytes() and time.monotonic() < deadline:
        time.sleep(0.1)
    written = log.read_text()
    assert '"GET /api/search/"' in written
    assert "Nguy" not in written and "q=" not in written


def test_ctrl_c_stops_the_server_and_its_worker(served: Served) -> None:
    """A terminal's Ctrl-C signals the master and its worker at once. After a browser session
    under `make run`, granian 2.8 workers deadlocked in 3 of 5 such stops, so `gisioc serve`
    has a stuck worker killed (KILL_AFTER_S). This load has not provoked the deadlock; it
    checks that the whole server stops, within that bound, with connections still open."""

    kept = [http.client.HTTPConnection("127.0.0.1", served.port, timeout=30) for _ in range(6)]

    def get(i: int) -> int:  # at once, as a map asks, each on a connection it keeps open
        kept[i].request("GET", _url("admin-units", 9 + i) if i % 2 else "/tiles/style.json")
        response = kept[i].getresponse()
        response.read()
        return response.status

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(get, range(6))) <= {200, 204}
    os.killpg(served.proc.pid, signal.SIGINT)
    served.proc.wait(timeout=KILL_AFTER_S + 10)  # the master, once its worker has stopped
    with pytest.raises(ProcessLookupError):
        os.killpg(served.proc.pid, 0)  # and nobody else is left in its process group
