"""Documents in a real Chromium: an agency drawn by its open documents, and a leader who
reaches an overdue document from the commune's profile."""

import datetime as dt

import pytest
from django.utils import timezone

from gisioc.documents.models import Document
from gisioc.geo.models import Facility
from tests.e2e.conftest import MapPage, Seeded
from tests.e2e.test_dossiers import leader, sign_in  # noqa: F401  (a fixture)

pytestmark = pytest.mark.e2e
AGENCY = "E2E-AGY-7"  # Công an xã Nam Phước


@pytest.fixture
def overdue_document(seeded: Seeded) -> Document:
    """An incoming official letter past its due day, and one already handled."""
    agency = Facility.objects.get(code=AGENCY)
    now = timezone.now()
    common = {
        "source": "e2e",
        "direction": Document.Direction.INCOMING,
        "doc_type": Document.Type.CONG_VAN,
        "issuer": "UBND thành phố Đà Nẵng",
        "agency": agency,
        "agency_code": AGENCY,
        "geom": agency.geom,
        "unit": agency.unit,
        "locate_method": "facility",
    }
    Document.objects.create(
        external_id="E2E-VB-2",
        number_symbol="118/UBND-NC",
        folded_symbol="118 ubnd nc",
        received_at=now - dt.timedelta(days=20),
        due_on=(now - dt.timedelta(days=10)).date(),
        completed_at=now - dt.timedelta(days=12),
        status=Document.Status.COMPLETED,
        **common,
    )
    return Document.objects.create(
        external_id="E2E-VB-1",
        number_symbol="125/UBND-NC",
        folded_symbol="125 ubnd nc",
        summary="V/v rà soát an ninh trật tự dịp cuối năm",
        received_at=now - dt.timedelta(days=9),
        due_on=(now - dt.timedelta(days=3)).date(),
        status=Document.Status.IN_PROGRESS,
        urgency=Document.Urgency.URGENT,
        **common,
    )


def test_an_agency_by_its_open_documents_and_an_overdue_document_from_the_profile(
    map_page: MapPage,
    seeded: Seeded,
    overdue_document: Document,
    leader: str,  # noqa: F811
) -> None:
    map_page.open()
    page = map_page.page
    page.locator("#toggle-agencies-open-documents").check()  # public: aggregates only
    agency = overdue_document.geom
    page.evaluate(f"gisiocMap.jumpTo({{center: [{agency.x}, {agency.y}], zoom: 14}})")
    map_page.settled()
    drawn = page.evaluate(
        "gisiocMap.queryRenderedFeatures({layers: ['agencies-open-documents']})"
        ".map((f) => [f.properties.code, f.properties.open_documents, f.properties.overdue_pct])"
    )
    assert [AGENCY, 1, 100] in drawn  # the handled letter is not open

    sign_in(map_page, leader)
    unit = seeded.ids["90003"]
    page.evaluate(f"history.replaceState(null, '', '?sel=unit:{unit}')")
    page.reload()
    page.wait_for_function("document.body.dataset.mapReady === '1'", timeout=45_000)
    map_page.sheet(f"unit:{unit}")
    sheet = page.locator("#sheet")
    block = sheet.locator('.profile-section[data-section="documents"]')
    assert block.locator('.kpi[data-kpi="overdue"]').get_attribute("data-value") == "1"
    block.locator('button[data-list="documents_overdue"]').click()
    page.locator('#sheet[data-view="list"]:not([aria-busy])').wait_for()
    assert sheet.locator(".records li .record-name").all_inner_texts() == ["125/UBND-NC"]
    sheet.locator(f'.records button[data-id="{overdue_document.pk}"]').click()
    map_page.sheet(f"record:{overdue_document.pk}")
    assert sheet.locator('dd[data-prop="doc_type"]').inner_text() == "Công văn"
    assert sheet.locator('dd[data-prop="urgency"]').inner_text() == "Khẩn"
    assert sheet.locator('dd[data-prop="status"]').inner_text() == "Đang xử lý"
    assert "rà soát an ninh" in sheet.locator('dd[data-prop="summary"]').inner_text()
    map_page.screenshot("map-document-record")
    assert map_page.console_errors == []
