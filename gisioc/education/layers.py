"""Layers of education: schools by level sized by pupils, pupils per teacher per commune, and
schools over capacity. Each reads one school year ('' the latest on record)."""

from django.utils import timezone

from gisioc.education.models import Level
from gisioc.texts import Text
from layers.registry import Classification, Layer, LayerFilter, LegendItem, RecordLink, register

LEVEL_COLOURS = {  # Okabe–Ito: distinguishable with the common colour-vision deficiencies
    Level.MAM_NON: "#E69F00",
    Level.TIEU_HOC: "#56B4E9",
    Level.THCS: "#009E73",
    Level.THPT: "#0072B2",
    Level.LIEN_CAP: "#CC79A7",
}
OVER = "#d7191c"
FIRST_YEAR = 2015


def _school_years() -> tuple[str, ...]:
    last = timezone.localdate().year + 1
    return tuple(f"{y}-{y + 1}" for y in range(last, FIRST_YEAR - 1, -1))


YEARS = _school_years()
SCHOOL_YEAR = LayerFilter(
    "school_year",
    "school_year",
    "choice",
    Text("Năm học", "School year"),
    choices=("", *YEARS),
    default="",
    labels={
        "": Text("Năm học gần nhất", "Latest school year"),
        **{y: Text(f"Năm học {y}", f"School year {y}") for y in YEARS},
    },
)
SCHOOL = RecordLink("school_year", "/api/education/school-years/{id}/")
SCHOOL_PROPERTIES = (
    "code", "name", "school_year", "level", "ownership", "pupils", "classes", "teachers",
    "capacity", "pupils_per_class", "pupils_per_teacher", "standard", "over_capacity",
)  # fmt: skip
SCHOOLS_STYLE = {
    "type": "circle",
    "paint": {
        "circle-color": [
            "match",
            ["get", "level"],
            *[x for level, colour in LEVEL_COLOURS.items() for x in (str(level), colour)],
            "#9e9e9e",
        ],
        "circle-opacity": 0.85,
        # By area: the radius grows with the square root of the pupils (1,600 pupils: 18 px).
        "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "pupils"]], 0, 3, 40, 18],
        "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 1,
    },
}
NORMS = Text(
    "Quá tải: học sinh vượt quy mô thiết kế, hoặc sĩ số bình quân vượt mức tối đa: mầm non "
    "25–35 trẻ/lớp theo độ tuổi (TT 52/2020), tiểu học 35 (TT 28/2020), THCS, THPT 45 "
    "(TT 32/2020)",
    "Over capacity: more pupils than designed places, or classes fuller on average than the "
    "maximum: pre-school 25–35 by age group (Circular 52/2020), primary 35 (Circular "
    "28/2020), lower and upper secondary 45 (Circular 32/2020)",
)

register(
    Layer(
        id="schools",
        system="education",
        title=Text("Trường học theo cấp", "Schools by level"),
        description=Text(
            "Trường học: màu theo cấp học, vòng tròn theo số học sinh của năm học chọn "
            "(mặc định năm học gần nhất).",
            "Schools: coloured by level, circles sized by the pupils of the chosen school "
            "year (by default the latest).",
        ),
        source="education.SchoolMap",
        geometry="point",
        record=SCHOOL,
        properties=SCHOOL_PROPERTIES,
        unit_field="unit",
        filters=(SCHOOL_YEAR,),
        labels="name",
        style=(SCHOOLS_STYLE,),
        legend=tuple(
            LegendItem(Text.of(level.label), colour, str(level))
            for level, colour in LEVEL_COLOURS.items()
        ),
        visible=False,
        order=90,
    ),
    Layer(
        id="pupils-per-teacher-per-commune",
        system="education",
        title=Text("Học sinh / giáo viên theo xã", "Pupils per teacher per commune"),
        description=Text(
            "Bản đồ chuyên đề: số học sinh trên một giáo viên của các trường trong xã, năm "
            "học chọn; trường của xã cũ được tính cho xã mới. Có thể chọn tỷ lệ đi học (học "
            "sinh / dân số 3–17 tuổi; trường THPT phục vụ nhiều xã).",
            "Thematic map: pupils per teacher of the schools in each commune in the chosen "
            "school year; former communes' schools count towards the new one. Enrolment "
            "(pupils / population aged 3–17; upper-secondary schools serve several "
            "communes) may be chosen instead.",
        ),
        source="education.SchoolUnitStats",
        geometry="polygon",
        properties=(
            "code",
            "name",
            "school_year",
            "version",
            "approximate",
            "schools",
            "pupils",
            "classes",
            "teachers",
            "pupils_per_teacher",
            "pupils_per_class",
            "school_age",
            "enrolment_pct",
        ),
        unit_field="unit",
        filters=(SCHOOL_YEAR,),
        approximate_field="approximate",
        labels="name",
        classification=Classification(
            indicator="pupils_per_teacher",
            title=Text("Học sinh / giáo viên", "Pupils per teacher"),
            indicators=(
                ("pupils_per_class", Text("Học sinh / lớp", "Pupils per class")),
                ("enrolment_pct", Text("Tỷ lệ đi học (%)", "Enrolment (%)")),
                ("pupils", Text("Học sinh", "Pupils")),
            ),
            method="quantile",
            classes=4,
        ),
        style=({"type": "fill", "paint": {"fill-opacity": 0.75}},),
        visible=False,
        order=91,
    ),
    Layer(
        id="schools-over-capacity",
        system="education",
        title=Text("Trường quá tải", "Schools over capacity"),
        description=NORMS,
        source="education.SchoolMap",
        geometry="point",
        record=SCHOOL,
        properties=SCHOOL_PROPERTIES,
        unit_field="unit",
        filters=(SCHOOL_YEAR,),
        where=(("over_capacity", True),),
        labels="name",
        style=(
            {
                "type": "circle",
                "paint": {
                    "circle-color": OVER,
                    "circle-opacity": 0.25,
                    "circle-radius": [
                        "interpolate",
                        ["linear"],
                        ["sqrt", ["get", "pupils"]],
                        0,
                        7,
                        40,
                        24,
                    ],
                    "circle-stroke-color": OVER,
                    "circle-stroke-width": 2.5,
                },
            },
        ),
        legend=(LegendItem(NORMS, OVER),),
        visible=False,
        order=92,
    ),
)
