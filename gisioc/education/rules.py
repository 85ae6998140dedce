"""The rules of a school-year row: the school year's label, sums and shares that must hold,
grades gathered, and the class-size norms a school is over capacity by.

Class-size norms (maximum pupils per class): pre-school by age group (Điều lệ trường mầm
non, Circular 52/2020/TT-BGDĐT: nhà trẻ 25, mẫu giáo 3–4 tuổi 25, 4–5 tuổi 30, 5–6 tuổi
35); primary 35 (Circular 28/2020/TT-BGDĐT); lower and upper secondary 45 (Circular
32/2020/TT-BGDĐT). A school is over capacity when it has more pupils than designed places,
or more pupils than its classes hold at the norms (on average: classes fewer than the
pupils of each grade or group divided by its norm).
"""

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from gisioc.education.models import Level
from gisioc.ingest.fields import error
from gisioc.ingest.systems import FieldError
from gisioc.periods import VIETNAM

GRADES = tuple(range(1, 13))
# Pre-school groups: (vi, en, aliases…); their norm in GROUP_NORMS.
GROUPS: dict[str, tuple[str, ...]] = {
    "nha_tre": ("Nhà trẻ", "Crèche (under 3)", "nha tre", "nhom tre", "tre nha tre",
                "so tre nha tre"),
    "mg_3": ("Mẫu giáo 3-4 tuổi", "Kindergarten, 3–4", "mau giao 3 4 tuoi", "mau giao be",
             "lop be", "mg 3 4 tuoi", "tre 3 4 tuoi", "3 4 tuoi"),
    "mg_4": ("Mẫu giáo 4-5 tuổi", "Kindergarten, 4–5", "mau giao 4 5 tuoi", "mau giao nho",
             "lop nho", "mg 4 5 tuoi", "tre 4 5 tuoi", "4 5 tuoi"),
    "mg_5": ("Mẫu giáo 5-6 tuổi", "Kindergarten, 5–6", "mau giao 5 6 tuoi", "mau giao lon",
             "lop lon", "mg 5 6 tuoi", "tre 5 6 tuoi", "5 6 tuoi"),
}  # fmt: skip
GROUP_NORMS = {"nha_tre": 25, "mg_3": 25, "mg_4": 30, "mg_5": 35}
LEVEL_NORMS = {Level.MAM_NON: 30, Level.TIEU_HOC: 35, Level.THCS: 45, Level.THPT: 45}
LIEN_CAP_NORM = 40  # a multi-level school without grades: between primary and secondary
LEVEL_GRADES = {
    Level.TIEU_HOC: range(1, 6),
    Level.THCS: range(6, 10),
    Level.THPT: range(10, 13),
}
FINAL = {Level.MAM_NON: "mg_5", Level.TIEU_HOC: "5", Level.THCS: "9", Level.THPT: "12"}
_LABEL = re.compile(r"^(?:n[aă]m\s+h[oọ]c\s*:?\s*)?(\d{4})\s*[-–—/]\s*(\d{4})$", re.IGNORECASE)
_RATE = re.compile(r"^\d+(?:[.,]\d+)?$")
FIRST_START = 2000
COUNTS = (
    "pupils", "classes", "teachers", "managers", "employees", "capacity", "pupils_female",
    "dropouts", "promoted", "completed", "ethnic_minority",
)  # fmt: skip


def grade_norm(grade: str) -> int:
    """The class-size norm of a grade ('1'…'12') or pre-school group."""
    if grade in GROUP_NORMS:
        return GROUP_NORMS[grade]
    return 35 if int(grade) <= 5 else 45


def school_year_label(text: str) -> tuple[str, int] | None:
    """('2024-2025', 2024) from '2024-2025', '2024 - 2025', '2024–2025', '2024/2025' or
    'Năm học 2024-2025'; None when it is not two consecutive years."""
    match = _LABEL.match(text.strip())
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if second != first + 1:
        return None
    return f"{first}-{second}", first


def year_start(first: int) -> dt.datetime:
    """The first instant (Vietnam) of the school year starting in `first`: 1 September."""
    return dt.datetime(first, 9, 1, tzinfo=VIETNAM)


def _rate(text: str) -> float | None:
    cleaned = text.replace("%", "").replace(" ", "")
    return float(cleaned.replace(",", ".")) if _RATE.match(cleaned) else None


def _level_of(grades: dict[str, int]) -> str | None:
    """The level the grades given imply (pre-school groups, or grades of one or more levels)."""
    if not grades:
        return None
    if all(g in GROUPS for g in grades):
        return Level.MAM_NON
    levels = {lvl for g in grades if g not in GROUPS for lvl, r in LEVEL_GRADES.items()
              if int(g) in r}  # fmt: skip
    return levels.pop() if len(levels) == 1 and not set(grades) & set(GROUPS) else Level.LIEN_CAP


