"""Adding basemap archives: both schemas and formats recognised, bad files refused with
nothing left behind, one active basemap at most, and the command's answers."""

import gzip
import sqlite3
from io import StringIO
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.core.management import CommandError, call_command
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write

from gisioc.errors import InvalidInput, NotFound
from gisioc.rasters.basemap import (
    basemap_activate,
    basemap_active,
    basemap_add,
    basemap_list,
    basemap_path,
    basemap_remove,
)
from gisioc.rasters.models import Basemap
from tests.rasters.basemap_fixtures import write_mbtiles, write_pmtiles

pytestmark = pytest.mark.django_db


def leftovers(var: Path) -> list[str]:
    folder = var / "basemaps"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("schema", ["openmaptiles", "protomaps"])
def test_vector_pmtiles_added_with_its_schema(private_var: Path, tmp_path: Path, schema: str):
    src = tmp_path / "src" / f"Duy Xuyen {schema}.pmtiles"
    src.parent.mkdir()
    write_pmtiles(src, schema=schema)
    basemap = basemap_add(path=src, title="Duy Xuyên")
    assert basemap.name == f"duy-xuyen-{schema}"
    assert (basemap.format, basemap.tile_type, basemap.schema) == ("pmtiles", "mvt", schema)
    assert (basemap.minzoom, basemap.maxzoom) == (8, 14)
    assert basemap.bounds == pytest.approx([108.10, 15.74, 108.40, 15.92])
    assert basemap.attribution == "gisioc test data (synthetic)"  # HTML taken out
    assert basemap.active and basemap_active() == basemap
    path = basemap_path(basemap)
    assert path.read_bytes() == src.read_bytes()
    assert path.name == f"{basemap.name}-{basemap.version[:12]}.pmtiles"
    assert leftovers(private_var) == [path.name]


def test_schema_read_from_a_tile_without_vector_layers(private_var: Path, tmp_path: Path):
    src = tmp_path / "pm.pmtiles"
    write_pmtiles(src, schema="protomaps", metadata_layers=False)
    assert basemap_add(path=src).schema == "protomaps"


def test_mbtiles_vector_and_raster(private_var: Path, tmp_path: Path):
    write_mbtiles(tmp_path / "omt.mbtiles", schema="openmaptiles")
    vector = basemap_add(path=tmp_path / "omt.mbtiles")
    assert (vector.format, vector.tile_type, vector.schema) == ("mbtiles", "mvt", "openmaptiles")
    write_mbtiles(tmp_path / "photo.mbtiles", schema="raster")
    raster = basemap_add(path=tmp_path / "photo.mbtiles")
    assert (raster.format, raster.tile_type, raster.schema) == ("mbtiles", "png", "raster")


def test_second_add_deactivates_the_first(private_var: Path, tmp_path: Path):
    write_pmtiles(tmp_path / "a.pmtiles")
    write_pmtiles(tmp_path / "b.pmtiles", schema="protomaps")
    first = basemap_add(path=tmp_path / "a.pmtiles")
    second = basemap_add(path=tmp_path / "b.pmtiles")
    first.refresh_from_db()
    assert not first.active and second.active
    assert Basemap.objects.filter(active=True).count() == 1
    assert basemap_activate(name="a").active
    second.refresh_from_db()
    assert not second.active and basemap_active().name == "a"
    inactive = basemap_add(path=tmp_path / "a.pmtiles", name="c", activate=False)
    assert not inactive.active and basemap_active().name == "a"
    assert basemap_list()[0].name == "a"


def test_same_name_replaces_the_file(
    private_var: Path, tmp_path: Path, django_capture_on_commit_callbacks
):
    write_pmtiles(tmp_path / "a.pmtiles")
    old = basemap_add(path=tmp_path / "a.pmtiles", name="nen")
    old_path = basemap_path(old)
    write_pmtiles(tmp_path / "a.pmtiles", schema="protomaps")
    with django_capture_on_commit_callbacks(execute=True):
        new = basemap_add(path=tmp_path / "a.pmtiles", name="nen")
    assert new.pk == old.pk and new.version != old.version and new.schema == "protomaps"
    assert not old_path.exists()
    assert leftovers(private_var) == [basemap_path(new).name]


def test_remove_deletes_row_and_file(
    private_var: Path, tmp_path: Path, django_capture_on_commit_callbacks
):
    write_pmtiles(tmp_path / "a.pmtiles")
    basemap_add(path=tmp_path / "a.pmtiles")
    with django_capture_on_commit_callbacks(execute=True):
        basemap_remove(name="a")
    assert not Basemap.objects.exists() and leftovers(private_var) == []
    with pytest.raises(NotFound):
        basemap_remove(name="a")


