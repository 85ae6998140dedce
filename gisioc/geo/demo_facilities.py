"""Deterministic demo facilities for the former Duy Xuyên district (invented, plausibly placed)."""

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from shapely.geometry import LineString, Point, shape
from shapely.geometry.base import BaseGeometry

from gisioc.config import BASE_DIR
from gisioc.geo.facilities import FacilityImportResult, facility_rows_import
from gisioc.ingest.readers import RawRow

COMMUNES_FILE = BASE_DIR / "boundary_data" / "duyxuyen_2019_communes.geojson"
NAM_PHUOC, DUY_HOA, DUY_SON, DUY_TRUNG, DUY_NGHIA, DUY_HAI = (
    "20599",
    "20611",
    "20620",
    "20623",
    "20635",
    "20638",
)
OLD_TAIL = "huyện Duy Xuyên, tỉnh Quảng Nam"
NEW_TAIL = "thành phố Đà Nẵng"
# New commune (2025) → the old commune hosting its seat, as on the demo boundary.
NEW_COMMUNE_SEATS = (
    ("20599", "Nam Phước", NAM_PHUOC),
    ("20611", "Thu Bồn", DUY_HOA),
    ("20623", "Duy Xuyên", DUY_TRUNG),
    ("20635", "Duy Nghĩa", DUY_NGHIA),
)
# The day the district and its 13 communes gave way to 4 communes: their People's Committees
# and the district's one-stop office closed, their records kept (Facility.closed_on).
REFORM = dt.date(2025, 7, 1)
# The new communes' People's Committees are new bodies, though their communes reuse codes: an
# old committee's code (UBND-20611, xã Duy Hòa) must not name the new one (xã Thu Bồn).
NEW_COMMITTEE = "UBND-2025-{code}"
# Kept this far (degrees, about 150 m) inside a commune, so approximate edges never matter.
MARGIN = 0.0015


@dataclass(frozen=True)
class Commune:
    """An old (2019) commune of the demo boundary."""

    code: str
    short_name: str
    unit_type: str
    area: BaseGeometry

    @property
    def is_town(self) -> bool:
        """True for the district town (thị trấn)."""
        return self.unit_type == "thị trấn"


@cache
def _communes() -> dict[str, Commune]:
    features = json.loads(COMMUNES_FILE.read_text(encoding="utf-8"))["features"]
    communes = {}
    for feature in features:
        props, area = feature["properties"], shape(feature["geometry"])
        inner = area.buffer(-MARGIN)
        communes[props["code"]] = Commune(
            props["code"], props["short_name"], props["unit_type"], inner if inner.area else area
        )
    return communes


def _point(commune: Commune, rng: random.Random, spread: float = 0.35) -> tuple[float, float]:
    """A point inside the commune, near its centre; `spread` is a share of its extent."""
    centre = commune.area.representative_point()
    minx, miny, maxx, maxy = commune.area.bounds
    dx, dy = (maxx - minx) * spread, (maxy - miny) * spread
    for _ in range(10_000):
        lon = round(rng.uniform(centre.x - dx, centre.x + dx), 6)
        lat = round(rng.uniform(centre.y - dy, centre.y + dy), 6)
        if commune.area.contains(Point(lon, lat)):
            return lon, lat
    return round(centre.x, 6), round(centre.y, 6)


def _on_line(commune: Commune, lon: float, share: float) -> tuple[float, float]:
    """A point a `share` of the way north along the meridian `lon` inside the commune."""
    _, miny, _, maxy = commune.area.bounds
    cut = LineString([(lon, miny - 1), (lon, maxy + 1)]).intersection(commune.area)
    parts = getattr(cut, "geoms", [cut])
    road = max(parts, key=lambda g: g.length)
    spot = road.interpolate(share, normalized=True)
    point = (round(spot.x, 6), round(spot.y, 6))
    if not commune.area.contains(Point(point)):
        return _point(commune, random.Random(f"{commune.code}:{lon}:{share}"))
    return point


def _address(commune: Commune, rng: random.Random) -> str:
    place = f"Khối phố {rng.randint(1, 7)}" if commune.is_town else f"Thôn {rng.randint(1, 8)}"
    return f"{place}, {commune.unit_type} {commune.short_name}, {OLD_TAIL}"


def _row(
    code: str,
    name: str,
    kind: str,
    subtype: str,
    commune: Commune,
    *,
    place: Callable[[random.Random], tuple[float, float]] | None = None,
    address: str | None = None,
    closed_on: dt.date | None = None,
    **attributes: Any,
) -> dict[str, Any]:
    rng = random.Random(f"gisioc-demo-facility:{code}")
    lon, lat = place(rng) if place else _point(commune, rng)
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "subtype": subtype,
        "address": address or _address(commune, rng),
        "lon": lon,
        "lat": lat,
        "commune_2019": commune.code,
        "attributes": attributes,
        "closed_on": closed_on,
    }


