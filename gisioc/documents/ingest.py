"""The documents adapter: document-management exports → documents, placed at their agency."""

import datetime as dt
import re
from typing import Any

from gisioc.documents.models import Document
from gisioc.geo.models import Facility
from gisioc.geo.text import fold
from gisioc.ingest.fields import error, field, received_check, words
from gisioc.ingest.locate import AtFacility
from gisioc.ingest.systems import FieldError, System, register_system
from gisioc.periods import VIETNAM, vietnam_date
from gisioc.texts import Text

Direction, Status, Type = Document.Direction, Document.Status, Document.Type
INCOMING_STATUSES = frozenset({Status.RECEIVED, Status.IN_PROGRESS, Status.COMPLETED})

DIRECTIONS = words(
    incoming=("van ban den", "vb den", "den", "so van ban den", "so den", "incoming", "nhan"),
    outgoing=("van ban di", "vb di", "di", "so van ban di", "outgoing", "phat hanh"),
)
STATUSES = words(
    received=(
        "cho xu ly",
        "chua xu ly",
        "moi den",
        "moi tiep nhan",
        "da tiep nhan",
        "cho phan cong",
        "cho but phe",
        "cho y kien chi dao",
    ),
    in_progress=(
        "dang xu ly",
        "dang giai quyet",
        "dang thuc hien",
        "dang thu ly",
        "da phan cong",
        "da chuyen xu ly",
    ),
    completed=(
        "da xu ly",
        "xu ly xong",
        "da xu ly xong",
        "hoan thanh",
        "da hoan thanh",
        "da giai quyet",
        "ket thuc",
        "luu",
        "da luu",
        "luu ho so",
        "de biet",
    ),
    issued=("da ban hanh", "ban hanh", "da phat hanh", "da gui", "da ky ban hanh"),
    withdrawn=("thu hoi", "da thu hoi", "bi thu hoi", "huy", "da huy"),
)
URGENCIES = words(
    thuong=("thuong", "binh thuong", "khong khan", "normal"),
    khan=("khan", "urgent"),
    thuong_khan=("thuong khan", "very urgent"),
    hoa_toc=("hoa toc", "hoa toc hen gio", "flash"),
)
TYPES = words(
    cong_van=("cong van", "cv", "cong van hanh chinh"),
    quyet_dinh=("quyet dinh", "qd"),
    to_trinh=("to trinh", "ttr"),
    bao_cao=("bao cao", "bc"),
    ke_hoach=("ke hoach", "kh"),
    thong_bao=("thong bao", "tb"),
    giay_moi=("giay moi", "gm"),
    nghi_quyet=("nghi quyet", "nq"),
    chi_thi=("chi thi", "ct"),
    huong_dan=("huong dan",),
    cong_dien=("cong dien",),
    bien_ban=("bien ban", "bb"),
    khac=("loai khac", "other"),
)
# The type part of a symbol (Decree 30/2020/NĐ-CP), case kept: HD is guidance, HĐ a contract.
SYMBOL_TYPES = {
    "QĐ": Type.QUYET_DINH,
    "TTr": Type.TO_TRINH,
    "BC": Type.BAO_CAO,
    "KH": Type.KE_HOACH,
    "TB": Type.THONG_BAO,
    "GM": Type.GIAY_MOI,
    "NQ": Type.NGHI_QUYET,
    "CT": Type.CHI_THI,
    "HD": Type.HUONG_DAN,
    "CĐ": Type.CONG_DIEN,
    "BB": Type.BIEN_BAN,
    "HĐ": Type.KHAC,
    "QC": Type.KHAC,
    "CTr": Type.KHAC,
    "ĐA": Type.KHAC,
    "PA": Type.KHAC,
}
_SYMBOL = re.compile(r"^\s*\d+[^/]*/(?:\d{4}/)?([^-/\s]+)(?:-|\s*$)")


