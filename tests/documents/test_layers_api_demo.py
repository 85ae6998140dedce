"""The agencies layer (view and tiles), the API, search, the profile section and the demo."""

import gzip
import itertools
from collections import Counter
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client

from gisioc.documents import demo, search
from gisioc.documents.models import Document
from gisioc.geo import access
from gisioc.geo.demo import users_demo_load
from gisioc.geo.models import AdminUnit, Facility
from gisioc.geo.selectors import vietnam_today
from gisioc.geo.text import fold
from gisioc.ingest.models import IngestRun
from gisioc.ingest.services import ingest_rows
from layers.registry import registry
from tests.bodies import json_body
from tests.documents.conftest import sample
from tiles.sql import tile_for
from tiles.versions import layer_versions

pytestmark = pytest.mark.django_db
LAYER = "agencies-open-documents"
THU_BON_AND_FORMER = {"20611", "20605", "20608", "20614"}


def _tile(client: Client, z: int = 7) -> tuple[list[dict], str]:
    """The layer's features in the tile holding the district (whole at zoom 7), and its ETag."""
    x, y = tile_for(108.25, 15.82, z)
    response = client.get(f"/tiles/{LAYER}/{z}/{x}/{y}.mvt")
    assert response.status_code == 200
    data = response.content
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return mapbox_vector_tile.decode(data)[LAYER]["features"], response["ETag"]


def _sign_in(client: Client, tmp_path: Path, username: str) -> User:
    logins = {x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "l")}
    assert client.login(username=username, password=logins[username])
    return User.objects.get(username=username)


def test_demo_rows_are_deterministic_and_span_the_reform() -> None:
    first = list(itertools.islice(demo.demo_document_rows(), 300))
    assert first == list(itertools.islice(demo.demo_document_rows(), 300))
    assert set(first[0].values) == set(demo.HEADERS)
    rows = [r.values for r in sample()]
    before = {r["Cơ quan xử lý"] for r in rows if r["Ngày đến"][6:10] == "2024"}
    assert "UBND-DX" in before
    after = {r["Cơ quan xử lý"] for r in rows if r["Ngày đến"][6:10] == "2026"}
    # The new communes' committees are new bodies: not the old committees of the same codes.
    assert after == {"UBND-2025-20599", "UBND-2025-20611", "UBND-2025-20623", "UBND-2025-20635"}
    directions = Counter(r["Sổ văn bản"] for r in rows)
    assert 0.3 < directions["Văn bản đi"] / directions["Văn bản đến"] < 0.5


def test_the_demo_sample_locates_in_the_version_of_each_day(documents: None) -> None:
    versions = {
        (d.locate_on < demo.REFORM, d.unit.version.slug)
        for d in Document.objects.select_related("unit__version")
    }
    assert versions == {(True, "duyxuyen-2019"), (False, "danang-2025")}
    assert set(Document.objects.values_list("locate_method", flat=True)) == {"facility"}
    district = Document.objects.filter(agency__code="UBND-DX")
    assert district.exists() and not district.filter(locate_on__gte=demo.REFORM).exists()
    overdue_at_snapshot = Document.objects.filter(
        due_on__lt=demo.SNAPSHOT.date(), completed_at=None, direction="incoming"
    ).exclude(status="withdrawn")
    assert (
        overdue_at_snapshot.count() < 0.05 * Document.objects.filter(direction="incoming").count()
    )