def _school_numbers(code: str, pupils: tuple[int, int], per_class: int, per_teacher: int) -> dict:
    rng = random.Random(f"gisioc-demo-school:{code}")
    count = rng.randint(*pupils)
    return {
        "pupils": count,
        "classes": max(5, round(count / per_class)),
        "teachers": round(count / per_teacher) + rng.randint(2, 6),
    }


def _commune_rows(commune: Commune) -> list[dict[str, Any]]:
    code, name = commune.code, commune.short_name
    rng = random.Random(f"gisioc-demo-commune:{code}")
    level = commune.unit_type
    schools = (
        ("MN", "Trường Mầm non", "mam_non", (220, 450), 28, 14),
        ("TH", "Trường Tiểu học", "tieu_hoc", (420, 900), 30, 20),
        ("THCS", "Trường THCS", "thcs", (330, 760), 38, 18),
    )
    rows = [
        _row(
            f"TYT-{code}",
            f"Trạm Y tế {level} {name}",
            "health",
            "tram_y_te",
            commune,
            beds=5,
            staff=rng.randint(6, 9),
        ),
        _row(
            f"UBND-{code}",
            f"UBND {level} {name}",
            "agency",
            "ubnd_xa",
            commune,
            place=lambda r: _point(commune, r, spread=0.15),
            closed_on=REFORM,
            staff=rng.randint(18, 26),
        ),
    ]
    for prefix, title, subtype, pupils, per_class, per_teacher in schools:
        numbers = _school_numbers(f"{prefix}-{code}", pupils, per_class, per_teacher)
        rows.append(
            _row(f"{prefix}-{code}", f"{title} {name}", "school", subtype, commune, **numbers)
        )
    return rows


def _district_rows(c: dict[str, Commune]) -> list[dict[str, Any]]:
    town = c[NAM_PHUOC]
    near = {"place": lambda r: _point(town, r, spread=0.2)}
    thpt = (
        ("THPT-SAONAM", "Trường THPT Sào Nam", c[DUY_SON]),
        ("THPT-NGUYENHIEN", "Trường THPT Nguyễn Hiền", town),
        ("THPT-LEHONGPHONG", "Trường THPT Lê Hồng Phong", c[DUY_HOA]),
    )
    clinics = (
        ("PK-DX-01", "Phòng khám Đa khoa Nam Phước", town, 6),
        ("PK-DX-02", "Phòng khám Nhi Nam Phước", town, 0),
        ("PK-DX-03", "Phòng khám Đa khoa Duy Nghĩa", c[DUY_NGHIA], 4),
    )
    rows = [
        _row(
            "TTYT-DX",
            "Trung tâm Y tế huyện Duy Xuyên",
            "health",
            "ttyt",
            town,
            **near,
            beds=180,
            staff=212,
        ),
        _row(
            "MOTCUA-DX",
            "Bộ phận Một cửa UBND huyện Duy Xuyên",
            "one_stop",
            "huyen",
            town,
            **near,
            closed_on=REFORM,
            counters=8,
        ),
        _row(
            "UBND-DX",
            "UBND huyện Duy Xuyên",
            "agency",
            "ubnd_huyen",
            town,
            **near,
            closed_on=REFORM,
            staff=96,
        ),
    ]
    for code, name, commune in thpt:
        numbers = _school_numbers(code, (950, 1550), 42, 20)
        rows.append(_row(code, name, "school", "thpt", commune, **numbers))
    for code, name, commune, beds in clinics:
        staff = random.Random(code).randint(6, 18)
        rows.append(_row(code, name, "health", "phong_kham", commune, beds=beds, staff=staff))
    for new_code, new_name, seat in NEW_COMMUNE_SEATS:
        committee = NEW_COMMITTEE.format(code=new_code)
        staff = random.Random(committee).randint(32, 40)
        rows += [
            _seated(c[seat], new_code, new_name, f"HCC-{new_code}",
                    f"Trung tâm Phục vụ hành chính công xã {new_name}", "one_stop", "hcc_xa",
                    counters=4),
            _seated(c[seat], new_code, new_name, committee, f"UBND xã {new_name}", "agency",
                    "ubnd_xa", staff=staff),
        ]  # fmt: skip
    return rows


