"""Adding and removing raster layers: validate, write a COG with overviews, describe, store."""

import contextlib
import hashlib
import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import rasterio
from django.contrib.gis.geos import Polygon
from django.db import transaction
from django.utils.text import slugify
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.warp import transform_bounds
from rio_cogeo.cogeo import cog_translate
from rio_cogeo.profiles import cog_profiles

from gisioc.errors import Conflict, InvalidInput, NotFound
from gisioc.rasters.colormaps import colormap_default
from gisioc.rasters.files import raster_path, rasters_dir
from gisioc.rasters.models import Raster
from gisioc.rasters.validate import Checked, raster_check

RESERVED = frozenset({"basemap", "fonts", "sprites", "legend", "table", "style"})
# Overviews of quantities average; of classes, the most common class.
OVERVIEWS = {Raster.Kind.HAZARD_CLASS: "mode", Raster.Kind.IMAGERY: "average"}
UNITS = {
    Raster.Kind.POPULATION: ("người/ô", "people per cell"),
    Raster.Kind.FLOOD_DEPTH: ("m", "m"),
    Raster.Kind.ELEVATION: ("m", "m"),
}
HISTOGRAM_BINS = 20
SAMPLE_SIDE = 1024  # histogram and percentiles from an overview no larger than this

Progress = Callable[[str], None]


def _name_check(name: str) -> str:
    from layers.registry import registry

    slug = slugify(name)[:60].strip("-")
    if not slug or not slug[0].isalpha():
        raise InvalidInput(
            f"Tên lớp {name!r} không hợp lệ (chữ thường, số, gạch nối; bắt đầu bằng chữ).",
            f"Invalid layer name {name!r} (lower-case letters, digits, hyphens; a letter first).",
            field="name",
        )
    if slug in RESERVED or slug in registry:
        raise Conflict(
            f"Tên {slug!r} đã là một lớp bản đồ khác; hãy chọn tên khác.",
            f"{slug!r} is already another map layer; choose another name.",
            field="name",
        )
    return slug


def _cog_write(path: Path, target: Path, checked: Checked, kind: str) -> None:
    resampling = OVERVIEWS.get(kind, "average")
    with rasterio.open(path) as src:
        source: Any = src
        if checked.crs != src.crs:  # the file names no CRS, or the wrong one: the given CRS
            source = WarpedVRT(
                src,
                src_crs=checked.crs,
                crs=checked.crs,
                transform=src.transform,
                width=src.width,
                height=src.height,
                resampling=Resampling.nearest,
            )
        try:
            cog_translate(
                source,
                target,
                cog_profiles.get("deflate"),
                nodata=checked.nodata,
                overview_resampling=resampling,
                in_memory=False,
                quiet=True,
                config={"GDAL_NUM_THREADS": "ALL_CPUS", "GDAL_TIFF_OVR_BLOCKSIZE": "512"},
            )
        except rasterio.errors.RasterioError as exc:
            why = str(exc).replace(str(path), path.name).replace(str(target), target.name)
            raise InvalidInput(
                f"Không đọc hết được tệp {path.name} (tệp hỏng hoặc bị cắt?): {why}",
                f"Could not read all of {path.name} (corrupt or truncated?): {why}",
                field="file",
            ) from exc
        finally:
            if source is not src:
                source.close()


def _describe(cog: Path) -> tuple[dict[str, Any], Polygon, tuple[float, float]]:
    """Exact min/max/mean/std/sum over every valid cell (block by block), a histogram and
    percentiles from an overview, and the footprint in lon/lat."""
    count, total, squares = 0, 0.0, 0.0
    low, high = np.inf, -np.inf
    with rasterio.open(cog) as src:
        for _, window in src.block_windows(1):
            block = src.read(1, window=window, masked=True).astype("float64")
            values = block.compressed()
            if values.size:
                count += values.size
                total += float(values.sum())
                squares += float(np.square(values).sum())
                low, high = min(low, float(values.min())), max(high, float(values.max()))
        scale = max(src.width, src.height) / SAMPLE_SIDE
        shape = (max(1, int(src.height / scale)), max(1, int(src.width / scale)))
        sample = src.read(1, out_shape=shape if scale > 1 else None, masked=True).compressed()
        bounds = transform_bounds(src.crs, "EPSG:4326", *src.bounds, densify_pts=21)
        res = src.res
    stats: dict[str, Any] = {"valid": count}
    if count:
        mean = total / count
        stats.update(
            min=low,
            max=high,
            sum=total,
            mean=mean,
            std=float(np.sqrt(max(squares / count - mean * mean, 0.0))),
        )
        counts, edges = np.histogram(sample, bins=HISTOGRAM_BINS, range=(low, high or low + 1))
        stats["histogram"] = {"edges": [float(e) for e in edges], "counts": counts.tolist()}
        positive = sample[sample > 0]
        if positive.size:
            stats["p50"], stats["p99"] = (float(v) for v in np.percentile(positive, [50, 99]))
    return stats, Polygon.from_bbox(bounds), res


