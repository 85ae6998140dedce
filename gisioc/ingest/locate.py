"""The geocoder with a memory for one run (repeated addresses and offices cost one lookup),
and the stock way to place a record: at the facility it names, in the commune of its address."""

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.contrib.gis.geos import Point

from gisioc.geo.geocoder import Location, geocode
from gisioc.geo.models import BoundaryVersion, Facility, Located
from gisioc.geo.text import fold
from gisioc.periods import vietnam_date
from gisioc.texts import Text

MAX_REMEMBERED = 100_000
ADDRESS = Text("địa chỉ", "address")


class FacilityRef(NamedTuple):
    """The little a record needs of a facility: id, code, name and point."""

    id: int
    code: str
    name: str
    point: Point | None


class Locator:
    """`geocode` and facility lookups remembered for the run.

    A location depends on the date only through the boundary versions in force on it, so
    answers are kept per set of versions, not per day: two years of records cost a few
    hundred geocoder calls, not one per record.
    """

    def __init__(self) -> None:
        self._versions: dict[dt.date, tuple[int, ...]] = {}
        self._spans: list[tuple[int, dt.date, dt.date | None]] | None = None
        self._found: dict[tuple, Location] = {}
        self._facilities: dict[str, tuple[dict[str, FacilityRef], dict[str, FacilityRef]]] = {}
        self.placed: dict[tuple, dict[str, Any]] = {}  # a system's placements, by question

    def versions(self, on: dt.date) -> tuple[int, ...]:
        """Ids of the published versions in force on a day (as `versions_in_force` orders
        them), from one read of every published version's span for the run."""
        found = self._versions.get(on)
        if found is None:
            if self._spans is None:
                published = BoundaryVersion.objects.filter(
                    status=BoundaryVersion.Status.PUBLISHED
                ).order_by("-published_at")
                self._spans = list(published.values_list("pk", "valid_from", "valid_to"))
            found = tuple(
                pk for pk, start, end in self._spans if start <= on and (end is None or end >= on)
            )
            self._versions[on] = found
        return found

    def geocode(
        self,
        *,
        on: dt.date,
        lon: float | None = None,
        lat: float | None = None,
        facility_code: str | None = None,
        address: str | None = None,
    ) -> Location:
        """The same answer as `gisioc.geo.geocoder.geocode`, computed once per question."""
        key = (self.versions(on), lon, lat, facility_code, address)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= MAX_REMEMBERED:
                self._found.clear()
            found = geocode(on=on, lon=lon, lat=lat, facility_code=facility_code, address=address)
            self._found[key] = found
        return found

    def facility(self, text: str, *, kind: str) -> FacilityRef | None:
        """An active facility of a kind named by its code or, failing that, its full name."""
        if kind not in self._facilities:
            by_code: dict[str, FacilityRef] = {}
            by_name: dict[str, FacilityRef] = {}
            rows = Facility.objects.filter(kind=kind, active=True).values_list(
                "pk", "code", "name", "folded_name", "geom"
            )
            for pk, code, name, folded, geom in rows:
                ref = FacilityRef(pk, code, name, geom)
                by_code[code.casefold()] = ref
                by_name.setdefault(folded, ref)
            self._facilities[kind] = (by_code, by_name)
        by_code, by_name = self._facilities[kind]
        return by_code.get(text.strip().casefold()) or by_name.get(fold(text))


@dataclass(frozen=True)
class AtFacility:
    """Place a record at the facility of `kind` a field names (by code or name): its point,
    and its commune on the Vietnam day of `day`. With `address`, the commune that address
    names counts first, the facility's only when the address does not place it.

    Called as a system's `locate`: fills `link` (the facility's id; by default `code` with
    `_id` for `_code`), geom, unit_id, locate_on, locate_method, locate_confidence and
    locate_reason (every reason a step failed).
    """

    kind: str  # Facility.Kind
    code: str  # the field naming the facility: 'office_code'
    named: Text  # the facility as a row names it: 'nơi tiếp nhận' / 'office'
    link: str = ""  # the foreign key it fills: 'office_id'
    day: str = "received_at"
    address: str | None = None  # a field with an address, when the system has one
    address_title: Text = ADDRESS
    kind_title: Text | None = None  # in a sentence; by default from the kind's label

    def __post_init__(self) -> None:
        if not self.link:
            object.__setattr__(self, "link", self.code.removesuffix("_code") + "_id")

    def __call__(self, values: dict[str, Any], locator: Locator) -> None:
        """Fill the record's facility and Located fields; one answer per question (versions
        in force, facility named, address) for the run."""
        on = vietnam_date(values[self.day])
        address = values[self.address] if self.address is not None else None
        key = (id(self), locator.versions(on), values[self.code], address)
        placed = locator.placed.get(key)
        if placed is None:
            placed = self._place(on, values[self.code], address, locator)
            if len(locator.placed) >= MAX_REMEMBERED:
                locator.placed.clear()
            locator.placed[key] = placed
        values.update(placed, locate_on=on)

    def _place(
        self, on: dt.date, given: str, address: str | None, locator: Locator
    ) -> dict[str, Any]:
        """The facility and Located fields for a question (locate_on aside)."""
        facility = locator.facility(given, kind=self.kind) if given else None
        at_facility = locator.geocode(on=on, facility_code=facility.code) if facility else None
        reasons = [] if facility is not None else [self._missing(given)]
        by_address = None
        if self.address is not None:
            title = self.address_title
            by_address = locator.geocode(on=on, address=address) if address else None
            if by_address is None:
                reasons.append(f"thiếu {title.vi} / no {title.en}")
            elif not by_address.located:
                reasons.append(f"{title.vi} / {title.en}: {by_address.reason}")
        if at_facility is not None and not at_facility.located:
            reasons.append(at_facility.reason)
        chosen = next((x for x in (by_address, at_facility) if x is not None and x.located), None)
        if chosen is not None and chosen is at_facility and self.address is not None:
            reasons.append(
                f"tính theo xã của {self.named.vi} / counted in the {self.named.en}'s commune"
            )
        return {
            self.link: facility.id if facility else None,
            "geom": facility.point if facility else None,
            "unit_id": chosen.unit_id if chosen else None,
            "locate_method": chosen.method if chosen else Located.Method.NONE,
            "locate_confidence": chosen.confidence if chosen else 0.0,
            "locate_reason": "; ".join(reasons)[:300],
        }

    def _missing(self, given: str) -> str:
        if not given:
            return f"thiếu {self.named.vi} / no {self.named.en} given"
        kind = self.kind_title or _in_sentence(Text.of(Facility.Kind(self.kind).label))
        return (
            f"không có {kind.vi} '{given}' trong danh mục cơ sở / no {kind.en} '{given}' in the "
            "facility registry"
        )


def _in_sentence(title: Text) -> Text:
    """'Bộ phận một cửa / One-stop office' as a sentence names it: 'bộ phận một cửa' / …."""
    return Text(title.vi[:1].lower() + title.vi[1:], title.en[:1].lower() + title.en[1:])
