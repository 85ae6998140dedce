"""The public's feedback API under /api/feedback/: categories, the proof-of-human question,
"is it one of these?", filing and following reports, tracking and rating by ticket, and the
public map's list and counts. Writes are same-origin: a CSRF cookie and header, always (even
signed out), a challenge answered once, and limits per address and per phone.

Filing is a POST to `public/reports/` (whose GET is the public list), never under `reports/`:
that is the kit's record API of the system (staff's)."""

import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.gis.geos import Point
from django.core.validators import validate_email
from django.db import transaction
from django.http import StreamingHttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.authentication import CSRFCheck
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from gisioc.errors import Forbidden, GisiocError, InvalidInput, TooLarge
from gisioc.feedback import (
    converters,  # noqa: F401  (registers <ticket:…>)
    human,
    media,
    public_reads,
    services,
)
from gisioc.feedback.categories import CATEGORIES
from gisioc.geo.geocoder import geocode_address, geocode_point
from gisioc.geo.selectors import vietnam_today
from gisioc.pagination import GeoJsonLimitOffsetPagination
from gisioc.params import body_fields, float_param, float_parse, int_param
from gisioc.periods import period_parse
from gisioc.proxy import client_ip

MAX_BODY = 120 * 1024 * 1024  # five photos and a short video, with room for the form
MAX_PHOTOS, MAX_VIDEOS = 5, 1
LON, LAT = (-180.0, 180.0), (-90.0, 90.0)
CATEGORY = OpenApiParameter("category", str, description="Category code (categories/)")
LONLAT = [OpenApiParameter("lon", float), OpenApiParameter("lat", float)]
FILTERS = [
    CATEGORY,
    OpenApiParameter("status", str, enum=sorted(services.PUBLIC)),
    OpenApiParameter("commune", int, description="Admin unit id"),
    OpenApiParameter("period", str, description="2025, 2025-Q3 or 2025-07"),
    OpenApiParameter("bbox", str, description="west,south,east,north (degrees)"),
]
PAGING = [OpenApiParameter("limit", int), OpenApiParameter("offset", int)]
LIST = {"type": "array", "items": {"type": "object"}}  # an answer that is a list of objects
WRITE = {"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT}
TEXT_LIMITS = {"description": 4000, "title": 200, "name": 120, "email": 200, "address": 300}


def _csrf(request: Request) -> None:
    """Refuse a write without the CSRF cookie and header (DRF checks them for sessions only)."""
    check = CSRFCheck(lambda _: None)
    check.process_request(request._request)
    refused = check.process_view(request._request, None, (), {})
    if refused is not None:
        raise Forbidden(
            "Thiếu mã chống giả mạo (CSRF); hãy tải lại trang rồi gửi lại.",
            "The anti-forgery (CSRF) token is missing or wrong; reload the page and send again.",
        )


def _text(data: Any, name: str, *, required: bool = False) -> str:
    value = str(data.get(name) or "").strip()
    if required and not value:
        raise InvalidInput(
            {"description": "Hãy mô tả sự việc.", "name": "Hãy cho biết họ tên."}[name],
            {"description": "Describe what happened.", "name": "Give your name."}[name],
            field=name,
        )
    if len(value) > TEXT_LIMITS[name]:
        raise InvalidInput(
            f"«{name}» dài quá {TEXT_LIMITS[name]} ký tự.",
            f"'{name}' is longer than {TEXT_LIMITS[name]} characters.",
            field=name,
        )
    return value


def _challenge_given(data: Any) -> tuple[str, str]:
    token, answer = str(data.get("challenge") or ""), str(data.get("answer") or "")
    if not token or not answer.strip():
        human.challenge_check(token, answer)  # raises: no question or no answer
    return token, answer


@extend_schema(responses={200: LIST})
@api_view(["GET"])
@permission_classes([AllowAny])
def categories_view(request: Request) -> Response:
    """The categories a citizen reports in, with their deadlines in working days."""
    return Response(
        [
            {
                "code": c.code,
                "title": c.title.as_dict(),
                "description": c.description.as_dict(),
                "days": c.days,
            }
            for c in CATEGORIES
        ]
    )


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
def challenge_view(request: Request) -> Response:
    """A new proof-of-human question (answer within 10 minutes, once)."""
    address = client_ip(request)
    human.limit_check(human.CHALLENGES_PER_IP, address)
    human.limit_note(human.CHALLENGES_PER_IP, address)
    found = human.challenge_new()
    answer = Response(
        {
            "token": found.token,
            "question": {"vi": found.vi, "en": found.en},
            "expires_in": found.expires_in,
        }
    )
    answer["Cache-Control"] = "no-store"
    return answer


@extend_schema(parameters=[CATEGORY, *LONLAT], responses={200: LIST})
@api_view(["GET"])
@permission_classes([AllowAny])
def nearby_view(request: Request) -> Response:
    """Open public reports of a category within 300 m of a point: "is it one of these?"."""
    params = request.query_params
    category = public_reads.category_check(params.get("category"), required=True)
    lon, lat = float_param(params, "lon", bounds=LON), float_param(params, "lat", bounds=LAT)
    if lon is None or lat is None:
        raise InvalidInput("Cần kinh độ lon và vĩ độ lat.", "lon and lat are required.")
    return Response(public_reads.nearby(category=category, lon=lon, lat=lat))


def _place(data: Any) -> dict[str, Any]:
    """The report's point or commune: coordinates first, else the address through the geocoder."""
    address = _text(data, "address")
    lon, lat = data.get("lon"), data.get("lat")
    on = vietnam_today()
    if lon not in (None, "") or lat not in (None, ""):
        x = float_parse(str(lon or ""), "lon", bounds=LON)
        y = float_parse(str(lat or ""), "lat", bounds=LAT)
        if not geocode_point(lon=x, lat=y, on=on).located:
            raise InvalidInput(
                "Vị trí đã chọn nằm ngoài địa bàn tiếp nhận phản ánh.",
                "The place chosen is outside the area we take reports for.",
                field="place",
            )
        return {"point": Point(x, y, srid=4326), "address": address}
    if address:
        found = geocode_address(text=address, on=on)
        if not found.located:
            raise InvalidInput(
                "Không xác định được xã/phường từ địa chỉ; hãy ghi rõ hơn hoặc chọn trên bản đồ.",
                "The address names no commune we know; write it more fully or pick on the map.",
                field="address",
            )
        return {"unit_id": found.unit_id, "address": address}
    raise InvalidInput(
        "Hãy cho biết vị trí: dùng vị trí của bạn, chạm lên bản đồ hoặc nhập địa chỉ.",
        "Say where: use your location, tap the map or type an address.",
        field="place",
    )


def _files(request: Request) -> list[bytes]:
    """Every photo and video, read and checked by content before anything is created."""
    uploads = [*request.FILES.getlist("photos"), *request.FILES.getlist("video")]
    if len(uploads) > MAX_PHOTOS + MAX_VIDEOS:
        raise InvalidInput(
            f"Tối đa {MAX_PHOTOS} ảnh và {MAX_VIDEOS} video.",
            f"At most {MAX_PHOTOS} photos and {MAX_VIDEOS} video.",
            field="photos",
        )
    files, kinds = [], []
    for upload in uploads:
        if upload.size > media.VIDEO_MAX_BYTES:
            mb, photo_mb = media.VIDEO_MAX_BYTES // media.MB, media.PHOTO_MAX_BYTES // media.MB
            raise TooLarge(
                f"{upload.name}: tệp quá {mb} MB (ảnh tối đa {photo_mb} MB).",
                f"{upload.name}: the file is over {mb} MB (photos at most {photo_mb} MB).",
                field="photos",
            )
        raw = upload.read()
        try:
            kinds.append(media.media_check(raw, declared_name=upload.name or "").kind)
        except GisiocError as exc:
            exc.vi, exc.en = f"{upload.name}: {exc.vi}", f"{upload.name}: {exc.en}"
            raise
        files.append(raw)
    if kinds.count("photo") > MAX_PHOTOS or kinds.count("video") > MAX_VIDEOS:
        raise InvalidInput(
            f"Tối đa {MAX_PHOTOS} ảnh và {MAX_VIDEOS} video.",
            f"At most {MAX_PHOTOS} photos and {MAX_VIDEOS} video.",
            field="photos" if kinds.count("photo") > MAX_PHOTOS else "video",
        )
    return files


def _boolean(raw: Any, default: bool) -> bool:
    text = str(raw).strip().lower() if raw is not None else ""
    return default if text == "" else text not in ("0", "false", "no", "off", "khong")


def report_file(request: Request) -> Response:
    """File a report (multipart): text, place, reporter, photos and video, the challenge."""
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
        raise TooLarge(
            f"Dữ liệu gửi lên quá lớn (tối đa {MAX_BODY // 2**20} MB); hãy bớt ảnh hoặc video.",
            f"The upload is too large (at most {MAX_BODY // 2**20} MB); send fewer files.",
        )
    _csrf(request)
    data = body_fields(request)
    token, answer = _challenge_given(data)
    address = client_ip(request)
    human.limit_check(human.REPORTS_PER_IP, address)
    category = public_reads.category_check(data.get("category"), required=True)
    description, title = _text(data, "description", required=True), _text(data, "title")
    name = _text(data, "name", required=True)
    phone = human.phone_normalise(str(data.get("phone") or ""))
    email = _text(data, "email")
    if email:
        try:
            validate_email(email)
        except Exception:
            raise InvalidInput(
                "Địa chỉ thư điện tử không hợp lệ.", "Not a valid e-mail address.", field="email"
            ) from None
    phone_key = human.phone_key(phone)
    human.limit_check(human.REPORTS_PER_PHONE, phone_key)
    place = _place(data)
    files = _files(request)
    human.challenge_check(token, answer)
    secret = secrets.token_urlsafe(18)
    with transaction.atomic():
        report = services.report_receive(
            category=category,
            description=description,
            title=title,
            channel="web",
            reporter_name=name,
            reporter_phone=phone,
            reporter_email=email,
            anonymous=_boolean(data.get("anonymous"), True),
            receipt_hash=hashlib.sha256(secret.encode()).hexdigest(),
            **place,
        )
        for raw in files:
            media.media_store(report=report, data=raw, stage="report")
    human.limit_note(human.REPORTS_PER_IP, address)
    human.limit_note(human.REPORTS_PER_PHONE, phone_key)
    tracking = f"/phan-anh/{report.ticket}/?k={secret}"
    return Response(
        {"ticket": report.ticket, "secret": secret, "tracking_url": tracking}, status=201
    )


@extend_schema(request=WRITE, responses=OpenApiTypes.OBJECT)
@api_view(["POST"])
@permission_classes([AllowAny])
def report_follow_view(request: Request, ticket: str) -> Response:
    """'Mine too': the citizen follows an open public report instead of filing a new one."""
    _csrf(request)
    token, answer = _challenge_given(body_fields(request))
    address = client_ip(request)
    human.limit_check(human.FOLLOWS_PER_IP, address)
    report = public_reads.ticket_get(ticket)
    human.challenge_check(token, answer)
    report = services.report_follow(report=report)
    human.limit_note(human.FOLLOWS_PER_IP, address)
    return Response({"ticket": report.ticket, "followers": report.followers})


def _secret_ok(report: Any, secret: str) -> bool:
    digest = hashlib.sha256((secret or "").encode()).hexdigest()
    return bool(report.receipt_hash and secret) and hmac.compare_digest(digest, report.receipt_hash)


@extend_schema(
    parameters=[OpenApiParameter("k", str, description="The receipt's secret")],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
@permission_classes([AllowAny])
def track_view(request: Request, ticket: str) -> Response:
    """One report as the public follows it (no personal data); `k` says whether it may rate."""
    report = public_reads.ticket_get(ticket)
    secret_ok = _secret_ok(report, request.query_params.get("k", ""))
    return Response(public_reads.track(report, secret_ok=secret_ok))


@extend_schema(request=WRITE, responses=OpenApiTypes.OBJECT)
@api_view(["POST"])
@permission_classes([AllowAny])
def track_rate_view(request: Request, ticket: str) -> Response:
    """The citizen rates the published result, once, with the receipt's secret `k`."""
    _csrf(request)
    human.limit_check(human.RATES_PER_IP, client_ip(request))
    report, data = public_reads.ticket_get(ticket), body_fields(request)
    if not _secret_ok(report, str(data.get("k") or "")):
        raise Forbidden(
            "Chỉ người gửi phản ánh (có đường dẫn theo dõi kèm mã k) mới đánh giá được.",
            "Only the reporter (with the tracking link and its k) can rate.",
            field="k",
        )
    satisfied = data.get("satisfied")
    if satisfied not in (True, False, "true", "false", "1", "0"):
        raise InvalidInput(
            "satisfied phải là true hoặc false.",
            "satisfied must be true or false.",
            field="satisfied",
        )
    human.limit_note(human.RATES_PER_IP, client_ip(request))
    report = services.report_rate(report=report, satisfied=satisfied in (True, "true", "1"))
    return Response({"ticket": report.ticket, "satisfied": report.satisfied})


def _bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    if not raw:
        return None
    parts = raw.split(",")
    if len(parts) != 4:
        raise InvalidInput(
            "bbox phải là tây,nam,đông,bắc.", "bbox must be west,south,east,north.", field="bbox"
        )
    w, s, e, n = (float_parse(p.strip(), "bbox", bounds=LON) for p in parts)
    if not (w < e and s < n and s >= -90 and n <= 90):
        raise InvalidInput(
            "bbox phải là tây,nam,đông,bắc.", "bbox must be west,south,east,north.", field="bbox"
        )
    return w, s, e, n


def _public_rows(request: Request, *, commune: bool = True) -> Any:
    params = request.query_params
    return public_reads.public_reports(
        category=public_reads.category_check(params.get("category")),
        status=params.get("status") or None,
        commune=int_param(params, "commune", bounds=(1, 2**63 - 1)) if commune else None,
        period=period_parse(params.get("period")),
        bbox=_bbox(params.get("bbox")),
    )


@extend_schema(methods=["GET"], parameters=[*FILTERS, *PAGING], responses=OpenApiTypes.OBJECT)
@extend_schema(methods=["POST"], request=WRITE, responses={201: OpenApiTypes.OBJECT})
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def public_reports_view(request: Request) -> StreamingHttpResponse | Response:
    """GET: public reports as a GeoJSON FeatureCollection, paged (limit/offset), newest
    first. POST: file a new report (multipart; the challenge; 201 with ticket and secret)."""
    if request.method == "POST":
        return report_file(request)
    rows = _public_rows(request)
    paginator = GeoJsonLimitOffsetPagination()
    page = paginator.page_rows(rows, request)
    today = vietnam_today()
    return StreamingHttpResponse(
        paginator.stream(page, lambda r: public_reads.feature(r, today)),
        content_type="application/json",
    )


@extend_schema(parameters=FILTERS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
def public_counts_view(request: Request) -> Response:
    """Public reports per commune and status, for the same filters."""
    return Response(public_reads.counts(_public_rows(request)))


urlpatterns = [
    path("categories/", categories_view, name="feedback-categories"),
    path("challenge/", challenge_view, name="feedback-challenge"),
    path("nearby/", nearby_view, name="feedback-nearby"),
    path(
        "public/reports/<ticket:ticket>/follow/",
        report_follow_view,
        name="feedback-report-follow",
    ),
    path("track/<ticket:ticket>/", track_view, name="feedback-track"),
    path("track/<ticket:ticket>/rate/", track_rate_view, name="feedback-track-rate"),
    path("public/reports/", public_reports_view, name="feedback-public-reports"),
    path("public/counts/", public_counts_view, name="feedback-public-counts"),
]
