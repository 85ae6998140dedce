"""Contract tests over every registered system: what the system kit promises each system, run
over the registries, so a new system (tests/example_system among them) gets them for free.

Records come from each system's own fake feed (its latest versions, ingested as any delivery
is), so KPIs, record lists, tiles and profiles answer over real rows of that system.
"""

import datetime as dt
import functools
import gzip
import json
from collections.abc import Iterator
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any

import mapbox_vector_tile
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Max
from django.utils import timezone
from rest_framework.test import APIClient

from gisioc.geo.access import UNSCOPED_ROLES
from gisioc.geo.models import Role, UserAccess
from gisioc.geo.text import fold
from gisioc.ingest.fake_feed import FakeFeed, fake_serving, fakes
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.models import IngestRun, PullSource
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.ingest.records import records_rows
from gisioc.ingest.services import ingest_rows
from gisioc.ingest.systems import adapters
from gisioc.kpis import KpiSet, kpi_sets
from gisioc.periods import ALL_TIME, VIETNAM, vietnam_date
from gisioc.search.registry import Hit, providers
from gisioc.systems import SystemSpec, record_type_get, systems
from layers.registry import Layer, registry
from tests.bodies import json_body
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
RECORDS = 40  # of each system's fake feed: its latest versions
DISTRICT = (108.25, 15.82)  # Duy Xuyên, in every demo boundary version


def _ids(items: list[Any], name: str = "name") -> list[str]:
    return [getattr(item, name) for item in items]


def _system_app(spec: SystemSpec) -> str:
    """The dotted name of the app whose system.py declares `spec`."""
    for config in apps.get_app_configs():
        declared = find_spec(f"{config.name}.system") is not None
        if declared and getattr(import_module(f"{config.name}.system"), "SYSTEM", None) is spec:
            return config.name
    raise LookupError(spec.name)


def _demo_module(spec: SystemSpec) -> ModuleType | None:
    name = f"{_system_app(spec)}.demo"
    return import_module(name) if find_spec(name) is not None else None


KPI_SETS = list(kpi_sets)
LAYERS = list(registry)
FAKES = [systems.get(name) for name in sorted(fakes.keys())]
DEMOS = [spec for spec in systems if _demo_module(spec) is not None]


@functools.cache
def _fake_records(system: str) -> tuple[dict[str, Any], ...]:
    """The latest records of the system's fake feed as the demo serves it now."""
    fake = _fake(system)
    return tuple(fake.records()[-RECORDS:])


def _fake(system: str) -> FakeFeed:
    feed = fakes.get(system)
    assert feed is not None
    options = {"days": None, "per_day": None}
    return feed.for_demo(as_of=dt.datetime.now(VIETNAM), base=0, options=options)


def _ingest(system: str) -> int:
    """The system's fake records stored under a source of the test's; how many were stored."""
    if system not in fakes:
        return 0
    report = ingest_rows(
        system=system,
        rows=records_rows(_fake_records(system)),
        source=f"contract-{system}",
        progress=lambda _: None,
    )
    assert report.rejected == 0, report.summary()
    return report.created


def _spec(kpi_set: KpiSet) -> SystemSpec:
    found = record_type_get(kpi_set.record)
    assert found is not None, f"KPI set {kpi_set.record!r} names no record type of a system"
    return found[0]


@pytest.fixture
def leader(db: None) -> User:
    """A signed-in district leader (every unit in scope)."""
    user = User.objects.create_user("contract-leader", password="x")
    UserAccess.objects.create(user=user, role=Role.LEADER)
    return user


@pytest.fixture
def client() -> APIClient:
    """A client without a session: the public."""
    return APIClient()


@pytest.fixture
def signed_in(leader: User) -> APIClient:
    """A client signed in as the leader."""
    client = APIClient()
    client.force_login(leader)
    return client


@pytest.fixture
def loaded(geo: None) -> Iterator[dict[str, int]]:
    """The demo geography and each system's latest fake records: records stored per system."""
    yield {spec.name: _ingest(spec.name) for spec in systems}


