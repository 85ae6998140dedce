"""GET /api/rasters/<name>/exposure/: staff only, a commune officer's scope, JSON, GeoJSON and
a CSV with no personal data; clear errors for an unknown or non-hazard raster and a bad
threshold."""

import csv
import io
from pathlib import Path

import pytest
from django.test import Client

from gisioc.geo.models import Role, UserAccess
from tests.geo.factories import signed_in
from tests.rasters.exposure_world import FloodWorld, centre, flood_world, population

pytestmark = pytest.mark.django_db
URL = "/api/rasters/lu-thu/exposure/"


@pytest.fixture
def world(private_var: Path) -> FloodWorld:
    return flood_world()


def test_a_leader_reads_the_list_kpis_and_the_population_raster_used(world: FloodWorld) -> None:
    population("dan-so")
    body = signed_in("lanh-dao", Role.LEADER).get(URL, {"threshold": "0.5"}).json()
    assert body["threshold"] == 0.5 and body["raster"]["name"] == "lu-thu"
    assert [i["code"] for i in body["items"]][-1] == "TYT-WET"  # the shallowest last
    assert {i["code"] for i in body["items"]} >= {"TH-WET", "MC-WET", "TYT-WET"}
    assert body["population_raster"]["name"] == "dan-so"
    assert body["totals"]["residents"] == 1200
    rows = {r["code"]: r for r in body["by_commune"]}
    assert rows["90001"]["schools"] == 1 and rows["90002"]["health"] == 1
    default = signed_in("ke-hoach", Role.PLANNER).get(URL).json()
    assert default["threshold"] == 0.5 and len(default["items"]) == len(body["items"])


def test_a_commune_officer_reads_their_scope_only(world: FloodWorld) -> None:
    client = signed_in("can-bo-xa", Role.COMMUNE_OFFICER)
    UserAccess.objects.get(user__username="can-bo-xa").units.set([world.binh])
    body = client.get(URL).json()
    assert [i["code"] for i in body["items"]] == ["TYT-WET"]
    assert [r["code"] for r in body["by_commune"]] == ["90002"]
    outside = client.get(URL, {"unit": world.an.id})
    assert outside.status_code == 403 and outside.json()["vi"]
    inside = client.get(URL, {"unit": world.binh.id, "format": "geojson"}).json()
    assert [f["properties"]["code"] for f in inside["features"]] == ["TYT-WET"]


def test_the_public_is_refused(world: FloodWorld) -> None:
    answer = Client().get(URL)
    assert answer.status_code in (401, 403)
    assert "TH-WET" not in answer.content.decode()


def test_geojson_is_the_highlighted_layer_and_a_circle_narrows_it(world: FloodWorld) -> None:
    client = signed_in("hien-truong", Role.FIELD_STAFF)
    answer = client.get(URL, {"format": "geojson"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/geo+json")
    body = answer.json()
    assert body["type"] == "FeatureCollection"
    school = next(f for f in body["features"] if f["properties"]["code"] == "TH-WET")
    assert school["geometry"]["coordinates"] == pytest.approx([centre(15, 20).x, centre(15, 20).y])
    assert school["properties"]["value"] == 1.2
    point = centre(35, 65)
    near = client.get(URL, {"lon": point.x, "lat": point.y, "radius": 300}).json()
    assert [i["code"] for i in near["items"]] == ["TYT-WET"]
    assert near["totals"]["residents"] is None  # a circle: no commune-wide residents


def test_the_csv_has_no_personal_data(world: FloodWorld) -> None:
    answer = signed_in("gis", Role.GIS_OFFICER).get(URL, {"format": "csv", "threshold": "0.49"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert 'filename="anh-huong-lu-thu-0.49.csv"' in answer["Content-Disposition"]
    text = answer.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["code"] for r in rows} >= {"TH-WET", "TH-EDGE", world.places["report_open"].ticket}
    for secret in ("Bí Mật", "0905123456", "bà Lan"):
        assert secret not in text
    assert "reporter" not in rows[0] and "description" not in rows[0]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"threshold": "abc"}, 400, "threshold"),
        ({"threshold": "-1"}, 400, "threshold"),
        ({"threshold": "NaN"}, 400, "threshold"),
        ({"format": "xlsx"}, 400, "format"),
        ({"lon": "108.2"}, 400, None),
        ({"bbox": "1,2,3"}, 400, "bbox"),
        ({"unit": "x"}, 400, "unit"),
    ],
)
def test_bad_parameters_get_a_clear_400(
    world: FloodWorld, params: dict[str, str], status: int, field: str | None
) -> None:
    answer = signed_in("lanh-dao", Role.LEADER).get(URL, params)
    assert answer.status_code == status
    body = answer.json()
    assert body["vi"] and body["en"]
    if field:
        assert field in body.get("fields", {})


def test_unknown_and_non_hazard_rasters(world: FloodWorld) -> None:
    population("dan-so")
    client = signed_in("lanh-dao", Role.LEADER)
    assert client.get("/api/rasters/khong-co/exposure/").status_code == 404
    refused = client.get("/api/rasters/dan-so/exposure/")
    assert refused.status_code == 400
    assert "nguy cơ" in refused.json()["vi"] and "hazard" in refused.json()["en"]
