"""Documents (quản lý văn bản): incoming and outgoing administrative documents."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="documents",
    title=Text("Văn bản", "Documents"),
    path="documents",
    records=(
        RecordType(
            "document",
            "documents.Document",
            "documents",
            Text("Văn bản", "Document"),
            Text("văn bản", "documents"),
        ),
    ),
    order=60,
    demo_source="demo-vanban",
)