def test_the_agency_tile_counts_open_and_overdue_documents(documents: None, client: Client):
    layer = registry.get(LAYER)
    assert layer.public and layer.today and layer.geometry == "point"
    assert layer_versions([layer])[LAYER].endswith(vietnam_today().isoformat())
    features, etag = _tile(client)
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    # Every agency in service, open documents or not; not the bodies the reform dissolved.
    assert set(by_code) == {"UBND-2025-20599", "UBND-2025-20611", "UBND-2025-20623",
                            "UBND-2025-20635"}  # fmt: skip
    # A feature is its agency: the app opens the facility (record link) with the feature's id.
    assert layer.record.type == "facility"
    in_service = Facility.objects.filter(kind="agency").in_service(vietnam_today())
    assert {f["id"] for f in features} == set(in_service.values_list("pk", flat=True))
    assert all("summary" not in props for props in by_code.values())
    open_docs = Document.objects.filter(direction="incoming", completed_at=None).exclude(
        status="withdrawn"
    )
    assert sum(p["open_documents"] for p in by_code.values()) == open_docs.count() > 0
    for code, props in by_code.items():
        mine = open_docs.filter(agency__code=code)
        overdue = mine.filter(due_on__lt=vietnam_today()).count()
        assert (props["open_documents"], props["overdue_documents"]) == (mine.count(), overdue)
        if mine.exists():
            assert props["overdue_pct"] == round(100 * overdue / mine.count(), 1)
        else:
            assert "overdue_pct" not in props  # null: drawn grey
    doc = open_docs.select_related("agency").first()
    Document.objects.filter(pk=doc.pk).update(completed_at=doc.received_at, status="completed")
    again, new_etag = _tile(client)
    assert new_etag != etag
    agency = next(f["properties"] for f in again if f["properties"]["code"] == doc.agency.code)
    assert agency["open_documents"] == by_code[doc.agency.code]["open_documents"] - 1
    # A dissolved agency still holding an open document stays on the map, so it is dealt with.
    district = Facility.objects.get(code="UBND-DX")
    assert district.closed_on is not None and district.closed_on <= vietnam_today()
    Document.objects.filter(pk=doc.pk).update(completed_at=None, status="in_progress",
                                              agency=district)  # fmt: skip
    third, _ = _tile(client)
    assert {f["properties"]["code"]: f["properties"]["open_documents"] for f in third}[
        "UBND-DX"
    ] == 1
    legend = client.get(f"/tiles/legend/{LAYER}.json").json()
    assert legend["kind"] == "categorical" and len(legend["items"]) == 5


def test_public_kpis_match_the_profile_section(documents: None, client: Client) -> None:
    thu_bon = AdminUnit.objects.get(code="20611", version__slug="danang-2025")
    body = client.get(f"/api/profiles/units/{thu_bon.pk}/?period=2025").json()
    section = next(s for s in body["sections"] if s["id"] == "documents")
    kpis = {k["id"]: k["value"] for k in section["kpis"]}
    api = client.get(f"/api/documents/kpis/?period=2025&unit={thu_bon.pk}").json()
    assert "summary" not in str(api)
    # Thu Bồn's own agency after the reform and its four former communes' before it.
    former = AdminUnit.objects.filter(code__in=THU_BON_AND_FORMER)
    expected = Document.objects.filter(
        unit__in=former, direction="incoming", received_at__year=2025
    ).count()
    assert kpis["incoming"] == api["kpis"]["incoming"] == expected > 0
    assert kpis["on_time_rate"] == api["kpis"]["on_time_rate"]
    assert {s["id"] for s in section["series"]} == {
        "documents_incoming",
        "documents_outgoing",
        "documents_on_time_rate",
    }
    incoming = next(s for s in section["series"] if s["id"] == "documents_incoming")
    assert [p["period"] for p in incoming["points"]] == [f"2025-{m:02d}" for m in range(1, 13)]
    assert sum(p["value"] for p in incoming["points"]) == kpis["incoming"]
    by_type = section["breakdowns"][0]
    assert by_type["items"][0]["key"] == "cong_van"  # the commonest type
    overdue = section["lists"][0]
    assert overdue["href"] == f"/api/documents/documents/?overdue=1&unit={thu_bon.pk}"
    assert overdue["type"] == "document"
    listed = client.get(overdue["href"])
    assert listed.status_code == 403  # the count is public, the documents are not
    grouped = client.get("/api/documents/kpis/?period=2026-Q1&by=agency").json()
    assert {g["label"] for g in grouped["groups"]} == {  # 2026: the committees of today
        "UBND xã Nam Phước",
        "UBND xã Thu Bồn",
        "UBND xã Duy Xuyên",
        "UBND xã Duy Nghĩa",
    }
    district = client.get("/api/profiles/district/?period=2025").json()
    assert "incoming" in [k["id"] for k in district["children"][0]["kpis"]]
    assert client.get("/api/documents/kpis/?by=colour").status_code == 400
    assert client.get("/api/documents/kpis/?type=letter").status_code == 400


