"""The example system's one layer: its inspections as points at their schools."""

from gisioc.texts import Text
from layers.registry import Layer, LegendItem, RecordLink, register
from tests.example_system.system import SYSTEM

COLOURS = (
    ("passed", "#1a9850", Text("Đạt", "Passed")),
    ("failed", "#d73027", Text("Không đạt", "Failed")),
    ("pending", "#9e9e9e", Text("Chờ kết luận", "Pending")),
)
RECORD = SYSTEM.records[0]

register(
    Layer(
        id="example-inspections",
        system=SYSTEM.name,
        title=Text("Kiểm tra an toàn trường học", "School safety inspections"),
        description=Text(
            "Mỗi lượt kiểm tra tại trường, màu theo kết quả.",
            "Each inspection at its school, coloured by its result.",
        ),
        source=RECORD.model,
        geometry="point",
        record=RecordLink(RECORD.type, SYSTEM.detail(RECORD)),
        properties=("external_id", "school_code", "inspected_at", "result"),
        unit_field="unit",
        style=(
            {
                "type": "circle",
                "paint": {
                    "circle-radius": 5,
                    "circle-color": [
                        "match",
                        ["get", "result"],
                        *(x for value, colour, _ in COLOURS[:-1] for x in (value, colour)),
                        COLOURS[-1][1],
                    ],
                },
            },
        ),
        legend=tuple(LegendItem(title, colour, value) for value, colour, title in COLOURS),
        visible=False,
        order=900,
    )
)
