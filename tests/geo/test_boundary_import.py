"""Importing boundary files: the real shared files, a broken file, dry runs and failures."""

import datetime as dt
import io
import json
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
from django.core.management import call_command
from shapely.geometry import Polygon, box, mapping

from gisioc.errors import InvalidInput, ValidationFailed
from gisioc.geo.models import AdminUnit, BoundaryVersion
from gisioc.geo.services import ImportOptions, boundary_import, boundary_publish

pytestmark = pytest.mark.django_db


def _import(path: Path, slug: str, **options) -> tuple[BoundaryVersion | None, object]:
    return boundary_import(
        path=path, options=ImportOptions(slug=slug, name=slug, **options), progress=lambda _: None
    )


def _feature_collection(path: Path, features: list[tuple[str, str, dict | None]]) -> Path:
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {"code": c, "name": n}, "geometry": g}
                    for c, n, g in features
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


def test_duyxuyen_geojson(shared_boundaries: Path) -> None:
    version, report = _import(
        shared_boundaries / "duyxuyen_2025_communes.geojson", "dx", name_field="fullName"
    )
    units = {u.code: u for u in version.units.all()}
    assert set(units) == {"20599", "20611", "20623", "20635"}
    assert units["20611"].name == "Xã Thu Bồn" and units["20611"].short_name == "Thu Bồn"
    assert units["20611"].unit_type == "xã"
    for unit in units.values():
        assert unit.area_km2 == pytest.approx(unit.declared_area_km2, rel=0.05)
    assert version.status == "draft" and not report.errors


@pytest.mark.parametrize("encoding", [None, "cp1258"])
def test_vn2000_shapefiles_in_both_encodings(shared_boundaries: Path, encoding: str | None) -> None:
    reference, _ = _import(shared_boundaries / "duyxuyen_2025_communes.geojson", "ref")
    expected = {u.code: u for u in reference.units.all()}
    for variant in ("utf8", "cp1258"):
        version, report = _import(
            shared_boundaries / f"duyxuyen_2025_vn2000_{variant}.zip",
            f"vn2000-{variant}",
            code_field="MA_XA",
            name_field="TEN_XA",
            area_field="DT_KM2",
            encoding=encoding if variant == "cp1258" else None,
        )
        assert report.source_crs == "EPSG:5899"
        got = {u.code: u for u in version.units.all()}
        assert {u.name for u in got.values()} == {
            "Xã Nam Phước",
            "Xã Thu Bồn",
            "Xã Duy Xuyên",
            "Xã Duy Nghĩa",
        }
        for code, unit in got.items():
            assert unit.name == unit.name.encode().decode()  # NFC text, no mojibake
            assert unit.area_km2 == pytest.approx(expected[code].area_km2, rel=0.002)
            # VN-2000 → WGS 84 lands within a few metres of the published WGS 84 file.
            shift = unit.geom.centroid.transform(32649, clone=True).distance(
                expected[code].geom.centroid.transform(32649, clone=True)
            )
            assert shift < 20


def test_cp1258_detection_is_reported(shared_boundaries: Path) -> None:
    _, report = _import(shared_boundaries / "duyxuyen_2025_vn2000_cp1258.zip", "x", dry_run=True)
    assert report.encoding.startswith("cp1258") and "detected" in report.encoding


def test_wrong_encoding_is_a_clear_error(shared_boundaries: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        _import(shared_boundaries / "duyxuyen_2025_vn2000_cp1258.zip", "x", encoding="utf-8")
    assert "duyxuyen_2025_vn2000_cp1258.zip" in caught.value.en


def test_undetectable_encoding_asks_for_it(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"code": ["1"], "name": ["Ça Straße ÿ"]}, geometry=[box(108, 15, 108.1, 15.1)], crs=4326
    )
    frame.to_file(tmp_path / "x.shp", encoding="cp1252", engine="pyogrio")
    (tmp_path / "x.cpg").unlink(missing_ok=True)
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as archive:
        for part in tmp_path.glob("x.*"):
            if part.suffix != ".zip":
                archive.write(part, part.name)
    with pytest.raises(InvalidInput, match="--encoding"):
        _import(tmp_path / "x.zip", "x")


def test_danang_and_provinces(shared_boundaries: Path) -> None:
    version, report = _import(shared_boundaries / "danang_2025_communes.geojson", "danang")
    assert version.units.count() == 94 and not report.errors
    version, _ = _import(
        shared_boundaries / "vietnam_2025_provinces_simplified.geojson",
        "provinces",
        level="province",
    )
    assert version.units.filter(level="province").count() == 34