FIELDS = (
    field("external_id", "text", "Mã văn bản", "Record id", "id", "ma van ban", "ma vb",
       "ma ban ghi", "ma dinh danh van ban", max_length=120),
    field("direction", "choice", "Sổ văn bản", "Direction", "so van ban", "loai so", "den di",
       "van ban den di", "huong van ban", choices=DIRECTIONS),
    field("number_symbol", "text", "Số, ký hiệu", "Number and symbol", "so ky hieu",
       "so va ky hieu", "ky hieu", "so hieu van ban", "so ky hieu van ban", "so ky hieu goc",
       required=True, max_length=80),
    field("arrival_number", "text", "Số đến", "Arrival number", "so den", "so vao so",
       max_length=20),
    field("document_date", "date", "Ngày văn bản", "Document date", "ngay van ban",
       "ngay ban hanh", "ngay ky", "ngay thang van ban"),
    field("doc_type", "text", "Loại văn bản", "Document type", "loai van ban", "loai vb",
       "the loai", "hinh thuc van ban", max_length=80),
    field("issuer", "text", "Cơ quan ban hành", "Issuing body", "co quan ban hanh",
       "noi ban hanh", "noi gui", "co quan gui", "don vi ban hanh", "co quan to chuc ban hanh",
       max_length=300),
    field("summary", "text", "Trích yếu", "Summary", "trich yeu", "trich yeu noi dung",
       "noi dung", "tom tat noi dung", max_length=2000),
    field("recipients", "text", "Nơi nhận", "Recipients", "noi nhan", "noi nhan van ban",
       max_length=500),
    field("agency_code", "text", "Cơ quan xử lý", "Handling agency", "agency", "co quan xu ly",
       "co quan nhan", "co quan tiep nhan", "don vi nhan", "ma co quan", "co quan chu quan",
       max_length=120),
    field("assignee_unit", "text", "Đơn vị xử lý", "Assignee unit", "don vi xu ly",
       "don vi xu ly chinh", "phong ban xu ly", "don vi chu tri", "phong ban", "don vi soan thao",
       max_length=200),
    field("received_at", "datetime", "Ngày đến", "Received", "ngay den", "ngay nhan",
       "ngay tiep nhan", "ngay vao so", "ngay di", "ngay phat hanh"),
    field("due_on", "date", "Hạn xử lý", "Due", "han xu ly", "han giai quyet", "thoi han xu ly",
       "han hoan thanh", "han tra loi"),
    field("completed_at", "datetime", "Ngày hoàn thành", "Completed", "ngay hoan thanh",
       "ngay xu ly xong", "ngay ket thuc", "ngay hoan thanh xu ly", "ngay giai quyet xong"),
    field("status", "choice", "Trạng thái", "Status", "trang thai", "tinh trang",
       "tinh trang xu ly", "trang thai xu ly", choices=STATUSES),
    field("urgency", "choice", "Độ khẩn", "Urgency", "do khan", "muc do khan", "do khan van ban",
       choices=URGENCIES),
)  # fmt: skip


def document_type_of(*, given: str, symbol: str) -> str:
    """The type a row names; else the type part of its symbol; a symbol without one: công văn."""
    if given:
        return TYPES.get(fold(given), Type.KHAC)
    match = _SYMBOL.match(symbol)
    if match is None:
        return Type.KHAC
    return SYMBOL_TYPES.get(match.group(1), Type.CONG_VAN)


def _fill(values: dict[str, Any]) -> None:
    """Values implied by others: type, direction, status, received date, key, folded symbol."""
    values["doc_type"] = document_type_of(given=values["doc_type"], symbol=values["number_symbol"])
    values["folded_symbol"] = fold(values["number_symbol"])[:80]
    values["urgency"] = values["urgency"] or Document.Urgency.NORMAL
    if not values["direction"]:
        if values["arrival_number"]:
            values["direction"] = Direction.INCOMING
        elif values["recipients"]:
            values["direction"] = Direction.OUTGOING
    if values["direction"] == Direction.OUTGOING and values["status"] in (None, Status.COMPLETED):
        values["status"] = Status.ISSUED  # an outgoing document is done once issued
    if values["received_at"] is None and values["document_date"] is not None:
        values["received_at"] = dt.datetime.combine(values["document_date"], dt.time(), VIETNAM)
    if not values["external_id"]:
        parts = (
            values["agency_code"],
            values["direction"] or "",
            values["number_symbol"],
            values["document_date"].isoformat() if values["document_date"] else "",
            values["arrival_number"],
        )
        values["external_id"] = "|".join(parts)[:120]


def document_rules(values: dict[str, Any]) -> list[FieldError]:
    """Direction, status and dates consistent with each other; implied values filled in."""
    _fill(values)
    direction, status = values["direction"], values["status"]
    received, completed = values["received_at"], values["completed_at"]
    if not direction:
        return error("direction", "thiếu sổ văn bản (đến/đi)", "incoming or outgoing is missing")
    if status is None:
        return error("status", "thiếu trạng thái", "Status is missing")
    if received is None:
        return error("received_at", "thiếu ngày đến (hoặc ngày văn bản)", "no received date")
    if out_of_range := received_check(values, title=Text("ngày đến", "received")):
        return out_of_range
    day = vietnam_date(received)
    if values["document_date"] and values["document_date"] > day:
        return error("document_date", "ngày văn bản sau ngày đến", "document dated after received")
    if values["due_on"] and values["due_on"] < day:
        return error("due_on", "hạn xử lý trước ngày đến", "due before received")
    if completed is not None and completed < received:
        return error("completed_at", "ngày hoàn thành trước ngày đến", "completed before received")
    label = Status(status).label.split(" / ")[0]
    if direction == Direction.OUTGOING and status in (Status.RECEIVED, Status.IN_PROGRESS):
        return error(
            "status", f"văn bản đi không thể '{label}'", f"an outgoing document cannot be {status}"
        )
    if direction == Direction.INCOMING and status == Status.ISSUED:
        return error("status", "văn bản đến không thể 'Đã ban hành'", "incoming cannot be issued")
    if status == Status.COMPLETED and completed is None:
        return error("completed_at", "đã xử lý nhưng thiếu ngày hoàn thành", "no completed date")
    if status in (Status.RECEIVED, Status.IN_PROGRESS) and completed is not None:
        return error(
            "status",
            f"trạng thái '{label}' nhưng có ngày hoàn thành",
            f"status {status} with a completed date",
        )
    return []


# The agency's point, and its commune in the version in force on the day received.
document_locate = AtFacility(
    Facility.Kind.AGENCY, "agency_code", Text("cơ quan xử lý", "handling agency")
)
SYSTEM = register_system(System("documents", FIELDS, document_rules, document_locate, Document))