# The registries the tests run over are filled at start-up by the one discovery rule.
def test_the_example_system_is_found_by_discovery_alone() -> None:
    assert "example_system" in systems
    assert record_type_get("inspection")[0].name == "example_system"  # type: ignore[index]
    assert "inspection" in _ids(KPI_SETS, "record")
    assert "example-inspections" in _ids(LAYERS, "id")
    assert "example_system" in adapters and "example_system" in fakes
    assert "example_inspections" in providers
    assert "example_system" in _ids(DEMOS)


@pytest.mark.parametrize("kpi_set", KPI_SETS, ids=_ids(KPI_SETS, "record"))
def test_the_kpi_api_answers_for_no_by_and_every_by(
    kpi_set: KpiSet, loaded: dict[str, int], client: APIClient
) -> None:
    spec = _spec(kpi_set)
    url = f"{spec.api}kpis/"
    newest = kpi_set.model.objects.aggregate(newest=Max(kpi_set.received))["newest"]
    period = str(vietnam_date(newest or timezone.now()).year)  # the year of the newest record
    if kpi_set.small:  # small counts held back from the public: groups would not add up
        client = _client_of(kpi_set.roles)
    answer = client.get(url, {"period": period})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert list(body["kpis"]) == [f.id for f in kpi_set.figures]
    first = kpi_set.figures[0].id
    if loaded[spec.name]:
        assert any(body["kpis"].values()), body
    for by in kpi_set.groups:
        answer = client.get(url, {"period": period, "by": by})
        assert answer.status_code == 200, (by, answer.content)
        grouped = answer.json()
        assert grouped["by"] == by and grouped["kpis"] == body["kpis"]
        assert all(list(g["kpis"]) == list(body["kpis"]) for g in grouped["groups"])
        if loaded[spec.name] and by != "unit":  # unit groups leave out records not located
            assert sum(g["kpis"][first] for g in grouped["groups"]) == body["kpis"][first]


