"""Layers of the AI cameras: cameras by status, events as points and as a heatmap.

Cameras are public: where a street camera stands is no secret (it is on a pole in view), and
whether it works tells nothing about anyone; the view carries no stream or snapshot URL.
Events are staff-only, in scope (a commune officer's tiles hold their communes' only): an
event is what a camera saw of people and vehicles, and a vector tile hands every point to
the browser, so even the heatmap (drawn in the browser from those points) is for staff.
"""

from gisioc.cameras.models import Camera, CameraEvent
from gisioc.geo.access import STAFF
from gisioc.texts import Text
from layers.registry import Layer, LayerFilter, LegendItem, RecordLink, register
from layers.styles import PERIOD, cluster_styles

Kind = CameraEvent.Kind
STATUS_COLOURS = (
    (Camera.Status.ONLINE, "#2e7d32"),
    (Camera.Status.OFFLINE, "#c62828"),
    (Camera.Status.MAINTENANCE, "#f9a825"),
)
KIND_COLOURS = (
    (Kind.TRAFFIC_VIOLATION, "#1e88e5"),
    (Kind.WRONG_WAY, "#5e35b1"),
    (Kind.CROWD, "#fb8c00"),
    (Kind.FLOODING, "#00838f"),
    (Kind.FIRE_SMOKE, "#d81b60"),
    (Kind.ILLEGAL_DUMPING, "#6d4c41"),
    (Kind.ENCROACHMENT, "#7cb342"),
)
# A heatmap's ramp from nothing to many events nearby (transparent first, as MapLibre needs).
HEAT_RAMP = (
    (0.0, "rgba(33,102,172,0)"),
    (0.2, "#67a9cf"),
    (0.4, "#d1e5f0"),
    (0.6, "#fddbc7"),
    (0.8, "#ef8a62"),
    (1.0, "#b2182b"),
)


def _label(choice: object) -> Text:
    return Text.of(str(getattr(choice, "label", choice)))


KIND = LayerFilter(
    "kind",
    "kind",
    "choice",
    Text("Loại sự kiện", "Event kind"),
    choices=tuple(Kind.values),
    labels={k.value: _label(k) for k in Kind},
)
CAMERA_STATUS = LayerFilter(
    "status",
    "status",
    "choice",
    Text("Trạng thái", "Status"),
    choices=tuple(Camera.Status.values),
    labels={s.value: _label(s) for s in Camera.Status},
)


def _match(prop: str, colours: tuple[tuple[str, str], ...], other: str) -> list:
    expression: list = ["match", ["get", prop]]
    for value, colour in colours:
        expression += [str(value), colour]
    return [*expression, other]


CAMERA_STYLE = (
    {
        "type": "circle",
        "paint": {
            "circle-color": _match("status", STATUS_COLOURS, "#9e9e9e"),
            "circle-radius": ["interpolate", ["linear"], ["zoom"], 10, 5, 16, 9],
            "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 2,
        },
    },
)
EVENT_STYLE = (
    *cluster_styles("#455a64"),
    {
        "type": "circle",
        "filter": ["!", ["has", "count"]],
        "paint": {
            "circle-color": _match("kind", KIND_COLOURS, "#9e9e9e"),
            "circle-radius": 6,
            "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 1,
        },
    },
)
HEAT_STYLE = (
    {
        "type": "heatmap",
        "paint": {
            "heatmap-weight": ["interpolate", ["linear"], ["get", "confidence"], 0, 0.2, 1, 1],
            "heatmap-intensity": ["interpolate", ["linear"], ["zoom"], 10, 0.6, 16, 2],
            "heatmap-radius": ["interpolate", ["linear"], ["zoom"], 10, 12, 16, 30],
            "heatmap-color": [
                "interpolate",
                ["linear"],
                ["heatmap-density"],
                *[x for stop, colour in HEAT_RAMP for x in (stop, colour)],
            ],
            "heatmap-opacity": 0.8,
        },
    },
)
EVENT_RECORD = RecordLink("camera_event", "/api/cameras/events/{id}/")

register(
    Layer(
        id="cameras-status",
        system="cameras",
        title=Text("Camera AI theo trạng thái", "AI cameras by status"),
        description=Text(
            "Vị trí camera giao thông, an ninh, đo ngập đang sử dụng; xanh là đang hoạt động, "
            "đỏ là mất kết nối (không có tín hiệu quá thời gian cho phép), vàng là đang bảo "
            "trì. Hình ảnh trực tiếp chỉ dành cho cán bộ.",
            "Traffic, security and flood-gauge cameras in service; green is online, red is "
            "offline (silent longer than allowed), amber is under maintenance. Live images "
            "are for staff only.",
        ),
        source="cameras.CameraPoint",
        geometry="point",
        properties=(
            "code",
            "name",
            "kind",
            "road",
            "status",
            "status_since",
            "offline_since",
            "has_stream",
        ),
        unit_field="unit",
        filters=(CAMERA_STATUS,),
        today=True,  # cameras whose facility is in service today
        style=CAMERA_STYLE,
        legend=tuple(LegendItem(_label(s), c, str(s)) for s, c in STATUS_COLOURS),
        labels=None,
        visible=False,
        order=120,
    ),
    Layer(
        id="camera-events",
        system="cameras",
        title=Text("Sự kiện camera AI", "AI camera events"),
        description=Text(
            "Sự kiện do camera AI phát hiện trong kỳ, đặt tại camera, tô màu theo loại; gộp "
            "nhóm khi thu nhỏ. Chỉ cán bộ xem được.",
            "Events the AI cameras detected in the period, at their camera, coloured by kind; "
            "grouped when zoomed out. Staff only.",
        ),
        source="cameras.CameraEventPoint",
        geometry="point",
        record=EVENT_RECORD,
        properties=("camera_id", "kind", "status", "confidence", "label", "occurred_at", "hour"),
        unit_field="unit",
        filters=(PERIOD, KIND),
        roles=STAFF,
        cluster_below=13,
        style=EVENT_STYLE,
        legend=(
            *(LegendItem(_label(k), c, str(k)) for k, c in KIND_COLOURS),
            LegendItem(Text("Nhóm sự kiện (số lượng)", "Group of events (count)"), "#455a64"),
        ),
        visible=False,
        order=121,
    ),
    Layer(
        id="camera-events-heat",
        system="cameras",
        title=Text("Mật độ sự kiện camera AI", "AI camera events: heatmap"),
        description=Text(
            "Bản đồ nhiệt: nơi camera AI phát hiện nhiều sự kiện trong kỳ; chọn loại sự kiện "
            "(ví dụ ngập nước) để xem điểm nóng của loại đó. Chỉ cán bộ xem được.",
            "Heatmap: where the AI cameras detected many events in the period; pick an event "
            "kind (flooding, say) to see its hot spots. Staff only.",
        ),
        source="cameras.CameraEventPoint",
        geometry="point",
        properties=("kind", "confidence"),
        unit_field="unit",
        filters=(PERIOD, KIND),
        roles=STAFF,
        style=HEAT_STYLE,
        legend=(
            LegendItem(Text("Ít sự kiện", "Few events"), HEAT_RAMP[1][1]),
            LegendItem(Text("Nhiều sự kiện", "Many events"), HEAT_RAMP[-1][1]),
        ),
        visible=False,
        order=122,
    ),
)
