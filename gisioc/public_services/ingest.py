"""The public-services adapter: one-stop software exports → dossiers, located and upserted."""

import datetime as dt
from typing import Any

from django.utils import timezone

from gisioc.geo.models import Facility, Located
from gisioc.ingest.locate import Locator
from gisioc.ingest.systems import Field, FieldError, System, register_system
from gisioc.periods import vietnam_date
from gisioc.public_services.models import Dossier
from gisioc.public_services.services import dossiers_upsert
from gisioc.texts import Text

Status = Dossier.Status
OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.PAUSED})
DONE = frozenset({Status.FINISHED, Status.RETURNED})
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _words(**groups: tuple[str, ...]) -> dict[str, str]:
    """Folded words → stored value; each value also answers to itself."""
    words = {word: value for value, aliases in groups.items() for word in aliases}
    return words | {value: value for value in groups}


CHANNELS = _words(
    truc_tiep=("truc tiep", "tai quay", "nop truc tiep", "in person", "mot cua"),
    truc_tuyen=("truc tuyen", "online", "qua mang", "dvc truc tuyen", "nop truc tuyen", "dvctt"),
    buu_chinh=("buu chinh", "buu chinh cong ich", "bcci", "buu dien", "qua buu dien", "post"),
)
LEVELS = _words(
    toan_trinh=("toan trinh", "dvc toan trinh", "muc do 4", "muc 4", "full"),
    mot_phan=("mot phan", "dvc mot phan", "muc do 3", "muc 3", "partial"),
) | {"muc do 2": "", "muc 2": ""}  # level 2 (information only) is not online service
STATUSES = _words(
    received=("moi tiep nhan", "da tiep nhan", "tiep nhan", "cho tiep nhan", "moi"),
    in_progress=("dang xu ly", "dang giai quyet", "dang thu ly", "dang tham dinh", "cho phe duyet"),
    supplement_requested=("yeu cau bo sung", "cho bo sung", "bo sung ho so", "dang bo sung"),
    paused=("tam dung", "tam dung xu ly", "dung xu ly", "cho nghia vu tai chinh"),
    finished=(
        "da giai quyet",
        "da xu ly",
        "da xu ly xong",
        "hoan thanh",
        "co ket qua",
        "cho tra ket qua",
    ),
    returned=("da tra ket qua", "tra ket qua", "da tra"),
    cancelled=(
        "da huy",
        "huy",
        "rut ho so",
        "da rut",
        "cong dan rut",
        "tu choi",
        "khong giai quyet",
    ),
)


def _f(name: str, kind: str, vi: str, en: str, *aliases: str, **options: Any) -> Field:
    return Field(name, kind, Text(vi, en), aliases=aliases, **options)  # type: ignore[arg-type]


FIELDS = (
    _f("external_id", "text", "Mã bản ghi", "Record id", "id", "ma ban ghi", max_length=120),
    _f(
        "dossier_code",
        "text",
        "Mã hồ sơ",
        "Dossier code",
        "ma ho so",
        "so ho so",
        "ma hs",
        "so bien nhan",
        "ma bien nhan",
        required=True,
        max_length=80,
    ),
    _f(
        "procedure_code",
        "text",
        "Mã thủ tục",
        "Procedure code",
        "ma thu tuc",
        "ma tthc",
        "ma thu tuc hanh chinh",
        required=True,
        max_length=60,
    ),
    _f(
        "procedure_name",
        "text",
        "Tên thủ tục",
        "Procedure name",
        "ten thu tuc",
        "thu tuc",
        "ten tthc",
        "thu tuc hanh chinh",
        max_length=500,
    ),
    _f("field", "text", "Lĩnh vực", "Field", "linh vuc", "ten linh vuc", max_length=200),
    _f(
        "office_code",
        "text",
        "Nơi tiếp nhận",
        "Office",
        "office",
        "noi tiep nhan",
        "don vi tiep nhan",
        "co quan tiep nhan",
        "bo phan mot cua",
        "ma noi tiep nhan",
        "ma don vi tiep nhan",
        max_length=120,
    ),
    _f(
        "channel",
        "choice",
        "Hình thức nộp",
        "Channel",
        "hinh thuc nop",
        "hinh thuc tiep nhan",
        "kenh tiep nhan",
        "kenh nop",
        choices=CHANNELS,
    ),
    _f(
        "service_level",
        "choice",
        "Mức độ DVC",
        "Service level",
        "muc do",
        "muc do dvc",
        "muc do dich vu cong",
        choices=LEVELS,
    ),
    _f(
        "received_at",
        "datetime",
        "Ngày tiếp nhận",
        "Received",
        "ngay tiep nhan",
        "ngay nhan",
        "thoi gian tiep nhan",
        "ngay nop",
        required=True,
    ),
    _f(
        "due_at",
        "datetime",
        "Ngày hẹn trả",
        "Due",
        "ngay hen tra",
        "hen tra",
        "ngay hen tra ket qua",
        "han xu ly",
        "han giai quyet",
        day_end=True,
    ),
    _f(
        "finished_at",
        "datetime",
        "Ngày giải quyết xong",
        "Finished",
        "ngay hoan thanh",
        "ngay giai quyet xong",
        "ngay xu ly xong",
        "ngay co ket qua",
        "ngay ket thuc",
        "ngay ket thuc xu ly",
    ),
    _f(
        "returned_at",
        "datetime",
        "Ngày trả kết quả",
        "Result returned",
        "ngay tra ket qua",
        "ngay tra",
    ),
    _f(
        "status",
        "choice",
        "Trạng thái",
        "Status",
        "trang thai",
        "tinh trang",
        "trang thai ho so",
        required=True,
        choices=STATUSES,
    ),
    _f("supplement_count", "int", "Số lần bổ sung", "Supplements", "so lan bo sung", "lan bo sung"),
    _f(
        "applicant_commune",
        "text",
        "Địa chỉ người nộp",
        "Applicant's address",
        "dia chi",
        "dia chi nguoi nop",
        "dia chi cong dan",
        "dia chi lien he",
        "xa phuong",
        "xa phuong nguoi nop",
        max_length=300,
    ),
    _f(
        "online_payment",
        "bool",
        "Thanh toán trực tuyến",
        "Paid online",
        "thanh toan truc tuyen",
        "thanh toan online",
        "tt truc tuyen",
    ),
)


