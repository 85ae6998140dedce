"""One geocoder for every system: coordinates, facility code or address text → admin unit."""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db import connection

from gisioc.geo.models import AdminUnit, Facility, Located, UnitCrosswalk
from gisioc.geo.services import OUTSIDE
from gisioc.geo.text import fold, split_unit_type

Method = Located.Method
_SEPARATORS = re.compile(r"[,;|/\n]+|\s+-\s+")


@dataclass(frozen=True)
class Location:
    """Where a record lies, how we know it, how sure we are, or why it could not be placed."""

    unit_id: int | None
    method: str
    confidence: float
    reason: str = ""
    point: Point | None = None

    @property
    def located(self) -> bool:
        """True when an admin unit was found."""
        return self.unit_id is not None


def _not_located(reason: str, point: Point | None = None) -> Location:
    return Location(None, Method.NONE, 0.0, reason, point)


def geocode_point(*, lon: float, lat: float, on: dt.date) -> Location:
    """The commune containing (lon, lat) in the boundary version in force on `on`."""
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return _not_located(f"Tọa độ không hợp lệ / invalid coordinates ({lon}, {lat})")
    point = Point(lon, lat, srid=4326)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gisioc_locate_point(ST_SetSRID(ST_MakePoint(%s, %s), 4326), %s)", [lon, lat, on]
        )
        (unit_id,) = cursor.fetchone()
    if unit_id is None:
        return _not_located(OUTSIDE, point)
    return Location(unit_id, Method.POINT, 1.0, "", point)


def geocode_facility(*, code: str, on: dt.date) -> Location:
    """The commune of the facility with this code, located at the date."""
    facility = Facility.objects.filter(code=code.strip()).only("geom").first()
    if facility is None:
        return _not_located(f"Không có cơ sở mã {code} / no facility with code {code}")
    if facility.geom is None:
        return _not_located(f"Cơ sở {code} chưa có tọa độ / facility {code} has no coordinates")
    found = geocode_point(lon=facility.geom.x, lat=facility.geom.y, on=on)
    if not found.located:
        return found
    return Location(found.unit_id, Method.FACILITY, 0.95, "", found.point)


def _in_force_versions(on: dt.date) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT id FROM geo_boundaryversion WHERE status = 'published' AND valid_from <= %s
               AND (valid_to IS NULL OR valid_to >= %s) ORDER BY published_at DESC""",
            [on, on],
        )
        return [row[0] for row in cursor.fetchall()]


def _candidates(part: str) -> tuple[str | None, list[str]]:
    """The level an address part names, and the folded names it may stand for."""
    _, level, rest = split_unit_type(part)
    names = [rest] if level else []
    whole = fold(part)
    if whole not in names:
        names.append(whole)
    return level, names


def _match_units(names: list[str], context: set[str]) -> list[AdminUnit]:
    units = list(
        AdminUnit.objects.filter(folded_name__in=names, level=AdminUnit.Level.COMMUNE)
        .filter(version__status="published")
        .select_related("parent", "version")
    )
    if len(units) > 1 and context:
        narrowed = [u for u in units if u.parent and u.parent.folded_name in context]
        units = narrowed or units
    return units


def _to_version(units: list[AdminUnit], versions: list[int]) -> tuple[list[int], bool]:
    """Units of the versions in force; via the crosswalk when only other versions match."""
    direct = [u.pk for u in units if u.version_id in versions]
    if direct:
        return sorted(set(direct)), False
    ids = [u.pk for u in units]
    linked = UnitCrosswalk.objects.filter(old_unit__in=ids, new_unit__version__in=versions)
    targets = {c.new_unit_id: c.area_share_of_old for c in linked}
    backward = UnitCrosswalk.objects.filter(new_unit__in=ids, old_unit__version__in=versions)
    targets |= {c.old_unit_id: c.area_share_of_new for c in backward}
    best = [u for u, share in targets.items() if share >= 0.5]
    return (best if len(best) == 1 else sorted(targets)), True


def geocode_address(*, text: str, on: dt.date) -> Location:
    """The commune an address names, by old or new name, with or without diacritics or type."""
    parts = [p for p in _SEPARATORS.split(text or "") if p.strip()]
    if not parts:
        return _not_located("Địa chỉ trống / empty address")
    parsed = [_candidates(p) for p in parts]
    context = {
        n for level, names in parsed if level in ("district", "province", "city") for n in names
    }
    versions = _in_force_versions(on)
    for level, names in parsed:
        if level in ("district", "province", "city"):
            continue
        units = _match_units(names, context)
        if not units:
            continue
        ids, via_crosswalk = _to_version(units, versions)
        if len(ids) == 1:
            method = Method.CROSSWALK if via_crosswalk else Method.ADDRESS
            confidence = (0.75 if via_crosswalk else 0.9) - (0.0 if level else 0.05)
            return Location(ids[0], method, confidence)
        if len(ids) > 1:
            return _not_located(
                f"'{parts[parsed.index((level, names))].strip()}' ứng với {len(ids)} đơn vị / "
                f"matches {len(ids)} units in force"
            )
    return _not_located(
        "Không nhận ra xã/phường trong địa chỉ / no commune recognised in the address"
    )


def geocode(
    *,
    on: dt.date,
    lon: float | None = None,
    lat: float | None = None,
    facility_code: str | None = None,
    address: str | None = None,
) -> Location:
    """Try coordinates, then facility code, then address; keep every reason when all fail."""
    reasons = []
    attempts = [
        (lon is not None and lat is not None, lambda: geocode_point(lon=lon, lat=lat, on=on)),
        (bool(facility_code), lambda: geocode_facility(code=facility_code, on=on)),
        (bool(address), lambda: geocode_address(text=address, on=on)),
    ]
    point = None
    for given, attempt in attempts:
        if not given:
            continue
        found = attempt()
        if found.located:
            return (
                found
                if found.point or not point
                else Location(found.unit_id, found.method, found.confidence, "", point)
            )
        point = point or found.point
        reasons.append(found.reason)
    return _not_located("; ".join(reasons) or "Không có dữ liệu vị trí / no location given", point)
