"""School KPIs per school, commune, level, ownership and period.

The figures are those of a school year; a school year counts in the period its start (1
September) falls in: `period=2024` is the school year 2024-2025 (so is 2024-Q3 or 2024-09),
`period=2024-07` none. A period covering several school years (all time, in profiles) shows
the latest of them, since pupils and teachers are counts at a moment, never to be added up
over years; the profile's series give every school year (points at each September).

- schools: school-year rows (one per school); pupils, classes, teachers: sums
- female share, drop-out rate, national-standard share: of pupils (of schools)
- pupils per teacher and per class: sums over sums, of schools that report both
- attendance: the mean of the schools' rates weighted by their pupils
- promotion rate: promoted of the pupils of schools that report promotion; completion rate:
  completed (hoàn thành chương trình, tốt nghiệp) of the pupils in the level's final grade
"""

import datetime as dt
from typing import Any

from django.db.models import ExpressionWrapper, F, FloatField, Max, Q, QuerySet

from gisioc import kpis as kpi
from gisioc.education.models import Level, SchoolYear
from gisioc.texts import Text

STANDARD = Q(standard__in=(SchoolYear.Standard.LEVEL_1, SchoolYear.Standard.LEVEL_2))
PUPILS = Text("học sinh", "pupils")


def _in(b: kpi.Bounds) -> Q:
    return b.within("year_start")


def latest_school_year(records: QuerySet, bounds: kpi.Bounds) -> QuerySet:
    """The records of the latest school year starting in the period (none if none does)."""
    latest = records.filter(_in(bounds)).aggregate(latest=Max("year_start"))["latest"]
    return records.filter(year_start=latest) if latest else records.none()


def schools_over_capacity(records: QuerySet, as_of: dt.datetime) -> QuerySet:
    """The school-year rows over capacity of the latest school year started by `as_of`."""
    started = records.filter(year_start__lte=as_of)
    latest = started.aggregate(latest=Max("year_start"))["latest"]
    return records.filter(year_start=latest, over_capacity=True) if latest else records.none()


def _attendance(k: dict[str, Any]) -> float | None:
    whole = k["pupils_with_attendance"]
    return round(k["attendance_weighted"] / whole / 100, 4) if whole else None


def _summed(name: str, when: Q | None = None, **extra: Any) -> kpi.Summed:
    return kpi.Summed(field=name, when=lambda b: _in(b) & (when or Q()), **extra)


def _by_school_year(r: dict[str, Any]) -> dict[str, Any]:
    """A school year's point of the profile's series (at its September)."""
    teachers = r["n_teachers"]
    return {
        "pupils": r["n_pupils"],
        "pupils_per_teacher": round(r["n_with_teachers"] / teachers, 1) if teachers else None,
        "standard_share": kpi.share(r["n_standard"], r["n_schools"]),
    }


# Pupils of the schools that report a figure: the whole of its rate or ratio.
REPORTING = tuple(
    _summed(
        "pupils",
        Q(**{f"{given}__isnull": False}),
        id=id,
        title=Text(f"Học sinh (có {vi})", f"Pupils ({en} given)"),
        profile=False,
    )
    for given, id, vi, en in (
        ("pupils_female", "pupils_reporting_female", "số nữ", "girls"),
        ("dropouts", "pupils_reporting_dropouts", "số bỏ học", "drop-outs"),
        ("promoted", "pupils_reporting_promoted", "số lên lớp", "promotion"),
        ("teachers", "pupils_with_teachers", "số giáo viên", "teachers"),
        ("classes", "pupils_with_classes", "số lớp", "classes"),
        ("attendance_rate", "pupils_with_attendance", "chuyên cần", "attendance"),
    )
)
WEIGHTED_ATTENDANCE = ExpressionWrapper(F("attendance_rate") * F("pupils"), FloatField())

