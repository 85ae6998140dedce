"""The feedback layers' decoded tiles over the hand-counted reports (read_fixtures): public
reports coloured by status with overdue as of today, never a rejected or merged one and never
a personal field; reports per 1,000 residents per commune; agencies by overdue reports."""

import gzip
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.test import Client

from gisioc.geo.models import Role
from layers.checks import check_layers
from layers.registry import registry
from tests.bodies import json_body
from tests.feedback import read_fixtures
from tests.geo.factories import signed_in
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
february = read_fixtures.february  # the fixture
PROPERTIES = {
    "ticket",
    "category",
    "status",
    "state",
    "overdue",
    "received_on",
    "due_on",
    "agency_name",
    "public_text",
    "followers",
    "period",
}


@pytest.fixture(autouse=True)
def private_tiles(private_var: Path) -> Path:
    """No tile cache shared between tests (tests/conftest.py)."""
    return private_var


def _tile(client: Client, layer: str, lon: float, lat: float, z: int, query: str = "") -> bytes:
    x, y = tile_for(lon, lat, z)
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt{query}")
    assert response.status_code in (200, 204), response.content
    data = response.content if response.status_code == 200 else b""
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return data


def _features(data: bytes, layer: str) -> list[dict]:
    found = mapbox_vector_tile.decode(data).get(layer, {}).get("features", [])
    return [f["properties"] for f in found]


def _reports(client: Client, february: dict, query: str = "") -> dict[str, dict]:
    """The report points of both communes' tiles at z14 (unclustered), by ticket."""
    found = {}
    for key in ("NP", "TB"):
        point = february[key].geom.point_on_surface
        data = _tile(client, "feedback-reports", point.x, point.y, 14, query)
        found |= {p["ticket"]: p for p in _features(data, "feedback-reports")}
    return found


def test_public_reports_by_status_overdue_today_nothing_personal(
    february: dict, client: Client
) -> None:
    reports = _reports(client, february, "?period=2026-02")
    t = {k: february[k].ticket for k in ("R1", "R2", "R3", "R4", "R5", "R6")}
    # Rejected (R4) and merged (R6) reports are not public.
    assert set(reports) == {t["R1"], t["R2"], t["R3"], t["R5"]}
    assert {k: reports[t[k]]["state"] for k in ("R1", "R2", "R3", "R5")} == {
        "R1": "closed",
        "R2": "published",
        "R3": "overdue",  # in progress, due 27/2: overdue today
        "R5": "resolved",
    }
    r3 = reports[t["R3"]]
    assert r3["status"] == "in_progress" and r3["overdue"] is True
    assert r3["due_on"] == "2026-02-27" and r3["received_on"] == "2026-02-11"
    assert r3["agency_name"] == february["A"].name and r3["followers"] == 0
    assert reports[t["R1"]]["overdue"] is False
    for props in reports.values():
        assert set(props) <= PROPERTIES
        assert "[đã ẩn]" in props["public_text"]  # the phone masked on intake
    raw = b"".join(
        _tile(client, "feedback-reports", p.x, p.y, 14)
        for p in (february["NP"].geom.point_on_surface, february["TB"].geom.point_on_surface)
    )
    for value in (*read_fixtures.REPORTER.values(), read_fixtures.PHONE, "0905"):
        assert value.encode() not in raw


def test_a_report_point_opens_its_record_for_staff(february: dict, client: Client) -> None:
    point = february["TB"].geom.point_on_surface
    data = _tile(client, "feedback-reports", point.x, point.y, 14, "?period=2026-02")
    found = mapbox_vector_tile.decode(data)["feedback-reports"]["features"]
    r3 = next(f for f in found if f["properties"]["ticket"] == february["R3"].ticket)
    assert r3["id"] == february["R3"].pk
    url = registry.get("feedback-reports").record.detail.format(id=r3["id"])
    assert client.get(url).status_code in (401, 403)
    staff = signed_in("lanhdao-layer", Role.LEADER)
    assert json_body(staff.get(url))["properties"]["ticket"] == february["R3"].ticket


def test_report_filters_and_clusters(february: dict, client: Client) -> None:
    r1, r5 = february["R1"].ticket, february["R5"].ticket
    assert set(_reports(client, february, "?category=moi_truong")) == {r5}
    assert set(_reports(client, february, "?status=closed")) == {r1}
    assert _reports(client, february, "?period=2026-03") == {}
    x, y = tile_for(108.25, 15.82, 14)
    refused = client.get(f"/tiles/feedback-reports/14/{x}/{y}.mvt?status=rejected")
    assert refused.status_code == 400
    # Zoomed out: grid clusters with counts, four public reports in all.
    clusters = _features(_tile(client, "feedback-reports", 108.25, 15.82, 9), "feedback-reports")
    assert clusters and all(set(c) == {"count"} for c in clusters)
    assert sum(c["count"] for c in clusters) == 4


def test_reports_per_1000_residents_per_commune(february: dict, client: Client) -> None:
    data = _tile(client, "feedback-per-1000", 108.25, 15.82, 7, "?period=2026-02")
    by_code = {p["code"]: p for p in _features(data, "feedback-per-1000")}
    np_, tb = by_code[february["NP"].code], by_code[february["TB"].code]
    # Nam Phước: R1, R2 (R4 rejected); Thu Bồn: R3, R5 (R6 merged).
    assert (np_["reports"], np_["population"], np_["per_1000"]) == (2, 20_000, 0.1)
    assert (tb["reports"], tb["population"], tb["per_1000"]) == (2, 15_000, 0.13)
    assert (tb["open"], tb["overdue"]) == (1, 1) and np_["open"] == 0
    others = [p for code, p in by_code.items() if code not in (np_["code"], tb["code"])]
    assert others and all("per_1000" not in p and p["reports"] == 0 for p in others)
    march = _tile(client, "feedback-per-1000", 108.25, 15.82, 7, "?period=2026-03")
    assert all(p["reports"] == 0 for p in _features(march, "feedback-per-1000"))


def test_agencies_by_open_and_overdue_reports(february: dict, client: Client) -> None:
    data = _tile(client, "feedback-agencies-overdue", 108.25, 15.82, 7)
    by_code = {p["code"]: p for p in _features(data, "feedback-agencies-overdue")}
    a, b = by_code[february["A"].code], by_code[february["B"].code]
    assert (a["open_reports"], a["overdue_reports"], a["overdue_pct"]) == (1, 1, 100.0)
    assert (b["open_reports"], b["overdue_reports"]) == (0, 0) and "overdue_pct" not in b


def test_the_layers_are_well_formed_and_public() -> None:
    mine = [e for e in check_layers() if "feedback" in e.msg]
    assert mine == []


def test_a_public_layer_naming_a_personal_field_fails_the_check(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gisioc.feedback.stats import ReportPoint

    monkeypatch.setattr(ReportPoint, "personal_fields", frozenset({"public_text"}))
    errors = [e.msg for e in check_layers() if "feedback-reports" in e.msg]
    assert errors == ["Layer 'feedback-reports' is public but exposes personal data: public_text"]
