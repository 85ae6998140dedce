"""Tests for the approximate Duy Xuyên boundary derivation (no database, no Django)."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import shape

from boundary_data import derive
from boundary_data.facts import (
    CROSSWALK_FILE,
    MERGERS,
    NEW_FILE,
    OLD_FILE,
    VERSIONS_FILE,
    load_facts,
)

DATA_DIR = Path(derive.__file__).resolve().parent
UTM_49N = 32649


def read_features(name: str) -> dict[str, dict]:
    """Return the committed features of a GeoJSON file keyed by code."""
    collection = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return {f["properties"]["code"]: f for f in collection["features"]}


def utm_area_m2(geom: shapely.Geometry) -> float:
    """Return the area of a lon/lat geometry in EPSG:32649 square metres."""
    return float(gpd.GeoSeries([geom], crs=4326).to_crs(UTM_49N).area.iloc[0])


@pytest.fixture(scope="module")
def old_geoms() -> dict[str, shapely.Geometry]:
    """Committed 2019 commune geometries keyed by code."""
    return {code: shape(f["geometry"]) for code, f in read_features(OLD_FILE).items()}


@pytest.fixture(scope="module")
def new_geoms() -> dict[str, shapely.Geometry]:
    """Committed 2025 commune geometries keyed by code."""
    return {code: shape(f["geometry"]) for code, f in read_features(NEW_FILE).items()}


def test_committed_files_equal_fresh_derivation(tmp_path: Path) -> None:
    written = derive.write_all(tmp_path)
    assert sorted(p.name for p in written) == sorted(
        [OLD_FILE, NEW_FILE, CROSSWALK_FILE, VERSIONS_FILE]
    )
    for path in written:
        assert path.read_bytes() == (DATA_DIR / path.name).read_bytes(), path.name


def test_feature_properties() -> None:
    old, new = read_features(OLD_FILE), read_features(NEW_FILE)
    assert sorted(old) == sorted(c for members in MERGERS.values() for c in members)
    assert sorted(new) == sorted(MERGERS)
    assert old["20599"]["properties"]["name"] == "Thị trấn Nam Phước"
    assert old["20599"]["properties"]["unit_type"] == "thị trấn"
    assert old["20605"]["properties"]["short_name"] == "Duy Phú"
    assert new["20611"]["properties"]["name"] == "Xã Thu Bồn"
    for f in old.values():
        assert f["geometry"]["type"] == "MultiPolygon"
        assert f["properties"]["parent_code"] == "508"
        assert f["properties"]["province_code"] == "49"
        assert f["properties"]["approximate"] is True
    for f in new.values():
        assert f["geometry"]["type"] == "MultiPolygon"
        assert f["properties"]["parent_code"] is None
        assert f["properties"]["province_code"] == "48"
        assert f["properties"]["province_name"] == "Thành phố Đà Nẵng"


def test_old_polygons_are_valid_and_do_not_overlap(old_geoms: dict) -> None:
    assert all(g.is_valid and not g.is_empty for g in old_geoms.values())
    assert shapely.coverage_is_valid(list(old_geoms.values()))
    for (a, ga), (b, gb) in combinations(sorted(old_geoms.items()), 2):
        overlap = ga.intersection(gb)
        assert overlap.is_empty or utm_area_m2(overlap) < 1.0, (a, b)


def test_old_coverage_has_no_inner_gaps(old_geoms: dict) -> None:
    district = shapely.union_all(list(old_geoms.values()))
    assert district.geom_type == "Polygon"
    assert len(district.interiors) == 0


def test_new_polygons_are_exact_dissolves(old_geoms: dict, new_geoms: dict) -> None:
    for code, members in MERGERS.items():
        dissolved = shapely.union_all([old_geoms[c] for c in members])
        assert utm_area_m2(dissolved.symmetric_difference(new_geoms[code])) < 1.0, code


def test_new_areas_match_official(new_geoms: dict) -> None:
    official = {n.code: n.area_km2 for n in load_facts().new}
    for code, geom in new_geoms.items():
        derived = utm_area_m2(geom) / 1e6
        assert abs(derived / official[code] - 1.0) < 0.15, (code, derived, official[code])


def test_old_centroids_lie_in_their_polygons(old_geoms: dict) -> None:
    for unit in load_facts().old:
        assert old_geoms[unit.code].contains(shapely.Point(unit.lon, unit.lat)), unit.code


def test_crosswalk_rows_and_shares() -> None:
    text = (DATA_DIR / CROSSWALK_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 13
    assert sorted(r["old_code"] for r in rows) == sorted(
        c for members in MERGERS.values() for c in members
    )
    per_new: dict[str, float] = defaultdict(float)
    for row in rows:
        assert row["old_code"] in MERGERS[row["new_code"]]
        assert row["area_share_of_old"] == "1.0000"
        per_new[row["new_code"]] += float(row["area_share_of_new"])
    assert per_new.keys() == MERGERS.keys()
    assert all(abs(total - 1.0) < 1e-9 for total in per_new.values())


def test_versions_metadata() -> None:
    versions = json.loads((DATA_DIR / VERSIONS_FILE).read_text(encoding="utf-8"))["versions"]
    assert [v["slug"] for v in versions] == ["duyxuyen-2019", "danang-2025"]
    assert versions[0]["valid_to"] == "2025-06-30"
    assert versions[1]["valid_from"] == "2025-07-01"
    assert versions[1]["valid_to"] is None
    assert all((DATA_DIR / name).is_file() for v in versions for name in v["files"].values())
