"""The APIs behind the map app: profiles, search, near me, tables, the boundary workflow."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from gisioc.geo import access
from gisioc.geo.demo import boundaries_demo_load, users_demo_load
from gisioc.geo.demo_facilities import facilities_demo_load
from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility
from gisioc.geo.selectors import vietnam_today
from gisioc.periods import period_parse
from tests.bodies import json_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr(
        settings, "CONFIG", settings.CONFIG.model_copy(update={"var_dir": tmp_path})
    )
    boundaries_demo_load(progress=lambda _: None)
    facilities_demo_load()
    return {x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "l")}


def _login(username: str, logins: dict[str, str]) -> Client:
    client = Client()
    assert client.login(username=username, password=logins[username])
    return client


def _kpi(section: dict, kpi_id: str) -> float:
    return next(k["value"] for k in section["kpis"] if k["id"] == kpi_id)


def test_district_and_commune_profiles(demo: dict[str, str]) -> None:
    district = Client().get("/api/profiles/district/").json()
    geo = next(s for s in district["sections"] if s["id"] == "geo")
    in_service = Facility.objects.in_service(vietnam_today())
    assert _kpi(geo, "facilities") == in_service.count() == Facility.objects.count() - 15
    assert _kpi(geo, "communes") == 4 and district["approximate"] is True
    assert {c["code"] for c in district["children"]} == {"20599", "20611", "20623", "20635"}
    thu_bon = AdminUnit.objects.get(version__slug="danang-2025", code="20611")
    profile = Client().get(f"/api/profiles/units/{thu_bon.pk}/", {"period": "2025-Q3"}).json()
    assert profile["period"] == "2025-Q3"
    assert [p["name"] for p in profile["unit"]["predecessors"]] == [
        "Xã Duy Phú",
        "Xã Duy Tân",
        "Xã Duy Hòa",
        "Xã Duy Châu",
    ]
    geo = profile["sections"][0]
    assert _kpi(geo, "facilities") == in_service.filter(unit=thu_bon).count()
    by_kind = {i["key"]: i["value"] for i in geo["breakdowns"][0]["items"]}
    assert by_kind["health"] == in_service.filter(unit=thu_bon, kind="health").count()
    assert by_kind["agency"] == 1  # Thu Bồn's own committee; not the four it replaced
    assert geo["lists"][0]["href"] == f"/api/facilities/?unit={thu_bon.pk}"
    listed = json_body(Client().get(geo["lists"][0]["href"]))["features"]
    assert len(listed) == _kpi(geo, "facilities")


def test_profiles_are_public_and_reject_bad_input(demo: dict[str, str]) -> None:
    officer = _login("canboxa", demo)  # Thu Bồn: reads other communes' profiles as the public
    district = officer.get("/api/profiles/district/").json()
    assert district == Client().get("/api/profiles/district/").json()
    assert len(district["children"]) == 4
    nam_phuoc = AdminUnit.objects.get(version__slug="danang-2025", code="20599")
    profile = officer.get(f"/api/profiles/units/{nam_phuoc.pk}/")
    assert profile.json() == Client().get(f"/api/profiles/units/{nam_phuoc.pk}/").json()
    assert Client().get("/api/profiles/units/999999/").status_code == 404
    assert Client().get("/api/profiles/district/", {"period": "2025-Q5"}).status_code == 400


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2025", "2025-01-01", "2025-12-31"),
        ("2024-Q1", "2024-01-01", "2024-03-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2025-12", "2025-12-01", "2025-12-31"),
    ],
)
def test_periods(value: str, start: str, end: str) -> None:
    period = period_parse(value)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize(
    ("query", "first", "note"),
    [
        ("duy hoa", "Xã Thu Bồn", "Xã Duy Hòa"),  # an old name, unaccented, leads to its successor
        ("Thu Bồn", "Xã Thu Bồn", None),
        ("XA NAM PHUOC", "Xã Nam Phước", None),
        ("20611", "Xã Thu Bồn", None),
        ("tram y te duy son", "Trạm Y tế xã Duy Sơn", None),
    ],
)
def test_search(demo: dict[str, str], query: str, first: str, note: str | None) -> None:
    results = Client().get("/api/search/", {"q": query}).json()["results"]
    assert results[0]["label"] == first
    assert (note in results[0]["note"]["vi"]) if note else results[0]["note"] is None
    assert results[0]["bbox"] or results[0]["point"]
    assert Client().get(results[0]["detail"]).status_code == 200


@pytest.mark.parametrize("query", ["tram y te", "nam phuoc", "20599"])
def test_a_commune_officer_finds_what_the_public_finds(demo: dict[str, str], query: str) -> None:
    officer = _login("canboxa", demo)  # Thu Bồn: Nam Phước lies outside the scope
    everyone = Client().get("/api/search/", {"q": query}).json()["results"]
    assert everyone and officer.get("/api/search/", {"q": query}).json()["results"] == everyone
    scope = access.scope_unit_ids(User.objects.get(username="canboxa"))
    units = {r["id"] for r in everyone if r["type"] == "unit"}
    ids = [r["id"] for r in everyone if r["type"] == "facility"]
    # Hits outside the officer's communes are there: the officer is not kept to the scope.
    assert units - scope or Facility.objects.filter(pk__in=ids).exclude(unit__in=scope).exists()


def test_near_me(demo: dict[str, str]) -> None:
    station = Facility.objects.get(code__startswith="TTYT")
    body = (
        Client()
        .get("/api/nearby/", {"lon": station.geom.x, "lat": station.geom.y, "limit": 5})
        .json()
    )
    distances = [f["properties"]["distance_m"] for f in body["features"]]
    assert body["features"][0]["properties"]["code"] == station.code and distances[0] < 1
    assert distances == sorted(distances) and len(distances) == 5
    assert Client().get("/api/nearby/", {"lon": "x", "lat": 1}).status_code == 400


def test_choropleth_table_csv(demo: dict[str, str]) -> None:
    response = Client().get(
        "/tiles/table/facilities-per-commune.csv",
        {"method": "manual", "classes": 3, "breaks": "20,25"},
    )
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["code"] for r in rows] == ["20599", "20611", "20623", "20635"]
    for row in rows:
        value = int(row["facilities"])
        assert int(row["class_manual"]) == 1 + (value >= 20) + (value >= 25)


def _geojson(path: Path, name: str = "Xã Thu Bồn") -> Path:
    unit = AdminUnit.objects.get(version__slug="danang-2025", code="20611")
    other = AdminUnit.objects.get(version__slug="danang-2025", code="20599")
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "20611", "name": name},
                        "geometry": json.loads(unit.geom.geojson),
                    },
                    {
                        "type": "Feature",
                        "properties": {"code": "20599", "name": "Xã Nam Phước"},
                        "geometry": json.loads(other.geom.buffer(0.01).geojson),
                    },
                    {
                        "type": "Feature",
                        "properties": {"code": "29999", "name": "Xã Mới"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[108.5, 15.9], [108.6, 15.9], [108.6, 16.0], [108.5, 15.9]]
                            ],
                        },
                    },
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def test_gis_officer_uploads_reviews_and_publishes(demo: dict[str, str], tmp_path: Path) -> None:
    path = _geojson(tmp_path / "draft.geojson")
    assert (
        Client().post("/api/boundary-versions/import/", {"file": path.open("rb")}).status_code
        == 403
    )
    gis = _login("gis", demo)
    dry = gis.post("/api/boundary-versions/import/", {"file": path.open("rb"), "dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["version"] is None
    assert dry.json()["report"]["features"] == 3
    response = gis.post(
        "/api/boundary-versions/import/",
        {
            "file": path.open("rb"),
            "name": "Điều chỉnh 2026",
            "slug": "dc-2026",
            "valid_from": "2026-01-01",
        },
    )
    assert response.status_code == 201 and response.json()["version"] == "dc-2026"
    changes = dict(AdminUnit.objects.filter(version__slug="dc-2026").values_list("code", "change"))
    assert changes == {"20611": "same", "20599": "changed", "29999": "new"}
    assert gis.post("/api/boundary-versions/dc-2026/publish/").status_code == 200
    assert BoundaryVersion.objects.get(slug="danang-2025").valid_to.isoformat() == "2025-12-31"
    assert gis.post("/api/boundary-versions/dc-2026/publish/").status_code == 409


def test_upload_errors_are_clear(demo: dict[str, str], tmp_path: Path) -> None:
    gis = _login("gis", demo)
    assert gis.post("/api/boundary-versions/import/", {}).status_code == 400
    (tmp_path / "x.txt").write_text("x")
    bad = gis.post("/api/boundary-versions/import/", {"file": (tmp_path / "x.txt").open("rb")})
    assert bad.status_code == 400 and "Định dạng .txt" in bad.json()["message"]
    broken = tmp_path / "broken.geojson"
    broken.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"code": "1", "name": "A"}, "geometry": None}
                ],
            }
        )
    )
    failed = gis.post("/api/boundary-versions/import/", {"file": broken.open("rb")})
    assert failed.status_code == 422
    assert failed.json()["details"]["findings"][0]["check"] == "empty_geometry"
    assert not BoundaryVersion.objects.filter(slug="broken").exists()


def test_me(demo: dict[str, str]) -> None:
    assert Client().get("/api/me/").json() == {
        "username": None,
        "role": None,
        "role_label": None,
        "can": [],
    }
    body = _login("canboxa", demo).get("/api/me/").json()
    assert body["role"] == "commune_officer" and body["role_label"]["en"] == "Commune officer"
    assert body["can"] == []  # the map app offers boundary work by capability, not by role
    assert _login("gis", demo).get("/api/me/").json()["can"] == ["boundaries.import"]
