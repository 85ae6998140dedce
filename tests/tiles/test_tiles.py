"""Vector tiles decoded and checked: features, properties, clusters, caps, filters, access."""

import dataclasses
import gzip
import re

import mapbox_vector_tile
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from gisioc.geo.demo import users_demo_load
from gisioc.geo.models import AdminUnit, Facility
from gisioc.geo.selectors import vietnam_today
from layers.registry import registry
from tiles import pyramid
from tiles.cache import render
from tiles.sql import TileQuery, tile_for

pytestmark = pytest.mark.django_db
CENTRE = (108.25, 15.8)


def _url(
    layer: str, z: int, lon: float = CENTRE[0], lat: float = CENTRE[1], query: str = ""
) -> str:
    x, y = tile_for(lon, lat, z)
    return f"/tiles/{layer}/{z}/{x}/{y}.mvt" + (f"?{query}" if query else "")


def _decode(response) -> dict:
    assert response.status_code in (200, 204), response.content[:200]
    if response.status_code == 204:
        return {}
    data = response.content
    if response.headers.get("Content-Encoding") == "gzip":
        data = gzip.decompress(data)
    return mapbox_vector_tile.decode(data)


def _get(client: Client, url: str) -> dict:
    return _decode(client.get(url, HTTP_ACCEPT_ENCODING="gzip"))


def test_admin_units_tile_has_units_labels_and_only_exposed_properties(demo: None) -> None:
    # The district straddles 108.28°E, a tile edge: read the tile on each side.
    tiles = [_get(Client(), _url("admin-units", 10, lon)) for lon in (108.2, 108.35)]
    units = [f for tile in tiles for f in tile["admin-units"]["features"]]
    assert {f["properties"]["code"] for f in units} == {"20599", "20611", "20623", "20635"}
    tile = tiles[0]
    layer = registry.get("admin-units")
    assert all(set(f["properties"]) == set(layer.properties) for f in units)
    assert all(f["properties"]["approximate"] is True for f in units)
    assert {f["properties"]["label"] for f in tile["admin-units-labels"]["features"]} <= {
        "Nam Phước",
        "Thu Bồn",
        "Duy Xuyên",
        "Duy Nghĩa",
    }


def test_old_version_by_filter(demo: None) -> None:
    tile = _get(Client(), _url("admin-units-version", 7, query="version=duyxuyen-2019"))
    names = {f["properties"]["name"] for f in tile["admin-units-version"]["features"]}
    assert "Xã Duy Hòa" in names and "Xã Thu Bồn" not in names and len(names) == 13


def test_public_points_carry_no_location_internals(demo: None) -> None:
    tile = _get(
        Client(), _url("facilities", 14, *Facility.objects.get(code__startswith="TTYT").geom)
    )
    for feature in tile["facilities"]["features"]:
        assert set(feature["properties"]) == {"code", "name", "kind", "subtype"}


def test_points_cluster_at_low_zoom_with_counts(demo: None) -> None:
    tile = _get(Client(), _url("facilities", 7))
    clusters = tile["facilities"]["features"]
    inside = [f for f in clusters if all(0 <= c < 4096 for c in f["geometry"]["coordinates"])]
    in_service = Facility.objects.in_service(vietnam_today())  # not the 15 the reform closed
    assert sum(f["properties"]["count"] for f in inside) == in_service.count() == 87
    assert len(clusters) < 87 and all(set(f["properties"]) == {"count"} for f in clusters)


def test_filter_by_kind(demo: None) -> None:
    tile = _get(Client(), _url("facilities", 7, query="kind=health"))
    assert (
        sum(f["properties"]["count"] for f in tile["facilities"]["features"])
        == Facility.objects.filter(kind="health").count()
    )
    unclustered = _get(Client(), _url("facilities", 12, query="kind=school"))
    assert {f["properties"]["kind"] for f in unclustered["facilities"]["features"]} == {"school"}


