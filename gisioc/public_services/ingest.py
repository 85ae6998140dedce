"""The public-services adapter: one-stop software exports → dossiers, located and upserted."""

from typing import Any

from gisioc.geo.models import Facility
from gisioc.ingest.fields import error, field, received_check, words
from gisioc.ingest.locate import AtFacility
from gisioc.ingest.systems import FieldError, System, register_system
from gisioc.public_services.models import Dossier
from gisioc.texts import Text

Status = Dossier.Status
OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.PAUSED})
DONE = frozenset({Status.FINISHED, Status.RETURNED})

CHANNELS = words(
    truc_tiep=("truc tiep", "tai quay", "nop truc tiep", "in person", "mot cua"),
    truc_tuyen=("truc tuyen", "online", "qua mang", "dvc truc tuyen", "nop truc tuyen", "dvctt"),
    buu_chinh=("buu chinh", "buu chinh cong ich", "bcci", "buu dien", "qua buu dien", "post"),
)
LEVELS = words(
    toan_trinh=("toan trinh", "dvc toan trinh", "muc do 4", "muc 4", "full"),
    mot_phan=("mot phan", "dvc mot phan", "muc do 3", "muc 3", "partial"),
) | {"muc do 2": "", "muc 2": ""}  # level 2 (information only) is not online service
STATUSES = words(
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


FIELDS = (
    field("external_id", "text", "Mã bản ghi", "Record id", "id", "ma ban ghi", max_length=120),
    field(
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
    field(
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
    field(
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
    field("field", "text", "Lĩnh vực", "Field", "linh vuc", "ten linh vuc", max_length=200),
    field(
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
    field(
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
    field(
        "service_level",
        "choice",
        "Mức độ DVC",
        "Service level",
        "muc do",
        "muc do dvc",
        "muc do dich vu cong",
        choices=LEVELS,
    ),
    field(
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
    field(
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
    field(
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
    field(
        "returned_at",
        "datetime",
        "Ngày trả kết quả",
        "Result returned",
        "ngay tra ket qua",
        "ngay tra",
    ),
    field(
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
    field(
        "supplement_count", "int", "Số lần bổ sung", "Supplements", "so lan bo sung", "lan bo sung"
    ),
    field(
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
    field(
        "online_payment",
        "bool",
        "Thanh toán trực tuyến",
        "Paid online",
        "thanh toan truc tuyen",
        "thanh toan online",
        "tt truc tuyen",
    ),
)


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
    if out_of_range := received_check(values, title=Text("ngày tiếp nhận", "received")):
        return out_of_range
    for name, title in (
        ("due_at", "hẹn trả"),
        ("finished_at", "giải quyết xong"),
        ("returned_at", "trả kết quả"),
    ):
        if values[name] is not None and values[name] < received:
            return error(name, f"ngày {title} trước ngày tiếp nhận", f"{name} before received_at")
    if values["returned_at"] and finished and values["returned_at"] < finished:
        return error(
            "returned_at", "ngày trả kết quả trước ngày giải quyết xong", "returned before finished"
        )
    if status in DONE and finished is None:
        return error(
            "finished_at",
            "hồ sơ đã giải quyết nhưng thiếu ngày giải quyết xong",
            "finished without a finished date",
        )
    if status not in DONE and finished is not None:
        label = Status(status).label.split(" / ")[0]
        return error(
            "status",
            f"trạng thái '{label}' nhưng có ngày giải quyết xong",
            f"status {status} with a finished date",
        )
    return []


# Office point; unit of the applicant's address, else of the office, on the day received.
dossier_locate = AtFacility(
    Facility.Kind.ONE_STOP,
    "office_code",
    Text("nơi tiếp nhận", "office"),
    address="applicant_commune",
    address_title=Text("địa chỉ người nộp", "applicant address"),
)
SYSTEM = register_system(
    System(
        "public_services",
        FIELDS,
        dossier_rules,
        dossier_locate,
        Dossier,
        key_from=("dossier_code",),
    )
)
