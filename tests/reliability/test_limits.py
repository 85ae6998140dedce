"""Cached answers of profiles and KPIs, and the limits on expensive endpoints.

A cached answer is the answer: equal to the one computed, never stale after a write, never
served to another scope. The limits answer at once: 503 when a group's slots are full, 429
when an address has used its tokens, both with Retry-After. Speed is measured in bench/load.py.
"""

import itertools
import json
import re
import threading
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gisioc import answers, limits
from gisioc.geo.demo import users_demo_load
from gisioc.geo.models import AdminUnit, Facility
from gisioc.ingest.services import ingest_rows
from gisioc.kpi_rollup import rollup_tables
from gisioc.public_services import demo
from tiles.versions import source_tables

pytestmark = pytest.mark.django_db

DISTRICT = "/api/profiles/district/"
KPIS = "/api/public-services/kpis/?period=2025"


def _config(**changes: object) -> None:
    settings.CONFIG = settings.CONFIG.model_copy(update=changes)


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Empty caches and buckets, and the settings restored after the test."""
    monkeypatch.setattr(settings, "CONFIG", settings.CONFIG)
    caches[answers.CACHE].clear()
    limits.buckets.clear()
    yield
    caches[answers.CACHE].clear()
    limits.buckets.clear()


def _ingest(rows: slice) -> None:
    sample = itertools.islice(demo.demo_dossier_rows(), rows.start, rows.stop, 40)
    report = ingest_rows(
        system="public_services", rows=list(sample), source="limits", progress=lambda _: None
    )
    assert report.created and not report.rejected


@pytest.fixture
def data(geo: None) -> None:
    """The demo geography and some demo dossiers."""
    _ingest(slice(0, 4000))


def _json(client: Client, url: str, **extra: str) -> object:
    response = client.get(url, HTTP_ACCEPT="application/json", **extra)
    assert response.status_code == 200, response.content
    return response.json()


def _uncached(client: Client, url: str) -> object:
    seconds = settings.CONFIG.answer_cache_seconds
    _config(answer_cache_seconds=0)
    try:
        return _json(client, url)
    finally:
        _config(answer_cache_seconds=seconds)


@pytest.mark.parametrize("url", [DISTRICT, f"{DISTRICT}?period=2025-Q3", KPIS])
def test_a_cached_answer_is_the_computed_one(data: None, url: str) -> None:
    client = Client()
    first = _json(client, url)
    with CaptureQueriesContext(connection) as queries:
        again = _json(client, url)
    assert len(queries) == 1  # the data version, nothing else
    assert again == first == _uncached(client, url)


def test_a_unit_profile_is_cached_per_unit(data: None) -> None:
    client = Client()
    a, b = AdminUnit.objects.filter(level="commune", version__slug="danang-2025")[:2]
    first = _json(client, f"/api/profiles/units/{a.pk}/")
    second = _json(client, f"/api/profiles/units/{b.pk}/")
    assert first["unit"]["id"] == a.pk and second["unit"]["id"] == b.pk


def test_a_write_changes_the_answer(data: None) -> None:
    client = Client()
    kpis, profile = _json(client, KPIS), _json(client, DISTRICT)
    _ingest(slice(4000, 8000))
    kpis_after, profile_after = _json(client, KPIS), _json(client, DISTRICT)
    assert kpis_after != kpis and profile_after != profile
    assert kpis_after == _uncached(client, KPIS) and profile_after == _uncached(client, DISTRICT)
    # A facility is not a dossier: its own table's version moves the profile too.
    unit = AdminUnit.objects.get(code="20611", version__slug="danang-2025")
    Facility.objects.create(
        kind="school", code="LIMITS-1", name="Trường thử", folded_name="truong thu",
        geom=unit.geom.point_on_surface, unit=unit,
    )  # fmt: skip
    assert _json(client, DISTRICT) == _uncached(client, DISTRICT) != profile_after


def test_the_answers_read_only_versioned_tables(data: None) -> None:
    """Every table a profile or KPI answer reads bumps the data version on a write, so the
    version in the key covers it (the rest decide who asks: the scope, in the key too)."""
    _config(answer_cache_seconds=0)
    unit = AdminUnit.objects.filter(level="commune", version__slug="danang-2025").first()
    with CaptureQueriesContext(connection) as queries:
        for url in (DISTRICT, f"/api/profiles/units/{unit.pk}/", f"{KPIS}&by=unit"):
            _json(Client(), url)
    read = {t for q in queries for t in re.findall(r'(?:FROM|JOIN)\s+"?([a-z_0-9]+)"?', q["sql"])}
    with connection.cursor() as cursor:  # a view reads its tables (and views theirs)
        views = read
        while views:
            cursor.execute(
                "SELECT view_name, table_name FROM information_schema.view_table_usage "
                "WHERE view_name = ANY(%s)",
                [sorted(views)],
            )
            found = cursor.fetchall()
            read -= {view for view, _ in found}
            views = {table for view, table in found if table != view} - read
            read |= views
        cursor.execute(  # a view of no table (generate_series: the weeks) reads nothing
            "SELECT table_name FROM information_schema.views WHERE table_name = ANY(%s)",
            [sorted(read)],
        )
        read -= {name for (name,) in cursor.fetchall()}
    # A KPI rollup is written with its records' table, in the same statement (its version)
    allowed = {*source_tables(), *rollup_tables(), "tiles_tableversion", "unnest"}
    assert read and read <= allowed, read - allowed


@pytest.fixture
def users(data: None, tmp_path) -> dict[str, Client]:
    users_demo_load(logins_file=tmp_path / "logins.json")
    clients = {"public": Client()}
    for name, username in (("officer", "canboxa"), ("leader", "lanhdao")):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=username))
    return clients


@pytest.mark.parametrize("url", [DISTRICT, KPIS])
@pytest.mark.parametrize("first", ["officer", "public", "leader"])
def test_scopes_never_share_an_answer(users: dict[str, Client], url: str, first: str) -> None:
    order = [first, *(name for name in users if name != first)]
    cached = {name: _json(users[name], url) for name in order}
    for name in order:
        assert cached[name] == _uncached(users[name], url), name
    keys = {answers.scope_key(c.get(DISTRICT).wsgi_request) for c in users.values()}
    assert len(keys) == 3, keys


def test_a_full_group_answers_503_and_cached_answers_flow(data: None) -> None:
    _config(limit_concurrency=1)
    client = Client()
    cached = _json(client, DISTRICT)
    with limits.slot("profiles"):
        busy = client.get(f"{DISTRICT}?period=2025")
        assert busy.status_code == 503 and int(busy["Retry-After"]) >= 1
        assert busy.json()["error"] == "unavailable"
        assert _json(client, DISTRICT) == cached  # no slot needed for a cached answer
        assert client.get("/api/public-services/kpis/").status_code == 200  # another group
    with limits.slot("search"):
        busy = client.get("/api/search/?q=duy")
        assert busy.status_code == 503 and busy["Retry-After"]
    assert client.get(f"{DISTRICT}?period=2025").status_code == 200


def test_the_process_keeps_threads_for_tiles(data: None) -> None:
    _config(limit_concurrency=2, limit_threads=1)
    with limits.slot("kpis"):
        assert Client().get(DISTRICT).status_code == 503


def _ask(app, path: str, **environ: str) -> tuple[str, dict[str, str], bytes]:
    """One GET through a WSGI app: its status line, headers and body."""
    answer: list = []
    base = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "REMOTE_ADDR": "127.0.0.1"}
    body = b"".join(
        app({**base, **environ}, lambda status, headers: answer.extend([status, headers]))
    )
    return answer[0], dict(answer[1]), body


def test_an_address_past_its_tokens_gets_429() -> None:
    """The buckets are taken in front of Django (gisioc.wsgi): a refusal costs little."""
    _config(limit_rate=0.01, limit_burst=2)
    app = limits.rate_limited(lambda environ, start: start("200 OK", []) or [b"passed"])
    for _ in range(2):
        assert _ask(app, "/api/public-services/kpis/")[2] == b"passed"
    status, headers, body = _ask(app, "/api/documents/kpis/")  # one group: every KPI API
    assert status.startswith("429") and int(headers["Retry-After"]) >= 1
    refused = json.loads(body)
    assert refused["error"] == "throttled" and refused["request_id"] == headers["X-Request-ID"]
    assert int(headers["Content-Length"]) == len(body)
    given = _ask(app, "/api/documents/kpis/", HTTP_X_REQUEST_ID="trace-42")
    assert json.loads(given[2])["request_id"] == "trace-42"  # the client's own id kept
    assert _ask(app, "/api/public-services/kpis/", REMOTE_ADDR="192.0.2.7")[0] == "200 OK"
    assert _ask(app, "/api/profiles/district/")[0] == "200 OK"  # another group
    assert _ask(app, "/tiles/admin-units/10/812/478.mvt")[0] == "200 OK"  # tiles: not limited
    # X-Forwarded-For is anyone's to write: read only behind a trusted proxy.
    forwarded = {"HTTP_X_FORWARDED_FOR": "192.0.2.8"}
    assert _ask(app, "/api/documents/kpis/", **forwarded)[0].startswith("429")
    _config(proxy_count=1)
    assert _ask(app, "/api/documents/kpis/", **forwarded)[0] == "200 OK"
    # The served app has the limits in front (this refusal never reaches Django).
    from gisioc.wsgi import application

    assert _ask(application, "/api/documents/kpis/")[0].startswith("429")


def test_concurrent_misses_compute_once() -> None:
    """Threads asking for one missing answer: one computes, the others wait and read it."""
    store: dict[str, int] = {}
    computed = []
    release = threading.Event()

    def ask() -> None:
        with answers.single_flight("k"):
            if "k" not in store:
                computed.append(1)
                release.wait(10)
                store["k"] = 42

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    while answers._flights.get("k", (None, 0))[1] < 3:  # all three inside or waiting
        threading.Event().wait(0.001)
    release.set()
    for t in threads:
        t.join(10)
    assert computed == [1] and store == {"k": 42} and "k" not in answers._flights
