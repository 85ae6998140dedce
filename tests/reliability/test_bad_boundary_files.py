"""A corpus of bad boundary files, each through the CLI (`gisioc boundaries import`) and the
upload API as a GIS officer: never a server error or a traceback, always a clear message in
Vietnamese and English that names no server path. Every file is made here, deterministically."""

import io
import json
import os
import random
import re
import struct
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from shapely.geometry import box, mapping

from gisioc.errors import GisiocError
from gisioc.geo import filechecks
from gisioc.geo.boundary_api import FORM_SLACK, MAX_UPLOAD
from gisioc.geo.models import AdminUnit, BoundaryVersion, Role
from gisioc.geo.services import ImportOptions, boundary_import
from tests.conftest import SHARED_BOUNDARIES
from tests.geo.factories import signed_in
from tests.processes import answer_to_head, gisioc_serving

URL = "/api/boundary-versions/import/"
# What a message must never show: the server's temporary folders, GDAL's virtual paths, SQL,
# a traceback or a library's exception class.
LEAKS = (
    *("/tmp/", "/vsi", "gisioc-zip-", "gisioc-upload-", "pytest-of"),
    *("SELECT ", "Traceback", "pyogrio", "DataSourceError", "JSONDecodeError"),
)
GIB = 1024**3


def _square(n: int) -> dict:
    return mapping(box(108 + n * 0.1, 15, 108.1 + n * 0.1, 15.1))


def _feature(code: object, name: object, geometry: dict | None = None, **props: object) -> dict:
    values = {k: v for k, v in {"code": code, "name": name}.items() if v is not None}
    return {"type": "Feature", "properties": values | props, "geometry": geometry}


