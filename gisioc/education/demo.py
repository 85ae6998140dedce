"""Five deterministic school years (2021-2022 … 2025-2026) of every school of Duy Xuyên.

The schools are the demo facilities (a pre-school, a primary and a lower-secondary school in
each of the 13 old communes, three upper-secondary schools for the district). Their pupils
follow the commune's school-age population (indicator `school_age_population`, the same
function the indicators demo reports): each grade is its age cohort times an enrolment rate
(primary 99 %, lower secondary 93–97 %, upper secondary about 70 % of the district's
15–17-year-olds, spread over the three schools), so enrolment against the population reads
true. Classes, teachers and staff follow the usual ratios (primary ~30 pupils a class and
~1.4 teachers a class, lower secondary ~38 and ~1.9); the town's schools are crowded.
Rows are written as school management software exports them (Vietnamese headers) and go
through the ingest framework like a file. The school year opening when the fake runs comes
from the same generator (`school_row`), month by month (`gisioc.education.fake`).
"""

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from gisioc.education.system import SYSTEM
from gisioc.geo.demo_facilities import demo_facility_rows
from gisioc.geo.services import Progress
from gisioc.indicators.demo_communes import Commune, communes
from gisioc.indicators.demo_yearly import school_age_population
from gisioc.ingest.demo_runs import demo_ingest
from gisioc.ingest.readers import RawRow

SOURCE = SYSTEM.demo_source or ""  # declared once, in system.py
KEY = "demo-education-v1"  # change when the generator changes, so the demo loads again
FIRST_START, LAST_START = 2021, 2025  # the school years 2021-2022 … 2025-2026
LEVEL_NAMES = {"mam_non": "Mầm non", "tieu_hoc": "Tiểu học", "thcs": "THCS", "thpt": "THPT"}
GROUP_HEADERS = {
    "nha_tre": "Nhà trẻ",
    "mg_3": "Mẫu giáo 3-4 tuổi",
    "mg_4": "Mẫu giáo 4-5 tuổi",
    "mg_5": "Mẫu giáo 5-6 tuổi",
}
# Upper-secondary pupils of the district (share of 15–17-year-olds) and each school's part.
THPT_ENROLMENT = {10: 0.74, 11: 0.71, 12: 0.69}
THPT_SHARE = {"THPT-SAONAM": 0.30, "THPT-NGUYENHIEN": 0.37, "THPT-LEHONGPHONG": 0.33}
# Pupils a class the school aims at: (low, high); the town's classes are fuller.
PER_CLASS = {"tieu_hoc": (28, 33), "thcs": (35, 40), "thpt": (40, 44)}
GROUP_PER_CLASS = {"nha_tre": (18, 22), "mg_3": (22, 25), "mg_4": (25, 29), "mg_5": (28, 32)}
TEACHERS_PER_CLASS = {"mam_non": (1.8, 2.1), "tieu_hoc": (1.35, 1.5), "thcs": (1.85, 2.0),
                      "thpt": (2.1, 2.3)}  # fmt: skip
ATTENDANCE = {"mam_non": (88, 94), "tieu_hoc": (97, 99.3), "thcs": (95.5, 98.5),
              "thpt": (94, 97.5)}  # fmt: skip
DROPOUT = {"tieu_hoc": (0.0005, 0.002), "thcs": (0.003, 0.009), "thpt": (0.006, 0.012)}
REPEAT = {"tieu_hoc": 0.004, "thcs": 0.008, "thpt": 0.012}
STANDARDS = ("Chưa đạt", "Đạt chuẩn mức 1", "Đạt chuẩn mức 2")


@dataclass(frozen=True)
class School:
    """A demo school: its facility code, name, level and old commune."""

    code: str
    name: str
    level: str
    commune: str  # old (2019) commune code

    def rng(self, *key: object) -> random.Random:
        """A generator of its own (and of a school year, with `key`)."""
        return random.Random(":".join(("gisioc-demo-education", self.code, *map(str, key))))


@cache
def schools() -> tuple[School, ...]:
    """Every demo school, in facility order."""
    return tuple(
        School(r["code"], r["name"], r["subtype"], r["commune_2019"])
        for r in demo_facility_rows()
        if r["kind"] == "school"
    )


@cache
def _communes() -> dict[str, Commune]:
    return {c.code: c for c in communes()}


def cohort(commune: Commune, start: int, age: int) -> float:
    """Children of an age (1–17) in the commune when the school year opens: the school-age
    population (3–17) shared over its 15 ages, a little more of the older (fewer births)."""
    weights = {a: 1 + 0.015 * (a - 10) for a in range(3, 18)}
    weight = 1 + 0.015 * (age - 10)
    return school_age_population(commune, start) * weight / sum(weights.values())


