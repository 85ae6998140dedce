"""The demo rasters: deterministic, consistent with the communes' populations, floods nested
and deepest at the river, registered as synthetic layers (coarse grids: `scale` × the cells)."""

from pathlib import Path

import numpy as np
import pytest
import rasterio

from gisioc.indicators.demo_communes import communes, new_communes
from gisioc.indicators.models import IndicatorValue
from gisioc.rasters import demo_grids, demo_terrain
from gisioc.rasters.demo import demo_rasters, rasters_demo_load
from gisioc.rasters.models import Raster

SCALE = 4.0  # 120 m elevation cells, 12″ population cells


@pytest.fixture(scope="module")
def grids() -> dict[str, demo_grids.Grid]:
    """The demo grids at the tests' scale, made once."""
    return {
        "elevation": demo_grids.elevation_grid(SCALE),
        "flood5": demo_grids.flood_grid(5, SCALE),
        "flood20": demo_grids.flood_grid(20, SCALE),
    }


def test_same_grid_same_bytes(tmp_path: Path, grids: dict) -> None:
    for name, grid in grids.items():
        again = {"elevation": lambda: demo_grids.elevation_grid(SCALE)}.get(
            name, lambda n=name: demo_grids.flood_grid(int(n[5:]), SCALE)
        )()
        first = grid.write(tmp_path / f"{name}-1.tif").read_bytes()
        second = again.write(tmp_path / f"{name}-2.tif").read_bytes()
        assert first == second, name
    with rasterio.open(tmp_path / "elevation-1.tif") as src:
        assert src.crs.to_epsg() == 5899
        assert src.res == (120.0, 120.0)
        assert src.nodata == demo_grids.NODATA


def test_a_valley_with_mountains_dunes_and_a_river(grids: dict) -> None:
    grid = grids["elevation"]
    lon, lat = grid.centres()
    ground = grid.data.astype(np.float64)
    river = demo_terrain.river_distance(lon, lat) < demo_terrain.channel_width(lon) * 0.5
    assert np.nanmin(ground[river]) >= 1.0 and np.nanmax(ground[river]) <= 3.05
    mountains = (lon < 108.13) & (lat < 15.77)
    assert 550 <= np.nanmax(ground[mountains]) <= 850
    delta = (lon > 108.28) & ~river & (demo_terrain.coast_distance(lon, lat) > 3)
    assert 2 <= np.nanmedian(ground[delta]) <= 8
    dunes = (demo_terrain.coast_distance(lon, lat) > 0.5) & (
        demo_terrain.coast_distance(lon, lat) < 1.3
    )
    assert np.nanmedian(ground[dunes & (demo_terrain.river_distance(lon, lat) > 2)]) > 8
    assert np.isnan(ground[demo_terrain.coast_distance(lon, lat) < -0.2]).all()  # the sea


def test_the_twenty_year_flood_covers_the_five_year_and_the_river_is_deepest(grids: dict) -> None:
    five, twenty = grids["flood5"].data, grids["flood20"].data
    land = ~np.isnan(twenty)
    assert (np.isnan(five) == ~land).all()
    assert (twenty[land] >= five[land]).all()
    assert ((five[land] > 0) <= (twenty[land] > 0)).all()  # every wet cell of 5y is wet in 20y
    assert (twenty[land] > 0).sum() > 1.3 * (five[land] > 0).sum()
    lon, lat = grids["flood20"].centres()
    d_river = demo_terrain.river_distance(lon, lat)
    for depth, (low, high) in ((twenty, (3.0, 4.0)), (five, (1.5, 2.5))):
        assert low <= np.nanmax(depth) <= high
        near, far = depth[land & (d_river < 0.1)], depth[land & (d_river > 0.5)]
        assert near.min() > np.percentile(far, 99.5)
    assert (twenty[land & (d_river > 6)] == 0).all()  # the hills stay dry