def test_national_communes(shared_boundaries: Path) -> None:
    started = time.perf_counter()
    version, report = _import(shared_boundaries / "vietnam_2025_communes_simplified.geojson", "vn")
    seconds = time.perf_counter() - started
    assert version.units.count() == 3321 and not report.errors
    assert AdminUnit.objects.filter(version=version, code="20611").get().name == "Xã Thu Bồn"
    # The ~30 m simplification leaves slivers; the report must count and measure them.
    assert report.summary["overlaps"]["count"] > 0 and report.summary["gaps"]["count"] > 0
    print(f"\nnational import: 3,321 communes in {seconds:.1f} s ({report.seconds})")


BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[108.0, 15.0], [108.1, 15.1], [108.1, 15.0], [108.0, 15.1], [108.0, 15.0]]],
}


def _square(lon: float, lat: float, size: float = 0.1) -> dict:
    return mapping(box(lon, lat, lon + size, lat + size))


def test_broken_file_is_reported_and_nothing_written(tmp_path: Path) -> None:
    path = _feature_collection(
        tmp_path / "broken.geojson",
        [
            ("101", "Xã Một", _square(108.2, 15.0)),
            ("102", "Xã Nơ", BOW_TIE),
            ("103", "Xã Rỗng", None),
            ("101", "Xã Trùng", _square(108.4, 15.0)),
            ("104", "Xã Chồng", _square(108.25, 15.05)),
            ("", "Xã Không Mã", _square(108.6, 15.0)),
        ],
    )
    before = AdminUnit.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        _import(path, "broken")
    found = {(f["check"], f["row"]) for f in caught.value.details["findings"]}
    assert ("empty_geometry", 3) in found
    assert ("duplicate_code", 1) in found
    assert ("missing_code", 6) in found
    assert ("repaired", 2) in found
    overlaps = [f for f in caught.value.details["findings"] if f["check"] == "overlap"]
    assert overlaps and overlaps[0]["area_m2"] == pytest.approx(
        0.05 * 0.05 * 111_320**2 * 0.966, rel=0.03
    )
    assert not BoundaryVersion.objects.filter(slug="broken").exists()
    assert AdminUnit.objects.count() == before


def test_repairable_file_keeps_polygon_type_and_reports_gaps(tmp_path: Path) -> None:
    ring = Polygon(
        [(108.0, 15.3), (108.3, 15.3), (108.3, 15.6), (108.0, 15.6)],
        [[(108.1, 15.4), (108.2, 15.4), (108.2, 15.5), (108.1, 15.5)]],
    )
    path = _feature_collection(
        tmp_path / "fixable.geojson",
        [
            ("201", "Xã Nơ", BOW_TIE),
            ("202", "Xã Vành", mapping(ring)),
        ],
    )
    version, report = _import(path, "fixable")
    bow_tie = version.units.get(code="201")
    assert bow_tie.geom.geom_type == "MultiPolygon" and len(bow_tie.geom) == 2
    assert bow_tie.area_km2 > 0
    assert [f.check for f in report.warnings if f.row == 1] == ["repaired"]
    assert report.summary["gaps"]["count"] == 1
    assert report.summary["gaps"]["total_m2"] == pytest.approx(0.01 * 111_320**2 * 0.964, rel=0.03)


def test_area_far_from_declared(tmp_path: Path) -> None:
    path = tmp_path / "area.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "1", "name": "Xã A", "areaKm2": 10},
                        "geometry": _square(108, 15, 0.1),
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    _, report = _import(path, "area", dry_run=True)
    assert [f.check for f in report.warnings] == ["area_mismatch"]


def test_dry_run_writes_nothing(shared_boundaries: Path) -> None:
    before = (BoundaryVersion.objects.count(), AdminUnit.objects.count())
    version, report = _import(
        shared_boundaries / "duyxuyen_2025_communes.geojson", "dry", dry_run=True
    )
    assert version is None and report.features == 4
    assert (BoundaryVersion.objects.count(), AdminUnit.objects.count()) == before


def test_bad_field_name_lists_fields(shared_boundaries: Path) -> None:
    with pytest.raises(InvalidInput, match="MA_XA, TEN_XA, DT_KM2"):
        _import(shared_boundaries / "duyxuyen_2025_vn2000_utf8.zip", "x", code_field="MAXA")


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(InvalidInput, match="Unsupported"):
        _import(tmp_path / "x.txt", "x")
    with pytest.raises(InvalidInput, match="not found"):
        _import(tmp_path / "missing.geojson", "x")
    (tmp_path / "bad.geojson").write_text("{not json")
    with pytest.raises(InvalidInput, match="not valid JSON"):
        _import(tmp_path / "bad.geojson", "x")


