"""Exposure: the facilities and open records lying where a hazard raster exceeds a threshold.

A place is exposed when the hazard cell holding it has a value strictly above the threshold
(a depth deeper than 0.5 m, say); a cell of nodata, or a place off the raster, is not. Places
are pre-filtered in PostGIS by the raster's footprint, then sampled from the COG with rasterio
after their points are reprojected to the raster's own CRS (VN-2000 zones included).

Who is listed: facilities in service today (schools, health facilities, one-stop offices,
agencies, cameras) and the open records of every record type that declares `open`
(gisioc.systems.Open), plus open incidents. Nothing names a person: a report is its ticket and
category. KPIs per commune and residents exposed are in `exposure_stats`.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import rasterio
from django.apps import apps
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.db.models import BigIntegerField, F, Func, QuerySet, Value
from django.db.models.fields import DateField
from rasterio.warp import transform as warp_transform

from gisioc.errors import InvalidInput, NotFound
from gisioc.geo.models import AdminUnit, Facility
from gisioc.geo.selectors import units_linked, vietnam_today
from gisioc.rasters.files import raster_path
from gisioc.rasters.models import Raster
from gisioc.rasters.selectors import raster_for
from gisioc.systems import Open, record_types
from gisioc.texts import Text

HAZARD_KINDS = (Raster.Kind.FLOOD_DEPTH, Raster.Kind.HAZARD_CLASS)
THRESHOLD_BOUNDS = (0.0, 100_000.0)
RADIUS_BOUNDS = (1.0, 50_000.0)
# Facilities are grouped as the KPIs count them; every other kind is "other".
GROUPS = {Facility.Kind.SCHOOL: "school", Facility.Kind.HEALTH: "health"}
# Incidents are no system of their own (no system.py): their "open" is declared here.
INCIDENT_OPEN = Open({"status": "open"}, code="id", label="kind")
INCIDENT_TITLE = Text("Sự việc", "Incident")


@dataclass(frozen=True)
class Near:
    """A circle to look in: a point and a radius in metres."""

    lon: float
    lat: float
    radius_m: float


@dataclass(frozen=True)
class Exposed:
    """A facility or an open record in the hazard: what it is, where, and the value there."""

    type: str  # a facility's kind ('school') or the record type ('report', 'incident')
    group: str  # 'school', 'health', 'facility' (other facilities) or 'record'
    record_type: str  # how the map app opens it: 'facility', 'report', 'incident'
    system: str
    id: int
    code: str
    name: Text  # never a person's name: a report is its ticket and category
    label: Text  # what kind of thing it is
    unit_id: int | None  # the commune holding it in the boundary version in force today
    commune: str
    value: float  # the raster's value at the point (a depth in metres)
    lon: float
    lat: float
    detail: str  # the record's detail API URL

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of one item."""
        return {
            "type": self.type,
            "group": self.group,
            "record_type": self.record_type,
            "system": self.system,
            "id": self.id,
            "code": self.code,
            "name": self.name.as_dict(),
            "label": self.label.as_dict(),
            "unit_id": self.unit_id,
            "commune": self.commune,
            "value": round(self.value, 3),
            "lon": round(self.lon, 6),
            "lat": round(self.lat, 6),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class _Source:
    """Where candidates of one kind come from."""

    queryset: QuerySet
    open: Open
    record_type: str
    system: str
    title: Text
    detail: str  # with {id}


def hazard_get(*, name: str, user: Any = None) -> Raster:
    """The hazard raster named `name` (as `user` may read it, when given): NotFound when none,
    InvalidInput when it is not a hazard layer."""
    raster = raster_for(user=user, name=name) if user is not None else None
    raster = raster or Raster.objects.filter(name=name).first()
    if raster is None:
        raise NotFound(f"Không có lớp raster {name}.", f"No raster layer {name}.")
    if raster.kind not in HAZARD_KINDS:
        raise InvalidInput(
            f"Lớp {name} không phải lớp nguy cơ (độ sâu ngập, cấp nguy cơ): không tính ảnh hưởng.",
            f"Layer {name} is not a hazard layer (flood depth, hazard class): no exposure.",
            field="name",
        )
    return raster


def population_get() -> Raster | None:
    """The newest population raster, the residents' denominator; None when there is none."""
    return Raster.objects.filter(kind=Raster.Kind.POPULATION).order_by("-created_at", "-id").first()


def _sources() -> list[_Source]:
    from gisioc.incidents.models import Incident

    today = vietnam_today()
    geo = record_types.get("facility")
    facility_detail = geo[0].detail(geo[1]) if geo else "/api/facilities/{id}/"
    found = [
        _Source(
            Facility.objects.in_service(today),
            Open({}, code="code", label="kind"),
            "facility",
            geo[0].name if geo else "boundaries",
            Text("Cơ sở", "Facility"),
            facility_detail,
        )
    ]
    for _, (spec, record) in sorted(record_types.items()):
        if record.open is None:
            continue
        model = apps.get_model(record.model)
        found.append(
            _Source(
                model.objects.filter(**record.open.where),
                record.open,
                record.type,
                spec.name,
                record.title,
                spec.detail(record),
            )
        )
    found.append(
        _Source(
            Incident.objects.filter(**INCIDENT_OPEN.where),
            INCIDENT_OPEN,
            "incident",
            "incidents",
            INCIDENT_TITLE,
            "/api/incidents/{id}/",
        )
    )
    return found


def _located_today(point: str, today: dt.date) -> Func:
    return Func(
        F(point),
        Value(today, output_field=DateField()),
        function="gisioc_locate_point",
        output_field=BigIntegerField(),
    )


def _candidates(
    source: _Source,
    *,
    footprint: Polygon,
    unit_ids: frozenset[int] | set[int] | None,
    bbox: tuple[float, float, float, float] | None,
    near: Near | None,
    today: dt.date,
) -> list[tuple[Any, int | None, float, float]]:
    """(row, today's unit id, lon, lat) of the source's places inside the footprint."""
    point = source.open.point
    rows = source.queryset.filter(**{f"{point}__isnull": False, f"{point}__intersects": footprint})
    if bbox is not None:
        rows = rows.filter(**{f"{point}__intersects": Polygon.from_bbox(bbox)})
    if near is not None:
        column = source.queryset.model._meta.get_field(point).column
        table = source.queryset.model._meta.db_table
        rows = rows.extra(
            where=[
                f'ST_DWithin("{table}"."{column}"::geography, '
                "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s)"
            ],
            params=[near.lon, near.lat, near.radius_m],
        )
    rows = rows.annotate(exposure_unit=_located_today(point, today))
    if unit_ids is not None:
        rows = rows.filter(exposure_unit__in=sorted(unit_ids))
    out = []
    for row in rows.order_by("pk"):
        geom = getattr(row, point)
        out.append((row, row.exposure_unit, geom.x, geom.y))
    return out


def threshold_in(raster: Raster, threshold: float) -> float:
    """The threshold as the raster's cells hold numbers: a float32 cell of 1.2 is not above a
    threshold of 1.2 (in float64 it would be, by 5e-8)."""
    dtype = np.dtype(raster.dtype or "float64")
    return float(np.asarray(threshold, dtype=dtype)) if dtype.kind == "f" else threshold


def raster_sample(raster: Raster, points: Sequence[tuple[float, float]]) -> list[float | None]:
    """The raster's first band at each (lon, lat); None where nodata or off the raster."""
    if not points:
        return []
    sampled: list[float | None] = [None] * len(points)
    with rasterio.open(raster_path(raster)) as dataset:
        lons, lats = zip(*points, strict=True)
        xs, ys = warp_transform("EPSG:4326", dataset.crs, list(lons), list(lats))
        left, bottom, right, top = dataset.bounds
        inside = [
            i
            for i, (x, y) in enumerate(zip(xs, ys, strict=True))
            if left <= x < right and bottom < y <= top
        ]
        coords = [(xs[i], ys[i]) for i in inside]
        for i, value in zip(inside, dataset.sample(coords, indexes=1, masked=True), strict=True):
            cell = value[0]
            if not np.ma.is_masked(cell) and np.isfinite(float(cell)):
                sampled[i] = float(cell)
    return sampled


def _name(source: _Source, row: Any) -> tuple[Text, Text]:
    """(name, label) of a row: a facility by its name; a record by its code and label."""
    label_field = source.open.label
    label = Text.of(getattr(row, f"get_{label_field}_display")()) if label_field else source.title
    if source.record_type == "facility":
        return Text(row.name, row.name), label
    code = str(getattr(row, source.open.code))
    if source.record_type == "incident":
        title = source.title
        return Text(row.title, row.title), Text(
            f"{title.vi} · {label.vi}", f"{title.en} · {label.en}"
        )
    return Text(f"{code} · {label.vi}", f"{code} · {label.en}"), source.title


def exposure_list(
    *,
    raster: Raster,
    threshold: float,
    unit_ids: Iterable[int] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    near: Near | None = None,
) -> list[Exposed]:
    """Facilities and open records where `raster` > `threshold`, deepest first.

    `unit_ids` limits to places whose commune (in force today) is one of them, across
    versions (a commune officer's scope); `bbox` (west, south, east, north) and `near` narrow
    the search."""
    today = vietnam_today()
    scope = None if unit_ids is None else units_linked(set(unit_ids))
    found: list[tuple[_Source, Any, int | None, float, float]] = []
    for source in _sources():
        for row, unit_id, lon, lat in _candidates(
            source, footprint=raster.footprint, unit_ids=scope, bbox=bbox, near=near, today=today
        ):
            found.append((source, row, unit_id, lon, lat))
    values = raster_sample(raster, [(lon, lat) for _, _, _, lon, lat in found])
    threshold = threshold_in(raster, threshold)
    names = dict(
        AdminUnit.objects.filter(id__in={f[2] for f in found if f[2]}).values_list("id", "name")
    )
    items = []
    for (source, row, unit_id, lon, lat), value in zip(found, values, strict=True):
        if value is None or not value > threshold:
            continue
        name, label = _name(source, row)
        is_facility = source.record_type == "facility"
        items.append(
            Exposed(
                type=row.kind if is_facility else source.record_type,
                group=GROUPS.get(row.kind, "facility") if is_facility else "record",
                record_type=source.record_type,
                system=source.system,
                id=row.pk,
                code=str(getattr(row, source.open.code)),
                name=name,
                label=label,
                unit_id=unit_id,
                commune=names.get(unit_id, ""),
                value=value,
                lon=lon,
                lat=lat,
                detail=source.detail.replace("{id}", str(row.pk)),
            )
        )
    items.sort(key=lambda e: (-e.value, e.record_type, e.id))
    return items


def units_at(points: Sequence[tuple[float, float]], unit_ids: Sequence[int]) -> list[int | None]:
    """The unit among `unit_ids` holding each (lon, lat) (the lowest id where two overlap)."""
    if not points or not unit_ids:
        return [None] * len(points)
    lons, lats = zip(*points, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.i, min(u.id)
               FROM unnest(%s::int[], %s::float8[], %s::float8[]) AS p(i, x, y)
               JOIN geo_adminunit u ON u.id = ANY(%s::bigint[])
                AND ST_Intersects(u.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))
               GROUP BY p.i""",
            [list(range(len(points))), list(lons), list(lats), list(unit_ids)],
        )
        found = dict(cursor.fetchall())
    return [found.get(i) for i in range(len(points))]
