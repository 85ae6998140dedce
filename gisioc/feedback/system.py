"""Citizen feedback (phản ánh – kiến nghị): reports from the web, the 1022 hotline and apps."""

from gisioc.systems import Open, RecordType, SystemSpec
from gisioc.texts import Text

# Not yet resolved, closed, rejected or merged: the open reports (feedback.services.OPEN).
OPEN_STATUSES = ("received", "verified", "assigned", "in_progress")

SYSTEM = SystemSpec(
    name="feedback",
    title=Text("Phản ánh – kiến nghị", "Citizen feedback"),
    path="feedback",
    records=(
        RecordType(
            "report",
            "feedback.Report",
            "reports",
            Text("Phản ánh", "Report"),
            Text("phản ánh", "reports"),
            page="/phan-anh/{ticket}/",  # the public follows a report on its tracking page
            open=Open({"status__in": OPEN_STATUSES}, code="ticket", label="category"),
            labels={
                "ticket": Text("Mã phản ánh", "Ticket"),
                "agency": Text("Cơ quan xử lý", "Handling agency"),
                "due_on": Text("Hạn xử lý", "Due"),
                "public_text": Text("Nội dung công khai", "Public description"),
                "address_text": Text("Địa chỉ người dân ghi", "Address as given"),
            },
        ),
    ),
    order=110,
    demo_source="demo-1022",
)
