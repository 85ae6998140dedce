from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="health",
    title=Text("Y tế", "Health"),
    path="health",
    records=(
        RecordType(
            "encounter",
            "health.Encounter",
            "encounters",
            Text("Lượt khám chữa bệnh", "Encounter"),
            Text("lượt khám chữa bệnh", "encounters"),
            labels={
                "facility_code": Text("Mã cơ sở KCB", "Facility code"),
                "residence_code": Text("Mã xã cư trú", "Commune of residence code"),
                "residence": Text("Xã cư trú", "Commune of residence"),
                "chapter": Text("Chương ICD-10", "ICD-10 chapter"),
                "key_id": Text("Mã khóa", "Key id"),
            },
        ),
    ),
    order=80,
    demo_source="demo-yte",
)
