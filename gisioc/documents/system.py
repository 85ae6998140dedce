"""Documents (quản lý văn bản): incoming and outgoing administrative documents."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="documents",
    title=Text("Quản lý văn bản", "Documents"),
    path="documents",
    records=(
        RecordType(
            "document",
            "documents.Document",
            "documents",
            Text("Văn bản", "Document"),
            Text("văn bản", "documents"),
            labels={
                "direction": Text("Loại sổ", "Register"),
                "agency_code": Text("Mã cơ quan xử lý", "Handling agency code"),
                "agency_name": Text("Cơ quan xử lý", "Handling agency"),
                "assignee_unit": Text("Đơn vị xử lý", "Assigned to"),
            },
        ),
    ),
    order=60,
    demo_source="demo-vanban",
)
