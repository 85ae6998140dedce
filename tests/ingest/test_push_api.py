"""Push API: per-source keys, retried batches as no-ops, limits, row errors, the race, runs."""

import dataclasses
import io
import json
import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.db.models import QuerySet
from rest_framework.test import APIClient

from gisioc.geo.models import Role, UserAccess
from gisioc.ingest import api, push, systems
from gisioc.ingest.keys import source_key_create, source_key_revoke
from gisioc.ingest.models import IngestRun, RawRecord, SourceKey
from gisioc.public_services.ingest import SYSTEM
from gisioc.public_services.models import Dossier

URL = "/api/ingest/public_services/batches/"


def _record(n: int, status: str = "Đang giải quyết", **more: Any) -> dict[str, Any]:
    return {
        "MaHoSo": f"HS-{n:04d}",
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "DonViTiepNhan": "HCC-20611",
        "NgayTiepNhan": "2025-08-04T08:30:00+07:00",
        "TrangThaiHoSo": status,
        "DiaChiNguoiNop": "Thôn 2, xã Duy Hòa, huyện Duy Xuyên, tỉnh Quảng Nam",
        "ChuHoSo": "Nguyễn Văn An",
        "SoDienThoai": "0905123456",
        **more,
    }


def _push(client: APIClient, key: str | None, body: object, url: str = URL) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {key}"} if key else {}
    return client.post(
        url, data=json.dumps(body, ensure_ascii=False), content_type="application/json", **headers
    )


@pytest.fixture
def key(db: None) -> str:
    """A key of source motcua-tinh of public services."""
    return source_key_create(system="public_services", source="motcua-tinh")[1]


@pytest.fixture
def client() -> APIClient:
    """A client without a session."""
    return APIClient()


def _stored(source: str = "motcua-tinh") -> list[tuple[Any, ...]]:
    return sorted(
        Dossier.objects.filter(source=source).values_list(
            "external_id", "status", "finished_at", "unit_id", "run_id"
        )
    )


@pytest.mark.usefixtures("geo")
def test_a_good_key_creates_and_reports(client: APIClient, key: str) -> None:
    answer = _push(client, key, {"idempotency_key": "b1", "records": [_record(1), _record(2)]})
    assert answer.status_code == 201, answer.content
    assert answer["Idempotent-Replayed"] == "false"
    body = answer.json()
    assert (body["kind"], body["status"], body["received"], body["created"]) == (
        "push",
        "done",
        2,
        2,
    )
    assert (body["rejected"], body["not_located"], body["errors"]) == (0, 0, [])
    assert "ChuHoSo" in body["columns"]["personal"]
    assert "SoDienThoai" in body["columns"]["personal"]
    dossier = Dossier.objects.get(dossier_code="HS-0001")
    assert (dossier.source, dossier.status, dossier.unit.name) == (
        "motcua-tinh",
        "in_progress",
        "Xã Thu Bồn",  # the old commune written after the reform, through the crosswalk
    )
    raw = RawRecord.objects.get(run_id=body["run"], row=1).raw
    assert "Nguyễn Văn An" not in json.dumps(raw, ensure_ascii=False)
    assert raw["MaHoSo"] == "HS-0001"  # as the source sent it
    assert SourceKey.objects.get().last_used_at is not None


def test_resending_a_batch_key_returns_the_first_report_and_changes_nothing(
    client: APIClient, key: str
) -> None:
    batch = {"idempotency_key": "b1", "records": [_record(1), _record(2, "Không có")]}
    first = _push(client, key, batch)
    before = _stored()
    # The retry carries different records: it is still the same batch, so nothing is read.
    again = _push(client, key, batch | {"records": [_record(1, "Đã hủy")]})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again.json()["errors"][0]["row"] == 2
    assert IngestRun.objects.count() == 1
    assert _stored() == before


def test_the_same_records_under_a_new_batch_key_are_unchanged(client: APIClient, key: str) -> None:
    records = [_record(n) for n in range(1, 6)]
    _push(client, key, {"idempotency_key": "b1", "records": records})
    before = _stored()
    answer = _push(client, key, {"idempotency_key": "b2", "records": records})
    body = answer.json()
    assert answer.status_code == 201
    assert (body["received"], body["created"], body["updated"], body["unchanged"]) == (5, 0, 0, 5)
    assert _stored() == before


def test_a_status_update_flows_through(client: APIClient, key: str) -> None:
    _push(client, key, {"idempotency_key": "b1", "records": [_record(1), _record(2)]})
    done = _record(1, "Đã giải quyết", NgayKetThucXuLy="2025-08-05T10:00:00+07:00")
    answer = _push(client, key, {"idempotency_key": "b2", "records": [done, _record(2)]})
    assert (answer.json()["updated"], answer.json()["unchanged"]) == (1, 1)
    dossier = Dossier.objects.get(dossier_code="HS-0001")
    assert dossier.status == "finished"
    assert dossier.finished_at.isoformat() == "2025-08-05T03:00:00+00:00"
    assert dossier.run_id == answer.json()["run"]


