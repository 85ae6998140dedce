"""Facility import (CSV, XLSX, GeoJSON), per-row errors, idempotency, locating, demo set."""

import datetime as dt
import io
import json
import unicodedata
from pathlib import Path

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from shapely.geometry import Point, shape

from gisioc.config import BASE_DIR
from gisioc.errors import InvalidInput
from gisioc.geo.demo_facilities import demo_facility_rows, facilities_demo_load
from gisioc.geo.facilities import facilities_import
from gisioc.geo.facility_rows import facility_row_parse, header_map
from gisioc.geo.models import AdminUnit, BoundaryVersion, Facility
from gisioc.geo.text import fold
from gisioc.ingest.readers import RawRow
from tests.bodies import json_body

HEADER = "Mã cơ sở,Tên cơ sở,Loại,Cấp học,Địa chỉ,Kinh độ,Vĩ độ,Số học sinh\n"
# Inside unit A (108.20–108.25) and unit B (108.25–108.30), both 15.80–15.85.
IN_A, IN_B, OUTSIDE = ("108.22", "15.82"), ("108.27", "15.83"), ("106.70", "10.78")
TONES = "\u0300\u0301\u0303\u0309\u0323"


def _square(lon: float, lat: float, size: float = 0.05) -> MultiPolygon:
    ring = ((lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat))
    return MultiPolygon(Polygon(ring), srid=4326)


@pytest.fixture
def units(db) -> dict[str, AdminUnit]:
    """A published version with two square communes: A 'Xã An Phú', B 'Xã Bình Minh'."""
    version = BoundaryVersion.objects.create(
        slug="test-squares",
        name="Test squares",
        valid_from=dt.date(2025, 7, 1),
        status="published",
        published_at=timezone.now(),
    )
    made = {}
    for key, code, short, lon in (
        ("A", "90001", "An Phú", 108.20),
        ("B", "90002", "Bình Minh", 108.25),
    ):
        made[key] = AdminUnit.objects.create(
            version=version,
            code=code,
            name=f"Xã {short}",
            short_name=short,
            folded_name=fold(short),
            level="commune",
            geom=_square(lon, 15.80),
            area_km2=29.7,
        )
    return made


def _csv(tmp_path: Path, *lines: str, header: str = HEADER, bom: bool = True) -> Path:
    path = tmp_path / "co_so.csv"
    path.write_text(
        header + "".join(line + "\n" for line in lines), encoding="utf-8-sig" if bom else "utf-8"
    )
    return path


def _quiet(_: str) -> None:
    pass


def _import(path: Path, **kwargs):
    return facilities_import(path=path, progress=_quiet, **kwargs)