def _truncated(tmp_path: Path) -> Path:
    write_pmtiles(tmp_path / "whole.pmtiles")
    data = (tmp_path / "whole.pmtiles").read_bytes()
    (tmp_path / "cut.pmtiles").write_bytes(data[: len(data) // 2])
    return tmp_path / "cut.pmtiles"


def _garbled(tmp_path: Path) -> Path:
    write_pmtiles(tmp_path / "whole.pmtiles")
    data = bytearray((tmp_path / "whole.pmtiles").read_bytes())
    data[127:400] = b"\x00" * 273  # the root directory and metadata overwritten
    (tmp_path / "garbled.pmtiles").write_bytes(bytes(data))
    return tmp_path / "garbled.pmtiles"


def _text(tmp_path: Path) -> Path:
    (tmp_path / "notes.pmtiles").write_text("đây là một tệp văn bản\n" * 50)
    return tmp_path / "notes.pmtiles"


def _sqlite_without_tiles(tmp_path: Path) -> Path:
    db = sqlite3.connect(tmp_path / "empty.mbtiles")
    db.execute("CREATE TABLE metadata (name text, value text)")
    db.commit()
    db.close()
    return tmp_path / "empty.mbtiles"


def _header_only(tmp_path: Path) -> Path:
    (tmp_path / "head.pmtiles").write_bytes(b"PMTiles\x03" + b"\x00" * 20)
    return tmp_path / "head.pmtiles"


def _bad_zoom(tmp_path: Path) -> Path:
    write_pmtiles(tmp_path / "whole.pmtiles")
    data = bytearray((tmp_path / "whole.pmtiles").read_bytes())
    data[100], data[101] = 14, 8  # min zoom above max zoom
    (tmp_path / "zoom.pmtiles").write_bytes(bytes(data))
    return tmp_path / "zoom.pmtiles"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_truncated, "corrupt"),
        (_garbled, "corrupt"),
        (_text, "is not a PMTiles or MBTiles file"),
        (_sqlite_without_tiles, "not MBTiles: no tiles table"),
        (_header_only, "corrupt"),
        (_bad_zoom, "zoom range 14–8 is invalid"),
    ],
)
def test_bad_files_refused_with_nothing_left(private_var: Path, tmp_path: Path, make, words):
    write_pmtiles(tmp_path / "good.pmtiles")
    basemap_add(path=tmp_path / "good.pmtiles")
    before = leftovers(private_var)
    path = make(tmp_path)
    with pytest.raises(InvalidInput) as caught:
        basemap_add(path=path, name="bad")
    assert words in caught.value.en and caught.value.vi and caught.value.vi != caught.value.en
    assert leftovers(private_var) == before
    assert list(Basemap.objects.values_list("name", "active")) == [("good", True)]


def test_unknown_vector_schema_refused(private_var: Path, tmp_path: Path):
    src = tmp_path / "odd.pmtiles"
    tile = mapbox_vector_tile.encode([{"name": "stuff", "features": [{"geometry": "POINT (1 1)"}]}])
    with write(src) as writer:
        writer.write_tile(zxy_to_tileid(10, 826, 479), gzip.compress(tile))
        writer.finalize(
            {"tile_type": TileType.MVT, "tile_compression": Compression.GZIP}, {"name": "odd"}
        )
    with pytest.raises(InvalidInput, match="neither the OpenMapTiles nor the Protomaps"):
        basemap_add(path=src)
    assert leftovers(private_var) == []


def test_command(private_var: Path, tmp_path: Path, django_capture_on_commit_callbacks):
    write_pmtiles(tmp_path / "quang-nam.pmtiles")
    out = StringIO()
    call_command("basemap", "add", str(tmp_path / "quang-nam.pmtiles"), "--title", "QN", stdout=out)
    assert "basemap added" in out.getvalue() and "openmaptiles" in out.getvalue()
    out = StringIO()
    call_command("basemap", "list", stdout=out)
    assert out.getvalue().startswith("* quang-nam")
    (tmp_path / "x.mbtiles").write_text("not sqlite")
    with pytest.raises(CommandError, match=r"không phải tệp PMTiles hay MBTiles\. — "):
        call_command("basemap", "add", str(tmp_path / "x.mbtiles"), stdout=StringIO())
    with pytest.raises(CommandError, match="There is no basemap 'nope'"):
        call_command("basemap", "activate", "nope", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("basemap", "remove", "quang-nam", stdout=StringIO())
    assert leftovers(private_var) == []


def test_same_file_again_keeps_it(private_var: Path, tmp_path: Path):
    write_pmtiles(tmp_path / "a.pmtiles")
    first = basemap_add(path=tmp_path / "a.pmtiles", title="Một")
    again = basemap_add(path=tmp_path / "a.pmtiles", title="Hai")
    assert again.pk == first.pk and again.version == first.version and again.title == "Hai"
    assert basemap_path(again).read_bytes() == (tmp_path / "a.pmtiles").read_bytes()
    assert leftovers(private_var) == [basemap_path(again).name]


def test_failed_store_leaves_no_file(private_var: Path, tmp_path: Path, monkeypatch):
    write_pmtiles(tmp_path / "a.pmtiles")

    def broken(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(Basemap, "save", broken)
    with pytest.raises(RuntimeError):
        basemap_add(path=tmp_path / "a.pmtiles")
    assert leftovers(private_var) == []
