"""Education (giáo dục): schools' yearly figures from school management software."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="education",
    title=Text("Giáo dục", "Education"),
    path="education",
    records=(
        RecordType(
            "school_year",
            "education.SchoolYear",
            "school-years",
            Text("Số liệu năm học của trường", "School year figures"),
            Text("số liệu năm học", "school year figures"),
            labels={
                "school_code": Text("Mã trường", "School code"),
                "school_facility": Text("Trường", "School"),
                "grades": Text("Học sinh theo khối", "Pupils by grade"),
                "over_capacity": Text("Quá tải", "Over capacity"),
                "year_start": Text("Năm học bắt đầu", "School year starts"),
            },
        ),
    ),
    order=90,
    demo_source="demo-giaoduc",
)
