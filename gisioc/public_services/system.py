"""Public services (dịch vụ công): dossiers received and processed at one-stop shops and online."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="public_services",
    title=Text("Dịch vụ công", "Public services"),
    path="public-services",
    records=(
        RecordType(
            "dossier",
            "public_services.Dossier",
            "dossiers",
            Text("Hồ sơ", "Dossier"),
            Text("hồ sơ", "dossiers"),
            labels={
                "procedure_code": Text("Mã TTHC", "Procedure code"),
                "procedure_name": Text("Thủ tục", "Procedure"),
                "office_code": Text("Mã nơi tiếp nhận", "Office code"),
                "office_name": Text("Nơi tiếp nhận", "Receiving office"),
                "service_level": Text("Mức độ DVC", "Online service level"),
                "due_at": Text("Hẹn trả", "Due"),
                "supplement_count": Text("Số lần bổ sung", "Supplements requested"),
            },
        ),
    ),
    order=50,
    demo_source="demo-motcua",
)