def over_capacity(values: dict[str, Any]) -> bool:
    """More pupils than places, or classes fuller on average than the norms."""
    pupils, classes, capacity = values["pupils"], values["classes"], values["capacity"]
    if capacity and pupils > capacity:
        return True
    if not classes:
        return False
    grades = values["grades"]
    if grades and sum(grades.values()) == pupils:
        needed = sum(n / grade_norm(g) for g, n in grades.items())
    else:
        needed = pupils / LEVEL_NORMS.get(values["level"], LIEN_CAP_NORM)
    return classes < needed - 1e-9


def _gather(values: dict[str, Any]) -> dict[str, int]:
    """The grade and group fields taken out of the row into {grade or group: pupils}."""
    grades: dict[str, int] = {}
    for grade in GRADES:
        n = values.pop(f"grade_{grade}")
        if n is not None:
            grades[str(grade)] = n
    for group in GROUPS:
        n = values.pop(f"group_{group}")
        if n is not None:
            grades[group] = n
    return grades


def _counts(values: dict[str, Any]) -> list[FieldError]:
    pupils = values["pupils"]
    for name in COUNTS:
        if values[name] is not None and values[name] < 0:
            return error(name, "không được âm", "cannot be negative")
    for name, vi, en in (
        ("pupils_female", "học sinh nữ", "female pupils"),
        ("dropouts", "học sinh bỏ học", "drop-outs"),
        ("promoted", "học sinh lên lớp", "pupils promoted"),
        ("completed", "học sinh hoàn thành/tốt nghiệp", "pupils completing"),
        ("ethnic_minority", "học sinh dân tộc thiểu số", "ethnic-minority pupils"),
    ):
        if values[name] is not None and values[name] > pupils:
            return error(
                name,
                f"số {vi} ({values[name]}) lớn hơn tổng số học sinh ({pupils})",
                f"{en} ({values[name]}) exceed the pupils ({pupils})",
            )
    if values["classes"] == 0 and pupils:
        return error("classes", "có học sinh nhưng số lớp là 0", "pupils but no classes")
    return []


def school_year_rules(values: dict[str, Any]) -> list[FieldError]:
    """The label a school year, grades summing to the pupils, shares within bounds; fills the
    grades, the level when only grades say it, the record id, the start and over capacity."""
    grades = _gather(values)
    values["grades"] = grades
    found = school_year_label(values["school_year"])
    if found is None:
        shown = values["school_year"][:40]
        return error(
            "school_year",
            f"năm học không hợp lệ: '{shown}' (ví dụ 2024-2025: hai năm liền nhau)",
            f"invalid school year: '{shown}' (e.g. 2024-2025: two consecutive years)",
        )
    values["school_year"], first = found
    last = timezone.localdate().year + 1
    if not FIRST_START <= first <= last:
        return error(
            "school_year",
            f"năm học {values['school_year']} ngoài khoảng {FIRST_START}…{last}",
            f"school year {values['school_year']} out of range {FIRST_START}…{last}",
        )
    values["year_start"] = year_start(first)
    if grades and values["pupils"] is None:
        values["pupils"] = sum(grades.values())
    if values["pupils"] is None:
        return error("pupils", "thiếu tổng số học sinh", "the number of pupils is missing")
    if grades and sum(grades.values()) != values["pupils"]:
        return error(
            "pupils",
            f"tổng số học sinh ({values['pupils']}) khác tổng các khối ({sum(grades.values())})",
            f"pupils ({values['pupils']}) differ from the sum of grades ({sum(grades.values())})",
        )
    if found_error := _counts(values):
        return found_error
    rate = values["attendance_rate"]
    values["attendance_rate"] = None
    if rate:
        parsed = _rate(rate)
        if parsed is None or not 0 <= parsed <= 100:
            return error(
                "attendance_rate",
                f"tỷ lệ chuyên cần phải là số từ 0 đến 100: '{rate[:20]}'",
                f"attendance must be a number from 0 to 100: '{rate[:20]}'",
            )
        values["attendance_rate"] = parsed
    values["level"] = values["level"] or _level_of(grades)
    if values["level"] is None:
        return error("level", "thiếu cấp học", "the level (cấp học) is missing")
    values["ownership"] = values["ownership"] or "cong_lap"
    values["standard"] = values["standard"] or ""
    final = FINAL.get(values["level"])
    values["final_grade"] = grades.get(final) if final else None
    values["over_capacity"] = over_capacity(values)
    key = f"{values['school_code']}:{values['school_year']}"
    values["external_id"] = values["external_id"] or key
    return []