def _digest(path: Path, colormap: dict[str, Any]) -> str:
    sha = hashlib.sha1()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    sha.update(json.dumps(colormap, sort_keys=True).encode())
    return sha.hexdigest()[:12]


def raster_add(
    *,
    path: Path,
    kind: str,
    name: str | None = None,
    title_vi: str = "",
    title_en: str = "",
    crs: str | None = None,
    public: bool = True,
    synthetic: bool = False,
    actor: Any = None,
    colormap: dict[str, Any] | None = None,
    unit_vi: str = "",
    unit_en: str = "",
    visible: bool = False,
    order: int = 100,
    source_name: str = "",
    progress: Progress = lambda _: None,
) -> Raster:
    """Register a GeoTIFF as a raster layer (the same name again: a new version of it).

    Nothing is left behind when the file is refused or anything fails."""
    path = Path(path)
    checked = raster_check(path, kind=kind, crs=crs)
    slug = _name_check(name or path.stem)
    folder = rasters_dir()
    scratch = folder / f".{slug}-{uuid.uuid4().hex}.tif"
    final: Path | None = None
    try:
        progress("Chuyển sang Cloud-Optimised GeoTIFF / Writing the Cloud-Optimised GeoTIFF")
        _cog_write(path, scratch, checked, kind)
        progress("Thống kê giá trị / Describing the values")
        stats, footprint, (res_x, res_y) = _describe(scratch)
        cmap = colormap if colormap is not None else colormap_default(kind, stats)
        version = _digest(scratch, cmap)
        final = folder / f"{slug}-{version}.tif"
        existed = final.exists()
        scratch.replace(final)
        units = UNITS.get(kind, ("", ""))
        kind_title = Raster.Kind(kind).label.split(" / ")
        with transaction.atomic():
            raster = Raster.objects.select_for_update().filter(name=slug).first() or Raster(
                name=slug
            )
            old_file = raster.file
            fields = {
                "title_vi": title_vi or raster.title_vi or f"{kind_title[0]} — {slug}",
                "title_en": title_en or raster.title_en or f"{kind_title[-1]} — {slug}",
                "kind": kind,
                "unit_vi": unit_vi or units[0],
                "unit_en": unit_en or units[1],
                "file": final.name,
                "source_name": source_name or path.name,
                "crs": checked.crs.to_wkt(),
                "crs_name": checked.crs.to_string(),
                "width": checked.width,
                "height": checked.height,
                "bands": checked.bands,
                "dtype": checked.dtype,
                "nodata": checked.nodata,
                "res_x": abs(res_x),
                "res_y": abs(res_y),
                "footprint": footprint,
                "stats": stats,
                "colormap": cmap,
                "public": public,
                "visible": visible,
                "synthetic": synthetic,
                "version": version,
                "order": order,
            }
            for key, value in fields.items():
                setattr(raster, key, value)
            if raster.pk is None:
                raster.created_by = actor if getattr(actor, "pk", None) else None
            raster.save()
            if old_file and old_file != final.name:
                transaction.on_commit(lambda: (folder / old_file).unlink(missing_ok=True))
        return raster
    except BaseException:
        scratch.unlink(missing_ok=True)
        if final is not None and not existed:
            final.unlink(missing_ok=True)
        raise


def raster_get(name: str) -> Raster:
    """The raster layer of that name, or NotFound."""
    raster = Raster.objects.filter(name=name).first()
    if raster is None:
        raise NotFound(f"Không có lớp raster {name}.", f"No raster layer {name}.")
    return raster


def raster_remove(*, name: str) -> None:
    """Delete a raster layer and, once the delete commits, its file."""
    raster = raster_get(name)
    path = raster_path(raster)
    with transaction.atomic():
        raster.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def raster_recolor(*, name: str, colormap: dict[str, Any]) -> Raster:
    """Give a raster new colours (a new version, so no cached tile keeps the old ones)."""
    raster = raster_get(name)
    with contextlib.suppress(KeyError):
        colormap["stops"] = [[float(v), str(c)] for v, c in colormap["stops"]]
    raster.colormap = colormap
    raster.version = _digest(raster_path(raster), colormap)
    raster.save(update_fields=["colormap", "version"])
    return raster
