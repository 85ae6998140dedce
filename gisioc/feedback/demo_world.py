"""The feedback demo's world: the agencies that handle reports, their routing rules, the
commune officer's agency, and where in each commune reports are placed."""

import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from shapely import wkb
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from gisioc.feedback import demo_catalog as c
from gisioc.feedback.models import AgencyMember, RoutingRule
from gisioc.geo.demo import DEMO_USERS
from gisioc.geo.demo_facilities import NEW_COMMITTEE, NEW_COMMUNE_SEATS, demo_facility_rows
from gisioc.geo.facilities import facility_rows_import
from gisioc.geo.models import AdminUnit, Facility
from gisioc.ingest.readers import RawRow

OLD, NEW = "duyxuyen-2019", "danang-2025"
OFFICER = "canboxa"  # the demo's commune officer (gisioc.geo.demo.DEMO_USERS)
FACILITY_SOURCE = "demo phản ánh"


@dataclass(frozen=True)
class Commune:
    """A commune of one boundary version: where its reports fall."""

    code: str
    name: str
    area: BaseGeometry
    inside: PreparedGeometry
    anchors: tuple[tuple[float, float], ...]  # facilities and its centre: reports gather there
    weight: float

    def point(self, rng: random.Random) -> tuple[float, float]:
        """A point inside, near an anchor most of the time."""
        minx, miny, maxx, maxy = self.area.bounds
        near = rng.random() < 0.65
        anchor = rng.choice(self.anchors)
        for _ in range(200):
            if near:
                lon, lat = anchor[0] + rng.gauss(0, 0.006), anchor[1] + rng.gauss(0, 0.005)
            else:
                lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            lon, lat = round(lon, 6), round(lat, 6)
            if self.inside.contains(Point(lon, lat)):
                return lon, lat
        point = self.area.representative_point()
        return round(point.x, 6), round(point.y, 6)


def communes_read() -> dict[str, list[Commune]]:
    """The communes of the two demo versions (by slug), in code order, with their anchors."""
    # The demo's own facilities (from its files, not the database: facilities added later,
    # these agencies among them, must not move the reports of a generator run again).
    rows = sorted(demo_facility_rows(), key=lambda row: row["code"])
    facilities = [(row["lon"], row["lat"]) for row in rows if row["kind"] != "camera"]
    found: dict[str, list[Commune]] = {}
    units = AdminUnit.objects.filter(version__slug__in=(OLD, NEW), level="commune")
    for slug, code, name, geom, area_km2 in units.order_by("version__slug", "code").values_list(
        "version__slug", "code", "name", "geom", "area_km2"
    ):
        area = wkb.loads(bytes(geom.wkb))
        inside = prep(area)
        centre = area.representative_point()
        anchors = [(x, y) for x, y in facilities if inside.contains(Point(x, y))]
        anchors.append((centre.x, centre.y))
        town = 2.2 if name.startswith("Thị trấn") or code == "20599" else 1.0
        weight = (area_km2 or 10.0) ** 0.5 * town
        found.setdefault(slug, []).append(Commune(code, name, area, inside, tuple(anchors), weight))
    return found


def _near(code: str, share: float) -> tuple[float, float]:
    point = Facility.objects.get(code=code).geom
    rng = random.Random(f"gisioc-demo-feedback-agency:{code}:{share}")
    return round(point.x + rng.uniform(-share, share), 6), round(point.y + share, 6)


def agencies_load() -> dict[str, int]:
    """The handling agencies (upserted by code) and the routing rules; {code: facility id}."""
    rows = []
    for code, name, subtype, near in c.AGENCIES:
        lon, lat = _near(f"UBND-{near}", 0.004)
        rows.append(_agency(code, name, subtype, lon, lat, "Duy Xuyên, thành phố Đà Nẵng"))
    for new_code, new_name, _ in NEW_COMMUNE_SEATS:
        lon, lat = _near(NEW_COMMITTEE.format(code=new_code), 0.002)
        address = f"xã {new_name}, thành phố Đà Nẵng"
        police = c.POLICE.format(code=new_code)
        rows.append(_agency(police, f"Công an xã {new_name}", "cong_an_xa", lon, lat, address))
    raws = [RawRow(number, row) for number, row in enumerate(rows, start=1)]
    facility_rows_import(rows=raws, source=FACILITY_SOURCE, progress=lambda _: None)
    ids = dict(Facility.objects.filter(kind=Facility.Kind.AGENCY).values_list("code", "pk"))
    _rules_load(ids)
    return ids


def _agency(
    code: str, name: str, subtype: str, lon: float, lat: float, address: str
) -> dict[str, object]:
    return {"code": code, "name": name, "kind": "agency", "subtype": subtype,
            "address": address, "lon": lon, "lat": lat}  # fmt: skip


def _rules_load(ids: dict[str, int]) -> None:
    """Category-wide defaults, then each commune's own: its UBND for construction, public
    services and others; for traffic order Công an xã (2025) or the old commune's UBND."""
    wanted: dict[tuple[str, int | None], int] = {
        (category, None): ids[code] for category, code in c.DEFAULTS.items()
    }
    units = AdminUnit.objects.filter(version__slug__in=(OLD, NEW), level="commune")
    for unit_id, code, slug in units.values_list("pk", "code", "version__slug"):
        committee = ids[NEW_COMMITTEE.format(code=code) if slug == NEW else f"UBND-{code}"]
        for category in c.COMMITTEE_CATEGORIES:
            wanted[(category, unit_id)] = committee
        police = ids[c.POLICE.format(code=code)] if slug == NEW else committee
        for category in c.POLICE_CATEGORIES:
            wanted[(category, unit_id)] = police
    there = {(r.category, r.unit_id): r for r in RoutingRule.objects.all()}
    for (category, unit_id), agency_id in wanted.items():
        rule = there.get((category, unit_id))
        if rule is None:
            RoutingRule.objects.create(category=category, unit_id=unit_id, agency_id=agency_id)
        elif rule.agency_id != agency_id:
            rule.agency_id = agency_id
            rule.save(update_fields=["agency"])


def officer_member_load(ids: dict[str, int]) -> None:
    """The demo's commune officer works for their commune's new UBND xã (its queue is theirs).

    The demo users are made after the systems' demos (`gisioc demo load`), so the login is
    made here when missing; `users_demo_load` then gives it its role and password."""
    _, _, scope, display = next(u for u in DEMO_USERS if u[0] == OFFICER)
    user, _ = get_user_model().objects.get_or_create(
        username=OFFICER, defaults={"first_name": display}
    )
    agency = ids[NEW_COMMITTEE.format(code=scope[0])]
    AgencyMember.objects.update_or_create(user=user, defaults={"agency_id": agency})