def test_report_lists_every_unit_against_the_version_in_force(tmp_path: Path) -> None:
    first = _feature_collection(
        tmp_path / "a.geojson",
        [
            ("1", "Xã Một", _square(108.0, 15.0, 0.05)),
            ("2", "Xã Hai", _square(108.1, 15.0, 0.05)),
            ("3", "Xã Ba", _square(108.2, 15.0, 0.05)),
        ],
    )
    _import(first, "a", valid_from=dt.date(2025, 7, 1))
    boundary_publish(slug="a", progress=lambda _: None)
    second = _feature_collection(
        tmp_path / "b.geojson",
        [
            ("1", "Xã Một", _square(108.0, 15.0, 0.05)),
            ("2", "Xã Hai Mới", _square(108.1, 15.0, 0.05)),
            ("3", "Xã Ba", _square(108.2, 15.0, 0.06)),
            ("4", "Xã Bốn", _square(108.3, 15.0, 0.05)),
        ],
    )
    version, report = _import(second, "b", valid_from=dt.date(2026, 1, 1))
    units = {u["code"]: u for u in report.units}
    assert [u["row"] for u in report.units] == [1, 2, 3, 4]
    assert {c: u["change"] for c, u in units.items()} == {
        "1": "same",
        "2": "changed",
        "3": "changed",
        "4": "new",
    }
    assert (units["2"]["name_changed"], units["2"]["geometry_changed"]) == (True, False)
    assert units["2"]["previous_name"] == "Xã Hai"
    assert (units["3"]["name_changed"], units["3"]["geometry_changed"]) == (False, True)
    assert units["4"]["name_changed"] is None and units["1"]["previous_name"] is None
    assert units["3"]["area_km2"] == pytest.approx(0.06**2 * 111.32**2 * 0.966, rel=0.02)
    assert report.changes == {"same": 1, "changed": 2, "new": 1}
    assert report.compared_with == ["a"]
    stored = dict(version.units.values_list("code", "change"))
    assert stored == {c: u["change"] for c, u in units.items()}
    assert version.report["units"] == report.as_dict()["units"]

    out = io.StringIO()
    call_command(
        "boundaries", "import", str(second), "--dry-run", "--valid-from", "2026-01-01",
        "--slug", "c", stdout=out,
    )  # fmt: skip
    lines = out.getvalue().splitlines()
    assert "(so với / against: a): giữ / same 1, đổi / changed 2, mới / new 1" in "\n".join(lines)
    row = {code: next(line for line in lines if f"  {code}  " in line) for code in units}
    assert "Xã Hai Mới" in row["2"] and "tên/name ← Xã Hai" in row["2"]
    assert "ranh giới/geometry" in row["3"] and "mới / new" in row["4"]


def test_cli_lists_windows_1258_names_with_declared_areas(shared_boundaries: Path) -> None:
    out = io.StringIO()
    call_command(
        "boundaries", "import", str(shared_boundaries / "duyxuyen_2025_vn2000_cp1258.zip"),
        "--dry-run", "--code-field", "MA_XA", "--name-field", "TEN_XA", "--area-field", "DT_KM2",
        stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    for code, name, declared in [
        ("20599", "Xã Nam Phước", "38.85"),
        ("20611", "Xã Thu Bồn", "108.77"),
        ("20623", "Xã Duy Xuyên", "125.78"),
        ("20635", "Xã Duy Nghĩa", "35.36"),
    ]:
        line = next(line for line in text.splitlines() if f"  {code}  " in line)
        assert name in line and declared in line and "mới / new" in line


def test_a_failed_import_reports_its_units_too(tmp_path: Path) -> None:
    path = _feature_collection(
        tmp_path / "x.geojson", [("1", "Xã Một", _square(108, 15)), ("1", "Xã Hai", None)]
    )
    with pytest.raises(ValidationFailed) as caught:
        _import(path, "x")
    units = caught.value.details["units"]
    assert [(u["code"], u["name"], u["area_km2"] is None) for u in units] == [
        ("1", "Xã Một", False),
        ("1", "Xã Hai", True),
    ]


def test_version_fields_are_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "never-read.geojson"
    path.write_text("not json")
    with pytest.raises(InvalidInput, match="valid_to is before valid_from"):
        _import(path, "x", valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2025, 1, 1))
    with pytest.raises(InvalidInput, match="slug"):
        _import(path, "có dấu")


def test_geopackage_with_an_empty_value(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"ma_xa": ["1", "2"], "ten_xa": ["Xã Một", "Xã Hai"], "dt_km2": [12.0, None]},
        geometry=[box(108, 15, 108.1, 15.1), box(108.1, 15, 108.2, 15.1)],
        crs=4326,
    )
    frame.to_file(tmp_path / "xa.gpkg", engine="pyogrio")
    _, report = _import(tmp_path / "xa.gpkg", "gpkg", dry_run=True)
    assert report.driver == "GPKG" and not report.errors
    assert [(u["code"], u["name"], u["declared_area_km2"]) for u in report.units] == [
        ("1", "Xã Một", 12.0),
        ("2", "Xã Hai", None),  # a null, not a NaN finding
    ]
    assert [f.check for f in report.warnings] == ["area_mismatch"]
