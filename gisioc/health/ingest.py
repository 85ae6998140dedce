"""The health adapter: XML 130 files, CSV/XLSX exports and pushed or pulled records of
encounters → pseudonymised encounters, placed at their facility, counted in the patient's
commune of residence as it was on the admitted day."""

import datetime as dt
import re
import threading
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gisioc.geo.models import AdminUnit, Facility
from gisioc.geo.text import fold
from gisioc.health.icd import icd_chapter, icd_normalise
from gisioc.health.models import Encounter
from gisioc.health.pseudonym import patient_keys
from gisioc.health.screen import health_screen
from gisioc.health.xml130 import xml130_open
from gisioc.ingest.fields import error, field, received_check, words
from gisioc.ingest.locate import AtFacility, Locator
from gisioc.ingest.readers import Source, source_open
from gisioc.ingest.systems import PERSONAL_HEADERS, Field, FieldError, System, register_system
from gisioc.ingest.values import BadValue, text_value
from gisioc.periods import vietnam_date
from gisioc.texts import Text

Care, Outcome, Discharge = Encounter.Care, Encounter.Outcome, Encounter.Discharge
# MA_LOAI_KCB (QĐ 130/QĐ-BYT, QĐ 4750/QĐ-BYT): 01 khám bệnh, 02 điều trị ngoại trú, 03 nội
# trú, 04 nội trú ban ngày, 05 ngoại trú bệnh mạn tính, 06 lưu tại trạm y tế xã / PKĐKKV,
# 07 nhận thuốc theo hẹn, 08 ngoại trú có dịch vụ kỹ thuật, 09 nội trú dưới 4 giờ.
CARE_CODES = {
    "1": Care.OUTPATIENT, "2": Care.OUTPATIENT, "3": Care.INPATIENT, "4": Care.DAY_PATIENT,
    "5": Care.OUTPATIENT, "6": Care.INPATIENT, "7": Care.OUTPATIENT, "8": Care.OUTPATIENT,
    "9": Care.INPATIENT,
}  # fmt: skip
CARE_WORDS = words(
    outpatient=("ngoai tru", "kham benh", "kham ngoai tru", "outpatient"),
    inpatient=("noi tru", "dieu tri noi tru", "inpatient"),
    day_patient=("noi tru ban ngay", "ban ngay", "day patient"),
)
# KET_QUA_DTRI: 1 khỏi, 2 đỡ, 3 không thay đổi, 4 nặng hơn, 5 tử vong, 6 tiên lượng nặng
# xin về, 7 chưa xác định.
OUTCOMES = words(
    cured=("1", "khoi", "cured"),
    improved=("2", "do", "do giam", "giam", "improved"),
    unchanged=("3", "khong thay doi", "unchanged"),
    worse=("4", "6", "nang hon", "tien luong nang xin ve", "worse"),
    died=("5", "tu vong", "died"),
    unknown=("7", "chua xac dinh", "unknown"),
)
# MA_LOAI_RV: 1 ra viện, 2 chuyển tuyến theo yêu cầu chuyên môn, 3 trốn viện, 4 xin ra viện,
# 5 chuyển tuyến theo yêu cầu người bệnh.
DISCHARGES = words(
    home=("1", "ra vien", "home"),
    referred=("2", "5", "chuyen tuyen", "chuyen vien", "referred"),
    absconded=("3", "tron vien", "absconded"),
    requested=("4", "xin ra vien", "xin ve", "requested"),
)
SEXES = words(m=("1", "nam", "male"), f=("2", "nu", "female"), unknown=("3", "khong ro"))
# Column names of personal data in hospital exports, beyond the stock ones (fold('HO_TEN')
# is 'ho ten', already there): address, patient's name, relatives, card numbers.
PERSONAL = (
    *PERSONAL_HEADERS,
    "dia chi",
    "ten benh nhan",
    "ten nguoi benh",
    "ho ten nguoi benh",
    "ten bn",
    "nguoi giam ho",
    "nguoi than",
    "ho ten cha",
    "ho ten me",
    "so the",
    "ma dinh danh",
    "so hsba",
    "ma hsba",
)
# Fields read from a row, used by the rules, never stored as columns.
ROW_ONLY = ("patient_class", "admission_reason")


@dataclass(frozen=True)
class _Money(Field):
    """An amount of dong: '1234567', '1234567.50', 1234567.5; rounded to whole dong."""

    def parse(self, raw: object) -> object:
        """A non-negative whole amount."""
        text = text_value(raw).replace(" ", "").replace(",", "")
        try:
            amount = Decimal(text).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        except (InvalidOperation, ValueError) as exc:
            raise BadValue(
                f"không phải số tiền: {text[:30]}", f"not an amount: {text[:30]}"
            ) from exc
        if amount < 0 or amount >= Decimal(10) ** 14:
            raise BadValue("số tiền ngoài khoảng", "amount out of range")
        return amount


