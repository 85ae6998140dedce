"""The push API against input that used to answer 500: NUL, lone surrogates, NaN/Infinity,
deep nesting, a body too large. Each answers 400 (or 413) in the error shape, naming where,
writes nothing and keeps the batch's key free for the corrected batch."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import LimitedStream
from rest_framework.test import APIClient

from gisioc.ingest import api
from gisioc.ingest.jsonstream import MAX_DEPTH
from gisioc.ingest.keys import source_key_create
from gisioc.ingest.models import IngestRun, RawRecord
from gisioc.public_services.models import Dossier
from tests.ingest.test_push_api import URL, _record
from tests.processes import answer_to_head, gisioc_serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def key() -> str:
    """A key of source motcua-tinh of public services."""
    return source_key_create(system="public_services", source="motcua-tinh")[1]


def _send(key: str, text: str | bytes, **extra: Any) -> Any:
    """POST the body exactly as given (json.dumps would refuse NaN or escape differently)."""
    return APIClient().post(
        URL,
        data=text.encode() if isinstance(text, str) else text,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
        HTTP_ACCEPT_LANGUAGE="en",
        **extra,
    )


def _batch(records: str, batch_key: str = '"b1"') -> str:
    return f'{{"idempotency_key": {batch_key}, "records": [{records}]}}'


def _good(n: int) -> str:
    return json.dumps(_record(n), ensure_ascii=False)


def _with(n: int, column: str, raw_value: str) -> str:
    """Record n with `column` set to a value written as raw JSON text."""
    return _good(n)[:-1] + f', "{column}": {raw_value}}}'


def _refused(answer: Any) -> dict[str, Any]:
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["error"] == "invalid" and body["message"]
    return body


def _nothing_written() -> None:
    assert IngestRun.objects.count() == 0
    assert RawRecord.objects.count() == 0
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize(
    ("bad", "place", "reason"),
    [
        (_with(2, "GhiChu", '"a\\u0000b"'), "records[2].GhiChu", "NUL"),
        (_with(2, "MaHoSo", '"HS-\\u0000"'), "records[2].MaHoSo", "NUL"),
        (_with(2, "Ghi\\u0000Chu", '"x"'), "records[2].Ghi\ufffdChu", "NUL"),
        (_with(2, "GhiChu", '"\\ud800"'), "records[2].GhiChu", "surrogate"),
        (_with(2, "GhiChu", '["ok", {"deep": "\\udfff"}]'), "records[2].GhiChu", "surrogate"),
        (_with(2, "\\ud83d", '"x"'), "records[2].\ufffd", "surrogate"),
        (_with(2, "SoLanBoSung", "Infinity"), "records[2].SoLanBoSung", "finite"),
        (_with(2, "SoLanBoSung", "-Infinity"), "records[2].SoLanBoSung", "finite"),
        (_with(2, "SoLanBoSung", "NaN"), "records[2].SoLanBoSung", "finite"),
    ],
)
def test_values_that_cannot_be_stored_refuse_the_batch_naming_row_and_column(
    key: str, bad: str, place: str, reason: str
) -> None:
    answer = _send(key, _batch(f"{_good(1)}, {bad}, {_good(3)}"))
    body = _refused(answer)
    assert list(body["fields"]) == [place]
    assert reason in body["fields"][place][0]
    assert place in body["message"]
    _nothing_written()
    # Nothing was lost: the key is still free, and the corrected batch goes in whole.
    fixed = _send(key, _batch(f"{_good(1)}, {_good(2)}, {_good(3)}"))
    assert (fixed.status_code, fixed.json()["created"]) == (201, 3)


def test_a_rejected_row_with_infinity_is_named_with_every_other_bad_place(key: str) -> None:
    rows = [
        _with(1, "TrangThaiHoSo", '"Lạ lùng"'),  # a row today's rules reject
        _with(2, "SoLanBoSung", "Infinity"),
        _with(3, "DonViTiepNhan", '"\\u0000"'),
        _good(4),
    ]
    body = _refused(_send(key, _batch(", ".join(rows))))
    assert set(body["fields"]) == {"records[2].SoLanBoSung", "records[3].DonViTiepNhan"}
    _nothing_written()


def test_a_batch_with_only_rows_todays_rules_reject_still_keeps_its_good_rows(key: str) -> None:
    """Refusing unstorable values whole changes nothing for values that are merely wrong."""
    odd = _with(2, "TrangThaiHoSo", '"Lạ"')
    answer = _send(key, _batch(f"{_good(1)}, {odd}"))
    assert answer.status_code == 201, answer.content
    assert (answer.json()["created"], answer.json()["rejected"]) == (1, 1)
    assert answer.json()["errors"][0]["row"] == 2


@pytest.mark.parametrize("batch_key", ['"b\\u0000"', '"\\ud800"', '"b\\udc00x"'])
def test_an_unstorable_idempotency_key_is_named(key: str, batch_key: str) -> None:
    body = _refused(_send(key, _batch(_good(1), batch_key)))
    assert list(body["fields"]) == ["idempotency_key"]
    assert body["message"].startswith("idempotency_key")
    _nothing_written()


@pytest.mark.parametrize(
    "text",
    [
        '{"idempotency_key": "b1", "records": [' + "[" * 10_000 + "]" * 10_000 + "]}",
        '{"idempotency_key": "b1", "records": [{"a": ' + '{"a": ' * 10_000 + "1" + "}" * 10_001,
        "[" * 100_000,
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
    ],
)
def test_deep_nesting_is_refused_before_parsing(key: str, text: str) -> None:
    body = _refused(_send(key, text))
    assert f"{MAX_DEPTH}" in body["message"]
    _nothing_written()


def test_a_record_nested_as_deep_as_allowed_is_read(key: str) -> None:
    nested = "[" * (MAX_DEPTH - 3) + "1" + "]" * (MAX_DEPTH - 3)  # body, records, record: 3
    answer = _send(key, _batch(_with(1, "GhiChu", nested)))
    assert answer.status_code == 201, answer.content


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b'{"idempotency_key": "b1", "records": [\xff]}', "UTF-8"),
        (b'{"idempotency_key": "b1", "records": [NaN', "JSON"),
        (b"Infinity", "JSON object"),
        (b"", "JSON"),
    ],
)
def test_bytes_that_are_not_a_json_object_are_refused(key: str, text: bytes, expected: str) -> None:
    body = _refused(_send(key, text))
    assert expected in json.dumps(body)


def test_a_declared_length_over_the_cap_is_refused_before_reading(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unread(*args: object) -> bytes:
        raise AssertionError("the body was read")

    monkeypatch.setattr(LimitedStream, "read", unread)
    answer = _send(key, _batch(_good(1)), CONTENT_LENGTH=str(api.MAX_BODY + 1))
    assert answer.status_code == 413
    assert answer.json()["error"] == "too_large"
    _nothing_written()


def test_over_real_http_a_declared_length_over_the_cap_is_answered_unsent(
    transactional_db: None, tmp_path: Path
) -> None:
    """Headers only, the body never sent: `gisioc serve` answers 413 all the same."""
    key = source_key_create(system="public_services", source="motcua-tinh")[1]
    with gisioc_serving(tmp_path) as (port, _, _):
        status, body = answer_to_head(
            port,
            f"POST {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Api-Key {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {1 << 30}\r\n\r\n",
        )
    assert status == 413
    assert json.loads(body)["error"] == "too_large"
