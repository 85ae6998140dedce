"""Socio-economic indicators (chỉ tiêu kinh tế – xã hội): values and plan targets per commune."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="indicators",
    title=Text("Chỉ tiêu kinh tế – xã hội", "Socio-economic indicators"),
    path="indicators",
    records=(
        RecordType(
            "indicator_value",
            "indicators.IndicatorValue",
            "values",
            Text("Số liệu chỉ tiêu", "Indicator value"),
            Text("số liệu chỉ tiêu", "indicator values"),
        ),
    ),
    order=70,
    demo_source="demo-thongke",
)