KPIS = kpi.register_kpis(
    kpi.KpiSet(
        record="school_year",
        model=SchoolYear,
        received="year_start",
        # Fed or not is when figures were last reported (monthly while a school year runs).
        fresh="reported_on",
        stale_days=35,
        narrow=latest_school_year,
        figures=(
            # The first two are what the district profile shows for each commune.
            _summed("pupils", id="pupils_total", title=Text("Học sinh", "Pupils")),
            kpi.Counted(id="schools", title=Text("Trường", "Schools"), when=_in),
            _summed("classes", id="classes_total", title=Text("Lớp (nhóm lớp)", "Classes")),
            _summed("teachers", id="teachers_total", title=Text("Giáo viên", "Teachers")),
            _summed(
                "pupils_female",
                id="girls",
                title=Text("Học sinh nữ", "Girls"),
                profile=False,
            ),
            kpi.Rate(
                id="female_share",
                title=Text("Tỷ lệ học sinh nữ", "Girls' share"),
                part=("girls",),
                whole="pupils_reporting_female",
            ),
            kpi.Ratio(
                id="pupils_per_teacher",
                title=Text("Học sinh / giáo viên", "Pupils per teacher"),
                of="pupils_with_teachers",
                per="teachers_total",
                unit=PUPILS,
            ),
            kpi.Ratio(
                id="pupils_per_class",
                title=Text("Học sinh / lớp", "Pupils per class"),
                of="pupils_with_classes",
                per="classes_total",
                unit=PUPILS,
            ),
            kpi.Formula(
                id="attendance",
                title=Text("Tỷ lệ chuyên cần", "Attendance"),
                of=_attendance,
                format="percent",
            ),
            kpi.Rate(
                id="dropout_rate",
                title=Text("Tỷ lệ bỏ học", "Drop-out rate"),
                part=("dropouts_total",),
                whole="pupils_reporting_dropouts",
            ),
            kpi.Rate(
                id="promotion_rate",
                title=Text("Tỷ lệ lên lớp", "Promotion rate"),
                part=("promoted_total",),
                whole="pupils_reporting_promoted",
            ),
            kpi.Rate(
                id="completion_rate",
                title=Text("Tỷ lệ hoàn thành chương trình, tốt nghiệp", "Completion rate"),
                part=("completed_total",),
                whole="final_grade_total",
            ),
            kpi.Rate(
                id="standard_share",
                title=Text("Trường đạt chuẩn quốc gia", "Schools at national standard"),
                part=("standard_schools",),
                whole="schools",
            ),
            kpi.Counted(
                id="standard_schools",
                title=Text("Trường đạt chuẩn quốc gia", "Schools at national standard"),
                when=lambda b: _in(b) & STANDARD,
                profile=False,
            ),
            kpi.Counted(
                id="schools_over_capacity",
                title=Text("Trường quá tải", "Schools over capacity"),
                when=lambda b: _in(b) & Q(over_capacity=True),
            ),
            _summed(
                "dropouts",
                id="dropouts_total",
                title=Text("Học sinh bỏ học", "Drop-outs"),
                profile=False,
            ),
            _summed(
                "promoted", id="promoted_total", title=Text("Lên lớp", "Promoted"), profile=False
            ),
            _summed(
                "completed",
                Q(final_grade__isnull=False),
                id="completed_total",
                title=Text("Hoàn thành, tốt nghiệp", "Completed"),
                profile=False,
            ),
            _summed(
                "final_grade",
                Q(completed__isnull=False),
                id="final_grade_total",
                title=Text("Học sinh lớp cuối cấp", "Pupils in the final grade"),
                profile=False,
            ),
            *REPORTING,
            kpi.Summed(
                id="attendance_weighted",
                title=Text("Học sinh × tỷ lệ chuyên cần", "Pupils × attendance"),
                field=WEIGHTED_ATTENDANCE,
                when=lambda b: _in(b) & Q(attendance_rate__isnull=False),
                profile=False,
            ),
        ),
        groups={
            "school": kpi.Group("school_id", "school__name"),
            "unit": kpi.Group("unit_id", "unit__name"),
            "level": kpi.Group("level", "level", dict(Level.choices)),
            "ownership": kpi.Group("ownership", "ownership", dict(SchoolYear.Ownership.choices)),
        },
        keep=("pupils_total", "schools"),
        filters=(
            kpi.RecordFilter("school", "school__code", "School facility code, e.g. TH-20611"),
            kpi.RecordFilter("level", "level", "Cấp học", tuple(Level.values)),
            kpi.RecordFilter(
                "ownership", "ownership", "Loại hình", tuple(SchoolYear.Ownership.values)
            ),
            kpi.RecordFilter("school_year", "school_year", "Năm học, e.g. 2024-2025", kpis=False),
        ),
        subsets=(
            kpi.Subset(
                "over_capacity",
                "schools_over_capacity",
                Text("Trường quá tải (năm học gần nhất)", "Schools over capacity (latest year)"),
                "Only the latest school year's schools over capacity",
                schools_over_capacity,
            ),
        ),
        monthly=(
            kpi.Monthly(
                "year_start",
                {
                    "n_pupils": lambda r: kpi.summed(r, "pupils"),
                    "n_teachers": lambda r: kpi.summed(r, "teachers"),
                    "n_with_teachers": lambda r: kpi.summed(r, "pupils", Q(teachers__isnull=False)),
                    "n_schools": None,
                    "n_standard": STANDARD,
                },
                _by_school_year,
            ),
        ),
        series_by="school_year",
        public_records=True,  # a school's figures name no pupil
        series=(
            ("pupils", Text("Học sinh theo năm học", "Pupils by school year")),
            (
                "pupils_per_teacher",
                Text("Học sinh / giáo viên theo năm học", "Pupils per teacher by school year"),
            ),
            (
                "standard_share",
                Text(
                    "Tỷ lệ trường đạt chuẩn quốc gia theo năm học",
                    "Schools at national standard by school year",
                ),
            ),
        ),
        breakdown=kpi.Breakdown(
            "schools_by_level", Text("Trường theo cấp học", "Schools by level"), "level"
        ),
        fields=(
            "id",
            "name",
            "source",
            "school_code",
            "school_name",
            "school_facility",
            "school_year",
            "level",
            "ownership",
            "classes",
            "pupils",
            "pupils_female",
            "grades",
            "teachers",
            "managers",
            "employees",
            "capacity",
            "attendance_rate",
            "dropouts",
            "promoted",
            "completed",
            "ethnic_minority",
            "standard",
            "over_capacity",
            "reported_on",
            "year_start",
        ),
        name_field="school_name",
        related={"school_facility": "school.name"},
    )
)
