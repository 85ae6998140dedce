"""The layer of open incidents: staff only, coloured by severity, shown until closed.

Incidents are not a source system; their layer sits in the cameras' group of the layer panel
(the live operations' layers), and a clicked incident opens in the map app's incident panel.
"""

from gisioc.geo.models import Role
from gisioc.incidents.models import Incident
from gisioc.texts import Text
from layers.registry import Layer, LayerFilter, LegendItem, RecordLink, register

LAYER_ID = "incidents"
SYSTEM = "cameras"
# By severity 1–4: yellow, orange, red, dark red (distinct in luminance too).
SEVERITY_COLOURS = {1: "#fdd835", 2: "#fb8c00", 3: "#e53935", 4: "#7f0000"}
INCIDENT = RecordLink("incident", "/api/incidents/{id}/")

register(
    Layer(
        id=LAYER_ID,
        system=SYSTEM,
        title=Text("Sự việc đột xuất đang xử lý", "Open incidents"),
        description=Text(
            "Ngập lụt, cháy, tai nạn, sạt lở… đang xử lý, màu theo mức độ; ẩn khi kết thúc.",
            "Floods, fires, accidents, landslides… being handled, by severity; gone once closed.",
        ),
        source="incidents.Incident",
        geometry="point",
        record=INCIDENT,
        properties=("title", "kind", "severity", "radius_m", "status"),
        where=(("status", Incident.Status.OPEN),),
        unit_field="unit",
        roles=frozenset(Role),
        filters=(
            LayerFilter(
                "kind",
                "kind",
                "choice",
                Text("Loại sự việc", "Incident type"),
                choices=tuple(Incident.Kind.values),
                labels={k: Text.of(str(label)) for k, label in Incident.Kind.choices},
            ),
        ),
        style=(
            {
                "type": "circle",
                "paint": {
                    "circle-color": [
                        "match",
                        ["get", "severity"],
                        *[x for kv in SEVERITY_COLOURS.items() for x in kv],
                        "#e53935",
                    ],
                    "circle-radius": ["interpolate", ["linear"], ["get", "severity"], 1, 7, 4, 12],
                    "circle-stroke-color": "#ffffff",
                    "circle-stroke-width": 2,
                },
            },
        ),
        legend=tuple(
            LegendItem(Text.of(str(label)), SEVERITY_COLOURS[level], str(level))
            for level, label in Incident.Severity.choices
        ),
        order=125,
    )
)
