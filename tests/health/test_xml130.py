"""An XML 130 file (QĐ 130/QĐ-BYT as amended by QĐ 4750/QĐ-BYT), built here, through
`gisioc ingest health file.xml`: table XML1 read from base64, the other tables counted, broken
records refused by name while the good ones are kept, DTDs refused."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from gisioc.health.models import Encounter
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.ingest.services import ingest_file
from gisioc.periods import VIETNAM
from tests.health import xml130_build as x

pytestmark = pytest.mark.django_db


def _encounter(link: str, **values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "MA_LK": link, "STT": 1, "MA_BN": f"BN{link}", "HO_TEN": "Nguyễn Văn Thử",
        "SO_CCCD": "049090000001", "NGAY_SINH": "198503150000", "GIOI_TINH": 1,
        "MA_QUOCTICH": "000", "MA_DANTOC": "01", "DIA_CHI": "Thôn 1, xã Duy Hòa",
        "MATINH_CU_TRU": "49", "MAHUYEN_CU_TRU": "503", "MAXA_CU_TRU": "20611",
        "DIEN_THOAI": "0905000001", "MA_THE_BHYT": "GD4494920000001", "MA_DKBD": "49172",
        "LY_DO_VV": "Sốt cao 3 ngày", "CHAN_DOAN_RV": "Sốt xuất huyết Dengue",
        "MA_BENH_CHINH": "A91", "MA_BENH_KT": "R50.9;E86", "MA_DOITUONG_KCB": "1.1",
        "NGAY_VAO": "202409200815", "NGAY_RA": "202409241000", "SO_NGAY_DTRI": 5,
        "KET_QUA_DTRI": 1, "MA_LOAI_RV": 1, "T_TONGCHI_BV": "3250000.00",
        "T_TONGCHI_BH": "3250000", "T_BHTT": "2600000", "MA_LOAI_KCB": "03", "MA_KHOA": "K03",
        "MA_CSKCB": "TTYT-DX",
    }  # fmt: skip
    return base | values


def _file(tmp_path: Path) -> Path:
    good = _encounter("2024092000001")
    outpatient = _encounter(
        "2025010300002", MA_BN="BN77", MA_BENH_CHINH="j069", MA_BENH_KT="", MA_LOAI_KCB="01",
        NGAY_VAO="202501030730", NGAY_RA="202501030915", SO_NGAY_DTRI=0, KET_QUA_DTRI=2,
        MA_THE_BHYT="", MA_DOITUONG_KCB="2", GIOI_TINH=2, NGAY_SINH="20210601", MA_CSKCB=None,
    )  # fmt: skip
    records = [
        [x.summary(good), x.drugs("2024092000001")],
        [x.summary(outpatient)],
        [x.drugs("2025010300003")],  # no XML1
        [("XML1", b"@@not-base64@@"), x.drugs("2025010300004")],
        [("XML1", "<TONG_HOP><MA_LK>5</MA_LK>")],  # cut off
    ]
    return x.write(tmp_path / "giamdinh_130.xml", "TTYT-DX", records)


def test_an_xml_130_file_imports_its_xml1_and_names_the_broken_records(
    geo: None, tmp_path: Path
) -> None:
    report = ingest_file(system="health", path=_file(tmp_path), source="his-ttyt", progress=print)
    assert (report.status, report.format) == ("done", "xml130")
    assert (report.received, report.created, report.rejected) == (5, 2, 3)
    assert report.not_located == 0
    assert any("XML2 ×3" in note for note in report.notes)
    inpatient = Encounter.objects.get(external_id="2024092000001")
    assert (inpatient.care, inpatient.care_code, inpatient.diagnosis, inpatient.chapter) == (
        "inpatient", "03", "A91", "I",
    )  # fmt: skip
    assert inpatient.other_diagnoses == "R50.9;E86"
    assert inpatient.admitted_at == dt.datetime(2024, 9, 20, 8, 15, tzinfo=VIETNAM)
    assert inpatient.discharged_at == dt.datetime(2024, 9, 24, 10, 0, tzinfo=VIETNAM)
    assert (inpatient.treatment_days, inpatient.outcome, inpatient.discharge) == (
        5,
        "cured",
        "home",
    )
    assert (inpatient.sex, inpatient.age_band, inpatient.insured) == ("m", "25-44", True)
    assert (inpatient.total_cost, inpatient.insurance_paid) == (3_250_000, 2_600_000)
    assert inpatient.facility.code == "TTYT-DX" and inpatient.residence.name == "Xã Duy Hòa"
    child = Encounter.objects.get(external_id="2025010300002")
    assert (child.care, child.diagnosis, child.chapter, child.emergency) == (
        "outpatient", "J06.9", "X", True,
    )  # fmt: skip
    assert (child.sex, child.age_band, child.insured, child.outcome) == (
        "f",
        "0-4",
        False,
        "improved",
    )
    assert child.facility_code == "TTYT-DX"  # the envelope's MACSKCB when XML1 has none
    errors = {r.row: r.errors[0]["en"] for r in RawRecord.objects.filter(outcome="rejected")}
    assert errors == {
        3: "HOSO 3 (MA_LK 2025010300003): no table XML1",
        4: "HOSO 4 (MA_LK 2025010300004): XML1's NOIDUNGFILE is not valid base64",
        5: errors[5],
    }
    assert errors[5].startswith("HOSO 5: XML1 is not well-formed")


def test_the_command_reads_an_xml_file(geo: None, tmp_path: Path) -> None:
    call_command("ingest", "health", str(_file(tmp_path)), "--source", "his-ttyt")
    run = IngestRun.objects.get(source="his-ttyt")
    assert (run.status, run.created, run.rejected) == ("done", 2, 3)


def test_a_dtd_or_another_root_is_refused_whole(db: None, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE GIAMDINHHS [<!ENTITY a "aaaaaaaaaa">]>'
        "<GIAMDINHHS><THONGTINDONVI><MACSKCB>&a;</MACSKCB></THONGTINDONVI></GIAMDINHHS>"
    )
    report = ingest_file(system="health", path=bomb, source="his", progress=lambda _: 0)
    assert report.status == "failed" and "DTD" in report.message
    other = tmp_path / "other.xml"
    other.write_text("<HOADON><MA>1</MA></HOADON>")
    report = ingest_file(system="health", path=other, source="his", progress=lambda _: 0)
    assert report.status == "failed" and "GIAMDINHHS" in report.message
    assert not Encounter.objects.exists()


def test_a_dtd_inside_a_table_refuses_that_record_only(geo: None, tmp_path: Path) -> None:
    inner = (
        '<?xml version="1.0"?><!DOCTYPE T [<!ENTITY e "x">]><TONG_HOP><MA_LK>&e;</MA_LK></TONG_HOP>'
    )
    path = x.write(
        tmp_path / "f.xml", "TTYT-DX", [[("XML1", inner)], [x.summary(_encounter("L2"))]]
    )
    report = ingest_file(system="health", path=path, source="his", progress=lambda _: 0)
    assert (report.status, report.created, report.rejected) == ("done", 1, 1)
    assert "DTD" in RawRecord.objects.get(row=1).errors[0]["en"]
