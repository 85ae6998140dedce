"""`gisioc demo load`'s rasters: the synthetic Thu Bồn valley registered as raster layers, and
the zonal indicators read from them (population per commune, the share of each commune flooded
deeper than 0.5 m in a 5- and a 20-year flood).

The grids come from `demo_grids` (our own seeded code, no third-party data), are written as
GeoTIFFs into a temporary folder and go in through `raster_add` like a GIS officer's file,
labelled synthetic ("(mô phỏng)" / "(synthetic)"). Loading again replaces them: the same bytes
give the same COG and version, so nothing cached is thrown away for nothing.
"""

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gisioc.rasters import demo_grids
from gisioc.rasters.demo_grids import Grid
from gisioc.rasters.models import Raster

Progress = Callable[[str], None]
ZONAL_VERSION = "danang-2025"  # the units in force the indicators are stored on


@dataclass(frozen=True)
class DemoRaster:
    """One demo layer: its name (layer id), kind, titles and how its grid is made."""

    name: str
    kind: str
    title_vi: str
    title_en: str
    order: int
    make: Callable[[float], Grid]


def _flood(years: int) -> Callable[[float], Grid]:
    return lambda scale: demo_grids.flood_grid(years, scale)


def demo_rasters() -> tuple[DemoRaster, ...]:
    """The demo's raster layers, in the order the layer panel lists them."""
    year = demo_grids.population_year()
    return (
        DemoRaster(
            "demo-elevation",
            Raster.Kind.ELEVATION,
            "Độ cao địa hình, ô 30 m (mô phỏng)",
            "Elevation, 30 m cells (synthetic)",
            100,
            demo_grids.elevation_grid,
        ),
        DemoRaster(
            "demo-population",
            Raster.Kind.POPULATION,
            f"Dân số năm {year}, người/ô 3″ (mô phỏng)",
            f"Population {year}, people per 3″ cell (synthetic)",
            110,
            lambda scale: demo_grids.population_grid(scale),
        ),
        *(
            DemoRaster(
                f"demo-flood-{years}y",
                Raster.Kind.FLOOD_DEPTH,
                f"Độ sâu ngập lũ chu kỳ {years} năm (mô phỏng)",
                f"Flood depth, {years}-year flood (synthetic)",
                120 + i,
                _flood(years),
            )
            for i, years in enumerate(demo_grids.FLOODS)
        ),
    )


def rasters_demo_load(*, progress: Progress = print, scale: float = 1.0) -> list[Raster]:
    """Generate and register every demo raster (again: replaced), then their zonal
    indicators; nothing without the demo geography. `scale` multiplies the cell sizes (tests
    use coarse grids)."""
    from gisioc.geo.models import BoundaryVersion
    from gisioc.rasters.services import raster_add

    if not BoundaryVersion.objects.filter(slug=ZONAL_VERSION).exists():
        progress("(không có địa giới minh họa: bỏ qua lớp raster — no demo geography: no rasters)")
        return []  # the grids are of the demo district: nothing to draw them over
    started, added = time.perf_counter(), []
    with tempfile.TemporaryDirectory(prefix="gisioc-demo-rasters-") as tmp:
        for spec in demo_rasters():
            path = spec.make(scale).write(Path(tmp) / f"{spec.name}.tif")
            added.append(
                raster_add(
                    path=path,
                    kind=spec.kind,
                    name=spec.name,
                    title_vi=spec.title_vi,
                    title_en=spec.title_en,
                    synthetic=True,
                    public=True,
                    order=spec.order,
                    source_name=f"{spec.name}.tif (gisioc demo, synthetic)",
                )
            )
    zonal = zonal_demo_store(added, progress=progress)
    progress(
        f"Lớp raster minh họa: {len(added)} lớp, {zonal} giá trị thống kê vùng, "
        f"{time.perf_counter() - started:.1f} s — demo rasters: {len(added)} layers, "
        f"{zonal} zonal values"
    )
    return added


def zonal_demo_store(rasters: list[Raster], *, progress: Progress = print) -> int:
    """Population (and density) per commune and the share flooded deeper than 0.5 m (and the
    deepest point), stored as indicator values on the communes in force for the population's
    year (a return-period map has no date of its own: the year it was drawn); returns how many
    values were stored."""
    from gisioc.rasters.zonal import zonal_store  # (zonal_store.py, re-exported there)

    period = str(demo_grids.population_year())
    stored = 0
    for raster in rasters:
        if raster.kind in (Raster.Kind.POPULATION, Raster.Kind.FLOOD_DEPTH):
            stored += zonal_store(raster=raster, version=ZONAL_VERSION, period=period)
    return stored