def _collection(*features: dict) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _text(name: str, text: str | bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        return path

    return make


def _json(name: str, data: object) -> Callable[[Path], Path]:
    # allow_nan: Python writes NaN and Infinity, as many GIS tools do, though JSON has neither.
    return _text(name, json.dumps(data, ensure_ascii=True, allow_nan=True))


def _zip(name: str, members: Callable[[], dict[str, bytes]]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for member, data in members().items():
                archive.writestr(member, data)
        return path

    return make


def _real_shapefile() -> dict[str, bytes]:
    """The parts of the real VN-2000 shapefile of Duy Xuyên (UTF-8, with a .cpg)."""
    with zipfile.ZipFile(SHARED_BOUNDARIES / "duyxuyen_2025_vn2000_utf8.zip") as archive:
        return {Path(n).name: archive.read(n) for n in archive.namelist()}


def _parts(drop: tuple[str, ...] = (), **change: Callable[[bytes], bytes]) -> dict[str, bytes]:
    parts = _real_shapefile()
    return {
        name: change.get(Path(name).suffix[1:].lower(), lambda b: b)(data)
        for name, data in parts.items()
        if Path(name).suffix.lower() not in drop
    }


def _zeros(*suffixes: str) -> dict[str, bytes]:
    return {f"xa.{s}": bytes(1000) for s in suffixes}


def _garbage() -> dict[str, bytes]:
    noise = random.Random(20).randbytes
    return {f"xa.{s}": noise(5000) for s in ("shp", "shx", "dbf", "prj")}


def _bomb(folder: Path) -> Path:
    """A 1 GiB GeoJSON member packed into ~1 MB: a zip bomb. Packing takes seconds, so the
    tests of a session share one (beside their own folders)."""
    path = folder.parent / "bomb.zip"
    if path.exists():
        return path
    building = folder / "bomb.zip"
    chunk = b" " * 2**20
    with (
        zipfile.ZipFile(building, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("ranh_gioi.geojson", "w", force_zip64=True) as member,
    ):
        for _ in range(GIB // len(chunk)):
            member.write(chunk)
    building.replace(path)
    return path


def _lying_bomb(folder: Path) -> Path:
    """A zip whose central directory declares 3 GiB for a 4 kB member: refused from the
    directory alone (unpacking it would only find the sizes disagree)."""
    path = _zip("lying.zip", lambda: {"xa.geojson": random.Random(3).randbytes(4000)})(folder)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 3 * GIB)  # uncompressed size
    path.write_bytes(bytes(data))
    return path


def _beside_a_good_unit(name: str, vertex: list[float]) -> Callable[[Path], Path]:
    """A good unit, and one whose polygon has `vertex` among its corners."""
    ring = [[108, 15], vertex, [108, 16], [108, 15]]
    bad = {"type": "Polygon", "coordinates": [ring]}
    return _json(name, _collection(_feature("1", "Xã A", _square(0)), _feature("2", "Xã B", bad)))


def _bad_name(folder: Path) -> Path:
    """A member name flagged UTF-8 that is not UTF-8."""
    path = _zip("badname.zip", lambda: {"ab.geojson": b"{}"})(folder)
    data = bytearray(path.read_bytes())
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        at = data.index(signature)
        flags = struct.unpack_from("<H", data, at + flags_at)[0] | 0x800
        struct.pack_into("<H", data, at + flags_at, flags)
        data[at + name_at : at + name_at + 2] = b"\xff\xfe"
    path.write_bytes(bytes(data))
    return path


def _many(folder: Path) -> Path:
    members = {f"phan_{n:03}.txt": b"x" for n in range(filechecks.MAX_MEMBERS + 1)}
    return _zip("many.zip", lambda: members)(folder)


def _nested(folder: Path) -> Path:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("xa.geojson", json.dumps(_collection(_feature("1", "Xã A", _square(0)))))
    return _zip("nested.zip", lambda: {"inner.zip": inner.getvalue()})(folder)


def _gpkg_garbage(folder: Path) -> Path:
    path = folder / "xa.gpkg"
    path.write_bytes(b"SQLite format 3\x00" + random.Random(7).randbytes(4000))
    return path


def _gpkg(name: str, *layers: str, geometry: bool = True) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        frame = pd.DataFrame({"code": ["1"], "name": ["Xã A"]})
        if geometry:
            frame = gpd.GeoDataFrame(frame, geometry=[box(108, 15, 108.1, 15.1)], crs=4326)
        for layer in layers:
            pyogrio.write_dataframe(frame, path, layer=layer)
        return path

    return make


FC_OK = _collection(_feature("1", "Xã A", _square(0)), _feature("2", "Xã B", _square(1)))
PROJECTED = {
    "type": "Polygon",
    "coordinates": [[[5e5, 1.7e6], [5.1e5, 1.7e6], [5.1e5, 1.71e6], [5e5, 1.7e6]]],
}


@dataclass(frozen=True)
class Case:
    """A bad file, how the API answers it (a dry run: 200 imports with findings, 422 fails
    validation), what the English message or a finding says, and the findings expected."""

    id: str
    make: Callable[[Path], Path]
    status: int
    says: str | None
    checks: tuple[str, ...] = ()
    options: dict[str, str] = field(default_factory=dict)


CASES = [
    # Features that differ in their properties import; a missing property is null.
    Case(
        "uneven-properties",
        _json(
            "uneven.geojson",
            _collection(
                _feature("1", "Xã A", _square(0)),
                _feature("2", "Xã B", _square(1), danSo=1200, ghiChu="mới"),
            ),
        ),
        200,
        r"Property 'danSo' is on 1 of 2 features; it is null on the others",
        ("uneven_properties",),
    ),
    Case(
        "unit-without-name",
        _json(
            "no_name.geojson",
            _collection(_feature("1", "Xã A", _square(0)), _feature("2", None, _square(1))),
        ),
        422,
        r"Missing unit name",
        ("missing_name", "uneven_properties"),
    ),
    Case(
        "unit-without-code",
        _json(
            "no_code.geojson",
            _collection(_feature("1", "Xã A", _square(0)), _feature(None, "Xã B", _square(1))),
        ),
        422,
        r"Missing unit code",
        ("missing_code",),
    ),
    Case(
        "nan-and-infinity",
        _json(
            "nan.geojson",
            _collection(
                _feature("1", "Xã A", _square(0), danSo=float("nan"), mat_do=float("inf")),
                _feature("2", "Xã B", _square(1), danSo=3, mat_do=-float("inf")),
            ),
        ),
        200,
        r"Property 'mat_do' holds NaN/Infinity \(not a number\) on 2/2 features \(rows 1, 2\)",
        ("not_a_number",),
    ),
    Case(
        "nan-code",
        _json(
            "nan_code.geojson",
            _collection(
                _feature(float("nan"), "Xã A", _square(0)), _feature(2, "Xã B", _square(1))
            ),
        ),
        422,
        r"Missing unit code",
        ("missing_code", "not_a_number"),
    ),
    Case(
        "infinite-area",
        _json(
            "area.geojson",
            _collection(_feature("1", "Xã A", _square(0), areaKm2=float("inf"))),
        ),
        200,
        r"Property 'areaKm2' holds NaN/Infinity",
        ("not_a_number",),
    ),
    Case(
        "unreadable-area",
        _json("area_text.geojson", _collection(_feature("1", "Xã A", _square(0), areaKm2="n/a"))),
        200,
        r"Property 'areaKm2' is not a number of km²",
        ("bad_area",),
    ),
    Case(
        "nul-and-lone-surrogate",
        _text(
            "nul.geojson",
            '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
            '{"code":"1","name":"X\\u00e3 A","note":"a\\u0000b","tag":"\\ud800"},"geometry":'
            + json.dumps(_square(0))
            + "}]}",
        ),
        200,
        r"Property 'note' holds characters that cannot be stored",
        ("bad_text",),
    ),
    Case(
        "code-too-long",
        _json("long_code.geojson", _collection(_feature("1" * 40, "Xã A", _square(0)))),
        422,
        r"Code longer than 16 characters",
        ("code_too_long",),
    ),
    Case(
        "name-too-long",
        _json("long_name.geojson", _collection(_feature("1", "Xã " + "A" * 300, _square(0)))),
        422,
        r"Name longer than 200 characters",
        ("name_too_long",),
    ),
    Case(
        "three-d-coordinates",
        _json(
            "z.geojson",
            _collection(
                _feature(
                    "1",
                    "Xã A",
                    {
                        "type": "Polygon",
                        "coordinates": [
                            [[108, 15, 5], [108.1, 15, 5], [108.1, 15.1, 5], [108, 15, 5]]
                        ],
                    },
                )
            ),
        ),
        200,
        None,
    ),
    # Zipped shapefiles that are not shapefiles.
    Case(
        "zero-filled-shapefile",
        _zip("zeros.zip", lambda: _zeros("shp", "shx", "dbf", "prj")),
        400,
        r"xa\.shp has no shapefile header \(empty, zero-filled or another kind of file\)",
    ),
    Case(
        "zero-filled-dbf",
        _zip("zero_dbf.zip", lambda: _parts() | {"duyxuyen_2025_vn2000_utf8.dbf": bytes(800)}),
        400,
        r"\.dbf has no dBase header",
    ),
    Case(
        "truncated-shapefile",
        _zip("truncated.zip", lambda: _parts(shp=lambda b: b[: len(b) * 2 // 3])),
        400,
        r"\.shp is truncated: its header says [\d,]+ bytes, the file has [\d,]+",
    ),
    Case(
        "truncated-dbf",
        _zip("truncated_dbf.zip", lambda: _parts(dbf=lambda b: b[: len(b) - 40])),
        400,
        r"\.dbf is truncated",
    ),
    Case("garbage-shapefile", _zip("garbage.zip", _garbage), 400, r"has no shapefile header"),
    Case(
        "shp-without-dbf-and-shx",
        _zip("shp_only.zip", lambda: _parts(drop=(".shx", ".dbf"))),
        400,
        r"lacks \.shx, \.dbf: zip the \.shp with its \.shx, \.dbf, \.prj",
    ),
    Case(
        "shp-without-prj",
        _zip("no_prj.zip", lambda: _parts(drop=(".prj",))),
        400,
        r"declares no CRS we can read \(no \.prj, or one not understood\); name it, e\.g\. "
        r"--crs EPSG:5899",
    ),
    Case(
        "garbage-prj",
        _zip("bad_prj.zip", lambda: _parts(prj=lambda _: b"KHONG PHAI HE TOA DO")),
        400,
        r"bad_prj\.zip\) declares no CRS we can read",
    ),
    Case(
        "prj-not-text",
        _zip("prj_bytes.zip", lambda: _parts(prj=lambda b: b"\xff\xfe" + b[2:])),
        400,
        r"\.prj is not the text of a CRS \(WKT\)",
    ),
    Case(
        "unknown-crs-option",
        _json("crs.geojson", FC_OK),
        400,
        r"Cannot use the CRS of crs\.geojson",
        options={"crs": "EPSG:999999"},
    ),
    Case(
        "unknown-crs-member",
        _json(
            "crs_member.geojson",
            FC_OK | {"crs": {"type": "name", "properties": {"name": "EPSG:999999"}}},
        ),
        400,
        r"Cannot use the CRS of crs_member\.geojson",
    ),
    Case(
        "crs-member-not-understood",
        _json("crs_list.geojson", FC_OK | {"crs": {"type": "name", "properties": [1]}}),
        400,
        r"The crs member of crs_list\.geojson is not understood",
    ),
    Case(
        "unknown-encoding",
        _json("enc.geojson", FC_OK),
        400,
        r"Unknown encoding 'klingon'",
        options={"encoding": "klingon"},
    ),
    # Zips that must not be unpacked.
    Case(
        "zip-bomb",
        _bomb,
        400,
        r"ranh_gioi\.geojson' of bomb\.zip is compressed too much \([\d,]+:1, at most 100:1\)",
    ),
    Case("zip-declaring-3-gib", _lying_bomb, 400, r"compressed too much|unpacks to"),
    Case(
        "nested-zip", _nested, 400, r"'inner\.zip' of nested\.zip is an archive inside the archive"
    ),
    Case(
        "zip-slip",
        _zip("slip.zip", lambda: {"../../xa.geojson": json.dumps(FC_OK).encode()}),
        400,
        r"'\.\./\.\./xa\.geojson' of slip\.zip has an unsafe path",
    ),
    Case(
        "zip-absolute-path",
        _zip("absolute.zip", lambda: {"/etc/xa.geojson": json.dumps(FC_OK).encode()}),
        400,
        r"has an unsafe path",
    ),
    Case("zip-many-members", _many, 400, r"many\.zip holds 65 files \(at most 64\)"),
    Case("zip-name-not-utf8", _bad_name, 400, r"badname\.zip is not a valid \.zip file"),
    Case(
        "zip-name-too-long",
        _zip("long.zip", lambda: {"x" * 250 + ".geojson": json.dumps(FC_OK).encode()}),
        400,
        r"'x{250}\.geojson' of long\.zip has too long a name",
    ),
    Case(
        "not-a-zip",
        _text("fake.zip", random.Random(5).randbytes(3000)),
        400,
        r"fake\.zip is not a valid \.zip file",
    ),
    Case(
        "empty-zip", _zip("empty.zip", dict), 400, r"empty\.zip holds no \.shp, \.geojson or \.gpkg"
    ),
    Case(
        "kml-in-zip",
        _zip("kml.zip", lambda: {"doc.kml": b"<kml xmlns='http://www.opengis.net/kml/2.2'/>"}),
        400,
        r"kml\.zip holds no \.shp, \.geojson or \.gpkg \(doc\.kml\)",
    ),
    Case(
        "two-datasets-in-zip",
        _zip("two.zip", lambda: {"a.geojson": json.dumps(FC_OK).encode(), "b.geojson": b"{}"}),
        400,
        r"two\.zip holds several datasets; send one \(a\.geojson, b\.geojson\)",
    ),
    # Other formats and names.
    Case("empty-file", _text("empty.geojson", b""), 400, r"The file empty\.geojson is empty"),
    Case("kml", _text("xa.kml", "<kml/>"), 400, r"Unsupported format \.kml"),
    Case("gpx", _text("xa.gpx", "<gpx/>"), 400, r"Unsupported format \.gpx"),
    Case("csv", _text("xa.csv", "code,name\n1,Xã A\n"), 400, r"Unsupported format \.csv"),
    Case("no-extension", _text("ranhgioi", "{}"), 400, r"Unsupported format \(no extension\)"),
    Case("garbage-geopackage", _gpkg_garbage, 400, r"Cannot read xa\.gpkg: file is not a database"),
    Case(
        "attribute-table-geopackage",
        _gpkg("bang.gpkg", "xa", geometry=False),
        400,
        r"bang\.gpkg holds no geometry \(an attribute table only\)",
    ),
    Case(
        "two-layer-geopackage",
        _gpkg("hai.gpkg", "xa_2024", "xa_2025"),
        400,
        r"hai\.gpkg holds 2 layers \(xa_2024, xa_2025\); it must hold one",
    ),
    # GeoJSON that is not a FeatureCollection, or not JSON.
    Case(
        "kml-named-geojson",
        _text("xa.geojson", "<kml/>"),
        400,
        r"xa\.geojson is not valid JSON: .* \(line 1, column 1\)",
    ),
    Case(
        "invalid-json",
        _text("bad.geojson", '{"type": "FeatureCollection",\n "features": [}'),
        400,
        r"not valid JSON: .*\(line 2, column 15\)",
    ),
    Case(
        "a-feature",
        _json("feature.geojson", _feature("1", "Xã A", _square(0))),
        400,
        r"must be a GeoJSON FeatureCollection \(it is 'Feature'\)",
    ),
    Case(
        "a-geometry",
        _json("polygon.geojson", _square(0)),
        400,
        r"must be a GeoJSON FeatureCollection \(it is 'Polygon'\)",
    ),
    Case(
        "a-list",
        _json("list.geojson", [1, 2]),
        400,
        r"must be a GeoJSON FeatureCollection \(it is 'list'\)",
    ),
    Case(
        "features-not-a-list",
        _json("features.geojson", {"type": "FeatureCollection", "features": {"a": 1}}),
        400,
        r"The features of features\.geojson are not a list",
    ),
    Case(
        "no-features", _json("none.geojson", _collection()), 400, r"none\.geojson holds no features"
    ),
    Case(
        "item-not-a-feature",
        _json("item.geojson", _collection("x")),
        400,
        r"Item 1 of item\.geojson is not a GeoJSON Feature",
    ),
    Case(
        "properties-not-an-object",
        _json(
            "props.geojson", _collection({"type": "Feature", "properties": [1], "geometry": None})
        ),
        400,
        r"The properties of feature 1 in props\.geojson are not a JSON object",
    ),
    Case(
        "nested-10000-levels",
        _text("deep.geojson", "[" * 10_000 + "]" * 10_000),
        400,
        r"nested too deeply",
    ),
    Case(
        "number-of-5000-digits",
        _text(
            "digits.geojson",
            '{"type": "FeatureCollection", "features": [], "x": ' + "9" * 5000 + "}",
        ),
        400,
        r"a number too long",
    ),
    Case(
        "windows-1258-geojson",
        _text(
            "cp1258.geojson",
            unicodedata.normalize("NFD", json.dumps(FC_OK, ensure_ascii=False)).encode("cp1258"),
        ),
        400,
        r"cp1258\.geojson is not UTF-8 text \(byte [\d,]+\); GeoJSON must be saved as UTF-8",
    ),
    # Geometry.
    Case(
        "unreadable-geometry",
        _json(
            "ring.geojson",
            _collection(
                _feature(
                    "1", "Xã A", {"type": "Polygon", "coordinates": [[[108, 15], [108.1, 15]]]}
                )
            ),
        ),
        400,
        r"Cannot read the geometry of feature 1 in ring\.geojson: A linearring requires at least 4",
    ),
    Case(
        "unknown-geometry-type",
        _json(
            "circle.geojson",
            _collection(_feature("1", "Xã A", {"type": "Circle", "coordinates": [108, 15]})),
        ),
        400,
        r"Cannot read the geometry of feature 1",
    ),
    Case(
        "geometry-nested-500-deep",
        _text(
            "deep_geom.geojson",
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"code": "1", "name": "A"}, "geometry": {"type": "Polygon", "coordinates": '
            + "[" * 500
            + "0"
            + "]" * 500
            + "}}]}",
        ),
        400,
        r"Cannot read the geometry of feature 1 in deep_geom\.geojson",
    ),
    Case(
        "huge-coordinate",
        _beside_a_good_unit("huge.geojson", [1e300, 15]),
        422,
        r"Coordinates out of the longitude/latitude range \(108, 15, 1e\+300, 16\)",
        ("coordinates",),
    ),
    Case(
        "nan-coordinate",
        _beside_a_good_unit("nan_xy.geojson", [float("nan"), 15]),
        422,
        r"Coordinates out of the longitude/latitude range",
        ("coordinates",),
    ),
    Case(
        "metres-without-crs",
        _json("metres.geojson", _collection(_feature("1", "Xã A", PROJECTED))),
        400,
        r"not longitude/latitude \(x from 500,000 to 510,000\): the file's CRS is missing or wrong",
    ),
    Case(
        "points-and-lines",
        _json(
            "points.geojson",
            _collection(
                _feature("1", "Xã A", {"type": "Point", "coordinates": [108, 15]}),
                _feature(
                    "2", "Xã B", {"type": "LineString", "coordinates": [[108, 15], [108.1, 15.1]]}
                ),
            ),
        ),
        422,
        r"Geometry is not a polygon \(POINT\)",
        ("not_polygon",),
    ),
    Case(
        "missing-geometry",
        _json("null_geom.geojson", _collection(_feature("1", "Xã A", None))),
        422,
        r"Empty or missing geometry",
        ("empty_geometry",),
    ),
]


@pytest.fixture
def gis(db: None) -> Client:
    """The upload API as a signed-in GIS officer."""
    return signed_in("gis-bad-files", Role.GIS_OFFICER)


def _upload(client: Client, path: Path, options: dict[str, str]) -> tuple[int, dict, str]:
    with path.open("rb") as file:
        response = client.post(URL, {"file": file, "dry_run": "true", **options})
    text = response.content.decode()
    return response.status_code, json.loads(text), text


def _cli(path: Path, options: dict[str, str]) -> tuple[str, str | None]:
    """The command's output and its error (None when it succeeded). Any other exception than
    CommandError would be a traceback, and fails the test as it is."""
    out = io.StringIO()
    flags = [a for k, v in options.items() for a in (f"--{k.replace('_', '-')}", v)]
    try:
        call_command(
            "boundaries", "import", str(path), "--dry-run", *flags, stdout=out, stderr=io.StringIO()
        )
    except CommandError as exc:
        return out.getvalue(), str(exc)
    return out.getvalue(), None


def _no_leak(text: str, tmp_path: Path) -> None:
    for leak in (*LEAKS, str(tmp_path)):
        assert leak not in text, f"{leak!r} shown in: {text[:500]}"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_through_api_and_cli(case: Case, gis: Client, tmp_path: Path) -> None:
    path = case.make(tmp_path)
    before = (BoundaryVersion.objects.count(), AdminUnit.objects.count())

    status, body, text = _upload(gis, path, case.options)
    assert status == case.status, text[:1000]
    _no_leak(text, tmp_path)
    if status in (200, 422):
        report = body["report"] if status == 200 else body["details"]
        found = {f["check"] for f in report["findings"]}
        assert set(case.checks) <= found, report["findings"]
        assert len(report["units"]) == report["features"]  # every unit read is listed
        messages = [f["en"] for f in report["findings"]]
    if status != 200:
        assert body["vi"] and body["en"] and body["vi"] != body["en"] and body["message"]
        messages = [body["en"]] if status != 422 else messages
    assert case.says is None or any(re.search(case.says, m) for m in messages), messages

    output, error = _cli(path, case.options)
    _no_leak(output + (error or ""), tmp_path)
    if case.status == 200:
        assert error is None and "dry run: nothing written" in output
    else:
        assert error is not None and " — " in error  # Vietnamese — English
    if case.status == 400:
        assert re.search(case.says, error), error
    else:
        assert all(f"[{check}]" in output for check in case.checks), output
        assert case.says is None or re.search(case.says, output), output
    assert (BoundaryVersion.objects.count(), AdminUnit.objects.count()) == before


def test_windows_1258_names_read_right_in_both(gis: Client, shared_boundaries: Path) -> None:
    path = shared_boundaries / "duyxuyen_2025_vn2000_cp1258.zip"
    options = {"code_field": "MA_XA", "name_field": "TEN_XA", "area_field": "DT_KM2"}
    status, body, _ = _upload(gis, path, options)
    expected = ["Xã Nam Phước", "Xã Thu Bồn", "Xã Duy Xuyên", "Xã Duy Nghĩa"]
    assert status == 200
    report = body["report"]
    assert report["encoding"] == "cp1258 (detected (no .cpg))"
    assert [u["name"] for u in report["units"]] == expected
    assert [u["declared_area_km2"] for u in report["units"]] == [38.85, 108.77, 125.78, 35.36]
    assert all(u["change"] == "new" for u in report["units"])
    output, error = _cli(path, options)
    assert error is None
    for unit in report["units"]:
        line = next(line for line in output.splitlines() if f" {unit['code']} " in line)
        assert unit["name"] in line and f"{unit['declared_area_km2']:,.2f}" in line


def test_an_upload_past_the_cap_is_refused_before_its_body_is_read(gis: Client) -> None:
    class Unread(io.RawIOBase):
        """A request body that fails the test if anything reads it."""

        def read(self, *args: object) -> bytes:
            raise AssertionError("the body was read")

        readline = read

    response = gis.generic(
        "POST",
        URL,
        CONTENT_TYPE="multipart/form-data; boundary=gisioc",
        CONTENT_LENGTH=str(MAX_UPLOAD + FORM_SLACK + 1),
        **{"wsgi.input": Unread()},
    )
    assert response.status_code == 413, response.content[:500]
    body = response.json()
    assert body["error"] == "too_large" and "200 MB" in body["en"] and "200 MB" in body["vi"]


@pytest.mark.parametrize("name", ["", "\x00", "a" * 201])
def test_bad_version_names_are_refused(gis: Client, tmp_path: Path, name: str) -> None:
    path = _json("xa.geojson", FC_OK)(tmp_path)
    status, body, _ = _upload(gis, path, {"name": name, "slug": "x" if not name else ""})
    if not name:  # an empty name falls back to the file's name
        assert status == 200
        return
    assert status == 400 and "name" in body["fields"], body


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"slug": "có dấu"}, "slug"),
        ({"valid_from": "2025-13-01"}, "valid_from"),
        ({"valid_from": "2026-01-01", "valid_to": "2025-01-01"}, "valid_to"),
    ],
)
def test_bad_form_values_name_their_field(
    gis: Client, tmp_path: Path, form: dict[str, str], field: str
) -> None:
    status, body, _ = _upload(gis, _json("xa.geojson", FC_OK)(tmp_path), form)
    assert status == 400 and field in body["fields"], body


CLI_CASES = [
    "zero-filled-shapefile",
    "nan-and-infinity",
    "zip-bomb",
    "invalid-json",
    "huge-coordinate",
]


@pytest.mark.parametrize("case", [c for c in CASES if c.id in CLI_CASES], ids=CLI_CASES)
def test_the_gisioc_executable_prints_no_traceback(
    case: Case, tmp_path: Path, transactional_db: None
) -> None:
    path = case.make(tmp_path)
    env = {**os.environ, "GISIOC_DB_NAME": connection.settings_dict["NAME"]}
    gisioc = Path(sys.executable).with_name("gisioc")
    done = subprocess.run(
        [gisioc, "boundaries", "import", path, "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output and done.returncode == (0 if case.status == 200 else 1), output
    assert re.search(case.says, output), output
    if case.status != 200:
        assert "CommandError: " in done.stderr


def _damaged(data: bytes, rng: random.Random, alphabet: bytes | None = None) -> bytes:
    """`data` with a few bytes changed and, sometimes, cut short."""
    damaged = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        damaged[rng.randrange(len(damaged))] = rng.choice(alphabet or range(256))
    return bytes(damaged[: rng.randrange(len(damaged) + 1)] if rng.random() < 0.2 else damaged)


def test_damaged_copies_of_real_files_never_fail_otherwise(tmp_path: Path, db: None) -> None:
    """Seeded damage to the real GeoJSON and to each part of the real Windows-1258 shapefile:
    every outcome is a report or one of our errors, never another exception."""
    rng = random.Random(2026)
    geojson = (SHARED_BOUNDARIES / "duyxuyen_2025_communes.geojson").read_bytes()
    with zipfile.ZipFile(SHARED_BOUNDARIES / "duyxuyen_2025_vn2000_cp1258.zip") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    outcomes: dict[str, int] = {}
    for n in range(80):
        if n % 2:
            path = tmp_path / f"{n}.geojson"
            path.write_bytes(_damaged(geojson, rng, b'{}[],:"0123456789.-eE NaIfinty\x00\xff'))
            fields = {}
        else:
            name = rng.choice(sorted(parts))
            damaged = parts | {name: _damaged(parts[name], rng)}
            path = _zip(f"{n}.zip", lambda damaged=damaged: damaged)(tmp_path)
            fields = {"code_field": "MA_XA", "name_field": "TEN_XA"}
        options = ImportOptions(slug=f"damaged-{n}", dry_run=True, **fields)
        try:
            boundary_import(path=path, options=options, progress=lambda _: None)
            outcome = "read"
        except GisiocError as exc:
            _no_leak(exc.both(), tmp_path)
            outcome = exc.code
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert outcomes.keys() == {"read", "invalid", "validation_failed"}, outcomes


def test_the_served_app_answers_413_from_the_headers_alone(
    transactional_db: None, tmp_path: Path
) -> None:
    """Real HTTP through `gisioc serve`: a request declaring 300 MB is answered while the
    client has sent only its headers."""
    with gisioc_serving(tmp_path) as (port, _, _):
        status, body = answer_to_head(
            port,
            f"POST {URL} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {300 * 1024**2}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\n",
        )
    assert status == 413, body
    assert json.loads(body)["error"] == "too_large"