def test_csv_with_vietnamese_headers_imports_and_locates(units, tmp_path):
    decomposed = unicodedata.normalize("NFD", "Trường Tiểu học An Phú")
    path = _csv(
        tmp_path,
        f'TH-01,{decomposed},Trường học,Tiểu học,"Thôn 1, xã An Phú",{IN_A[0]},{IN_A[1]},512',
        f"TYT-02,Trạm Y tế xã Bình Minh,y tế,TYT,,{IN_B[0]},{IN_B[1]},",
    )
    result = _import(path)
    assert (result.received, result.created, result.rejected, result.not_located) == (2, 2, 0, 0)
    school = Facility.objects.get(code="TH-01")
    assert school.name == "Trường Tiểu học An Phú" and unicodedata.is_normalized("NFC", school.name)
    assert school.folded_name == "truong tieu hoc an phu"
    assert (school.kind, school.subtype, school.unit_id) == ("school", "tieu_hoc", units["A"].pk)
    assert school.locate_method == "point" and school.locate_on is None
    assert school.attributes == {"so_hoc_sinh": "512"}
    station = Facility.objects.get(code="TYT-02")
    assert (station.kind, station.subtype, station.unit_id) == (
        "health",
        "tram_y_te",
        units["B"].pk,
    )


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps base letters precomposed and tone marks combining."""
    out = []
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def test_csv_in_windows_1258_is_read(units, tmp_path):
    path = tmp_path / "cp1258.csv"
    path.write_bytes(
        _to_cp1258(
            HEADER + f"MN-03,Trường Mầm non Bình Minh,trường học,mầm non,,{IN_B[0]},{IN_B[1]},\n"
        )
    )
    result = _import(path)
    assert result.created == 1
    assert Facility.objects.get(code="MN-03").name == "Trường Mầm non Bình Minh"


def test_xlsx_import(units, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã", "Tên", "Loại", "Loại hình", "Kinh độ (X)", "Vĩ độ (Y)", "Số giường"])
    sheet.append(
        [49123, "Phòng khám Đa khoa Bình Minh", "Cơ sở y tế", "Phòng khám", 108.27, 15.83, 6]
    )
    sheet.append([None, None, None, None, None, None, None])  # blank rows are skipped
    sheet.append(["CAM-01", "Camera ngã tư An Phú", "camera", "", 108.21, 15.81, None])
    path = tmp_path / "co_so.xlsx"
    workbook.save(path)
    result = _import(path)
    assert (result.received, result.created, result.rejected) == (2, 2, 0)
    clinic = Facility.objects.get(code="49123")
    assert (clinic.kind, clinic.subtype, clinic.unit_id) == ("health", "phong_kham", units["B"].pk)
    assert clinic.attributes == {"so_giuong": 6}
    assert Facility.objects.get(code="CAM-01").unit_id == units["A"].pk


def test_geojson_import(units, tmp_path):
    def feature(geometry: dict, **props) -> dict:
        return {"type": "Feature", "geometry": geometry, "properties": props}

    collection = {
        "type": "FeatureCollection",
        "features": [
            feature(
                {"type": "Point", "coordinates": [108.22, 15.82]},
                ma="UBND-A",
                ten="UBND xã An Phú",
                loai="cơ quan",
            ),
            feature(
                {"type": "Point", "coordinates": [108.26, 15.84]},
                ma="HCC-B",
                ten="Trung tâm Phục vụ hành chính công xã Bình Minh",
                loai="một cửa",
            ),
            feature(
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[108.2, 15.8], [108.21, 15.8], [108.21, 15.81], [108.2, 15.8]]
                    ],
                },
                ma="BAD",
                ten="Vùng",
                loai="agency",
            ),
        ],
    }
    path = tmp_path / "co_so.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    result = _import(path)
    assert (result.received, result.created, result.rejected) == (3, 2, 1)
    assert [(e.row, e.field) for e in result.errors] == [(3, "geometry")]
    agency = Facility.objects.get(code="UBND-A")
    assert (agency.kind, agency.unit_id) == ("agency", units["A"].pk)
    assert (agency.geom.x, agency.geom.y) == (108.22, 15.82)
    assert Facility.objects.get(code="HCC-B").kind == "one_stop"


def test_bad_rows_are_reported_and_good_rows_kept(units, tmp_path):
    path = _csv(
        tmp_path,
        f"OK-1,Trường THCS An Phú,school,THCS,,{IN_A[0]},{IN_A[1]},",  # row 2
        f",Không mã,school,,,{IN_A[0]},{IN_A[1]},",  # row 3: no code
        f"X-4,Chợ An Phú,chợ,,,{IN_A[0]},{IN_A[1]},",  # row 4: unknown kind
        "X-5,Trạm Y tế,y tế,,,abc,15.82,",  # row 5: not a number
        "X-6,Trường ngoài,school,,,2.35,48.85,",  # row 6: outside Viet Nam
        f"OK-1,Trùng mã,school,,,{IN_B[0]},{IN_B[1]},",  # row 7: repeats row 2
        f"X-8,Đảo tọa độ,school,,,{IN_A[1]},{IN_A[0]},",  # row 8: swapped
        'OK-9,"Camera An Phú",camera,,,"108,23","15,81",',  # row 9: decimal commas
    )
    result = _import(path)
    assert (result.received, result.created, result.rejected) == (8, 2, 6)
    assert [(e.row, e.field) for e in result.errors] == [
        (3, "code"),
        (4, "kind"),
        (5, "lon"),
        (6, "lon"),
        (7, "code"),
        (8, "lon"),
    ]
    assert all(e.vi and e.en for e in result.errors)
    assert "swapped" in result.errors[-1].en and "dòng 2" in result.errors[4].vi
    assert set(Facility.objects.values_list("code", flat=True)) == {"OK-1", "OK-9"}
    assert Facility.objects.get(code="OK-1").name == "Trường THCS An Phú"


def test_missing_required_column_fails_the_file(units, tmp_path):
    path = _csv(tmp_path, "A,B", header="Mã,Tên\n")
    with pytest.raises(InvalidInput, match="kind"):
        _import(path)


def test_reimport_is_unchanged_and_an_edit_is_updated(units, tmp_path):
    rows = [
        f"S-1,Trường Mầm non An Phú,school,mầm non,,{IN_A[0]},{IN_A[1]},",
        f"S-2,Trường Tiểu học Bình Minh,school,tiểu học,,{IN_B[0]},{IN_B[1]},",
    ]
    _import(_csv(tmp_path, *rows))
    again = _import(_csv(tmp_path, *rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Facility.objects.count() == 2
    moved = [
        rows[0].replace("An Phú,", "An Phú 2,"),
        f"S-2,Trường Tiểu học Bình Minh,school,tiểu học,,{IN_A[0]},{IN_A[1]},",
    ]
    edited = _import(_csv(tmp_path, *moved))
    assert (edited.created, edited.updated, edited.unchanged) == (0, 2, 0)
    assert Facility.objects.get(code="S-1").name == "Trường Mầm non An Phú 2"
    assert Facility.objects.get(code="S-2").unit_id == units["A"].pk


def test_point_outside_every_boundary_is_kept_not_located(units, tmp_path):
    result = _import(_csv(tmp_path, f"FAR-1,Trường Sài Gòn,school,,,{OUTSIDE[0]},{OUTSIDE[1]},"))
    assert (result.created, result.not_located) == (1, 1)
    far = Facility.objects.get(code="FAR-1")
    assert far.unit_id is None and far.geom is not None and far.locate_method == "none"
    assert "outside every boundary" in far.locate_reason
    assert result.unlocated == [{"row": 2, "code": "FAR-1", "reason": far.locate_reason}]


def test_address_locates_a_row_without_coordinates(units, tmp_path):
    result = _import(_csv(tmp_path, 'A-1,UBND xã Bình Minh,ubnd,,"Thôn 2, xã Bình Minh",,,'))
    assert (result.created, result.not_located) == (1, 0)
    office = Facility.objects.get(code="A-1")
    assert (office.unit_id, office.locate_method, office.geom) == (units["B"].pk, "address", None)


def test_a_closing_date_takes_a_facility_off_todays_lists_and_a_later_list_keeps_it(
    units, tmp_path
):
    before = BoundaryVersion.objects.create(
        slug="test-before", name="Before the reform", valid_from=dt.date(2019, 1, 1),
        valid_to=dt.date(2025, 6, 30), status="published", published_at=timezone.now(),
    )  # fmt: skip
    former = AdminUnit.objects.create(
        version=before, code="90009", name="Xã Cũ", short_name="Cũ", folded_name="cu",
        level="commune", geom=_square(108.20, 15.80), area_km2=29.7,
    )  # fmt: skip
    header = "Mã cơ sở,Tên cơ sở,Loại,Kinh độ,Vĩ độ,Ngày ngừng hoạt động\n"
    result = _import(_csv(tmp_path, f"U-1,UBND xã An Phú,ubnd,{IN_A[0]},{IN_A[1]},01/07/2025",
                          f"U-2,UBND xã Bình Minh,ubnd,{IN_B[0]},{IN_B[1]},",
                          f"U-3,UBND xã Mới,ubnd,{IN_B[0]},{IN_B[1]},31/02/2025",
                          header=header))  # fmt: skip
    assert (result.created, result.rejected) == (2, 1)
    assert result.errors[0].field == "closed_on" and "31/02/2025" in result.errors[0].en
    assert "ngày ngừng hoạt động" in result.errors[0].vi
    closed = Facility.objects.get(code="U-1")
    assert closed.closed_on == dt.date(2025, 7, 1) and closed.active  # its records stay its own
    # Located where it served: in the commune of its last day open, not today's.
    assert (closed.unit_id, closed.locate_on) == (former.pk, dt.date(2025, 6, 30))
    assert Facility.objects.get(code="U-2").unit_id == units["B"].pk
    assert list(
        Facility.objects.in_service(dt.date(2025, 7, 1)).values_list("code", flat=True)
    ) == ["U-2"]
    assert Facility.objects.in_service(dt.date(2025, 6, 30)).count() == 2  # the day before
    listed = json_body(Client().get("/api/facilities/"))["features"]
    assert [f["properties"]["code"] for f in listed] == ["U-2"]
    detail = Client().get(f"/api/facilities/{closed.pk}/").json()
    assert detail["properties"]["closed_on"] == "2025-07-01"
    found = Client().get("/api/search/", {"q": "UBND xa"}).json()["results"]
    assert [hit["code"] for hit in found] == ["U-2", "U-1"]  # the body in service first
    assert found[1]["note"]["vi"] == "Ngừng hoạt động từ 01/07/2025" and found[0]["note"] is None
    # A list without the column says nothing of closing: the date stays.
    _import(_csv(tmp_path, f"U-1,UBND xã An Phú,ubnd,,,{IN_A[0]},{IN_A[1]},"))
    again = Facility.objects.get(code="U-1")
    assert (again.closed_on, again.unit_id) == (dt.date(2025, 7, 1), former.pk)


def test_a_title_above_the_header_is_skipped_and_rows_keep_their_line_numbers(units, tmp_path):
    path = tmp_path / "danh_sach.csv"
    path.write_text(
        "DANH SÁCH CƠ SỞ Y TẾ NĂM 2026;;;\n;;;\n"
        "Mã cơ sở;Tên cơ sở;Loại;Kinh độ;Vĩ độ\n"
        f"YT-1;Trạm Y tế An Phú;Trạm y tế;{IN_A[0]};{IN_A[1]}\n"
        f"YT-2;;Trạm y tế;{IN_B[0]};{IN_B[1]}\n",
        encoding="utf-8",
    )
    result = _import(path)
    assert (result.created, result.rejected) == (1, 1)
    assert (result.errors[0].row, result.errors[0].field) == (5, "name")  # the file's own line
    assert Facility.objects.get(code="YT-1").subtype == "tram_y_te"


def test_dry_run_writes_nothing(units, tmp_path):
    result = _import(_csv(tmp_path, f"D-1,Trường THCS,school,,,{IN_A[0]},{IN_A[1]},"), dry_run=True)
    assert (result.dry_run, result.created) == (True, 1)
    assert not Facility.objects.exists()


def test_cli_import_json_and_list(units, tmp_path):
    path = _csv(
        tmp_path,
        f"C-1,Trường THCS An Phú,school,thcs,,{IN_A[0]},{IN_A[1]},",
        f"C-2,Camera Sài Gòn,camera,,,{OUTSIDE[0]},{OUTSIDE[1]},",
        ",,,,,,,x",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("facilities", "import", str(path), "--json", stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert (data["created"], data["not_located"], data["rejected"]) == (2, 1, 1)
    assert {e["field"] for e in data["errors"]} == {"code", "name", "kind"}
    listing = io.StringIO()
    call_command("facilities", "list", stdout=listing)
    text = listing.getvalue()
    assert "Xã An Phú (90001, test-squares)" in text and "not located" in text
    assert "Tổng / total: 2" in text


@given(
    lon=st.floats(102, 118, allow_nan=False),
    lat=st.floats(7, 24, allow_nan=False),
    comma=st.booleans(),
)
def test_coordinates_parse_with_dot_or_decimal_comma(lon, lat, comma):
    text = {"lon": repr(lon), "lat": repr(lat)}
    if comma and "e" not in text["lon"] + text["lat"]:
        text = {k: v.replace(".", ",") for k, v in text.items()}
    values = {
        "ma": "P-1",
        "ten": "Điểm",
        "loai": "camera",
        "kinh_do": text["lon"],
        "vi_do": text["lat"],
    }
    row, errors = facility_row_parse(raw=RawRow(2, values), mapping=header_map(values))
    assert not errors
    assert (row.lon, row.lat) == (round(lon, 7), round(lat, 7))


def test_demo_rows_are_deterministic_with_unique_codes():
    rows = demo_facility_rows()
    assert rows == demo_facility_rows()
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    kinds = {row["kind"] for row in rows}
    assert kinds == {"school", "health", "camera", "one_stop", "agency"}
    assert sum(row["kind"] == "camera" for row in rows) == 20
    assert sum(row["code"].startswith("TYT-") for row in rows) == 13


def test_demo_points_lie_inside_their_commune():
    path = BASE_DIR / "boundary_data" / "duyxuyen_2019_communes.geojson"
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    communes = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    assert len(communes) == 13
    for row in demo_facility_rows():
        assert round(row["lon"], 6) == row["lon"] and round(row["lat"], 6) == row["lat"]
        assert communes[row["commune_2019"]].contains(Point(row["lon"], row["lat"])), row["code"]


def test_demo_load_is_idempotent(units):
    first = facilities_demo_load()
    assert first.rejected == 0 and first.created == first.received == len(demo_facility_rows())
    again = facilities_demo_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.received)
    assert Facility.objects.count() == first.received
