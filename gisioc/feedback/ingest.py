"""The feedback adapter: reports pushed, pulled or sent as files by the chatbot, Zalo,
Facebook, e-mail, app and 1022 senders → citizen reports, each received through the workflow.

A new (source, sender's id) is received by `services.report_receive` (ticket, deadline, first
history event); one already there is left as it is ("unchanged"): intake only, the handling
is ours. The reporter's name, phone and e-mail and the free-text description and address
reach the report but never the raw audit row (`System.private`).
"""

import random
from typing import Any

from django.contrib.gis.geos import Point

from gisioc.feedback import services
from gisioc.feedback.categories import BY_CODE
from gisioc.feedback.models import Report
from gisioc.geo.models import Located
from gisioc.geo.text import fold
from gisioc.ingest.fields import error, field, received_check, words
from gisioc.ingest.locate import Locator
from gisioc.ingest.systems import FieldError, System, register_system
from gisioc.ingest.upsert import Outcome
from gisioc.periods import vietnam_date
from gisioc.texts import Text

CATEGORIES = words(
    duong_sa=(
        "giao thong duong sa", "duong sa", "duong", "o ga", "sut lun", "hu hong mat duong",
        "cau", "via he", "mat duong", "roads", "road", "pothole",
    ),
    chieu_sang=(
        "chieu sang", "chieu sang cong cong", "den duong", "den chieu sang", "den",
        "street lighting", "street light", "lighting",
    ),
    cap_nuoc=("cap nuoc", "nuoc sach", "mat nuoc", "ong nuoc", "vo ong", "water supply", "water"),
    thoat_nuoc=(
        "thoat nuoc", "thoat nuoc ngap ung", "ngap ung", "ngap", "ngap lut", "cong", "cong ranh",
        "tac cong", "sat lo", "drainage", "flooding", "flood",
    ),
    moi_truong=(
        "rac", "rac thai", "rac thai moi truong", "moi truong", "o nhiem", "cay xanh", "phe thai",
        "waste", "environment", "garbage",
    ),
    trat_tu_xay_dung=(
        "trat tu xay dung", "xay dung", "xay dung khong phep", "xay dung trai phep",
        "lan chiem dat cong", "construction", "construction order",
    ),
    trat_tu_giao_thong=(
        "trat tu giao thong", "trat tu do thi", "long le duong", "lan chiem long le duong",
        "do xe", "bien bao", "traffic", "traffic order", "parking",
    ),
    dich_vu_cong=(
        "dich vu cong", "dich vu hanh chinh cong", "thu tuc hanh chinh", "thu tuc", "mot cua",
        "public services", "public service",
    ),
    khac=("khac", "other", "kien nghi khac"),
)  # fmt: skip
CHANNELS = words(  # the channels' own labels (Report.Channel) and what senders write
    web=(
        "cong thong tin",
        "cong thong tin ung dung",
        "website",
        "ung dung",
        "app",
        "mobile app",
        "di dong",
        "smart city",
    ),
    hotline=("1022", "tong dai", "tong dai 1022", "duong day nong", "dien thoai"),
    zalo=("zalo oa", "zalo official account"),
    facebook=("fb", "messenger", "fanpage", "facebook messenger"),
    chatbot=("chat bot", "tro ly ao", "bot"),
    email=("e mail", "mail", "thu dien tu", "hop thu"),
    open311=("open 311", "ung dung open311", "ung dung open 311"),
)
# The phrases of category words, longest first: a category written in a sentence
# ("ngập úng sau mưa") is the one whose longest phrase it contains.
_PHRASES = sorted(CATEGORIES, key=len, reverse=True)
# Vietnam, loosely: a point outside is a swapped or mistyped pair, not a place.
LON_RANGE, LAT_RANGE = (102.0, 110.0), (8.0, 24.0)
SENDER = {c.value: c.label.split(" / ")[0] for c in Report.Channel}
# The fields feeding the report's personal fields (the address feeds `address_text`).
PRIVATE = ("address", "description", "reporter_email", "reporter_name", "reporter_phone")

FIELDS = (
    field("external_id", "text", "Mã phản ánh của nơi gửi", "Sender's id", "id", "ma",
          "ma phan anh", "ma tin", "ma tin nhan", "ma ban ghi", "message id", "ticket id",
          "record id", required=True, max_length=120),
    field("category", "text", "Lĩnh vực", "Category", "linh vuc", "loai phan anh", "chu de",
          "nhom", "service code", "service", "category", required=True, max_length=120),
    field("title", "text", "Tiêu đề", "Title", "tieu de", "tom tat", "title", max_length=200),
    field("description", "text", "Nội dung", "Description", "noi dung", "noi dung phan anh",
          "mo ta", "chi tiet", "tin nhan", "message", "text", "description", required=True,
          max_length=5000),
    field("channel", "choice", "Kênh tiếp nhận", "Channel", "kenh", "kenh tiep nhan", "nguon",
          "channel", required=True, choices=CHANNELS),
    field("received_at", "datetime", "Thời gian tiếp nhận", "Received", "thoi gian",
          "thoi gian tiep nhan", "thoi gian phan anh", "ngay phan anh", "ngay tiep nhan",
          "thoi diem", "received at", "created at", "timestamp", required=True),
    field("call_at", "datetime", "Thời gian gọi", "Call time", "thoi gian goi", "gio goi",
          "call at", "call time"),
    field("lon", "text", "Kinh độ", "Longitude", "kinh do", "lon", "lng", "long", "longitude",
          "x", max_length=40),
    field("lat", "text", "Vĩ độ", "Latitude", "vi do", "lat", "latitude", "y", max_length=40),
    field("address", "text", "Địa chỉ", "Address", "dia chi", "dia diem", "vi tri", "noi xay ra",
          "address", "location", max_length=300),
    field("reporter_name", "text", "Người phản ánh", "Reporter", "ho ten", "ho va ten",
          "nguoi phan anh", "ten nguoi phan anh", "ten", "name", "reporter name", "full name",
          max_length=120),
    field("reporter_phone", "text", "Số điện thoại", "Phone", "so dien thoai", "dien thoai",
          "sdt", "so dt", "di dong", "phone", "reporter phone", "mobile", max_length=20),
    field("reporter_email", "text", "Thư điện tử", "E-mail", "email", "e mail", "thu dien tu",
          "reporter email", max_length=200),
    field("anonymous", "bool", "Ẩn danh", "Anonymous", "an danh", "giau ten", "anonymous"),
)  # fmt: skip


