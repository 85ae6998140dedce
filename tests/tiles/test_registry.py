"""The registry fails `manage.py check` loudly; style.json and TileJSON are built from it."""

import dataclasses
import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from gisioc.texts import Text
from layers.registry import LayerFilter, LayerRegistry, registry
from tiles.versions import layer_versions

pytestmark = pytest.mark.django_db
T = Text("Khác", "Other")


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> LayerRegistry:
    """A copy of the real registry that a test may break."""
    copy = LayerRegistry()
    copy.register(*registry)
    monkeypatch.setattr("layers.checks.registry", copy)
    return copy


def test_the_real_registry_passes() -> None:
    call_command("check")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"properties": ("code", "population")}, "names field 'population'"),
        ({"minzoom": 14, "maxzoom": 6}, "zoom range 14–6 cannot render"),
        ({"maxzoom": 30}, "cannot render"),
        ({"source": "geo.Nothing"}, "is not a model"),
        ({"id": "Bad Id"}, "must be lower-case"),
        ({"cluster_below": 9}, "only point layers can cluster"),
    ],
)
def test_a_broken_layer_fails_the_check(broken: LayerRegistry, change: dict, message: str) -> None:
    layer = dataclasses.replace(registry.get("admin-units"), **change)
    broken._items[layer.id] = layer
    with pytest.raises(SystemCheckError, match=message):
        call_command("check")


def test_points_clustered_past_maxzoom_fail_the_check(broken: LayerRegistry) -> None:
    """Overzoomed z14 tiles of points clustered below z16 would show clusters at every zoom."""
    layer = dataclasses.replace(registry.get("facilities"), cluster_below=16)
    broken._items[layer.id] = layer
    with pytest.raises(SystemCheckError, match="clusters below z16 but stops at maxzoom 14"):
        call_command("check")


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (
            LayerFilter("kind", "code", "choice", Text("Loại", "Kind"), ("a",), labels={"b": T}),
            "labels values that are not its choices",
        ),
        (
            LayerFilter("near", "id", "int", Text("Cơ sở", "Facility"), selected="nowhere"),
            "follows 'nowhere'",
        ),
        (
            LayerFilter("near", "id", "text", Text("Cơ sở", "Facility"), selected="facilities"),
            "an int filter",
        ),
    ],
)
def test_a_broken_filter_fails_the_check(
    broken: LayerRegistry, flt: LayerFilter, message: str
) -> None:
    layer = dataclasses.replace(registry.get("admin-units"), filters=(flt,))
    broken._items[layer.id] = layer
    with pytest.raises(SystemCheckError, match=message):
        call_command("check")
    followed = dataclasses.replace(flt, kind="int", labels={}, selected="facilities")
    broken._items[layer.id] = dataclasses.replace(layer, filters=(followed,))
    call_command("check")  # a facility picked on the facilities layer may fill it


def test_a_public_layer_may_not_expose_personal_fields(
    broken: LayerRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gisioc.geo.models import Facility

    monkeypatch.setattr(Facility, "personal_fields", frozenset({"address"}), raising=False)
    layer = dataclasses.replace(
        registry.get("facilities"), source="geo.Facility", properties=("code", "address")
    )
    broken._items[layer.id] = layer
    with pytest.raises(SystemCheckError, match="exposes personal data: address"):
        call_command("check")
    broken._items[layer.id] = dataclasses.replace(layer, roles=frozenset({"leader"}))
    call_command("check")


def test_registering_twice_fails_the_check(broken: LayerRegistry) -> None:
    broken.register(registry.get("facilities"))
    with pytest.raises(SystemCheckError, match="'facilities' is registered twice"):
        call_command("check")


def test_style_is_complete_local_and_follows_access(demo: None, tmp_path) -> None:
    style = Client().get("/tiles/style.json").json()
    assert style["version"] == 8
    assert style["glyphs"].startswith("http://testserver/tiles/fonts/")
    assert style["sprite"] == "http://testserver/tiles/sprites/sprite"
    public = [layer.id for layer in registry if layer.public]
    assert set(style["sources"]) == set(public)
    for source in style["sources"].values():
        assert source["tiles"][0].startswith("http://testserver/tiles/")
    ids = [layer["id"] for layer in style["layers"]]
    assert len(ids) == len(set(ids)) and "admin-units-labels" in ids
    assert {m["id"] for m in style["metadata"]["gisioc:layers"]} == set(public)
    choropleth = next(x for x in style["layers"] if x["id"] == "facilities-per-commune")
    assert choropleth["paint"]["fill-color"][0] == "case"
    assert "boundary-drafts" not in json.dumps(style)
    from gisioc.geo.demo import users_demo_load

    logins = {x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "l")}
    gis = Client()
    gis.login(username="gis", password=logins["gis"])
    assert "boundary-drafts" in gis.get("/tiles/style.json").json()["sources"]


def test_choropleth_without_data_still_has_a_valid_colour(db: None) -> None:
    style = Client().get("/tiles/style.json").json()
    fill = next(x for x in style["layers"] if x["id"] == "facilities-per-commune")["paint"]
    # MapLibre rejects a "step" with no stops: with no values the colour is a constant.
    assert fill["fill-color"][0] == "case" and isinstance(fill["fill-color"][3], str)
    legend = Client().get("/tiles/legend/facilities-per-commune.json").json()
    assert legend["breaks"] == [] and legend["features"] == 0


def test_tilejson(demo: None) -> None:
    body = Client().get("/tiles/facilities.json", {"kind": "school"}).json()
    assert body["tilejson"] == "3.0.0"
    version = layer_versions([registry.get("facilities")])["facilities"]
    url = f"http://testserver/tiles/facilities/{{z}}/{{x}}/{{y}}.mvt?kind=school&v={version}"
    assert body["tiles"] == [url]  # the data version in the URL: a cache in front may keep it
    fields = body["vector_layers"][0]["fields"]
    assert fields == {
        "count": "Number",
        "code": "String",
        "name": "String",
        "kind": "String",
        "subtype": "String",
    }
    west, south, east, north = body["bounds"]
    assert 108.0 < west < east < 108.45 and 15.7 < south < north < 15.9
    units = Client().get("/tiles/admin-units.json", HTTP_ACCEPT_LANGUAGE="en").json()
    assert units["name"] == "Communes in force"
    assert [v["id"] for v in units["vector_layers"]] == ["admin-units", "admin-units-labels"]


def test_legend_classes_follow_method_and_indicator(demo: None) -> None:
    from gisioc.geo.models import UnitFacilityCount

    counts = sorted(UnitFacilityCount.objects.values_list("schools", flat=True))
    body = (
        Client()
        .get(
            "/tiles/legend/facilities-per-commune.json",
            {"indicator": "schools", "method": "equal_interval", "classes": 2},
        )
        .json()
    )
    assert body["kind"] == "choropleth" and body["indicator"] == "schools"
    assert body["breaks"] == [(counts[0] + counts[-1]) / 2]
    assert sum(c["count"] for c in body["classes"]) == len(counts) == 4
    assert body["classes"][0]["min"] == counts[0] and body["classes"][-1]["max"] == counts[-1]
    manual = (
        Client()
        .get(
            "/tiles/legend/facilities-per-commune.json",
            {"method": "manual", "classes": 3, "breaks": "20,25"},
        )
        .json()
    )
    assert manual["breaks"] == [20, 25] and len(manual["classes"]) == 3
    facilities = Client().get("/tiles/legend/facilities.json").json()
    assert facilities["kind"] == "categorical" and len(facilities["items"]) == 5
