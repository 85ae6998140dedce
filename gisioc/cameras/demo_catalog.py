"""What the camera demo is made of: its twenty cameras (the demo facilities CAM-DX-001…020),
what each watches, and how often each kind of event happens by hour, weekday and season."""

import datetime as dt
from dataclasses import dataclass

from gisioc.periods import VIETNAM

START = dt.date(2025, 9, 1)  # the AI cameras went live
SNAPSHOT = dt.datetime(2026, 10, 31, 17, 30, tzinfo=VIETNAM)  # as every demo's
TRAFFIC, SECURITY, FLOOD_GAUGE, ENVIRONMENT = "traffic", "security", "flood_gauge", "environment"
HLS, MJPEG, NONE = "hls", "mjpeg", ""
IOC, ENV_COMPANY = "IOC-DN", "MTDT-DN"  # the city's operations centre; the sanitation company
# A camera broken by the late October 2026 flood: offline at the snapshot, an open outage.
BROKEN = "CAM-DX-018"
# The camera whose fake drops its heartbeats now and then (gisioc/cameras/fake.py).
FLAKY = "CAM-DX-011"


@dataclass(frozen=True)
class CameraSpec:
    """One demo camera: its facility code, kind, stream, owner agency and where it looks."""

    code: str
    kind: str
    stream: str
    agency: str  # a facility code; '' → the UBND of its new commune
    nvr_name: str = ""  # reported through the Frigate NVR under this name
    low_road: bool = False  # floods in the rainy season
    market: bool = False  # watches the market's pavements


CAMERAS = (
    CameraSpec("CAM-DX-001", TRAFFIC, HLS, IOC),
    CameraSpec("CAM-DX-002", TRAFFIC, HLS, IOC),
    CameraSpec("CAM-DX-003", SECURITY, HLS, IOC),
    CameraSpec("CAM-DX-004", TRAFFIC, HLS, IOC, low_road=True),
    CameraSpec("CAM-DX-005", TRAFFIC, NONE, IOC),
    CameraSpec("CAM-DX-006", SECURITY, HLS, IOC),
    CameraSpec("CAM-DX-007", TRAFFIC, HLS, IOC, low_road=True),
    CameraSpec("CAM-DX-008", TRAFFIC, MJPEG, IOC),
    CameraSpec("CAM-DX-009", TRAFFIC, HLS, IOC, nvr_name="nam_phuoc_trung_tam"),
    CameraSpec("CAM-DX-010", SECURITY, MJPEG, "", nvr_name="cho_nam_phuoc", market=True),
    CameraSpec("CAM-DX-011", TRAFFIC, HLS, IOC),
    CameraSpec("CAM-DX-012", SECURITY, HLS, "", nvr_name="quang_truong_nam_phuoc"),
    CameraSpec("CAM-DX-013", ENVIRONMENT, NONE, ENV_COMPANY),
    CameraSpec("CAM-DX-014", TRAFFIC, HLS, IOC),
    CameraSpec("CAM-DX-015", TRAFFIC, NONE, IOC, low_road=True),
    CameraSpec("CAM-DX-016", FLOOD_GAUGE, NONE, "", low_road=True),
    CameraSpec("CAM-DX-017", FLOOD_GAUGE, NONE, "", low_road=True),
    CameraSpec("CAM-DX-018", FLOOD_GAUGE, NONE, "", low_road=True),
    CameraSpec("CAM-DX-019", TRAFFIC, MJPEG, IOC),
    CameraSpec("CAM-DX-020", ENVIRONMENT, HLS, ENV_COMPANY),
)

# Flood episodes (Vietnam days, first and last): heavy rain on the Thu Bồn, roads under water.
FLOODS = (
    (dt.date(2025, 10, 26), dt.date(2025, 10, 31)),
    (dt.date(2025, 11, 15), dt.date(2025, 11, 19)),
    (dt.date(2025, 11, 27), dt.date(2025, 11, 29)),
    (dt.date(2026, 10, 14), dt.date(2026, 10, 17)),
    (dt.date(2026, 10, 27), dt.date(2026, 10, 30)),
)
RAINY_MONTHS = (9, 10, 11, 12)
DRY_MONTHS = (5, 6, 7, 8)