def _seated(
    seat: Commune,
    new_code: str,
    new_name: str,
    code: str,
    name: str,
    kind: str,
    subtype: str,
    **attributes: Any,
) -> dict[str, Any]:
    """A new commune's body, near its seat."""
    return _row(
        code,
        name,
        kind,
        subtype,
        seat,
        place=lambda r: _point(seat, r, spread=0.15),
        address=f"xã {new_name}, {NEW_TAIL}",
        commune_2025=new_code,
        **attributes,
    )


def _camera_rows(c: dict[str, Commune]) -> list[dict[str, Any]]:
    town, beach = c[NAM_PHUOC], c[DUY_HAI]
    highway = town.area.representative_point().x  # Quốc lộ 1A crosses the town north–south
    coast = beach.area.bounds[2] - 0.004  # the coastal road ĐT129 behind Duy Hải beach
    spots = [(town, highway, share, "Quốc lộ 1A") for share in (0.1, 0.3, 0.5, 0.7, 0.9)]
    spots += [(beach, coast, share, "Đường ven biển ĐT129") for share in (0.2, 0.5, 0.8)]
    rows = []
    for number, (commune, lon, share, road) in enumerate(spots, start=1):
        camera_type = "ai" if number % 3 == 0 else "giao_thong"
        title = "Camera AI" if camera_type == "ai" else "Camera giao thông"
        rows.append(
            _row(
                f"CAM-DX-{number:03d}",
                f"{title} {road} – {commune.short_name} {number:02d}",
                "camera",
                camera_type,
                commune,
                place=lambda r, cm=commune, x=lon, s=share: _on_line(cm, x, s),
                road=road,
                status="online",
            )
        )
    return rows + _more_camera_rows(c)


# The camera demo's other twelve (gisioc/cameras/demo.py gives each its kind and stream):
# (number, commune, subtype, title, road, spread around the commune's centre).
MORE_CAMERAS = (
    (9, NAM_PHUOC, "giao_thong", "Ngã tư trung tâm Nam Phước", "Quốc lộ 1A", 0.08),
    (10, NAM_PHUOC, "an_ninh", "Chợ Nam Phước", "Đường Hùng Vương", 0.12),
    (11, NAM_PHUOC, "giao_thong", "Ngã ba ĐT610 – Quốc lộ 1A", "Đường ĐT610", 0.18),
    (12, NAM_PHUOC, "an_ninh", "Quảng trường Nam Phước", "Đường Hùng Vương", 0.1),
    (13, NAM_PHUOC, "moi_truong", "Bến xe Nam Phước", "Quốc lộ 1A", 0.22),
    (14, DUY_TRUNG, "giao_thong", "Quốc lộ 1A – Duy Trung", "Quốc lộ 1A", 0.25),
    (15, DUY_TRUNG, "giao_thong", "Ngã ba Duy Trung", "Quốc lộ 1A", 0.3),
    (16, "20626", "do_ngap", "Điểm đo ngập Duy Phước", "Đường ĐH5 (vùng trũng)", 0.3),
    (17, "20632", "do_ngap", "Điểm đo ngập Duy Vinh", "Đường ĐH6 (vùng trũng)", 0.3),
    (18, "20629", "do_ngap", "Điểm đo ngập Duy Thành", "Đường ĐT610 (vùng trũng)", 0.3),
    (19, DUY_NGHIA, "giao_thong", "Đường ven biển ĐT129 – Duy Nghĩa", "Đường ven biển ĐT129", 0.3),
    (20, DUY_NGHIA, "moi_truong", "Bãi biển Duy Nghĩa", "Đường ven biển ĐT129", 0.3),
)


def _more_camera_rows(c: dict[str, Commune]) -> list[dict[str, Any]]:
    rows = []
    for number, code, subtype, title, road, spread in MORE_CAMERAS:
        commune = c[code]
        rows.append(
            _row(
                f"CAM-DX-{number:03d}",
                f"Camera {title}",
                "camera",
                subtype,
                commune,
                place=lambda r, cm=commune, s=spread: _point(cm, r, spread=s),
                road=road,
                status="online",
            )
        )
    return rows


def demo_facility_rows() -> list[dict[str, Any]]:
    """The demo facility rows, identical on every call; points lie inside their old commune."""
    communes = _communes()
    rows = [row for commune in communes.values() for row in _commune_rows(commune)]
    return rows + _district_rows(communes) + _camera_rows(communes)


def facilities_demo_load(
    *, progress: Callable[[str], None] = lambda _: None
) -> FacilityImportResult:
    """Upsert the demo facilities through the file-import path; safe to run again."""
    raws = [RawRow(number, row) for number, row in enumerate(demo_facility_rows(), start=1)]
    return facility_rows_import(rows=raws, source="demo Duy Xuyên", progress=progress)
