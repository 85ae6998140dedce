"""The on-time choropleth (view and tiles), the profile section, the API and the demo."""

import gzip
import itertools
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client

from gisioc.geo import access
from gisioc.geo.demo import users_demo_load
from gisioc.geo.models import AdminUnit
from gisioc.ingest.models import IngestRun
from gisioc.public_services import demo
from gisioc.public_services.models import Dossier, DossierUnitStats
from layers.registry import registry
from tests.bodies import json_body
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
LAYER = "dossiers-on-time-per-commune"


def test_demo_rows_are_deterministic_and_span_the_reform() -> None:
    first = list(itertools.islice(demo.demo_dossier_rows(), 200))
    assert first == list(itertools.islice(demo.demo_dossier_rows(), 200))
    assert set(first[0].values) == set(demo.HEADERS)


def test_demo_sample_locates_before_and_after_the_reform(dossiers: None) -> None:
    versions = {
        (d.locate_on < demo.REFORM, d.unit.version.slug)
        for d in Dossier.objects.select_related("unit__version")
    }
    assert versions == {(True, "duyxuyen-2019"), (False, "danang-2025")}
    methods = set(Dossier.objects.values_list("locate_method", flat=True))
    assert methods == {"address", "crosswalk", "facility"}
    offices = set(Dossier.objects.values_list("office__code", flat=True))
    assert offices == {"MOTCUA-DX", "HCC-20599", "HCC-20611", "HCC-20623", "HCC-20635"}


def test_the_view_counts_former_communes_towards_their_successor(dossiers: None) -> None:
    stats = {s.code: s for s in DossierUnitStats.objects.filter(period="")}  # all time
    assert set(stats) == {"20599", "20611", "20623", "20635"}  # the communes in force
    thu_bon = AdminUnit.objects.get(code="20611", version__slug="danang-2025")
    members = AdminUnit.objects.filter(successors__new_unit=thu_bon)
    expected = Dossier.objects.filter(unit__in=[thu_bon, *members])
    row = stats["20611"]
    assert row.received == expected.count()
    assert row.late == expected.filter(finished_at__gt=F("due_at")).count()
    assert (
        row.on_time + row.late == row.finished == expected.filter(finished_at__isnull=False).count()
    )
    assert row.on_time_pct == round(100 * row.on_time / row.finished, 1)
    assert sum(s.received for s in stats.values()) == Dossier.objects.count()


def test_the_choropleth_tile_and_legend(dossiers: None, client: Client) -> None:
    layer = registry.get(LAYER)
    assert layer.public and layer.classification.indicator == "on_time_pct"
    x, y = tile_for(108.25, 15.82, 8)
    response = client.get(f"/tiles/{LAYER}/8/{x}/{y}.mvt")
    assert response.status_code == 200
    data = response.content
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    features = mapbox_vector_tile.decode(data)[LAYER]["features"]
    assert {f["properties"]["code"] for f in features} == {"20599", "20611", "20623", "20635"}
    assert all(80 < f["properties"]["on_time_pct"] <= 100 for f in features)
    legend = client.get(f"/tiles/legend/{LAYER}.json").json()
    assert legend["kind"] == "choropleth" and legend["indicator"] == "on_time_pct"
    before = client.get(f"/tiles/{LAYER}/8/{x}/{y}.mvt")["ETag"]
    # The layer reads the daily rollup, written in the dossiers' statement when a count moves:
    # a change the map does not count keeps the tile's version, one it counts moves it.
    first = Dossier.objects.first()
    Dossier.objects.filter(pk=first.pk).update(status="paused")
    assert client.get(f"/tiles/{LAYER}/8/{x}/{y}.mvt")["ETag"] == before
    online = first.channel == "truc_tuyen"
    Dossier.objects.filter(pk=first.pk).update(channel="truc_tiep" if online else "truc_tuyen")
    assert client.get(f"/tiles/{LAYER}/8/{x}/{y}.mvt")["ETag"] != before  # the data version moved


def test_the_profile_section_and_the_kpi_api(dossiers: None, client: Client) -> None:
    thu_bon = AdminUnit.objects.get(code="20611", version__slug="danang-2025")
    body = client.get(f"/api/profiles/units/{thu_bon.pk}/?period=2025").json()
    section = next(s for s in body["sections"] if s["id"] == "public_services")
    kpis = {k["id"]: k["value"] for k in section["kpis"]}
    api = client.get(f"/api/public-services/kpis/?period=2025&unit={thu_bon.pk}").json()["kpis"]
    assert kpis["received"] == api["received"] > 0  # former communes included in both
    assert kpis["on_time_rate"] == api["on_time_rate"]
    assert {s["id"] for s in section["series"]} == {
        "dossiers_received",
        "dossiers_on_time_rate",
        "dossiers_online_share",
    }
    received = next(s for s in section["series"] if s["id"] == "dossiers_received")
    assert [p["period"] for p in received["points"]] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert sum(p["value"] for p in received["points"]) == kpis["received"]
    district = client.get("/api/profiles/district/?period=2025").json()
    assert district["children"][0]["kpis"][2]["id"] == "received"
    grouped = client.get("/api/public-services/kpis/?period=2026-Q1&by=office").json()
    assert {g["label"] for g in grouped["groups"]} <= {
        f"Trung tâm Phục vụ hành chính công xã {n}"
        for n in ("Nam Phước", "Thu Bồn", "Duy Xuyên", "Duy Nghĩa")
    }
    assert client.get("/api/public-services/kpis/?by=colour").status_code == 400


def test_dossier_list_needs_sign_in_and_keeps_to_the_scope(
    dossiers: None, client: Client, tmp_path: Path
) -> None:
    assert client.get("/api/public-services/dossiers/").status_code == 403
    logins = {
        x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "l.json")
    }
    client.login(username="canboxa", password=logins["canboxa"])  # Thu Bồn and its predecessors
    body = json_body(client.get("/api/public-services/dossiers/?limit=2000"))
    codes = {f["properties"]["unit_code"] for f in body["features"]}
    assert codes and codes <= {"20611", "20605", "20608", "20614"}
    allowed = access.scope_unit_ids(User.objects.get(username="canboxa"))
    assert (
        body["count"] == Dossier.objects.filter(unit__in=allowed).count() < Dossier.objects.count()
    )
    first = body["features"][0]["properties"]
    status = Dossier.Status(first["status"]).label
    assert first["labels"]["status"] == {"vi": status.split(" / ")[0], "en": status.split(" / ")[1]}
    overdue = json_body(client.get("/api/public-services/dossiers/?overdue=1"))
    assert all(f["properties"]["finished_at"] is None for f in overdue["features"])
    assert client.get("/api/public-services/dossiers/?status=lost").status_code == 400


def test_demo_load_runs_once_per_generator_version(geo: None, monkeypatch: pytest.MonkeyPatch):
    sample = list(itertools.islice(demo.demo_dossier_rows(), 300))
    monkeypatch.setattr(demo, "demo_dossier_rows", lambda: iter(sample))
    lines: list[str] = []
    demo.load(progress=lines.append)
    demo.load(progress=lines.append)
    assert "nhận 300, tạo 300" in lines[0] and "already loaded" in lines[1]
    run = IngestRun.objects.get(source=demo.SOURCE)
    assert (run.kind, run.idempotency_key, run.status) == ("demo", demo.KEY, "done")