def category_of(text: str) -> str | None:
    """The category code a sender's words name ('Ngập úng' → thoat_nuoc), or None."""
    folded = fold(text)
    for key in (folded, folded.replace(" ", "_")):
        if key in CATEGORIES:
            return CATEGORIES[key]
    padded = f" {folded} "
    return next((CATEGORIES[p] for p in _PHRASES if f" {p} " in padded), None)


def _coordinate(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def report_rules(values: dict[str, Any]) -> list[FieldError]:
    """Category from its words, a place (point or address), times in order; defaults filled."""
    code = category_of(values["category"])
    if code is None:
        known = ", ".join(BY_CODE)
        return error(
            "category",
            f"không rõ lĩnh vực «{values['category'][:60]}»; dùng mã ({known}) hoặc tên lĩnh vực "
            "như «ngập úng», «đèn đường», «rác»",
            f"unknown category '{values['category'][:60]}'; give a code ({known}) or its words "
            "such as 'ngập úng', 'đèn đường', 'rác'",
        )
    values["category"] = code
    if out_of_range := received_check(values, title=Text("thời gian tiếp nhận", "received")):
        return out_of_range
    if values["call_at"] is not None and values["call_at"] > values["received_at"]:
        return error("call_at", "thời gian gọi sau thời gian tiếp nhận", "call after receipt")
    lon_text, lat_text = values.pop("lon"), values.pop("lat")
    values["point"] = None
    if lon_text or lat_text:
        lon, lat = _coordinate(lon_text), _coordinate(lat_text)
        if lon is None or lat is None:
            return error("lon", "kinh độ, vĩ độ phải là hai số", "longitude and latitude: numbers")
        if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
            return error(
                "lon",
                "tọa độ ngoài Việt Nam (kinh độ, vĩ độ bị đảo?)",
                "a point outside Vietnam (longitude and latitude swapped?)",
            )
        values["point"] = Point(round(lon, 7), round(lat, 7), srid=4326)
    if values["anonymous"] is None:
        values["anonymous"] = True
    return []


def report_locate(values: dict[str, Any], locator: Locator) -> None:
    """The commune of the point, else of the address, on the day received (Vietnam)."""
    on = vietnam_date(values["received_at"])
    point, address = values["point"], values["address"]
    found = None
    if point is not None:
        found = locator.geocode(on=on, lon=point.x, lat=point.y)
    elif address:
        found = locator.geocode(on=on, address=address)
    located = found is not None and found.located
    values.update(
        geom=point,
        unit_id=found.unit_id if located else None,
        locate_on=on,
        locate_method=found.method if located else Located.Method.NONE,
        locate_confidence=found.confidence if located else 0.0,
        locate_reason=(found.reason if found else "Chưa có vị trí / No place given")[:300],
    )


def reports_receive(
    rows: list[dict[str, Any]], run: Any, rng: random.Random | None = None
) -> list[Outcome]:
    """Receive the rows not yet received from the run's source, in order; the others as they
    are. `rng` makes the tickets (the demo's are drawn from its seed)."""
    keys = {values["external_id"] for values in rows}
    there = set(
        Report.objects.filter(source=run.source, external_id__in=keys).values_list(
            "external_id", flat=True
        )
    )
    outcomes: list[Outcome] = []
    made: list[int] = []
    for values in rows:
        if values["external_id"] in there:
            outcomes.append("unchanged")
            continue
        report = services.report_receive(
            category=values["category"],
            description=values["description"],
            channel=values["channel"],
            point=values["geom"],
            unit_id=None if values["geom"] is not None else values["unit_id"],
            address=values["address"],
            title=values["title"],
            received_at=values["received_at"],
            call_at=values["call_at"],
            reporter_name=values["reporter_name"],
            reporter_phone=values["reporter_phone"],
            reporter_email=values["reporter_email"],
            anonymous=values["anonymous"],
            source=run.source,
            external_id=values["external_id"],
            actor_label=SENDER[values["channel"]],
            **({"rng": rng} if rng is not None else {}),
        )
        there.add(values["external_id"])
        made.append(report.pk)
        outcomes.append("created")
    Report.objects.filter(pk__in=made).update(run=run)
    return outcomes


def _upsert(rows: list[dict[str, Any]], run: Any) -> list[Outcome]:
    return reports_receive(rows, run)


SYSTEM = register_system(
    System(
        "feedback",
        FIELDS,
        report_rules,
        report_locate,
        Report,
        upsert_many=_upsert,
        private=PRIVATE,
    )
)
