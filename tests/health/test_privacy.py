"""THE privacy scan: after an XML 130 file, a CSV export and a pushed batch naming patients,
nothing of who they are is anywhere: not in any text or JSON column of any table, not in the
raw audit rows, not in the logs (DEBUG), not in the run reports or printed progress; only the
keyed hash of the patient code, which is the HMAC-SHA256 under the configured key."""

import csv
import hashlib
import hmac
import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from gisioc.health.models import Encounter
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.services import ingest_file
from gisioc.ingest.values import json_ready
from tests.health import xml130_build as x
from tests.health.conftest import TEST_KEY_ID, TEST_SECRET

pytestmark = pytest.mark.django_db

PEOPLE = [  # patient code, name, ID card, insurance card, phone, address, birth date
    ("BN-KIN-000042", "Trương Thị Kín Đáo", "049185777123", "GD4494999888777", "0905777123",
     "Số 17 đường Riêng Tư, thôn Bí Ẩn", "19850315"),
    ("BN-KIN-000043", "Lê Văn Giấu Tên", "049290555321", "TE1494911122233", "0935555321",
     "Tổ 9, khối phố Kín Cổng", "20220401"),
    ("BN-KIN-000044", "Hồ Ngọc Ẩn Danh", "049170444999", "HT3494966655544", "0914444999",
     "Xóm Cao Tường, thôn Kín", "19500101"),
]  # fmt: skip
CSV_HEADERS = [
    "Mã liên kết", "Mã bệnh nhân", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD",
    "Địa chỉ", "Số điện thoại", "Mã thẻ BHYT", "Mã xã cư trú", "Mã bệnh chính", "Ngày vào",
    "Ngày ra", "Mã loại KCB", "Mã cơ sở KCB",
]  # fmt: skip


def _secrets() -> list[str]:
    values = [v for person in PEOPLE for v in person if not v.isdigit() or len(v) > 8]
    births = [p[6] for p in PEOPLE] + [f"{p[6][6:]}/{p[6][4:6]}/{p[6][:4]}" for p in PEOPLE]
    return [*values, *births, *(p[1].split(" ", 1)[1] for p in PEOPLE)]


def _xml(tmp_path: Path) -> Path:
    records = []
    for n, (code, name, card_id, card, phone, address, born) in enumerate(PEOPLE[:2]):
        values = {
            "MA_LK": f"XML-{n}", "MA_BN": code, "HO_TEN": name, "SO_CCCD": card_id,
            "NGAY_SINH": f"{born}0000", "GIOI_TINH": 2, "DIA_CHI": address, "DIEN_THOAI": phone,
            "MA_THE_BHYT": card, "MAXA_CU_TRU": "20611", "LY_DO_VV": f"Người nhà {name} đưa đến",
            "CHAN_DOAN_RV": f"Bệnh nhân {name}", "MA_BENH_CHINH": "A91" if n else "X99.9.9",
            "NGAY_VAO": "202410051000", "NGAY_RA": "202410081000", "MA_LOAI_KCB": "03",
            "MA_CSKCB": "TTYT-DX", "GHI_CHU": f"SĐT người nhà {phone}",
        }  # fmt: skip
        records.append([x.summary(values), x.drugs(f"XML-{n}")])
    return x.write(tmp_path / "xml130.xml", "TTYT-DX", records)


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "xuat_kcb.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(CSV_HEADERS)
        code, name, card_id, card, phone, address, born = PEOPLE[2]
        out.writerow(["CSV-1", code, name, f"{born[6:]}/{born[4:6]}/{born[:4]}", "Nam", card_id,
                      address, phone, card, "20611", "I10", "03/02/2025 08:00",
                      "03/02/2025 09:00", "01", "TYT-20611"])  # fmt: skip
        out.writerow(["CSV-2", code, name, "not a date", "Nam", card_id, address, phone, card,
                      "20611", "I10", "04/02/2025 08:00", "01/02/2025 09:00", "01",
                      "TYT-20611"])  # fmt: skip
    return path


def _push(client: APIClient) -> dict[str, Any]:
    key = source_key_create(system="health", source="his-push")[1]
    code, name, card_id, card, phone, address, born = PEOPLE[0]
    record = {
        "MA_LK": "PUSH-1", "MA_BN": code, "HO_TEN": name, "SO_CCCD": card_id,
        "NGAY_SINH": f"{born}0000", "GIOI_TINH": 2, "DIA_CHI": address, "DIEN_THOAI": phone,
        "MA_THE_BHYT": card, "MAXA_CU_TRU": "20599", "MA_BENH_CHINH": "J06.9",
        "NGAY_VAO": "202507020800", "NGAY_RA": "202507020900", "MA_LOAI_KCB": "01",
        "MA_CSKCB": "PK-DX-01",
    }  # fmt: skip
    answer = client.post(
        "/api/ingest/health/batches/",
        data=json.dumps({"idempotency_key": "p1", "records": [record]}, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def _database_text() -> str:
    """Every text and JSON value of every table of the database, one big string."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb') "
            "AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE')"
        )
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
        parts = []
        for table, names in columns.items():
            joined = ", ".join(f'"{n}"::text' for n in names)
            cursor.execute(f'SELECT concat_ws(chr(31), {joined}) FROM "{table}"')
            parts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(parts)


def test_no_patient_identity_reaches_the_database_raw_rows_logs_or_reports(
    geo: None, tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    reports = [
        ingest_file(system="health", path=_xml(tmp_path), source="his-ttyt", progress=print),
        ingest_file(system="health", path=_csv(tmp_path), source="his-tyt", progress=print),
    ]
    pushed = _push(APIClient())
    assert [(r.created, r.rejected) for r in reports] == [(1, 1), (1, 1)]
    assert (pushed["created"], pushed["rejected"]) == (1, 0)
    assert {"HO_TEN", "SO_CCCD", "DIA_CHI", "DIEN_THOAI"} <= set(reports[0].columns["personal"])
    assert {"Họ và tên", "Số CCCD", "Địa chỉ", "Số điện thoại"} <= set(
        reports[1].columns["personal"]
    )  # named in the report as dropped; MA_BN, NGAY_SINH, MA_THE_BHYT feed the screen
    stored = _database_text()
    assert "XML-1" in stored and "CSV-1" in stored and "PUSH-1" in stored  # the scan sees rows
    everything = "\n".join(
        [
            stored,
            caplog.text,
            "\n".join(json.dumps(json_ready(vars(r)), ensure_ascii=False) for r in reports),
            json.dumps(pushed, ensure_ascii=False),
            capsys.readouterr().out,
        ]
    ).casefold()
    found = [s for s in _secrets() if s.casefold() in everything]
    assert found == []
    key = TEST_SECRET.encode()
    for code, external_id in ((PEOPLE[1][0], "XML-1"), (PEOPLE[2][0], "CSV-1")):
        encounter = Encounter.objects.get(external_id=external_id)
        expected = hmac.new(key, code.encode(), hashlib.sha256).hexdigest()
        assert (encounter.patient_key, encounter.key_id) == (expected, TEST_KEY_ID)
        assert expected in stored  # the scan reads the records and the raw rows
    assert Encounter.objects.get(external_id="XML-1").age_band == "0-4"
    assert Encounter.objects.get(external_id="CSV-1").age_band == "65+"
    assert Encounter.objects.get(external_id="PUSH-1").age_band == "25-44"
