"""Exposure per commune: schools, health facilities, other facilities and open records in the
hazard, and the residents exposed.

Residents exposed = the newest population raster summed over where the hazard exceeds the
threshold. The hazard's exceedance (1 above the threshold, 0 elsewhere, nodata counting as
dry) is resampled onto the population grid by *average*, so each population cell carries the
share of its area under water (a 20 m flood grid on 100 m population cells is not all-or-
nothing); people × share is then summed per commune with exactextract, which weighs cells cut
by a commune's edge by the fraction inside it (exact at edges, so communes that tile the
raster add up to its total).
"""

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import rasterio
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource
from rasterio.errors import WindowError
from rasterio.warp import Resampling, reproject, transform_bounds, transform_geom
from rasterio.windows import Window, from_bounds

from gisioc.geo.models import AdminUnit
from gisioc.geo.selectors import units_linked, units_list
from gisioc.rasters.exposure import (
    Exposed,
    exposure_list,
    population_get,
    threshold_in,
    units_at,
)
from gisioc.rasters.files import raster_path
from gisioc.rasters.models import Raster

GROUPS = ("school", "health", "facility")


def residents_exposed(
    *, hazard: Raster, population: Raster, threshold: float, communes: Sequence[AdminUnit]
) -> dict[int, float]:
    """People of `population` living where `hazard` > `threshold`, per commune id."""
    if not communes:
        return {}
    with rasterio.open(raster_path(population)) as pop, rasterio.open(raster_path(hazard)) as hz:
        bounds = transform_bounds(hz.crs, pop.crs, *hz.bounds, densify_pts=21)
        try:
            window = (
                from_bounds(*bounds, transform=pop.transform)
                .round_offsets(op="floor")
                .round_lengths(op="ceil")
                .intersection(Window(0, 0, pop.width, pop.height))
            )
        except WindowError:  # the rasters do not overlap
            return {}
        if window.width < 1 or window.height < 1:
            return {}
        people = pop.read(1, window=window, masked=True).astype("float64").filled(0.0)
        people[~np.isfinite(people)] = 0.0
        depth = hz.read(1, masked=True)
        above = threshold_in(hazard, threshold)
        wet = (~np.ma.getmaskarray(depth)) & (depth.filled(above) > above)
        share = np.zeros(people.shape, dtype="float32")
        reproject(
            wet.astype("float32"),
            share,
            src_transform=hz.transform,
            src_crs=hz.crs,
            dst_transform=pop.window_transform(window),
            dst_crs=pop.crs,
            resampling=Resampling.average,
        )
        exposed = people * np.clip(share, 0.0, 1.0)
        transform = pop.window_transform(window)
        crs = pop.crs
    west, north = transform * (0, 0)
    east, south = transform * (exposed.shape[1], exposed.shape[0])
    source = NumPyRasterSource(
        exposed,
        min(west, east),
        min(south, north),
        max(west, east),
        max(south, north),
        srs_wkt=crs.to_wkt(),
    )
    features = [
        {
            "type": "Feature",
            "properties": {"unit": unit.id},
            "geometry": transform_geom("EPSG:4326", crs, json.loads(unit.geom.geojson)),
        }
        for unit in communes
    ]
    rows = exact_extract(source, features, ["sum"], include_cols=["unit"])
    return {row["properties"]["unit"]: float(row["properties"]["sum"] or 0.0) for row in rows}


def _raster_ref(raster: Raster | None) -> dict[str, Any] | None:
    if raster is None:
        return None
    return {
        "name": raster.name,
        "title": raster.title,
        "version": raster.version,
        "synthetic": raster.synthetic,
    }


def exposure_kpis(
    *,
    raster: Raster,
    threshold: float,
    version: str | None = None,
    unit_ids: Iterable[int] | None = None,
    items: Sequence[Exposed] | None = None,
    residents: bool = True,
) -> dict[str, Any]:
    """Per commune (of `version`, the ones in force today by default): schools, health
    facilities, other facilities and open records per type in the hazard, and residents
    exposed (None without a population raster, or when not asked for: `residents` False, as
    for a circle around an incident); with totals and the population raster used."""
    if items is None:
        items = exposure_list(raster=raster, threshold=threshold, unit_ids=unit_ids)
    communes = units_list(version=version, level=AdminUnit.Level.COMMUNE).filter(
        geom__intersects=raster.footprint
    )
    if unit_ids is not None:
        communes = communes.filter(id__in=units_linked(set(unit_ids)))
    communes = list(communes.order_by("code"))
    holders = units_at([(i.lon, i.lat) for i in items], [c.id for c in communes])
    counts: dict[int, Counter] = {c.id: Counter() for c in communes}
    for item, unit_id in zip(items, holders, strict=True):
        if unit_id is not None:
            counts[unit_id][item.group if item.group in GROUPS else item.type] += 1
    population = population_get() if residents else None
    people = (
        residents_exposed(
            hazard=raster, population=population, threshold=threshold, communes=communes
        )
        if population
        else {}
    )
    record_types = sorted({i.type for i in items if i.group == "record"})
    rows = []
    for commune in communes:
        count = counts[commune.id]
        residents = round(people.get(commune.id, 0.0)) if population else None
        if not sum(count.values()) and not residents:
            continue
        rows.append(
            {
                "unit_id": commune.id,
                "code": commune.code,
                "name": commune.name,
                "schools": count["school"],
                "health": count["health"],
                "other_facilities": count["facility"],
                "records": {t: count[t] for t in record_types},
                "residents": residents,
            }
        )
    rows.sort(key=lambda r: (-(r["residents"] or 0), -r["schools"] - r["health"], r["code"]))
    totals = {
        "items": len(items),
        "schools": sum(r["schools"] for r in rows),
        "health": sum(r["health"] for r in rows),
        "other_facilities": sum(r["other_facilities"] for r in rows),
        "records": {t: sum(r["records"][t] for r in rows) for t in record_types},
        "residents": sum(r["residents"] for r in rows) if population else None,
    }
    return {"by_commune": rows, "totals": totals, "population_raster": _raster_ref(population)}