FIELDS = (
    field("external_id", "text", "Mã liên kết", "Link code (MA_LK)", "MA_LK", "ma lien ket",
       "ma luot kham", "ma dot dieu tri", "encounter id", required=True, max_length=120),
    field("facility_code", "text", "Mã cơ sở KCB", "Facility code", "MA_CSKCB", "ma co so kcb",
       "ma co so kham chua benh", "ma cskcb", "co so kcb", "ma benh vien", "facility code",
       required=True, max_length=40),
    # MA_BN: replaced by its keyed hash by the screen before anything reads it.
    field("patient_key", "text", "Mã bệnh nhân", "Patient code", "MA_BN", "ma benh nhan",
       "ma nguoi benh", "ma bn", "patient id", required=True, max_length=64),
    field("key_id", "int", "Mã khóa", "Key id"),
    field("sex", "choice", "Giới tính", "Sex", "GIOI_TINH", "gioi tinh", "gioi", choices=SEXES),
    # NGAY_SINH: turned into the age band by the screen.
    field("age_band", "text", "Ngày sinh", "Date of birth", "NGAY_SINH", "ngay sinh",
       "nam sinh", "ngay thang nam sinh", "date of birth", "birth date", max_length=5),
    field("residence_code", "text", "Mã xã cư trú", "Commune of residence code", "MAXA_CU_TRU",
       "ma xa cu tru", "ma xa", "ma phuong xa cu tru", "xa cu tru", max_length=10),
    field("care_code", "text", "Mã loại KCB", "Care type code", "MA_LOAI_KCB", "ma loai kcb",
       "loai kcb", "loai kham chua benh", "hinh thuc kcb", "care", max_length=40),
    field("emergency", "bool", "Cấp cứu", "Emergency", "cap cuu", "vao cap cuu"),
    field("admission_reason", "text", "Lý do vào viện", "Admission reason", "LY_DO_VV",
       "ly do vao vien", "ly do den kham", "ly do vv"),
    field("patient_class", "text", "Mã đối tượng KCB", "Patient class", "MA_DOITUONG_KCB",
       "ma doi tuong kcb", "doi tuong kcb", max_length=10),
    field("diagnosis", "text", "Mã bệnh chính", "Main diagnosis (ICD-10)", "MA_BENH_CHINH",
       "ma benh chinh", "ma benh", "ma icd", "icd", "icd10", "ma icd10", required=True,
       max_length=20),
    field("other_diagnoses", "text", "Mã bệnh kèm theo", "Other diagnoses", "MA_BENH_KT",
       "ma benh kem theo", "ma benh kt", "benh kem theo", max_length=400),
    field("admitted_at", "datetime", "Ngày vào", "Admitted", "NGAY_VAO", "ngay vao",
       "ngay vao vien", "ngay kham", "thoi gian vao", "admitted", required=True),
    field("discharged_at", "datetime", "Ngày ra", "Discharged", "NGAY_RA", "ngay ra",
       "ngay ra vien", "thoi gian ra", "discharged"),
    field("treatment_days", "int", "Số ngày điều trị", "Treatment days", "SO_NGAY_DTRI",
       "so ngay dieu tri", "so ngay dtri"),
    field("outcome", "choice", "Kết quả điều trị", "Outcome", "KET_QUA_DTRI", "ket qua dieu tri",
       "ket qua dtri", "ket qua", choices=OUTCOMES),
    field("discharge", "choice", "Loại ra viện", "Discharge", "MA_LOAI_RV", "ma loai ra vien",
       "loai ra vien", "hinh thuc ra vien", choices=DISCHARGES),
    # MA_THE_BHYT: only whether there is one, by the screen.
    field("insured", "bool", "Mã thẻ BHYT", "Insurance card", "MA_THE_BHYT", "ma the bhyt",
       "so the bhyt", "the bhyt", "co bhyt", "bhyt", "insured"),
    _Money("total_cost", "int", Text("Tổng chi", "Total cost"),
       aliases=("T_TONGCHI_BV", "T_TONGCHI", "tong chi", "tong chi phi", "tong chi bv",
                "total cost")),
    _Money("insurance_paid", "int", Text("BHYT thanh toán", "Insurance paid"),
       aliases=("T_BHTT", "bhyt thanh toan", "bhxh thanh toan", "bao hiem thanh toan",
                "quy bhyt thanh toan", "insurance paid")),
)  # fmt: skip
_SPLIT = re.compile(r"[;,\s]+")


def _diagnoses(values: dict[str, Any]) -> list[FieldError]:
    code = icd_normalise(values["diagnosis"])
    if code is None or not icd_chapter(code):
        shown = values["diagnosis"][:20]
        return error(
            "diagnosis",
            f"mã bệnh chính không phải mã ICD-10: {shown} (ví dụ J06.9, A91)",
            f"main diagnosis is not an ICD-10 code: {shown} (e.g. J06.9, A91)",
        )
    values["diagnosis"], values["chapter"] = code, icd_chapter(code)
    others = []
    for part in filter(None, _SPLIT.split(values["other_diagnoses"])):
        other = icd_normalise(part)
        if other is None or not icd_chapter(other):
            return error(
                "other_diagnoses",
                f"mã bệnh kèm theo không phải mã ICD-10: {part[:20]}",
                f"other diagnosis is not an ICD-10 code: {part[:20]}",
            )
        if other not in others and other != code:
            others.append(other)
    values["other_diagnoses"] = ";".join(others)[:200]
    return []