def test_feature_cap(demo: None) -> None:
    capped = dataclasses.replace(registry.get("facilities"), max_features=3)
    x, y = tile_for(*CENTRE, 12)
    tile = mapbox_vector_tile.decode(gzip.decompress(render(TileQuery(capped, 12, x, y))[1]))
    assert len(tile["facilities"]["features"]) == 3


def _vertices(geometry: dict) -> int:
    def count(obj) -> int:
        return 1 if isinstance(obj[0], int | float) else sum(count(o) for o in obj)

    return count(geometry["coordinates"])


def test_polygons_are_generalised_by_zoom(demo: None) -> None:
    unit = AdminUnit.objects.get(version__slug="danang-2025", code="20623")
    lon, lat = unit.geom.point_on_surface
    vertices = {}
    for z in (7, 9):
        features = _get(Client(), _url("admin-units", z, lon, lat))["admin-units"]["features"]
        vertices[z] = next(
            _vertices(f["geometry"]) for f in features if f["properties"]["code"] == "20623"
        )
    assert vertices[7] < vertices[9] < unit.geom.num_points / 2


def test_drafts_need_a_gis_officer_and_restricted_layers_apply_the_scope(
    demo: None, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    logins = {
        x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "l.json")
    }
    assert Client().get(_url("boundary-drafts", 10)).status_code == 403
    gis = Client()
    gis.login(username="gis", password=logins["gis"])
    assert gis.get(_url("boundary-drafts", 10)).status_code in (200, 204)
    restricted = dataclasses.replace(
        registry.get("facilities"),
        id="facilities-staff",
        roles=frozenset({"leader", "commune_officer"}),
    )
    monkeypatch.setitem(registry._items, restricted.id, restricted)
    assert Client().get(_url("facilities-staff", 7)).status_code == 403
    officer = Client()
    officer.login(username="canboxa", password=logins["canboxa"])
    counted = sum(
        f["properties"]["count"]
        for f in _get(officer, _url("facilities-staff", 7))["facilities-staff"]["features"]
    )
    thu_bon = Facility.objects.in_service(vietnam_today()).filter(
        unit__code="20611", unit__version__slug="danang-2025"
    )
    assert counted == thu_bon.count() < 87
    leader = Client()
    leader.login(username="lanhdao", password=logins["lanhdao"])
    assert (
        sum(
            f["properties"]["count"]
            for f in _get(leader, _url("facilities-staff", 7))["facilities-staff"]["features"]
        )
        == 87
    )
    assert User.objects.get(username="canboxa").access.role == "commune_officer"


def test_a_write_changes_the_next_tile_and_only_that_layers_etag(demo: None) -> None:
    client = Client()
    facility = Facility.objects.get(code__startswith="TTYT")
    url = _url("facilities", 14, *facility.geom)
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    units_url = _url("admin-units", 10)
    units_etag = client.get(units_url).headers["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"]).status_code == 304
    with connection.cursor() as cursor:  # an UPDATE that touches no row changes nothing
        cursor.execute("UPDATE geo_facility SET name = name WHERE false")
    assert client.get(url).headers["ETag"] == first.headers["ETag"]
    Facility.objects.filter(pk=facility.pk).update(name="Trung tâm Y tế khu vực Duy Xuyên")
    second = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert second.headers["ETag"] != first.headers["ETag"]
    names = {f["properties"]["name"] for f in _decode(second)["facilities"]["features"]}
    assert "Trung tâm Y tế khu vực Duy Xuyên" in names
    assert client.get(units_url).headers["ETag"] == units_etag
    assert client.get(units_url, HTTP_IF_NONE_MATCH=units_etag).status_code == 304


