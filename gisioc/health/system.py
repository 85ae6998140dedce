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
                "residence_name": Text("Xã cư trú", "Commune of residence"),
                "facility_name": Text("Cơ sở khám chữa bệnh", "Health facility"),
                # The ingest fields fed by NGAY_SINH and MA_THE_BHYT keep only these.
                "age_band": Text("Nhóm tuổi", "Age band"),
                "insured": Text("Có bảo hiểm y tế", "Insured"),
                "care": Text("Hình thức điều trị", "Care"),
                "chapter": Text("Chương ICD-10", "ICD-10 chapter"),
                "key_id": Text("Mã khóa", "Key id"),
            },
        ),
    ),
    order=80,
    demo_source="demo-yte",
)
