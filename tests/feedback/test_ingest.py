"""Reports pushed by the chatbot, Zalo, Facebook, e-mail and app senders: received through the
workflow, the reporter's details on the report and never in the raw audit rows or logs."""

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from rest_framework.test import APIClient

from gisioc.feedback.ingest import category_of
from gisioc.feedback.models import Report, ReportEvent
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.models import RawRecord
from gisioc.ingest.services import ingest_file

pytestmark = pytest.mark.usefixtures("geo")
URL = "/api/ingest/feedback/batches/"
NAME, PHONE, EMAIL = "Trần Thị Bích Ngọc", "0905111222", "ngoc.tran@example.vn"


def _record(n: int, **more: Any) -> dict[str, Any]:
    return {
        "MaTinNhan": f"ZL-{n:04d}",
        "LinhVuc": "Ngập úng",
        "NoiDung": f"Nước ngập sâu 40 cm trước nhà số {n}, thôn Mỹ Hòa, cống bị tắc.",
        "Kenh": "Zalo",
        "ThoiGian": "2025-10-20T07:15:00+07:00",
        "KinhDo": 108.2301,
        "ViDo": 15.8052,
        "HoTen": NAME,
        "SoDienThoai": PHONE,
        "Email": EMAIL,
        "AnDanh": "không",
        **more,
    }


def _push(client: APIClient, key: str, batch: str, records: list[dict[str, Any]]) -> Any:
    return client.post(
        URL,
        data=json.dumps({"idempotency_key": batch, "records": records}, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )


@pytest.fixture
def key(db: None) -> str:
    """A push key of the Zalo OA sender."""
    return source_key_create(system="feedback", source="zalo-oa")[1]


def test_a_pushed_report_keeps_its_reporter_on_the_report_but_not_in_the_raw_row(
    key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = _push(APIClient(), key, "b1", [_record(1)])
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["created"], body["rejected"], body["not_located"]) == (1, 0, 0), body
    report = Report.objects.get(source="zalo-oa", external_id="ZL-0001")
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (
        NAME,
        PHONE,
        EMAIL,
    )
    assert (report.category, report.channel, report.status, report.anonymous) == (
        "thoat_nuoc",
        "zalo",
        "received",
        False,
    )
    assert report.ticket.startswith("PA-2510-") and report.run_id == body["run"]
    assert report.unit is not None and report.unit.version.slug == "danang-2025"
    assert report.due_on is not None  # the workflow's deadline, from the category's days
    event = ReportEvent.objects.get(report=report)
    assert (event.action, event.public, event.actor_label) == ("receive", True, "Zalo")
    raw = RawRecord.objects.get(run_id=body["run"], row=1).raw
    kept = json.dumps(raw, ensure_ascii=False)
    for secret in (NAME, PHONE, EMAIL, "thôn Mỹ Hòa"):
        assert secret not in kept
    assert raw["MaTinNhan"] == "ZL-0001" and raw["LinhVuc"] == "Ngập úng"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert NAME not in logged and PHONE not in logged


def test_category_words_and_codes() -> None:
    assert category_of("Đèn đường") == "chieu_sang"
    assert category_of("RÁC THẢI") == "moi_truong"
    assert category_of("ngập úng sau mưa lớn") == "thoat_nuoc"
    assert category_of("trat_tu_xay_dung") == "trat_tu_xay_dung"
    assert category_of("Lấn chiếm lòng lề đường") == "trat_tu_giao_thong"
    assert category_of("thời tiết đẹp") is None


def test_a_bad_category_is_a_row_error_and_good_rows_are_kept(key: str) -> None:
    client = APIClient()
    records = [
        _record(1, LinhVuc="Chuyện phiếm"),
        _record(2, LinhVuc="đèn đường", Kenh="Facebook"),
        _record(3, KinhDo=15.8, ViDo=108.2),  # swapped
        _record(4, Kenh="chatbot", KinhDo=None, ViDo=None, DiaChi="Xã Thu Bồn"),
    ]
    body = _push(client, key, "b1", records).json()
    assert (body["received"], body["created"], body["rejected"]) == (4, 2, 2), body
    first, swapped = body["errors"]
    assert (first["row"], first["field"]) == (1, "category")
    assert "Chuyện phiếm" in first["vi"] and "ngập úng" in first["vi"]
    assert "unknown category" in first["en"]
    assert (swapped["row"], swapped["field"]) == (3, "lon")
    lit = Report.objects.get(external_id="ZL-0002")
    assert (lit.category, lit.channel) == ("chieu_sang", "facebook")
    by_address = Report.objects.get(external_id="ZL-0004")
    assert by_address.geom is None and by_address.unit.name == "Xã Thu Bồn"
    assert by_address.address_text == "Xã Thu Bồn"
    assert "Xã Thu Bồn" not in json.dumps(RawRecord.objects.get(row=4).raw, ensure_ascii=False)


def test_a_replay_under_a_new_batch_is_unchanged_and_keeps_the_workflow(key: str) -> None:
    client = APIClient()
    _push(client, key, "b1", [_record(1), _record(2)])
    report = Report.objects.get(external_id="ZL-0001")
    ticket = report.ticket
    Report.objects.filter(pk=report.pk).update(status="verified")  # staff moved it on
    again = _push(client, key, "b2", [_record(1, NoiDung="Sửa lại"), _record(2), _record(3)])
    body = again.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (1, 0, 2), body
    report.refresh_from_db()
    assert (report.ticket, report.status) == (ticket, "verified")
    assert report.description.startswith("Nước ngập sâu")
    assert Report.objects.filter(source="zalo-oa").count() == 3


def test_an_email_file_imports_with_its_call_time_checked(tmp_path: Path) -> None:
    path = tmp_path / "thu.csv"
    path.write_text(
        "Mã phản ánh,Lĩnh vực,Nội dung,Kênh tiếp nhận,Thời gian tiếp nhận,Thời gian gọi,"
        "Địa chỉ,Họ tên,Số điện thoại\n"
        "M-1,Rác,Rác tồn đọng 3 ngày ở chợ,1022,20/02/2026 09:10,20/02/2026 09:02,"
        f"Xã Duy Nghĩa,{NAME},{PHONE}\n"
        "M-2,Rác,Rác tồn đọng,1022,20/02/2026 09:10,20/02/2026 09:30,Xã Duy Nghĩa,,\n",
        encoding="utf-8",
    )
    report = ingest_file(system="feedback", path=path, source="mail", progress=lambda _: None)
    assert (report.created, report.rejected) == (1, 1)
    made = Report.objects.get(source="mail", external_id="M-1")
    assert (made.channel, made.reporter_phone, made.anonymous) == ("hotline", PHONE, True)
    assert made.call_at is not None and made.call_at < made.received_at
    raws = json.dumps(list(RawRecord.objects.values_list("raw", flat=True)), ensure_ascii=False)
    assert PHONE not in raws and NAME not in raws and "Rác tồn đọng" not in raws


def test_every_personal_field_of_a_report_is_fed_by_a_private_field() -> None:
    """What a sender writes into a report's personal fields never reaches a raw audit row."""
    from gisioc.feedback.ingest import PRIVATE

    model_field = {"address": "address_text"}  # ingest field → the report's, where they differ
    assert {model_field.get(f, f) for f in PRIVATE} == Report.personal_fields