@pytest.mark.parametrize("kpi_set", KPI_SETS, ids=_ids(KPI_SETS, "record"))
def test_the_kpi_api_refuses_an_unknown_by_naming_the_choices(
    kpi_set: KpiSet, client: APIClient
) -> None:
    answer = client.get(
        f"{_spec(kpi_set).api}kpis/", {"by": "no-such-group"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    message = answer.json()["message"]
    assert "no-such-group" in message
    assert all(group in message for group in kpi_set.groups), message


@pytest.mark.parametrize("kpi_set", KPI_SETS, ids=_ids(KPI_SETS, "record"))
def test_the_record_api_refuses_the_public_unless_public_and_answers_geojson_to_a_leader(
    kpi_set: KpiSet, loaded: dict[str, int], client: APIClient, signed_in: APIClient
) -> None:
    spec, record = record_type_get(kpi_set.record)  # type: ignore[misc]
    url = f"{spec.api}{record.path}/"
    # Records naming no one (a school's figures) are the public's, as KPIs are.
    public = 200 if kpi_set.public_records else 403
    assert client.get(url).status_code == public
    answer = signed_in.get(url)
    assert answer.status_code == 200, answer.content
    body = json_body(answer)
    assert body["type"] == "FeatureCollection"
    assert bool(body["features"]) == kpi_set.model.objects.exists()
    if body["features"]:
        feature = body["features"][0]
        assert feature["type"] == "Feature"
        detail = signed_in.get(feature["properties"]["detail"])
        assert detail.status_code == 200, detail.content
        assert client.get(feature["properties"]["detail"]).status_code == public


def _client_of(roles: frozenset[str] | None) -> APIClient:
    """A client signed in with an unscoped role among `roles` (an administrator's if none)."""
    role = next((r for r in UNSCOPED_ROLES if r in (roles or ())), Role.ADMIN)
    user = User.objects.create_user(f"contract-{role}", password="x")
    UserAccess.objects.create(user=user, role=role)
    client = APIClient()
    client.force_login(user)
    return client


def _tile_zoom(layer: Layer) -> int:
    return max(layer.minzoom, min(layer.maxzoom, 11))


def _mvt(data: bytes, encoding: str | None) -> dict[str, Any]:
    return mapbox_vector_tile.decode(gzip.decompress(data) if encoding == "gzip" else data)


@pytest.mark.parametrize("layer", LAYERS, ids=_ids(LAYERS, "id"))
def test_each_layer_has_tilejson_and_renders_a_tile(
    layer: Layer, loaded: dict[str, int], client: APIClient, private_var: object
) -> None:
    viewer = client if layer.public else _client_of(layer.roles)
    if not layer.public:
        assert client.get(f"/tiles/{layer.id}.json").status_code in (401, 403)
    answer = viewer.get(f"/tiles/{layer.id}.json")
    assert answer.status_code == 200, answer.content
    tilejson = answer.json()
    assert (tilejson["minzoom"], tilejson["maxzoom"]) == (layer.minzoom, layer.maxzoom)
    assert [v["id"] for v in tilejson["vector_layers"]][:1] == [layer.id]
    z = _tile_zoom(layer)
    # A tile where a feature the layer shows by default is, if any; else the district's.
    point = DISTRICT
    shown = {
        **dict(layer.where),
        **{f.field: f.default for f in layer.filters if f.default is not None},
    }
    rows = layer.model.objects.filter(**shown)
    located = rows.exclude(**{f"{layer.geom_field}__isnull": True}).first()
    if located is not None:
        geom = getattr(located, layer.geom_field)
        point = (geom.centroid.x, geom.centroid.y)
    x, y = tile_for(*point, z)
    tile = viewer.get(f"/tiles/{layer.id}/{z}/{x}/{y}.mvt")
    assert tile.status_code in (200, 204), tile.content
    if located is None:
        return
    assert tile.status_code == 200, "a tile over a feature of the layer came back empty"
    features = _mvt(tile.content, tile.headers.get("Content-Encoding"))[layer.id]["features"]
    assert features
    assert set(features[0]["properties"]) <= {*layer.properties, "count", "id", "point_count"}


def test_the_example_layer_shows_each_inspection_at_its_school(
    loaded: dict[str, int], client: APIClient, private_var: object
) -> None:
    from tests.example_system.models import Inspection

    z = 7  # the whole district in one tile
    x, y = tile_for(*DISTRICT, z)
    tile = client.get(f"/tiles/example-inspections/{z}/{x}/{y}.mvt")
    assert tile.status_code == 200
    features = _mvt(tile.content, tile.headers.get("Content-Encoding"))["example-inspections"]
    shown = {f["properties"]["external_id"] for f in features["features"]}
    assert shown == set(Inspection.objects.values_list("external_id", flat=True))
    assert len(shown) == loaded["example_system"] > 0


def test_the_profile_has_a_section_with_the_figures_of_every_kpi_set(
    loaded: dict[str, int], client: APIClient
) -> None:
    answer = client.get("/api/profiles/district/")
    assert answer.status_code == 200, answer.content
    sections = {s["id"]: s for s in answer.json()["sections"]}
    for kpi_set in KPI_SETS:
        spec = _spec(kpi_set)
        section = sections[spec.name]
        assert section["title"] == spec.title.as_dict()
        figures = [f.id for f in kpi_set.figures if f.profile]
        assert [k["id"] for k in section["kpis"]] == figures
        shown = {k["id"]: k["value"] for k in section["kpis"]}
        all_time = kpi_set.kpis(period=ALL_TIME, public=True)  # as the public reads them
        assert shown == {f: all_time[f] for f in figures}
        if loaded[spec.name]:
            assert section["freshness"] is not None


@pytest.mark.parametrize("name", providers.keys())
def test_each_search_provider_answers_the_public_and_a_leader(name: str, leader: User) -> None:
    provider = providers.get(name)
    assert provider is not None
    for user in (AnonymousUser(), leader):
        for query in ("Duy", "KT-2026", "1.00", "45/QĐ-UBND"):
            hits = provider(query, fold(query), 5, user)
            assert isinstance(hits, list) and all(isinstance(h, Hit) for h in hits)
            assert len(hits) <= 5


def test_the_example_search_finds_an_inspection_by_its_id(
    loaded: dict[str, int], signed_in: APIClient, client: APIClient
) -> None:
    from tests.example_system.models import Inspection

    inspection = Inspection.objects.order_by("external_id").first()
    assert inspection is not None
    answer = signed_in.get("/api/search/", {"q": inspection.external_id})
    assert answer.status_code == 200
    hits = [h for h in answer.json()["results"] if h["type"] == "inspection"]
    assert hits[0]["code"] == inspection.external_id
    assert signed_in.get(hits[0]["detail"]).status_code == 200
    public = client.get("/api/search/", {"q": inspection.external_id}).json()["results"]
    assert not [h for h in public if h["type"] == "inspection"]


@pytest.mark.parametrize("spec", FAKES, ids=_ids(FAKES))
def test_the_push_api_accepts_a_batch(spec: SystemSpec, geo: None, client: APIClient) -> None:
    key = source_key_create(system=spec.name, source=f"contract-{spec.name}-push")[1]
    records = list(_fake_records(spec.name))
    batch = {"idempotency_key": "contract-1", "records": records}
    answer = client.post(
        f"/api/ingest/{spec.name}/batches/",
        data=json.dumps(batch, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["status"], body["received"], body["rejected"]) == ("done", len(records), 0)
    assert body["created"] > 0
    assert client.post(
        f"/api/ingest/{spec.name}/batches/", data=batch, format="json"
    ).status_code in (401, 403)


@pytest.mark.parametrize("spec", FAKES, ids=_ids(FAKES))
def test_the_fake_feed_pulls_into_the_database(spec: SystemSpec, geo: None) -> None:
    fake = _fake(spec.name)
    source = f"contract-{spec.name}-pull"
    with fake_serving(fake) as url:
        pulled = pull_source_add(system=spec.name, source=source, url=url, every_minutes=1)
        # The change feed's cursor is the sequence number of the last version read: start
        # RECORDS before the head, so the pull reads the feed's latest versions only.
        PullSource.objects.filter(pk=pulled.pk).update(cursor=str(max(0, fake.head - RECORDS)))
        report = pull_run(source=source, timeout=30.0, progress=lambda _: None)
        versions = min(fake.head, RECORDS)
        assert (report.status, report.received, report.rejected) == ("done", versions, 0)
        assert report.created + report.updated + report.unchanged == versions > 0
        again = pull_run(source=source, timeout=30.0, progress=lambda _: None)
    assert (again.status, again.received, again.created) == ("done", 0, 0)
    model = adapters.get(spec.name).model  # type: ignore[union-attr]
    assert model.objects.filter(source=source).count() == report.created > 0
    assert PullSource.objects.get(source=source).cursor == str(fake.head)


def _rows(spec: SystemSpec) -> list[list[tuple[Any, ...]]]:
    """Every stored value of the system's records, by model, in order of id."""
    models = [apps.get_model(r.model) for r in spec.records]
    return [
        list(m.objects.order_by("pk").values_list(*(f.attname for f in m._meta.concrete_fields)))
        for m in models
    ]


@pytest.mark.parametrize("spec", DEMOS, ids=lambda spec: spec.name)
def test_the_demo_loads_idempotently(spec: SystemSpec, geo: None) -> None:
    demo = _demo_module(spec)
    demo.load(progress=lambda _: None)
    before = _rows(spec)
    runs = list(IngestRun.objects.order_by("pk").values_list("pk", "status", "finished_at"))
    assert any(before), "the demo loaded no record"
    lines: list[str] = []
    demo.load(progress=lines.append)
    assert _rows(spec) == before
    assert list(IngestRun.objects.order_by("pk").values_list("pk", "status", "finished_at")) == runs
    assert lines, "a demo load says what it did"