def test_cached_tile_is_served_from_disk(demo: None, private_cache) -> None:
    client = Client()
    first = client.get(_url("admin-units", 11), HTTP_ACCEPT_ENCODING="gzip")
    stored = list((private_cache / "cache" / "tiles" / "admin-units").rglob("*.mvt.gz"))
    assert len(stored) == 1 and stored[0].read_bytes() == first.content
    stored[0].write_bytes(
        gzip.compress(b"", mtime=0)
    )  # prove the second answer comes from the file
    assert client.get(
        _url("admin-units", 11), HTTP_ACCEPT_ENCODING="gzip"
    ).content == gzip.compress(b"", mtime=0)


def test_plain_clients_get_uncompressed_tiles_and_empty_tiles_are_204(demo: None) -> None:
    response = Client().get(_url("admin-units", 12))
    assert "Content-Encoding" not in response.headers
    assert mapbox_vector_tile.decode(response.content)["admin-units"]["features"]
    empty = Client().get(_url("admin-units", 12, 105.85, 21.03))
    assert empty.status_code == 204 and empty.content == b""


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/tiles/nope/1/0/0.mvt", 404),
        ("/tiles/admin-units/3/9/0.mvt", 400),
        ("/tiles/admin-units/25/0/0.mvt", 400),
        ("/tiles/facilities/10/1/1.mvt?kind=zoo", 400),
        ("/tiles/facilities/10/1/1.mvt?colour=red", 400),
        ("/tiles/legend/facilities-per-commune.json?method=kmeans", 400),
        ("/tiles/legend/facilities-per-commune.json?indicator=population", 400),
        ("/tiles/legend/facilities-per-commune.json?classes=x", 400),
        ("/tiles/nope.json", 404),
    ],
)
def test_bad_requests_get_clear_4xx(demo: None, url: str, status: int) -> None:
    response = Client().get(url)
    assert response.status_code == status
    assert response.json()["message"]


def _plan(layer_id: str, z: int, lon: float, lat: float, filters=()) -> str:
    x, y = tile_for(lon, lat, z)
    from tiles.sql import tile_sql

    sql, params = tile_sql(TileQuery(registry.get(layer_id), z, x, y, filters))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_tile_sql_uses_the_spatial_index(shared_boundaries, db: None) -> None:
    from gisioc.geo.services import ImportOptions, boundary_import, boundary_publish

    boundary_import(
        path=shared_boundaries / "vietnam_2025_communes_simplified.geojson",
        options=ImportOptions(slug="vn", name="vn"),
        progress=lambda _: None,
    )
    boundary_publish(slug="vn", progress=lambda _: None)
    with connection.cursor() as cursor:
        cursor.execute("""INSERT INTO geo_facility (kind, subtype, code, name, folded_name, address,
                            attributes, active, geom, locate_method, locate_reason)
                          SELECT 'camera', '', 'C' || i, 'c', 'c', '', '{}', true,
                                 ST_SetSRID(ST_MakePoint(102 + (i % 1000) * 0.01,
                                                         9 + (i / 1000) * 0.01), 4326), 'none', ''
                          FROM generate_series(1, 50000) AS i""")
        cursor.execute("ANALYZE geo_adminunit; ANALYZE geo_facility")
    units_plan = _plan("admin-units-version", 14, 105.85, 21.03, (("version", "vn"),))
    points_plan = _plan("facilities", 14, 103, 9.1)
    assert re.search(r"Index Scan (using|on) geo_adminunit_geom_\w+_id", units_plan), units_plan
    assert re.search(r"Index Scan (using|on) geo_facility_geom_\w+_id", points_plan), points_plan
    assert "Seq Scan on geo_adminunit" not in units_plan


def _clusters(data: bytes, layer_id: str) -> list[tuple[int, tuple[int, int]]]:
    tile = mapbox_vector_tile.decode(gzip.decompress(data)) if data else {}
    features = tile.get(layer_id, {}).get("features", [])
    return sorted((f["properties"]["count"], tuple(f["geometry"]["coordinates"])) for f in features)


