"""A facility's page offers the records held at it, by system, to those who may read them."""

import datetime as dt

import pytest
from django.test import Client

from gisioc.documents.models import Document
from gisioc.geo.models import AdminUnit, Facility, Role, UserAccess
from tests.bodies import json_body
from tests.geo.factories import signed_in

pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2025, 3, 4, 9, 0, tzinfo=dt.UTC)


def _documents(agency: Facility, n: int) -> None:
    for i in range(n):
        Document.objects.create(
            source="test",
            external_id=f"VB-{agency.code}-{i}",
            direction=Document.Direction.INCOMING,
            number_symbol=f"{i + 1}/UBND-VP",
            folded_symbol=f"{i + 1} ubnd vp",
            doc_type=Document.Type.CONG_VAN,
            agency=agency,
            agency_code=agency.code,
            geom=agency.geom,
            unit=agency.unit,
            received_at=RECEIVED,
            status=Document.Status.RECEIVED,
        )


@pytest.mark.usefixtures("geo")
def test_an_agency_offers_its_documents_to_staff_within_their_scope() -> None:
    agency, other = Facility.objects.get(code="UBND-20611"), Facility.objects.get(code="UBND-20599")
    _documents(agency, 3)
    _documents(other, 1)
    url = f"/api/facilities/{agency.pk}/"
    lists = signed_in("lanhdao", Role.LEADER).get(url).json()["properties"]["lists"]
    assert lists == [
        {
            "id": "documents_at_facility",
            "title": {
                "vi": "Quản lý văn bản: văn bản tại cơ sở",
                "en": "Documents: documents here",
            },
            "count": 3,
            "href": "/api/documents/documents/?agency=UBND-20611",
            "type": "document",
        }
    ]
    listed = json_body(signed_in("lanhdao2", Role.LEADER).get(lists[0]["href"]))["features"]
    assert sorted(f["properties"]["number_symbol"] for f in listed) == [
        "1/UBND-VP",
        "2/UBND-VP",
        "3/UBND-VP",
    ]
    assert Client().get(url).json()["properties"]["lists"] == []  # the public reads no records
    elsewhere = signed_in("canboxa", Role.COMMUNE_OFFICER)
    UserAccess.objects.get(user__username="canboxa").units.set(
        AdminUnit.objects.filter(code="20599", version__slug__contains="2019")
    )
    assert elsewhere.get(url).json()["properties"]["lists"] == []  # out of scope: none shown
    assert (
        "lists"
        not in json_body(Client().get("/api/facilities/?kind=agency"))["features"][0]["properties"]
    )
