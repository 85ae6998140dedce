"""The geocoder with a memory for one run: repeated addresses and offices cost one lookup."""

import datetime as dt
from typing import NamedTuple

from django.contrib.gis.geos import Point

from gisioc.geo import selectors
from gisioc.geo.geocoder import Location, geocode
from gisioc.geo.models import Facility
from gisioc.geo.text import fold

MAX_REMEMBERED = 100_000


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
        self._found: dict[tuple, Location] = {}
        self._facilities: dict[str, tuple[dict[str, FacilityRef], dict[str, FacilityRef]]] = {}

    def versions(self, on: dt.date) -> tuple[int, ...]:
        """Ids of the published versions in force on a day."""
        if on not in self._versions:
            found = selectors.versions_in_force(on=on).values_list("pk", flat=True)
            self._versions[on] = tuple(found)
        return self._versions[on]

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