@pytest.mark.parametrize("z", [5, 6, 7, 8, 9])
def test_low_zoom_clusters_from_the_base_grid_equal_clustering_on_the_fly(
    demo: None, z: int
) -> None:
    from tiles import pyramid
    from tiles.sql import tile_sql

    layer = registry.get("facilities")
    x, y = tile_for(*CENTRE, z)
    for filters in ((), (("kind", "school"),)):
        q = TileQuery(layer, z, x, y, filters)
        assert pyramid.usable(q)
        grid = render(q)[1]
        sql, params = tile_sql(q)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            on_the_fly = gzip.compress(bytes(cursor.fetchone()[0]))
        assert _clusters(grid, "facilities") == _clusters(on_the_fly, "facilities") != []


def test_base_grid_follows_writes(demo: None) -> None:
    client = Client()
    url = _url("facilities", 6)
    before = sum(f["properties"]["count"] for f in _get(client, url)["facilities"]["features"])
    station = Facility.objects.get(code__startswith="TTYT")
    Facility.objects.create(
        kind="camera",
        code="CAM-NEW",
        name="Camera mới",
        folded_name="camera moi",
        geom=station.geom,
        unit=station.unit,
    )
    after = sum(f["properties"]["count"] for f in _get(client, url)["facilities"]["features"])
    assert after == before + 1
    schools = _get(client, _url("facilities", 6, query="kind=school"))["facilities"]["features"]
    assert (
        sum(f["properties"]["count"] for f in schools)
        == Facility.objects.filter(kind="school").count()
    )


@pytest.mark.parametrize(
    ("layer", "z", "grid"),
    [("facilities", 5, True), ("facilities", 14, False), ("admin-units", 11, False)],
)
def test_an_uncached_tile_reads_its_version_in_its_own_statement(
    demo: None, no_cache: None, layer: str, z: int, grid: bool
) -> None:
    client, url = Client(), _url(layer, z)
    assert _get(client, url)  # builds the base grid when it is missing
    with CaptureQueriesContext(connection) as asked:
        first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200
    assert len(asked.captured_queries) == 1, [q["sql"][:60] for q in asked.captured_queries]
    sql = asked.captured_queries[0]["sql"]
    assert "tiles_tableversion" in sql and "ST_AsMVT" in sql
    assert ("tiles_clusterbuild" in sql) == grid  # and its base grid's
    # The version read in SQL is the one the version-first path reads: same ETag, so a 304.
    again = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304


def test_a_grid_that_never_catches_up_is_a_clear_503(
    demo: None, no_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _get(Client(), _url("facilities", 5))
    Facility.objects.filter(code__startswith="TTYT").update(name="Trạm mới")
    monkeypatch.setattr(pyramid, "build", lambda layer, version: None)  # never rebuilt
    response = Client().get(_url("facilities", 5), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "being updated" in response.json()["message"]


def test_version_triggers_go_on_the_source_tables_that_exist(db: None) -> None:
    from tiles.apps import _install_triggers

    with connection.cursor() as cursor:  # as `migrate documents zero` leaves it
        cursor.execute("DROP TABLE documents_document CASCADE")
        cursor.execute("DROP TRIGGER gisioc_version_ins ON geo_facility")
    _install_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'geo_facility'::regclass "
            "AND tgname LIKE 'gisioc_version_%%'"
        )
        assert cursor.fetchone()[0] == 4  # put back: insert, update, delete, truncate


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/tiles/style.json", 200),
        ("/tiles/admin-units.json", 200),
        ("/tiles/legend/facilities-per-commune.json", 200),
        ("/tiles/fonts/Noto Sans Regular/0-255.pbf", 200),
        ("/tiles/nope/1/0/0.mvt", 404),  # errors too, so another site's map can read them
    ],
)
def test_any_site_may_draw_the_public_layers(demo: None, url: str, status: int) -> None:
    response = Client().get(url)
    assert response.status_code == status
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_the_rest_of_the_api_is_not_opened_to_other_sites(demo: None) -> None:
    assert "Access-Control-Allow-Origin" not in Client().get("/api/me/").headers