def _grades(school: School, start: int) -> dict[str, int]:
    """{grade or pre-school group: pupils} of the school in the school year."""
    rng = school.rng(start, "grades")
    if school.level == "thpt":
        share = THPT_SHARE[school.code]
        return {
            str(g): round(sum(cohort(c, start, g + 5) for c in communes()) * e * share
                          * rng.uniform(0.98, 1.02))
            for g, e in THPT_ENROLMENT.items()
        }  # fmt: skip
    commune = _communes()[school.commune]
    if school.level == "mam_non":
        rates = {"nha_tre": (3, 0.40), "mg_3": (3, 0.90), "mg_4": (4, 0.95), "mg_5": (5, 0.995)}
        return {
            group: round(cohort(commune, start, age) * rate * rng.uniform(0.98, 1.02))
            for group, (age, rate) in rates.items()
        }
    grades = range(1, 6) if school.level == "tieu_hoc" else range(6, 10)
    found = {}
    for g in grades:
        rate = rng.uniform(0.99, 0.998) if g <= 5 else 0.97 - 0.012 * (g - 6)
        found[str(g)] = round(cohort(commune, start, g + 5) * rate * rng.uniform(0.98, 1.02))
    return found


def _classes(school: School, grades: dict[str, int]) -> int:
    crowded = 1.15 if school.commune == "20599" else 1.0  # the town
    rng = school.rng("classes")
    total = 0
    for grade, pupils in grades.items():
        low, high = GROUP_PER_CLASS.get(grade) or PER_CLASS[school.level]
        total += max(1, round(pupils / (rng.uniform(low, high) * crowded)))
    return total


def _standard(school: School, start: int) -> str:
    """Chưa đạt / mức 1 / mức 2: a school's status in 2021, raised now and then."""
    rng = school.rng("standard")
    level = rng.choices((0, 1, 2), weights=(50, 42, 8))[0]
    for _ in range(FIRST_START, start):
        if rng.random() < (0.15 if level == 0 else 0.06):
            level = min(2, level + 1)
    return STANDARDS[level]


def _capacity(school: School) -> int:
    """Designed places: a margin over the first demo year's pupils (the town has none)."""
    first = sum(_grades(school, FIRST_START).values())
    margin = 0.97 if school.commune == "20599" else school.rng("capacity").uniform(1.02, 1.25)
    return round(first * margin, -1)


def school_row(school: School, start: int, *, months: int = 9) -> dict[str, object]:
    """The school's row for the school year starting in `start`, as the software exports it
    after `months` months of it (9: the year's end, with promotion and completion)."""
    rng = school.rng(start)
    grades = _grades(school, start)
    pupils = sum(grades.values())
    classes = _classes(school, grades)
    level = school.level
    low, high = TEACHERS_PER_CLASS[level]
    ended = months >= 9
    row: dict[str, object] = {
        "Mã trường": school.code,
        "Tên trường": school.name,
        "Cấp học": LEVEL_NAMES[level],
        "Loại hình": "Công lập",
        "Năm học": f"{start}-{start + 1}",
        "Số lớp": classes,
        "Tổng số học sinh": pupils,
        "Học sinh nữ": round(pupils * rng.uniform(0.475, 0.495)),
        **{GROUP_HEADERS.get(g, f"Khối {g}"): n for g, n in grades.items()},
        "Số giáo viên": round(classes * rng.uniform(low, high)),
        "Cán bộ quản lý": 2 if classes < 20 else 3,
        "Nhân viên": rng.randint(8, 12) if level in ("mam_non", "thpt") else rng.randint(4, 8),
        "Quy mô thiết kế": _capacity(school),
        "Tỷ lệ chuyên cần (%)": round(rng.uniform(*ATTENDANCE[level]), 1),
        "Học sinh dân tộc thiểu số": round(pupils * 0.03) if school.commune == "20605" else 0,
        "Đạt chuẩn quốc gia": _standard(school, start),
    }
    dropouts = round(pupils * rng.uniform(*DROPOUT[level])) if level in DROPOUT else None
    if dropouts is not None:  # drop-outs so far: spread over the months
        row["Số học sinh bỏ học"] = math.floor(dropouts * min(months, 9) / 9)
    final = {"mam_non": "mg_5", "tieu_hoc": "5", "thcs": "9", "thpt": "12"}[level]
    if ended and level in REPEAT:
        row["Lên lớp"] = pupils - (dropouts or 0) - round(pupils * REPEAT[level])
    if ended:
        row["Hoàn thành chương trình"] = math.floor(grades[final] * rng.uniform(0.975, 1.0))
    day = dt.date(start + 1, 5, 31) if ended else month_end(start, months)
    row["Ngày báo cáo"] = day.strftime("%d/%m/%Y")
    return row


def month_end(start: int, months: int) -> dt.date:
    """The last day of the school year's `months`-th month (1: September)."""
    year, month = (start, 9 + months) if months <= 3 else (start + 1, months - 3)
    return dt.date(year + month // 13, (month - 1) % 12 + 1, 1) - dt.timedelta(days=1)


def demo_school_rows() -> Iterator[RawRow]:
    """The demo rows, school year by school year, identical on every call."""
    number = 0
    for start in range(FIRST_START, LAST_START + 1):
        for school in schools():
            number += 1
            yield RawRow(number, school_row(school, start))


def load(*, progress: Progress = print) -> None:
    """The education part of `gisioc demo load`: once per generator version."""
    demo_ingest(
        system="education",
        title="Giáo dục / education",
        source=SOURCE,
        key=KEY,
        rows=demo_school_rows,
        progress=progress,
    )