def test_population_sums_to_each_commune_exactly() -> None:
    grid = demo_grids.population_grid(SCALE)
    assert grid.crs == "EPSG:4326"
    year = demo_grids.population_year()
    want = {c.code: c.population(year) for c in communes()}
    old = demo_grids.district_features("duyxuyen-2019")
    for feature, total in zip(old, demo_grids.zonal_sums(grid, old), strict=True):
        assert total == pytest.approx(want[feature["properties"]["code"]], rel=5e-3)
    new = demo_grids.district_features("danang-2025")
    members = {code: sum(want[c.code] for c in cs) for code, cs in new_communes().items()}
    for feature, total in zip(new, demo_grids.zonal_sums(grid, new), strict=True):
        assert total == pytest.approx(members[feature["properties"]["code"]], rel=5e-3)
    lon, lat = grid.centres()
    ground = demo_terrain.elevation(lon, lat)
    assert np.nansum(grid.data[ground > 120]) == 0  # nobody in the mountains
    # Cells astride the district's edge hold their outer part's people too: a little more.
    assert sum(want.values()) < np.nansum(grid.data) < sum(want.values()) * 1.03


@pytest.mark.django_db
def test_demo_load_registers_synthetic_layers_and_again_replaces(
    geo: None, private_var: Path
) -> None:
    first = rasters_demo_load(progress=lambda _: None, scale=SCALE)
    names = [spec.name for spec in demo_rasters()]
    assert [r.name for r in first] == names
    rows = {r.name: r for r in Raster.objects.all()}
    assert set(rows) == set(names)
    for raster in rows.values():
        assert raster.synthetic and raster.public
        assert raster.title_vi.endswith("(mô phỏng)") and raster.title_en.endswith("(synthetic)")
        assert (private_var / "rasters" / raster.file).is_file()
    assert rows["demo-elevation"].crs_name == "EPSG:5899"
    assert rows["demo-flood-20y"].stats["max"] > rows["demo-flood-5y"].stats["max"]
    year = demo_grids.population_year()
    people = sum(c.population(year) for c in communes())
    # Cells astride the district's edge hold their outer part's people too: a little more.
    assert people < rows["demo-population"].stats["sum"] < people * 1.03
    values = _zonal_values(str(year))
    members = {code: sum(c.population(year) for c in cs) for code, cs in new_communes().items()}
    assert set(values["pop_demo-population"]) == set(members)
    for code, total in values["pop_demo-population"].items():
        assert total == pytest.approx(members[code], rel=5e-3)
    five, twenty = values["flood_share_demo-flood-5y"], values["flood_share_demo-flood-20y"]
    assert all(twenty[code] >= five[code] for code in members)
    assert max(five.values()) > 0 and max(twenty.values()) < 100
    again = rasters_demo_load(progress=lambda _: None, scale=SCALE)
    assert Raster.objects.count() == len(names)
    assert [r.version for r in again] == [r.version for r in first]
    assert sorted(p.name for p in (private_var / "rasters").glob("*.tif")) == sorted(
        r.file for r in again
    )
    assert _zonal_values(str(year)) == values  # replaced, not added to


def _zonal_values(period: str) -> dict[str, dict[str, float]]:
    """The demo rasters' zonal values on the communes in force: indicator → code → value."""
    found: dict[str, dict[str, float]] = {}
    rows = IndicatorValue.objects.filter(
        indicator__code__contains="demo-", version__slug="danang-2025", period=period
    ).values_list("indicator_id", "unit__code", "value")
    for indicator, code, value in rows:
        assert code not in found.setdefault(indicator, {})
        found[indicator][code] = float(value)
    return found


@pytest.mark.django_db
def test_no_demo_geography_no_rasters(private_var: Path) -> None:
    said: list[str] = []
    assert rasters_demo_load(progress=said.append, scale=SCALE) == []
    assert not Raster.objects.exists() and said