# Events a day, by camera kind and event kind, on an ordinary weekday.
RATES: dict[str, dict[str, float]] = {
    TRAFFIC: {"traffic_violation": 3.2, "wrong_way": 0.7, "crowd": 0.08, "fire_smoke": 0.004},
    SECURITY: {"crowd": 1.1, "traffic_violation": 0.5, "encroachment": 0.4, "fire_smoke": 0.006},
    FLOOD_GAUGE: {"flooding": 0.02},
    ENVIRONMENT: {"illegal_dumping": 0.9, "fire_smoke": 0.02, "crowd": 0.05},
}
MARKET_ENCROACHMENT = 4.0  # a day at the market's camera
FLOODING_IN_FLOOD = {FLOOD_GAUGE: 14.0, "low_road": 5.0}  # a day during a flood episode
FLOODING_RAINY = 0.06  # a low road's day in the rainy months outside the episodes

# Weights of each hour of the day (0–23) by event kind; rush hours 6:30–8:30 and 16:30–18:30
# are weighted per half hour (`HALF_HOURS`).
TRAFFIC_RUSH = 3.0  # rush half hours over the day's plain weight
_ROADS = (0.1, 0.06, 0.05, 0.05, 0.1, 0.4, 0.9, 1.0, 1.0, 1.0, 0.9, 1.0,
          1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 1.0, 0.9, 0.8, 0.6, 0.35, 0.2)  # fmt: skip
HOURS: dict[str, tuple[float, ...]] = {
    "traffic_violation": _ROADS,
    "wrong_way": _ROADS,
    "crowd": (0.15, 0.05, 0.02, 0.02, 0.05, 0.2, 0.5, 0.6, 0.6, 0.6, 0.7, 0.8,
              0.7, 0.6, 0.6, 0.7, 0.9, 1.3, 2.2, 3.0, 3.0, 2.4, 1.2, 0.5),
    "flooding": (1.0,) * 24,
    "fire_smoke": (0.5, 0.4, 0.3, 0.3, 0.3, 0.5, 0.8, 1.0, 1.0, 1.2, 1.4, 1.6,
                   1.6, 1.6, 1.4, 1.2, 1.2, 1.2, 1.4, 1.2, 1.0, 0.8, 0.6, 0.5),
    "illegal_dumping": (2.5, 2.2, 1.8, 1.4, 0.8, 0.3, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05,
                        0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0.2, 0.5, 1.2, 2.0, 2.6, 2.8),
    "encroachment": (0.0, 0.0, 0.0, 0.0, 0.3, 1.5, 2.5, 2.5, 2.2, 2.0, 1.8, 1.5,
                     1.0, 0.8, 1.0, 1.4, 1.8, 2.0, 1.5, 0.6, 0.2, 0.05, 0.0, 0.0),
}  # fmt: skip
RUSH = ((6 * 60 + 30, 8 * 60 + 30), (16 * 60 + 30, 18 * 60 + 30))  # minutes of the day
RUSH_KINDS = ("traffic_violation", "wrong_way")
WEEKEND = {"crowd": 1.8, "traffic_violation": 0.8, "wrong_way": 0.8, "encroachment": 1.3}

# What the detector names, and how sure it is (low, high: a triangular draw, mode high).
LABELS: dict[str, tuple[str, ...]] = {
    "traffic_violation": ("motorcycle", "car", "truck"),
    "wrong_way": ("motorcycle", "car"),
    "crowd": ("person",),
    "flooding": ("water",),
    "fire_smoke": ("smoke", "fire"),
    "illegal_dumping": ("garbage",),
    "encroachment": ("stall", "person"),
}
CONFIDENCE = {
    "traffic_violation": (0.55, 0.97),
    "wrong_way": (0.6, 0.96),
    "crowd": (0.5, 0.95),
    "flooding": (0.7, 0.99),
    "fire_smoke": (0.45, 0.9),
    "illegal_dumping": (0.5, 0.9),
    "encroachment": (0.55, 0.95),
}
# Seconds an event lasts (low, high).
DURATION = {
    "traffic_violation": (3, 20),
    "wrong_way": (5, 40),
    "crowd": (120, 1800),
    "flooding": (1800, 6 * 3600),
    "fire_smoke": (120, 1200),
    "illegal_dumping": (30, 300),
    "encroachment": (600, 3 * 3600),
}
