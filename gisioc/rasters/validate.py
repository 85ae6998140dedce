"""What a GeoTIFF must be before it becomes a layer: a raster, georeferenced, of a sane size."""

from dataclasses import dataclass
from pathlib import Path

import rasterio
from rasterio.crs import CRS
from rasterio.errors import CRSError, RasterioIOError

from gisioc.errors import InvalidInput
from gisioc.rasters.models import Raster

MAX_CELLS = 4_000_000_000  # a 100 m grid of all Vietnam is ~0.13 billion cells
DTYPES = ("uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "float64")
DRIVERS = ("GTiff", "COG")


@dataclass(frozen=True)
class Checked:
    """What validation learnt of a file: its CRS (given or its own) and its shape."""

    crs: CRS
    width: int
    height: int
    bands: int
    dtype: str
    nodata: float | None


def crs_parse(text: str) -> CRS:
    """A CRS from 'EPSG:5899', a PROJ string or WKT, or InvalidInput."""
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise InvalidInput(
            f"Hệ tọa độ {text!r} không đọc được (ví dụ EPSG:5899 cho VN-2000 TM-3 107°45').",
            f"Cannot read the CRS {text!r} (e.g. EPSG:5899 for VN-2000 TM-3 107°45').",
            field="crs",
        ) from exc


def raster_check(path: Path, *, kind: str, crs: str | None = None) -> Checked:
    """The file's facts, or InvalidInput saying in Vietnamese and English what is wrong."""
    if kind not in Raster.Kind.values:
        raise InvalidInput(
            f"Loại lớp {kind!r} không hợp lệ (chọn: {', '.join(Raster.Kind.values)}).",
            f"Unknown kind {kind!r} (one of {', '.join(Raster.Kind.values)}).",
            field="kind",
        )
    try:
        with rasterio.open(path) as src:
            driver, own_crs = src.driver, src.crs
            shape = (src.width, src.height, src.count, src.dtypes[0], src.nodata)
            georeferenced = not src.transform.is_identity
            # A truncated or corrupt file can open and still fail on its first block.
            src.read(1, window=((0, min(src.height, 8)), (0, min(src.width, 8))))
    except (RasterioIOError, rasterio.errors.RasterioError) as exc:
        why = str(exc).replace(str(path), path.name)  # no server path in a message
        raise InvalidInput(
            f"Tệp {path.name} không phải ảnh raster GeoTIFF đọc được ({why}).",
            f"{path.name} is not a readable GeoTIFF raster ({why}).",
            field="file",
        ) from exc
    width, height, bands, dtype, nodata = shape
    if driver not in DRIVERS:
        raise InvalidInput(
            f"Tệp {path.name} là {driver}, không phải GeoTIFF.",
            f"{path.name} is {driver}, not a GeoTIFF.",
            field="file",
        )
    if not georeferenced:
        raise InvalidInput(
            f"Tệp {path.name} không có tọa độ (thiếu geotransform).",
            f"{path.name} has no georeferencing (no geotransform).",
            field="file",
        )
    given = crs_parse(crs) if crs else None
    if given is None and own_crs is None:
        raise InvalidInput(
            f"Tệp {path.name} không ghi hệ tọa độ; hãy chỉ rõ, ví dụ --crs EPSG:5899 "
            "(VN-2000 TM-3 107°45').",
            f"{path.name} names no CRS; give one, e.g. --crs EPSG:5899 (VN-2000 TM-3 107°45').",
            field="crs",
        )
    if width * height > MAX_CELLS:
        raise InvalidInput(
            f"Raster quá lớn: {width} × {height} ô (tối đa {MAX_CELLS:,} ô).",
            f"Raster too large: {width} × {height} cells (at most {MAX_CELLS:,}).",
            field="file",
        )
    if dtype not in DTYPES:
        raise InvalidInput(
            f"Kiểu dữ liệu {dtype} không được hỗ trợ.",
            f"Data type {dtype} is not supported.",
            field="file",
        )
    wanted = (3, 4) if kind == Raster.Kind.IMAGERY else (1,)
    if bands not in wanted and not (kind == Raster.Kind.IMAGERY and bands == 1):
        raise InvalidInput(
            f"Lớp {kind} cần {' hoặc '.join(map(str, wanted))} kênh, tệp có {bands}.",
            f"A {kind} raster needs {' or '.join(map(str, wanted))} band(s); the file has {bands}.",
            field="file",
        )
    return Checked(given or own_crs, width, height, bands, dtype, nodata)