def test_the_document_list_needs_sign_in_and_keeps_to_the_scope(
    documents: None, client: Client, tmp_path: Path
) -> None:
    assert client.get("/api/documents/documents/").status_code == 403
    user = _sign_in(client, tmp_path, "canboxa")  # Thu Bồn and its predecessors
    body = json_body(client.get("/api/documents/documents/?limit=2000"))
    codes = {f["properties"]["unit_code"] for f in body["features"]}
    assert codes == THU_BON_AND_FORMER
    allowed = access.scope_unit_ids(user)
    assert (
        body["count"]
        == Document.objects.filter(unit__in=allowed).count()
        < Document.objects.count()
    )
    outside = Document.objects.exclude(unit__in=allowed).first()
    assert client.get(f"/api/documents/documents/{outside.pk}/").status_code == 404
    inside = Document.objects.filter(unit__in=allowed).first()
    detail = client.get(f"/api/documents/documents/{inside.pk}/").json()
    assert detail["properties"]["name"] == detail["properties"]["number_symbol"]
    assert detail["properties"]["number_symbol"] == inside.number_symbol
    assert detail["properties"]["detail"] == f"/api/documents/documents/{inside.pk}/"
    assert detail["properties"]["unit_id"] == inside.unit_id
    late = Document.objects.filter(unit__in=allowed, direction="incoming").last()
    Document.objects.filter(pk=late.pk).update(
        completed_at=None, status="in_progress", due_on=late.received_at.date()
    )
    overdue = json_body(client.get("/api/documents/documents/?overdue=1&limit=2000"))
    today = vietnam_today().isoformat()
    assert late.pk in {f["id"] for f in overdue["features"]}
    assert all(
        f["properties"]["completed_at"] is None
        and f["properties"]["direction"] == "incoming"
        and f["properties"]["due_on"] < today
        for f in overdue["features"]
    )
    outgoing = json_body(client.get("/api/documents/documents/?direction=outgoing&period=2025-Q4"))
    assert outgoing["count"] > 0 and all(
        f["properties"]["status"] in ("issued", "withdrawn") for f in outgoing["features"]
    )
    assert client.get("/api/documents/documents/?status=lost").status_code == 400


def test_search_finds_a_symbol_for_staff_in_scope(
    documents: None, client: Client, tmp_path: Path
) -> None:
    doc = Document.objects.filter(agency__code="UBND-DX", number_symbol__contains="/QĐ-").first()
    typed = doc.number_symbol.replace("Đ", "D").lower()  # '45/qd-ubnd'
    assert client.get("/api/search/", {"q": typed}).json()["results"] == []  # the public
    _sign_in(client, tmp_path, "lanhdao")
    hits = client.get("/api/search/", {"q": typed, "limit": 50}).json()["results"]
    mine = next(h for h in hits if h["type"] == "document" and h["id"] == doc.pk)
    assert mine["label"] == doc.number_symbol
    assert mine["detail"] == f"/api/documents/documents/{doc.pk}/"
    # The provider itself, for a commune officer: the documents of the scope only.
    user = _sign_in(client, tmp_path, "canboxa")
    allowed = access.scope_unit_ids(user)
    seen = {h.id for h in search.documents(typed, fold(typed), 50, user)}
    assert doc.pk not in seen  # the district's document lies in Nam Phước
    assert seen <= set(Document.objects.filter(unit__in=allowed).values_list("pk", flat=True))
    own = Document.objects.filter(unit__in=allowed).first()
    hits = search.documents(own.number_symbol, fold(own.number_symbol), 50, user)
    assert own.pk in {h.id for h in hits}
    assert search.documents(typed, fold(typed), 50, AnonymousUser()) == []


def test_the_api_is_in_the_openapi_schema(db: None, client: Client) -> None:
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "/api/documents/kpis/" in paths
    parameters = {p["name"] for p in paths["/api/documents/documents/"]["get"]["parameters"]}
    assert {"unit", "agency", "period", "status", "direction", "overdue"} <= parameters


def test_the_demo_loads_once_and_sending_it_again_changes_nothing(
    geo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = list(itertools.islice(demo.demo_document_rows(), 400))
    monkeypatch.setattr(demo, "demo_document_rows", lambda: iter(rows))
    lines: list[str] = []
    demo.load(progress=lines.append)
    demo.load(progress=lines.append)
    assert "nhận 400, tạo 400" in lines[0] and "already loaded" in lines[1]
    run = IngestRun.objects.get(source=demo.SOURCE)
    assert (run.kind, run.idempotency_key, run.status) == ("demo", demo.KEY, "done")
    before = list(Document.objects.order_by("id").values())
    again = ingest_rows(system="documents", rows=rows, source=demo.SOURCE, progress=lambda _: None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 400)
    assert list(Document.objects.order_by("id").values()) == before