def _care(values: dict[str, Any]) -> list[FieldError]:
    given = values["care_code"].strip()
    if not given:
        stay = values["discharged_at"] and values["discharged_at"] - values["admitted_at"]
        values["care"] = (
            Care.INPATIENT if stay and stay >= dt.timedelta(days=1) else Care.OUTPATIENT
        )
        return []
    number = given.lstrip("0")
    care = CARE_CODES.get(number) if given.isdigit() else CARE_WORDS.get(fold(given))
    if care is None:
        return error(
            "care_code",
            f"mã loại KCB không có trong danh mục: {given[:10]} (01–09)",
            f"unknown care type code: {given[:10]} (01–09)",
        )
    values["care"] = care
    values["care_code"] = number.zfill(2)[:2] if given.isdigit() else ""
    return []


def encounter_rules(values: dict[str, Any]) -> list[FieldError]:
    """ICD-10 codes, dates and codes consistent; care, chapter and stay filled in."""
    for name in ROW_ONLY:
        values.pop(name, None)
    values["sex"] = "" if values["sex"] in (None, "unknown") else values["sex"]
    values["outcome"] = values["outcome"] or Outcome.UNKNOWN
    values["discharge"] = values["discharge"] or ""
    values["insured"] = bool(values["insured"])
    values["emergency"] = bool(values["emergency"])
    admitted, discharged = values["admitted_at"], values["discharged_at"]
    if out_of_range := received_check(
        values, title=Text("ngày vào", "admitted"), name="admitted_at"
    ):
        return out_of_range
    if discharged is not None and discharged < admitted:
        return error("discharged_at", "ngày ra trước ngày vào", "discharged before admitted")
    if values["discharge"] and discharged is None:
        return error(
            "discharged_at", "có loại ra viện nhưng thiếu ngày ra", "discharge without a date"
        )
    if discharged is not None and not values["discharge"]:
        values["discharge"] = Discharge.HOME
    if values["treatment_days"] is not None and not 0 <= values["treatment_days"] <= 3660:
        return error(
            "treatment_days", "số ngày điều trị ngoài khoảng", "treatment days out of range"
        )
    if errors := _diagnoses(values) or _care(values):
        return errors
    if (
        values["treatment_days"] is None
        and discharged is not None
        and values["care"] != Care.OUTPATIENT
    ):
        values["treatment_days"] = (vietnam_date(discharged) - vietnam_date(admitted)).days + 1
    if values["key_id"] is None or not values["patient_key"]:
        return error("patient_key", "thiếu mã bệnh nhân", "Patient code is missing")
    return []


_run = threading.local()  # this thread's run's residence answers (`health_start` empties them)


def health_start() -> None:
    """A run starts: the patient keys must be usable (else the run fails, saying so), and
    residence codes are resolved afresh."""
    patient_keys()
    _run.residences = {}


def residence_of(code: str, versions: tuple[int, ...]) -> int | None:
    """The commune with this GSO code in the first of `versions` that has one (by code only)."""
    memo: dict[tuple[str, tuple[int, ...]], int | None] = getattr(_run, "residences", None) or {}
    _run.residences = memo
    key = (code, versions)
    if key not in memo:
        found = dict(
            AdminUnit.objects.filter(
                version_id__in=versions, code=code, level=AdminUnit.Level.COMMUNE
            ).values_list("version_id", "pk")
        )
        memo[key] = next((found[v] for v in versions if v in found), None)
    return memo[key]


_at_facility = AtFacility(
    Facility.Kind.HEALTH,
    "facility_code",
    Text("cơ sở khám chữa bệnh", "health facility"),
    day="admitted_at",
)


def encounter_locate(values: dict[str, Any], locator: Locator) -> None:
    """The facility's point and commune on the admitted day; the residence on that day too."""
    _at_facility(values, locator)
    code = values["residence_code"].strip()
    versions = locator.versions(values["locate_on"])
    values["residence_id"] = residence_of(code, versions) if code else None


def health_open(*, path: Path, known: Any) -> Source:
    """XML 130 files by their envelope; CSV, XLSX and JSON exports as any system's."""
    if path.suffix.lower() == ".xml":
        return xml130_open(path=path)
    return source_open(path=path, known=known)


SYSTEM = register_system(
    System(
        "health",
        FIELDS,
        encounter_rules,
        encounter_locate,
        Encounter,
        personal=PERSONAL,
        open_file=health_open,
        start=health_start,
        screen=health_screen,
    )
)
