"""Official facts about former Duy Xuyên district and their vietnamadminunits dataset rows."""

from __future__ import annotations

import contextlib
import sqlite3
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

OLD_FILE = "duyxuyen_2019_communes.geojson"
NEW_FILE = "duyxuyen_2025_communes.geojson"
CROSSWALK_FILE = "crosswalk_2025.csv"
VERSIONS_FILE = "versions.json"

DISTRICT = ("508", "Huyện Duy Xuyên")
OLD_PROVINCE = ("49", "Tỉnh Quảng Nam")
NEW_PROVINCE = ("48", "Thành phố Đà Nẵng")
MERGERS: dict[str, tuple[str, ...]] = {
    "20599": ("20599", "20626", "20632"),
    "20611": ("20605", "20608", "20611", "20614"),
    "20623": ("20617", "20620", "20623"),
    "20635": ("20629", "20635", "20638"),
}
SOURCE = (
    "Approximate demo geometry, not official boundaries: derived by boundary_data/derive.py "
    "from vietnamadminunits (MIT) commune centroids, bounding boxes and 2025 official areas."
)
VERSIONS: tuple[dict[str, object], ...] = (
    {
        "slug": "duyxuyen-2019",
        "name": "Huyện Duy Xuyên 2019–2025",
        "valid_from": "2019-01-01",
        "valid_to": "2025-06-30",
        "level": "commune",
        "province_code": OLD_PROVINCE[0],
        "province_name": OLD_PROVINCE[1],
        "district_code": DISTRICT[0],
        "district_name": DISTRICT[1],
        "unit_count": 13,
        "official_area_km2": 297.85,
        "population_2019_census": 126686,
        "extent": "all 13 commune-level units of Huyện Duy Xuyên",
        "source": "Unit list and codes per Decision 124/2004/QĐ-TTg (GSO administrative unit "
        "codes, via the vietnamadminunits legacy dataset); area and population from the 2019 "
        "Population and Housing Census. " + SOURCE,
        "files": {"communes": OLD_FILE},
    },
    {
        "slug": "danang-2025",
        "name": "Đà Nẵng 2025–",
        "valid_from": "2025-07-01",
        "valid_to": None,
        "level": "commune",
        "province_code": NEW_PROVINCE[0],
        "province_name": NEW_PROVINCE[1],
        "unit_count": 4,
        "extent": "only the 4 communes formed from former Huyện Duy Xuyên",
        "source": "Resolution 1659/NQ-UBTVQH15 (2025) arranging the commune-level units of "
        "Thành phố Đà Nẵng; official areas via vietnamadminunits. " + SOURCE,
        "files": {"communes": NEW_FILE, "crosswalk_from_duyxuyen-2019": CROSSWALK_FILE},
    },
)


@dataclass(frozen=True)
class OldUnit:
    """A pre-2025 commune-level unit with its centroid and bounding box in degrees."""

    code: str
    name: str
    short_name: str
    unit_type: str
    lon: float
    lat: float
    bounds: tuple[float, float, float, float]


@dataclass(frozen=True)
class NewUnit:
    """A 2025 commune with its official area and the old units merged into it."""

    code: str
    name: str
    short_name: str
    area_km2: float
    members: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """All inputs read from the vietnamadminunits dataset, old units sorted by code."""

    old: tuple[OldUnit, ...]
    new: tuple[NewUnit, ...]
    district_bounds: tuple[float, float, float, float]


def nfc(text: str) -> str:
    """Return text stripped and NFC-normalized."""
    return unicodedata.normalize("NFC", text.strip())


def dataset_path() -> Path:
    """Return the path of the sqlite dataset shipped with vietnamadminunits."""
    return Path(str(resources.files("vietnamadminunits").joinpath("data", "dataset.db")))


def parse_bounds(text: str) -> tuple[float, float, float, float]:
    """Parse 'lat1,lon1 – lat2,lon2' into (lon_min, lat_min, lon_max, lat_max)."""
    (lat1, lon1), (lat2, lon2) = ([float(v) for v in p.split(",")] for p in text.split("–"))
    return min(lon1, lon2), min(lat1, lat2), max(lon1, lon2), max(lat1, lat2)


def load_facts(db_path: Path | None = None) -> Facts:
    """Read the old and new units of former Duy Xuyên from the vietnamadminunits dataset."""
    uri = f"file:{db_path or dataset_path()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        old_rows = conn.execute(
            "SELECT wardCode, ward, wardShort, wardType, wardLon, wardLat, wardBounds,"
            " districtBounds FROM admin_units_legacy WHERE districtCode = ? ORDER BY wardCode",
            (DISTRICT[0],),
        ).fetchall()
        new_rows = conn.execute(
            "SELECT wardCode, ward, wardShort, wardAreaKm2 FROM admin_units WHERE provinceCode = ?"
            f" AND wardCode IN ({','.join('?' * len(MERGERS))}) ORDER BY wardCode",
            (NEW_PROVINCE[0], *MERGERS),
        ).fetchall()
    old = tuple(
        OldUnit(r[0], nfc(r[1]), nfc(r[2]), nfc(r[3]).lower(), r[4], r[5], parse_bounds(r[6]))
        for r in old_rows
    )
    new = tuple(NewUnit(r[0], nfc(r[1]), nfc(r[2]), r[3], MERGERS[r[0]]) for r in new_rows)
    if sorted(u.code for u in old) != sorted(c for m in MERGERS.values() for c in m):
        raise ValueError("dataset old units do not match MERGERS")
    if len(new) != len(MERGERS):
        raise ValueError("dataset lacks some 2025 communes")
    return Facts(old, new, parse_bounds(old_rows[0][7]))
