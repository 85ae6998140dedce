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
        ),
    ),
    order=50,
    demo_source="demo-motcua",
)
