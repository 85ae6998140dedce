"""Offline basemaps: adding a PMTiles/MBTiles archive, listing, activating and removing them.

An archive is checked (`basemap_archive.archive_inspect`) before anything is written, copied
under var/basemaps as `<name>-<digest>.<ext>` (its digest is its version: tile ETags and the
style's tile URL carry it), and stored as a `Basemap` row. At most one basemap is active: the
one the style draws under the thematic layers.
"""

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from gisioc.errors import InvalidInput, NotFound
from gisioc.rasters.basemap_archive import ArchiveInfo, archive_inspect
from gisioc.rasters.basemap_readers import MBTilesFile, PMTilesFile, archive_open
from gisioc.rasters.models import Basemap

CHUNK = 4 << 20
Progress = Callable[[int, int], None]  # (bytes copied, bytes in all)

_readers: dict[str, PMTilesFile | MBTilesFile] = {}
_readers_lock = threading.Lock()


def basemaps_dir() -> Path:
    """The folder of the archives (made when missing)."""
    folder = settings.CONFIG.var_dir / "basemaps"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def basemap_path(basemap: Basemap) -> Path:
    """The absolute path of a basemap's archive."""
    return settings.CONFIG.var_dir / "basemaps" / basemap.file


def _name_for(path: Path, name: str | None) -> str:
    slug = slugify(name if name is not None else path.stem)[:60].strip("-")
    if not slug or (name is not None and slug != name):
        raise InvalidInput(
            f"Tên bản đồ nền '{name or path.stem}' không hợp lệ: chỉ dùng chữ thường không dấu, "
            "số và dấu gạch ngang.",
            f"The basemap name '{name or path.stem}' is invalid: use lower-case letters without "
            "accents, digits and hyphens.",
            field="name",
        )
    return slug


def _copy(source: Path, target: Path, progress: Progress | None) -> str:
    """Copy `source` to `target`, returning the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    total, done = source.stat().st_size, 0
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        dst.flush()
        os.fsync(dst.fileno())
    return digest.hexdigest()


def _store(
    *, info: ArchiveInfo, source: Path, target: Path, name: str, title: str, digest: str
) -> Basemap:
    basemap = Basemap.objects.filter(name=name).first() or Basemap(name=name)
    basemap.title = title or basemap.title or name
    basemap.file = target.name
    basemap.source_name = source.name[:300]
    basemap.format = info.format
    basemap.tile_type = info.tile_type
    basemap.schema = info.schema
    basemap.minzoom = info.minzoom
    basemap.maxzoom = info.maxzoom
    basemap.bounds = info.bounds
    basemap.attribution = info.attribution
    basemap.size = target.stat().st_size
    basemap.version = digest[:16]
    return basemap


def basemap_add(
    *,
    path: Path,
    name: str | None = None,
    title: str = "",
    activate: bool = True,
    progress: Progress | None = None,
) -> Basemap:
    """Check, copy and register an archive (the same name again replaces its file)."""
    path = Path(path)
    name = _name_for(path, name)
    info = archive_inspect(path)
    folder = basemaps_dir()
    incoming = folder / f".incoming-{name}-{os.getpid()}-{threading.get_ident()}"
    target: Path | None = None  # ours to delete should the row not be stored
    try:
        digest = _copy(path, incoming, progress)
        archive_inspect(incoming)  # the copy we serve is the file we checked
        same = folder / f"{name}-{digest[:12]}.{info.format}"
        target = None if same.exists() else same  # the same bytes again: the file stays
        incoming.replace(same)
        with transaction.atomic():
            old = Basemap.objects.select_for_update().filter(name=name).first()
            old_file = old.file if old else None
            basemap = _store(
                info=info, source=path, target=same, name=name, title=title, digest=digest
            )
            basemap.active = activate or bool(old and old.active)
            if basemap.active:
                Basemap.objects.filter(active=True).exclude(name=name).update(active=False)
            basemap.save()
            if old_file and old_file != same.name:
                transaction.on_commit(lambda: _delete(folder / old_file))
    except BaseException:
        incoming.unlink(missing_ok=True)
        if target is not None:
            target.unlink(missing_ok=True)
        raise
    return basemap


def _delete(path: Path) -> None:
    with _readers_lock:
        reader = _readers.pop(str(path), None)
    if reader is not None:
        reader.close()
    path.unlink(missing_ok=True)


def _get(name: str) -> Basemap:
    basemap = Basemap.objects.filter(name=name).first()
    if basemap is None:
        raise NotFound(f"Không có bản đồ nền '{name}'.", f"There is no basemap '{name}'.")
    return basemap


def basemap_remove(*, name: str) -> None:
    """Delete a basemap's row and its archive."""
    with transaction.atomic():
        basemap = _get(name)
        path = basemap_path(basemap)
        basemap.delete()
        transaction.on_commit(lambda: _delete(path))


def basemap_activate(*, name: str) -> Basemap:
    """Make a basemap the one drawn (the others stop being drawn)."""
    with transaction.atomic():
        basemap = _get(name)
        Basemap.objects.filter(active=True).exclude(pk=basemap.pk).update(active=False)
        basemap.active = True
        basemap.save(update_fields=["active"])
    return basemap


def basemap_deactivate() -> None:
    """Draw no archive basemap."""
    Basemap.objects.filter(active=True).update(active=False)


def basemap_list() -> list[Basemap]:
    """Every basemap, the active one first."""
    return list(Basemap.objects.all())


def basemap_active() -> Basemap | None:
    """The basemap drawn under the map, if any."""
    return Basemap.objects.filter(active=True).order_by("-created_at").first()


def basemap_reader(basemap: Basemap) -> PMTilesFile | MBTilesFile:
    """The process's open reader of a basemap's archive (opened once, shared by threads)."""
    key = str(basemap_path(basemap))
    reader = _readers.get(key)
    if reader is None:
        with _readers_lock:
            reader = _readers.get(key)
            if reader is None:
                reader = archive_open(Path(key), basemap.format)
                # Another archive's reader closes when the last thread reading it lets it go.
                _readers.clear()
                _readers[key] = reader
    return reader