def _error(field: str, vi: str, en: str) -> list[FieldError]:
    return [FieldError(field, vi, en)]


def _defaults(values: dict[str, Any]) -> None:
    """Blank optional values as stored; a finished date implied by the status."""
    values["channel"] = values["channel"] or ""
    values["service_level"] = values["service_level"] or ""
    values["online_payment"] = bool(values["online_payment"])
    values["supplement_count"] = max(values["supplement_count"] or 0, 0)
    if values["status"] == Status.SUPPLEMENT_REQUESTED:
        values["supplement_count"] = max(values["supplement_count"], 1)
    if values["status"] in DONE and values["finished_at"] is None:
        values["finished_at"] = values["returned_at"]


def dossier_rules(values: dict[str, Any]) -> list[FieldError]:
    """Dates in order and consistent with the status; defaults for optional values."""
    _defaults(values)
    status, received, finished = values["status"], values["received_at"], values["finished_at"]
    if not EARLIEST <= received <= timezone.now() + dt.timedelta(days=1):
        return _error("received_at", "ngày tiếp nhận ngoài khoảng hợp lý", "received out of range")
    for name, title in (
        ("due_at", "hẹn trả"),
        ("finished_at", "giải quyết xong"),
        ("returned_at", "trả kết quả"),
    ):
        if values[name] is not None and values[name] < received:
            return _error(name, f"ngày {title} trước ngày tiếp nhận", f"{name} before received_at")
    if values["returned_at"] and finished and values["returned_at"] < finished:
        return _error(
            "returned_at", "ngày trả kết quả trước ngày giải quyết xong", "returned before finished"
        )
    if status in DONE and finished is None:
        return _error(
            "finished_at",
            "hồ sơ đã giải quyết nhưng thiếu ngày giải quyết xong",
            "finished without a finished date",
        )
    if status not in DONE and finished is not None:
        label = Status(status).label.split(" / ")[0]
        return _error(
            "status",
            f"trạng thái '{label}' nhưng có ngày giải quyết xong",
            f"status {status} with a finished date",
        )
    return []


def dossier_locate(values: dict[str, Any], locator: Locator) -> None:
    """Office point; unit of the applicant's address, else of the office, on the day received."""
    on = vietnam_date(values["received_at"])
    given, address = values["office_code"], values["applicant_commune"]
    office = locator.facility(given, kind=Facility.Kind.ONE_STOP) if given else None
    at_office = locator.geocode(on=on, facility_code=office.code) if office else None
    by_address = locator.geocode(on=on, address=address) if address else None
    reasons = []
    if office is None:
        reasons.append(
            f"không có bộ phận một cửa '{given}' trong danh mục cơ sở / no one-stop office "
            f"'{given}' in the facility registry"
            if given
            else "thiếu nơi tiếp nhận / no office given"
        )
    if by_address is None:
        reasons.append("thiếu địa chỉ người nộp / no applicant address")
    elif not by_address.located:
        reasons.append(f"địa chỉ người nộp / applicant address: {by_address.reason}")
    if at_office is not None and not at_office.located:
        reasons.append(at_office.reason)
    chosen = next((x for x in (by_address, at_office) if x is not None and x.located), None)
    if chosen is at_office and chosen is not None:
        reasons.append("tính theo xã của nơi tiếp nhận / counted in the office's commune")
    values.update(
        office_id=office.id if office else None,
        geom=office.point if office else None,
        locate_on=on,
        unit_id=chosen.unit_id if chosen else None,
        locate_method=chosen.method if chosen else Located.Method.NONE,
        locate_confidence=chosen.confidence if chosen else 0.0,
        locate_reason="; ".join(reasons)[:300],
    )


SYSTEM = register_system(
    System(
        name="public_services",
        title=Text("Dịch vụ công (một cửa)", "Public services (one-stop shop)"),
        fields=FIELDS,
        rules=dossier_rules,
        locate=dossier_locate,
        upsert_many=lambda rows, run: dossiers_upsert(rows=rows, run=run),
        model=Dossier,
        key_from=("dossier_code",),
    )
)
