"""style.json's metadata tells the map app every system, record type and layer purpose, so
the app writes none of them."""

from collections import Counter

import pytest
from django.test import Client

from gisioc.geo.demo import users_demo_load
from gisioc.systems import record_types, systems
from layers.registry import registry

pytestmark = pytest.mark.django_db


def _meta(client: Client) -> dict:
    return client.get("/tiles/style.json").json()["metadata"]


def test_every_system_and_record_type_is_named(db: None) -> None:
    meta = _meta(Client())
    assert list(meta["gisioc:systems"]) == [
        s.name for s in sorted(systems, key=lambda s: (s.order, s.name))
    ]
    assert meta["gisioc:systems"]["boundaries"]["title"] == {
        "vi": "Ranh giới và cơ sở",
        "en": "Boundaries and facilities",
    }
    assert set(meta["gisioc:records"]) == {record.type for _, record in record_types}
    facility = meta["gisioc:records"]["facility"]
    assert facility["detail"] == "/api/facilities/{id}/" and facility["layer"] == "facilities"
    assert facility["title"] == {"vi": "Cơ sở", "en": "Facility"}


def test_record_labels_come_from_ingest_fields_and_the_record_type(db: None) -> None:
    records = _meta(Client())["gisioc:records"]
    dossier, document = records["dossier"], records["document"]
    assert dossier["detail"] == "/api/public-services/dossiers/{id}/"
    assert dossier["labels"]["dossier_code"] == {"vi": "Mã hồ sơ", "en": "Dossier code"}  # field
    # The record type's own label wins where the ingest field's title does not fit.
    assert dossier["labels"]["office_code"] == {"vi": "Mã nơi tiếp nhận", "en": "Office code"}
    assert dossier["labels"]["office_name"]["en"] == "Receiving office"  # no field feeds it
    assert document["labels"]["urgency"] == {"vi": "Độ khẩn", "en": "Urgency"}
    assert document["labels"]["direction"] == {"vi": "Loại sổ", "en": "Register"}


def test_layer_purposes_are_one_each_and_follow_access(db: None, tmp_path) -> None:
    declared = Counter(layer.purpose for layer in registry if layer.purpose)
    assert declared == {"base": 1, "versions": 1, "drafts": 1}
    public = {m["purpose"]: m["id"] for m in _meta(Client())["gisioc:layers"] if m["purpose"]}
    assert set(public) == {"base", "versions"}  # drafts are for GIS officers only
    logins = {x["username"]: x["password"] for x in users_demo_load(logins_file=tmp_path / "l")}
    gis = Client()
    gis.login(username="gis", password=logins["gis"])
    purposes = {m["purpose"] for m in _meta(gis)["gisioc:layers"]}
    assert {"base", "versions", "drafts"} <= purposes
