"""Layers by reporting period (communes, offices) and the overdue layer that reads the clock."""

import datetime as dt
import gzip
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from gisioc.geo import access
from gisioc.geo.demo import users_demo_load
from gisioc.geo.models import AdminUnit
from gisioc.periods import VIETNAM
from gisioc.public_services.models import Dossier, DossierUnitStats, OverdueDossier
from tests.bodies import json_body
from tiles import versions
from tiles.sql import tile_for

pytestmark = pytest.mark.django_db
Q3 = (dt.datetime(2025, 7, 1, tzinfo=VIETNAM), dt.datetime(2025, 10, 1, tzinfo=VIETNAM))


def _features(client: Client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code in (200, 204), response.content
    if response.status_code == 204:
        return []
    data = response.content
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    layer = url.split("/")[2]
    return mapbox_vector_tile.decode(data).get(layer, {}).get("features", [])


def _district_tile(layer: str, z: int = 7, query: str = "") -> str:
    """The tile that holds the whole district (z7 spans 2.8°)."""
    x, y = tile_for(108.25, 15.82, z)
    return f"/tiles/{layer}/{z}/{x}/{y}.mvt{query}"


def _login(client: Client, tmp_path: Path, username: str) -> User:
    users_demo_load(logins_file=tmp_path / "logins.json")
    user = User.objects.get(username=username)
    client.force_login(user)
    return user


def test_a_quarter_row_matches_the_kpi_api(dossiers: None, client: Client) -> None:
    thu_bon = AdminUnit.objects.get(code="20611", version__slug="danang-2025")
    row = DossierUnitStats.objects.get(period="2025-Q3", code="20611")
    kpis = client.get(f"/api/public-services/kpis/?period=2025-Q3&unit={thu_bon.pk}").json()
    kpis = kpis["kpis"]
    assert row.received == kpis["received"] > 0
    assert row.late == kpis["late"]
    assert row.on_time == kpis["early"] + kpis["on_time"]
    all_time = DossierUnitStats.objects.get(period="", code="20611")
    assert all_time.received > row.received


def test_tiles_follow_the_period_filter(dossiers: None, client: Client) -> None:
    layer = "dossiers-on-time-per-commune"
    default = _features(client, _district_tile(layer))
    assert {f["properties"]["period"] for f in default} == {""}  # all time when none is asked
    quarter = _features(client, _district_tile(layer, query="?period=2025-Q3"))
    assert {f["properties"]["period"] for f in quarter} == {"2025-Q3"}
    in_q3 = Dossier.objects.filter(received_at__gte=Q3[0], received_at__lt=Q3[1]).count()
    assert sum(f["properties"]["received"] for f in quarter) == in_q3
    assert sum(f["properties"]["received"] for f in default) == Dossier.objects.count()
    bad = client.get(_district_tile(layer, query="?period=2025-13"))
    assert bad.status_code == 400 and "2025-Q3" in bad.json()["message"]
    legend = client.get(f"/tiles/legend/{layer}.json?period=2025-Q3").json()
    assert legend["kind"] == "choropleth" and legend["classes"]


def test_offices_are_sized_by_dossiers_of_the_period(dossiers: None, client: Client) -> None:
    features = _features(client, _district_tile("one-stop-offices", query="?period=2025"))
    codes = {f["properties"]["code"] for f in features}
    assert "MOTCUA-DX" in codes and len(codes) == 5
    year = (dt.datetime(2025, 1, 1, tzinfo=VIETNAM), dt.datetime(2026, 1, 1, tzinfo=VIETNAM))
    received = Dossier.objects.filter(
        office__isnull=False, received_at__gte=year[0], received_at__lt=year[1]
    ).count()
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    assert sum(p["received"] for p in by_code.values()) == received
    for props in by_code.values():
        if props["finished"]:
            assert props["late_pct"] == round(100 * props["late"] / props["finished"], 1)
    # The district's office closed with the reform: on 2026's map only the new communes' are.
    later = _features(client, _district_tile("one-stop-offices", query="?period=2026"))
    assert {f["properties"]["code"] for f in later} == codes - {"MOTCUA-DX"}


@pytest.fixture
def overdue(dossiers: None) -> None:
    """Some dossiers of every office still open five days after their due time."""
    ids = list(Dossier.objects.order_by("id").values_list("id", flat=True)[::40])
    past = timezone.now() - dt.timedelta(days=5)
    Dossier.objects.filter(pk__in=ids).update(finished_at=None, status="in_progress", due_at=past)


def _overdue_now() -> Q:
    start_of_today = dt.datetime.combine(timezone.localdate(), dt.time(), VIETNAM)
    return Q(finished_at__isnull=True, due_at__lt=start_of_today) & ~Q(status="cancelled")


def test_overdue_dossiers_need_sign_in_and_keep_to_the_scope(
    overdue: None, client: Client, tmp_path: Path
) -> None:
    layer = "dossiers-overdue"
    assert client.get(_district_tile(layer)).status_code == 403
    expected = Dossier.objects.filter(_overdue_now())
    assert OverdueDossier.objects.count() == expected.count() > 0
    _login(client, tmp_path, "lanhdao")
    clusters = _features(client, _district_tile(layer))
    assert sum(f["properties"]["count"] for f in clusters) == expected.count()
    office = expected.exclude(geom=None).first()
    x, y = tile_for(office.geom.x, office.geom.y, 16)
    points = _features(client, f"/tiles/{layer}/16/{x}/{y}.mvt")
    assert points and all(f["properties"]["days_overdue"] > 0 for f in points)
    assert office.dossier_code in {f["properties"]["dossier_code"] for f in points}
    officer = _login(client, tmp_path, "canboxa")
    scoped = expected.filter(unit__in=access.scope_unit_ids(officer)).count()
    clusters = _features(client, _district_tile(layer))
    assert sum(f["properties"]["count"] for f in clusters) == scoped < expected.count()


def test_the_overdue_layer_gets_new_tiles_each_day(
    overdue: None, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _login(client, tmp_path, "lanhdao")
    url = _district_tile("dossiers-overdue")
    today = client.get(url)["ETag"]
    assert client.get(url)["ETag"] == today
    untouched = client.get(_district_tile("one-stop-offices"))["ETag"]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(versions, "vietnam_today", lambda: tomorrow)
    assert client.get(url)["ETag"] != today
    assert client.get(_district_tile("one-stop-offices"))["ETag"] == untouched


def test_a_profile_without_a_period_covers_all_time(dossiers: None, client: Client) -> None:
    body = client.get("/api/profiles/district/").json()
    assert body["period"] == ""
    section = next(s for s in body["sections"] if s["id"] == "public_services")
    received = next(k["value"] for k in section["kpis"] if k["id"] == "received")
    assert received == Dossier.objects.count()
    months = next(s for s in section["series"] if s["id"] == "dossiers_received")["points"]
    first = timezone.localtime(Dossier.objects.earliest("received_at").received_at, VIETNAM)
    assert months[0]["period"] == first.strftime("%Y-%m") and len(months) >= 24


def test_the_overdue_list_counts_what_it_lists(
    overdue: None, client: Client, tmp_path: Path
) -> None:
    _login(client, tmp_path, "lanhdao")
    for period in ("", "?period=2025-Q1"):  # the list is "overdue now", whatever the period
        body = client.get(f"/api/profiles/district/{period}").json()
        section = next(s for s in body["sections"] if s["id"] == "public_services")
        listed = next(x for x in section["lists"] if x["id"] == "dossiers_past_due")
        assert listed["type"] == "dossier"
        assert json_body(client.get(listed["href"]))["count"] == listed["count"] > 0