def test_bad_rows_are_reported_and_good_rows_kept(client: APIClient, key: str) -> None:
    records = [
        _record(1),
        _record(2, NgayTiepNhan="31/02/2025"),
        _record(3, "Đã giải quyết"),
        {k: v for k, v in _record(4).items() if k != "MaTTHC"},
        _record(5, "Lạ lùng"),
        _record(6),
    ]
    body = _push(client, key, {"idempotency_key": "b1", "records": records}).json()
    assert (body["created"], body["rejected"]) == (2, 4)
    assert [(e["row"], e["code"], e["field"]) for e in body["errors"]] == [
        (2, "HS-0002", "received_at"),
        (3, "HS-0003", "finished_at"),
        (4, "HS-0004", "procedure_code"),
        (5, "HS-0005", "status"),
    ]
    assert body["errors"][0]["vi"].startswith("ngày giờ không hợp lệ: 31/02/2025")
    assert body["errors"][3]["en"] == "unknown value: Lạ lùng"
    assert sorted(Dossier.objects.values_list("dossier_code", flat=True)) == ["HS-0001", "HS-0006"]
    assert RawRecord.objects.filter(run_id=body["run"]).count() == 6


def test_keys_are_checked(client: APIClient, key: str, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = {"idempotency_key": "b1", "records": [_record(1)]}
    missing = _push(client, None, batch)
    assert (missing.status_code, missing["WWW-Authenticate"]) == (401, "Api-Key")
    assert missing.json()["error"] == "unauthorized"
    assert _push(client, key[:-1] + ("A" if key[-1] != "A" else "B"), batch).status_code == 401
    assert _push(client, "not-a-key", batch).status_code == 401
    bearer = client.post(URL, data=batch, format="json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.status_code == 401
    monkeypatch.setitem(systems.adapters._items, "other", dataclasses.replace(SYSTEM, name="other"))
    other = source_key_create(system="other", source="other-src")[1]
    wrong = _push(client, other, batch)
    assert wrong.status_code == 403
    assert "public_services" in wrong.json()["message"]
    assert _push(client, key, batch, url="/api/ingest/nope/batches/").status_code == 404
    source_key_revoke(prefix=key.split(".")[0])
    assert _push(client, key, batch).status_code == 401
    assert Dossier.objects.count() == 0


def test_too_large_and_malformed_batches_are_refused(
    client: APIClient, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = _push(client, key, {"idempotency_key": "b1", "records": [{}] * 5_001})
    assert many.status_code == 413
    assert "5,000" in many.json()["message"]
    monkeypatch.setattr(api, "MAX_BODY", 1_000)
    big = _push(client, key, {"idempotency_key": "b1", "records": [_record(n) for n in range(9)]})
    assert (big.status_code, big.json()["error"]) == (413, "too_large")
    monkeypatch.setattr(api, "MAX_BODY", 16 * 1024 * 1024)
    auth = {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
    broken = client.post(URL, data="{", content_type="application/json", **auth)
    assert broken.status_code == 400
    messages = []
    for body in (
        [],
        {"records": [_record(1)]},
        {"idempotency_key": "b1", "records": {"a": 1}},
        {"idempotency_key": "b1", "records": [_record(1), "HS-2"]},
    ):
        answer = _push(client, key, body)
        assert answer.status_code == 400, body
        messages.append(answer.json()["message"])
    assert messages[1].startswith("Cần idempotency_key")
    assert messages[3] == "Bản ghi 2 không phải đối tượng JSON."
    no_column = _push(client, key, {"idempotency_key": "b9", "records": [{"MaHoSo": "HS-1"}]})
    assert no_column.status_code == 422
    assert no_column.json()["details"]["status"] == "failed"
    assert IngestRun.objects.filter(status="done").count() == 0
    assert Dossier.objects.count() == 0


def test_a_record_without_a_required_key_is_rejected_alone(client: APIClient, key: str) -> None:
    partial = {k: v for k, v in _record(1).items() if k != "MaTTHC"}
    answer = _push(client, key, {"idempotency_key": "b2", "records": [partial, _record(2)]})
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["created"], body["rejected"]) == (1, 1)
    assert body["errors"][0]["row"] == 1 and body["errors"][0]["field"] == "procedure_code"
    assert list(Dossier.objects.values_list("dossier_code", flat=True)) == ["HS-0002"]


def test_a_failed_batch_may_be_sent_again_with_its_key(client: APIClient, key: str) -> None:
    failed = _push(client, key, {"idempotency_key": "b1", "records": [{"MaHoSo": "HS-1"}]})
    fixed = _push(client, key, {"idempotency_key": "b1", "records": [_record(1)]})
    assert (failed.status_code, fixed.status_code) == (422, 201)
    assert fixed.json()["created"] == 1
    first = IngestRun.objects.get(pk=failed.json()["details"]["run"])
    assert (first.status, first.idempotency_key) == ("failed", None)
    assert first.details["released_idempotency_key"] == "b1"


def test_a_run_inserted_between_check_and_create_is_answered_as_a_retry(
    transactional_db: None, client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    records = [_record(1), _record(2)]
    real_exists = QuerySet.exists
    raced: list[int] = []

    def exists_then_race(self: QuerySet) -> bool:
        answer = real_exists(self)
        if self.model is IngestRun and not raced:
            # The same batch, pushed by another client, lands after our check.
            raced.append(1)
            other = APIClient()
            raced.append(_push(other, key, {"idempotency_key": "b1", "records": records}))
        return answer

    monkeypatch.setattr(QuerySet, "exists", exists_then_race)
    answer = _push(client, key, {"idempotency_key": "b1", "records": records})
    inner = raced[1]
    assert (inner.status_code, answer.status_code) == (201, 200)
    assert answer["Idempotent-Replayed"] == "true"
    assert answer.json() == inner.json()
    assert IngestRun.objects.count() == 1
    assert Dossier.objects.count() == 2


def test_two_pushes_of_one_batch_at_once_make_one_run(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(push, "RETRY_WAIT", 60.0)  # the machine may be busy; never a 409 here
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    batch = {"idempotency_key": "b1", "records": [_record(n) for n in range(1, 201)]}
    start = threading.Barrier(2)
    answers: list[Any] = []

    def send() -> None:
        try:
            start.wait()
            answers.append(_push(APIClient(), key, batch))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [200, 201]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["created"] == 200
    assert IngestRun.objects.filter(idempotency_key="b1").count() == 1
    assert Dossier.objects.count() == 200


def _user(name: str, role: str | None) -> Any:
    user = get_user_model().objects.create_user(name, password="pw-123456")
    if role:
        UserAccess.objects.create(user=user, role=role)
    return user


def test_runs_are_shown_to_staff_only(client: APIClient, key: str) -> None:
    pushed = _push(
        client, key, {"idempotency_key": "b1", "records": [_record(1), _record(2, "Lạ")]}
    ).json()
    assert client.get("/api/ingest/runs/").status_code == 403
    for name, role in (("nobody", None), ("xa", Role.COMMUNE_OFFICER)):
        client.force_authenticate(_user(name, role))
        assert client.get("/api/ingest/runs/").status_code == 403
    client.force_authenticate(_user("planner", Role.PLANNER))
    listed = client.get("/api/ingest/runs/?kind=push").json()
    assert listed["count"] == 1
    assert {k: listed["results"][0][k] for k in ("run", "received", "created", "rejected")} == {
        "run": pushed["run"],
        "received": 2,
        "created": 1,
        "rejected": 1,
    }
    assert client.get("/api/ingest/runs/?kind=file").json()["count"] == 0
    detail = client.get(f"/api/ingest/runs/{pushed['run']}/").json()
    assert detail == pushed
    assert [(e["row"], e["field"]) for e in detail["errors"]] == [(2, "status")]
    assert client.get("/api/ingest/runs/999999/").status_code == 404


def test_the_push_api_is_in_the_openapi_schema(db: None, client: APIClient) -> None:
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/ingest/{system}/batches/"]["post"]
    assert operation["security"] == [{"SourceApiKey": []}]
    assert {"200", "201", "401", "403", "404", "413"} <= set(operation["responses"])
    assert schema["components"]["securitySchemes"]["SourceApiKey"]["in"] == "header"
    assert "/api/ingest/runs/{id}/" in schema["paths"]


def test_the_sources_command_issues_lists_and_revokes_keys(db: None, client: APIClient) -> None:
    out = io.StringIO()
    call_command("sources", "key-add", "public_services", "motcua-tinh", stdout=out)
    key = out.getvalue().splitlines()[1]
    assert _push(client, key, {"idempotency_key": "b1", "records": [_record(1)]}).status_code == 201
    listing = io.StringIO()
    call_command("sources", "list", stdout=listing)
    prefix = key.split(".")[0]
    assert prefix in listing.getvalue() and key not in listing.getvalue()
    assert key not in json.dumps(list(SourceKey.objects.values()), default=str)
    call_command("sources", "key-revoke", prefix, stdout=io.StringIO())
    assert _push(client, key, {"idempotency_key": "b2", "records": [_record(1)]}).status_code == 401
