"""/tiles/basemap/{z}/{x}/{y}.{ext}: the active archive's tiles byte for byte, gzip passed
through or undone, ETag/304, day-long caching for a versioned URL, 204 where there is none."""

import gzip
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.test import Client

from gisioc.rasters.basemap import basemap_add, basemap_path, basemap_reader
from tests.rasters.basemap_fixtures import write_mbtiles, write_pmtiles

pytestmark = pytest.mark.django_db
GZ = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def url(z: int, x: int, y: int, ext: str = "mvt", version: str | None = None) -> str:
    return f"/tiles/basemap/{z}/{x}/{y}.{ext}" + (f"?v={version}" if version else "")


@pytest.mark.parametrize("writer", [write_pmtiles, write_mbtiles])
def test_every_tile_served_byte_exact(private_var: Path, tmp_path: Path, writer):
    src = tmp_path / ("a.pmtiles" if writer is write_pmtiles else "a.mbtiles")
    stored = writer(src, schema="openmaptiles")
    basemap = basemap_add(path=src)
    client = Client()
    for (z, x, y), data in stored.items():
        r = client.get(url(z, x, y, version=basemap.version), **GZ)
        assert r.status_code == 200
        assert r.content == data  # as stored: gzip passed through
        assert r["Content-Encoding"] == "gzip"
        assert r["Content-Type"] == "application/vnd.mapbox-vector-tile"
        assert r["Cache-Control"] == "public, max-age=86400"
        assert r["Access-Control-Allow-Origin"] == "*"
    (z, x, y), data = next(iter(stored.items()))
    plain = client.get(url(z, x, y))  # no Accept-Encoding: decompressed
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert plain.content == gzip.decompress(data)
    assert plain["Cache-Control"] == "public, no-cache"  # no version in the URL


def test_etag_and_304(private_var: Path, tmp_path: Path):
    stored = write_pmtiles(tmp_path / "a.pmtiles")
    basemap = basemap_add(path=tmp_path / "a.pmtiles")
    (z, x, y) = next(iter(stored))
    client = Client()
    first = client.get(url(z, x, y, version=basemap.version), **GZ)
    etag = first["ETag"]
    assert basemap.version in etag and f"-{z}-{x}-{y}" in etag
    again = client.get(url(z, x, y, version=basemap.version), HTTP_IF_NONE_MATCH=etag, **GZ)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    weak = client.get(url(z, x, y), HTTP_IF_NONE_MATCH=f"W/{etag}", **GZ)
    assert weak.status_code == 304
    # The identity body is another representation: another tag.
    plain = client.get(url(z, x, y), HTTP_IF_NONE_MATCH=etag)
    assert plain.status_code == 200 and plain["ETag"] != etag
    # A new archive is a new version: the old tag no longer matches.
    write_pmtiles(tmp_path / "b.pmtiles", schema="protomaps")
    basemap_add(path=tmp_path / "b.pmtiles")
    assert client.get(url(z, x, y), HTTP_IF_NONE_MATCH=etag, **GZ).status_code == 200


def test_missing_tiles_204_and_errors(private_var: Path, tmp_path: Path):
    client = Client()
    none = client.get(url(12, 3280, 1860))
    assert none.status_code == 404 and "No basemap is active" in none.json()["en"]
    write_pmtiles(tmp_path / "a.pmtiles")
    basemap_add(path=tmp_path / "a.pmtiles")
    assert client.get(url(12, 0, 0), **GZ).status_code == 204  # in zoom, outside the area
    assert client.get(url(3, 6, 3), **GZ).status_code == 204  # below the archive's zooms
    assert client.get(url(16, 52000, 30000), **GZ).status_code == 204  # above
    wrong = client.get(url(12, 3280, 1860, ext="png"))
    assert wrong.status_code == 404 and "has .mvt tiles, not .png" in wrong.json()["en"]
    assert client.get(url(5, 40, 1)).status_code == 400  # no such tile
    assert client.head(url(12, 0, 0)).status_code == 204


def test_uncompressed_vector_tiles_served_as_stored(private_var: Path, tmp_path: Path):
    stored = write_pmtiles(tmp_path / "a.pmtiles", schema="protomaps", compress=False)
    basemap_add(path=tmp_path / "a.pmtiles")
    (z, x, y), data = next(iter(stored.items()))
    r = Client().get(url(z, x, y))
    assert r.status_code == 200 and "Content-Encoding" not in r and r.content == data
    zipped = Client().get(url(z, x, y), **GZ)  # Django's GZipMiddleware compresses it
    assert gzip.decompress(zipped.content) == data


@pytest.mark.parametrize("writer", [write_pmtiles, write_mbtiles])
def test_raster_archive(private_var: Path, tmp_path: Path, writer):
    src = tmp_path / ("r.pmtiles" if writer is write_pmtiles else "r.mbtiles")
    stored = writer(src, schema="raster")
    basemap = basemap_add(path=src)
    (z, x, y), data = next(iter(stored.items()))
    r = Client().get(url(z, x, y, ext="png", version=basemap.version))
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r.content == data
    assert Client().get(url(z, x, y, ext="mvt")).status_code == 404


def test_reader_shared_by_threads(private_var: Path, tmp_path: Path):
    stored = write_pmtiles(tmp_path / "a.pmtiles")
    mb_stored = write_mbtiles(tmp_path / "b.mbtiles", schema="protomaps")
    for src, tiles in ((tmp_path / "a.pmtiles", stored), (tmp_path / "b.mbtiles", mb_stored)):
        reader = basemap_reader(basemap_add(path=src))
        keys = list(tiles) * 20
        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(lambda k, r=reader: r.tile(*k), keys))
        assert got == [tiles[k] for k in keys]


def test_archive_lost_from_disk_is_a_clear_404(private_var: Path, tmp_path: Path):
    stored = write_pmtiles(tmp_path / "a.pmtiles")
    basemap = basemap_add(path=tmp_path / "a.pmtiles", name="lost")
    basemap_path(basemap).unlink()
    r = Client().get(url(*next(iter(stored))))
    assert r.status_code == 404 and "has lost its file" in r.json()["en"]
