"""The example system's one declaration: school safety inspections, one record type."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="example_system",  # the app label: the folder's name
    title=Text("Kiểm tra an toàn trường học (ví dụ)", "School safety inspections (example)"),
    path="example",  # /api/example/kpis/, /api/example/inspections/
    records=(
        RecordType(
            "inspection",
            "example_system.Inspection",
            "inspections",
            Text("Biên bản kiểm tra", "Inspection"),
            Text("biên bản kiểm tra", "inspections"),
            labels={"school_code": Text("Mã trường", "School code")},
        ),
    ),
    order=900,
    demo_source="demo-kiemtra",
)
