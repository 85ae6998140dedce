"""AI cameras (camera AI giám sát đô thị): the registry, heartbeats and the events they detect."""

from gisioc.systems import RecordType, SystemSpec
from gisioc.texts import Text

SYSTEM = SystemSpec(
    name="cameras",
    title=Text("Camera AI", "AI cameras"),
    path="cameras",
    records=(
        RecordType(
            "camera_event",
            "cameras.CameraEvent",
            "events",
            Text("Sự kiện camera", "Camera event"),
            Text("sự kiện camera", "camera events"),
        ),
    ),
    order=120,
    demo_source="demo-camera-ai",
)
