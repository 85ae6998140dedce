"""Writes of Open311: a client's POST of a service request, checked and received as a report.

A client posts with its API key: a feedback source key named `open311-<client>`
(`gisioc sources key-add feedback open311-<client>`). The reporter's name, phone and e-mail
go to the report's private fields; the reply names the ticket and the token only."""

import re
import secrets
from typing import Any

from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from gisioc.errors import GisiocError
from gisioc.feedback import media
from gisioc.feedback import services as workflow
from gisioc.feedback.models import Report, ReportEvent
from gisioc.feedback.open311.definitions import (
    attributes_clean,
    attributes_text,
    category_get,
    notice,
)
from gisioc.feedback.open311.render import Open311Error, number_param
from gisioc.geo.geocoder import geocode_address, geocode_point
from gisioc.ingest.keys import source_key_check
from gisioc.ingest.models import SourceKey
from gisioc.limits import Buckets
from gisioc.periods import vietnam_date
from gisioc.proxy import client_ip

SYSTEM = "feedback"
SOURCE_PREFIX = "open311-"
MAX_DESCRIPTION = 4000  # the spec's limit
RATE, BURST = 1 / 10, 30  # posts per second and at once, per client address
ATTRIBUTE = re.compile(r"^attribute\[([^\]]{1,40})\]$")
buckets = Buckets()


def rate_check(request: HttpRequest) -> None:
    """A token of the client address's bucket; 429 with Retry-After when there is none."""
    wait = buckets.take(("open311-post", client_ip(request)), rate=RATE, burst=BURST)
    if wait:
        seconds = max(1, int(wait + 0.999))
        raise Open311Error(
            429,
            f"Gửi quá nhiều yêu cầu; hãy thử lại sau {seconds} giây.",
            f"Too many requests posted; try again in {seconds} seconds.",
            {"Retry-After": str(seconds)},
        )


def client_key(api_key: str) -> SourceKey:
    """The active Open311 client key; 403 (the spec's api_key error) otherwise."""
    if not api_key.strip():
        raise Open311Error(403, "Thiếu api_key.", "api_key is missing.")
    try:
        key = source_key_check(key=api_key.strip())
    except GisiocError as exc:
        raise Open311Error.of(exc) from exc
    if key.system != SYSTEM or not key.source.startswith(SOURCE_PREFIX):
        raise Open311Error(
            403,
            f"Khóa {key.prefix} không phải khóa của ứng dụng Open311.",
            f"Key {key.prefix} is not an Open311 client's key.",
        )
    return key


def _place(data: QueryDict) -> dict[str, Any]:
    """The report's place: lat/long, else the commune an address_string names."""
    lat = number_param(data, "lat", -90, 90)
    lon = number_param(data, "long", -180, 180)
    address = (data.get("address_string") or "").strip()
    today = vietnam_date(timezone.now())
    if lat is not None and lon is not None:
        if not geocode_point(lon=lon, lat=lat, on=today).located:
            raise Open311Error(
                400,
                "Vị trí (lat, long) nằm ngoài địa bàn được phục vụ.",
                "The place (lat, long) is outside the area served here.",
            )
        return {"point": Point(lon, lat, srid=4326), "address": address}
    if address:
        found = geocode_address(text=address, on=today)
        if not found.located:
            raise Open311Error(
                400,
                "Không xác định được xã/phường từ address_string; hãy gửi lat và long.",
                "address_string names no commune we know; send lat and long.",
            )
        return {"unit_id": found.unit_id, "address": address}
    raise Open311Error(
        400,
        "Cần vị trí: lat và long, hoặc address_string.",
        "A location is required: lat and long, or address_string.",
    )


def _attributes(data: QueryDict) -> dict[str, str]:
    posted = {}
    for name in data:
        match = ATTRIBUTE.match(name)
        if match:
            posted[match.group(1)] = data.get(name, "")
    return posted


def _description(data: QueryDict, category: Any, extra: str) -> str:
    text = (data.get("description") or "").strip()
    if len(text) > MAX_DESCRIPTION:
        raise Open311Error(
            400,
            f"description dài quá {MAX_DESCRIPTION} ký tự.",
            f"description is longer than {MAX_DESCRIPTION} characters.",
        )
    text = text or f"{category.title.vi} (ứng dụng không gửi mô tả)"
    return f"{text}\n\nThông tin thêm: {extra}" if extra else text


def _media_check(upload: UploadedFile | None) -> None:
    """Refuse a bad upload before anything is written (the media store's checks)."""
    if upload is None:
        return
    if (upload.size or 0) > media.VIDEO_MAX_BYTES:
        raise Open311Error(
            413,
            f"Tệp media quá lớn (tối đa {media.VIDEO_MAX_BYTES // media.MB} MB).",
            f"The media file is too large (at most {media.VIDEO_MAX_BYTES // media.MB} MB).",
        )
    raw = upload.read()
    upload.seek(0)
    media.media_check(raw, declared_name=upload.name or "")


def request_post(request: HttpRequest) -> tuple[Report, str]:
    """Receive a posted service request as a report; its token (also its external id)."""
    data = request.POST
    key = client_key(data.get("api_key", ""))  # in the body only: URLs end up in logs
    category = category_get(data.get("service_code", ""))
    clean = attributes_clean(category.code, _attributes(data))
    place = _place(data)
    description = _description(data, category, attributes_text(category.code, clean))
    media_link = (data.get("media_url") or "").strip()[:500]
    upload = request.FILES.get("media")
    try:
        _media_check(upload)
    except GisiocError as exc:
        raise Open311Error.of(exc) from exc
    token = secrets.token_urlsafe(12)
    names = (data.get("first_name") or "", data.get("last_name") or "")
    name = " ".join(n.strip() for n in names if n.strip())
    try:
        with transaction.atomic():
            report = workflow.report_receive(
                category=category.code,
                description=description,
                channel=Report.Channel.OPEN311,
                source=key.source,
                external_id=token,
                reporter_name=name,
                reporter_phone=(data.get("phone") or "").strip(),
                reporter_email=(data.get("email") or "").strip(),
                anonymous=clean.get("anonymous", "yes") != "no",
                actor_label=f"Open311 ({key.source[len(SOURCE_PREFIX) :]})",
                **place,
            )
            if media_link:
                workflow.report_event_add(
                    report,
                    ReportEvent.Action.RECEIVE,
                    actor_label="Open311",
                    note=f"media_url (chưa tải về / not fetched): {media_link}",
                )
            if upload is not None:
                media.media_store(report=report, data=upload, stage="report")
    except GisiocError as exc:
        raise Open311Error.of(exc) from exc
    return report, token


def posted_answer(report: Report, token: str, en: bool) -> list[dict[str, Any]]:
    """The reply to a POST: the ticket, the token, the notice; no account here."""
    category = category_get(report.category)
    return [
        {
            "service_request_id": report.ticket,
            "token": token,
            "service_notice": notice(category, en),
            "account_id": "",
        }
    ]


def token_get(token: str) -> list[dict[str, str]]:
    """[{service_request_id, token}] of the report posted with that token; 404 otherwise."""
    report = (
        Report.objects.filter(
            channel=Report.Channel.OPEN311, source__startswith=SOURCE_PREFIX, external_id=token
        )
        .only("ticket")
        .first()
    )
    if not token or report is None:
        raise Open311Error(
            404, f"Không có token «{token[:40]}».", f"No request with token '{token[:40]}'."
        )
    return [{"service_request_id": report.ticket, "token": token}]
