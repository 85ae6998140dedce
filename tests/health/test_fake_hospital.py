"""The fake hospital software goes on with the demo's world: patients in hospital at the
snapshot are discharged when their stay ends, new encounters keep arriving, and a pull into the
demo's source updates the first and adds the others."""

import datetime as dt

from gisioc.health import demo
from gisioc.health.demo_visit import ADMITTED, STATUS
from gisioc.health.fake import FakeHospital
from gisioc.health.models import Encounter
from gisioc.ingest.fake_feed import fake_serving
from gisioc.ingest.pull.services import pull_run, pull_source_add
from gisioc.ingest.services import ingest_rows
from gisioc.periods import VIETNAM

LATER = demo.SNAPSHOT + dt.timedelta(days=2)


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y%m%d%H%M").replace(tzinfo=VIETNAM)


def test_the_fake_discharges_the_snapshot_inpatients_and_admits_new_patients(geo: None) -> None:
    opened = [r for r in demo.demo_encounter_rows() if r.values[STATUS] == ADMITTED]
    assert 40 < len(opened) < 300  # the centre's inpatients (180 beds) on a Saturday evening
    ingest_rows(system="health", rows=opened, source=demo.SOURCE, progress=lambda _: None)
    stored = Encounter.objects.filter(source=demo.SOURCE)
    assert stored.filter(discharged_at__isnull=True).count() == len(opened)
    fake = FakeHospital(as_of=LATER)
    records = fake.records()
    codes = {r.values["MA_LK"] for r in opened}
    moved = [r for r in records if r["MA_LK"] in codes]
    new = [r for r in records if r["MA_LK"] not in codes]
    assert moved and all(demo.SNAPSHOT < _moment(r["NGAY_RA"]) <= LATER for r in moved)
    assert len(new) > 200 and all(demo.SNAPSHOT < _moment(r["NGAY_VAO"]) <= LATER for r in new)
    assert {r["MA_CSKCB"] for r in new} >= {"TTYT-DX", "TYT-20611"}
    assert all(r["HO_TEN"] and r["MA_BN"] for r in new)  # the API sends who; we keep none
    with fake_serving(fake) as url:
        pull_source_add(system="health", source=demo.SOURCE, url=url, every_minutes=1)
        report = pull_run(source=demo.SOURCE, timeout=30.0, progress=lambda _: None)
    assert (report.status, report.rejected, report.not_located) == ("done", 0, 0)
    assert (report.updated, report.created) == (len(moved), len(new))
    assert stored.filter(discharged_at__isnull=True).count() == len(opened) - len(moved) + sum(
        1 for r in new if not r["NGAY_RA"]
    )
    discharged = stored.get(external_id=moved[0]["MA_LK"])
    assert discharged.discharged_at == _moment(moved[0]["NGAY_RA"])
    assert discharged.treatment_days == moved[0]["SO_NGAY_DTRI"] and discharged.discharge
    assert fake.catch_up(LATER) == []  # nothing new at the same moment
    assert len(fake.catch_up(LATER + dt.timedelta(days=1))) > 50  # a running fake goes on
