"""Media of citizen reports: read by content, refused with a clear reason, re-encoded without
metadata, counted per report, and served inert to whoever may see them."""

import datetime as dt
import hashlib
import io
import os
import stat
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageCms, ImageOps

from gisioc.errors import GisiocError, InvalidInput, NotFound, TooLarge, UnsupportedMediaType
from gisioc.feedback import media, services
from gisioc.feedback.media import (
    media_check,
    media_moderate,
    media_orphans_delete,
    media_path,
    media_store,
    media_url,
)
from gisioc.feedback.models import AgencyMember, Report, ReportEvent
from gisioc.geo.models import Facility, Role, UserAccess

# Files made here ------------------------------------------------------------------------------


def _photo(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), **save: Any) -> bytes:
    """Left half red, right half blue: orientation shows in where the colours end up."""
    img = Image.new("RGB", size, (220, 20, 20))
    img.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    img.save(out, fmt, **save)
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def _mp4(seconds: float = 5, brand: bytes = b"isom") -> bytes:
    """ftyp + moov(mvhd: 1000 ticks a second) + a little mdat: the smallest MP4 we accept."""
    ftyp = _box(b"ftyp", brand + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41")
    ticks = struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000))
    mvhd = _box(b"mvhd", bytes(4) + ticks + bytes(80))
    tkhd = _box(b"tkhd", bytes(76) + struct.pack(">II", 1280 << 16, 720 << 16))
    moov = _box(b"moov", mvhd + _box(b"trak", tkhd))
    return ftyp + moov + _box(b"mdat", bytes(range(256)) * 4)


def _ebml(ident: int, payload: bytes, *, unknown: bool = False) -> bytes:
    head = ident.to_bytes((ident.bit_length() + 7) // 8, "big")
    size = b"\x01" + (2**56 - 1 if unknown else len(payload)).to_bytes(7, "big")
    return head + size + payload


def _webm(doctype: bytes = b"webm", seconds: float = 3.0, *, recorded: bool = False) -> bytes:
    """A WebM header and segment; `recorded`: as a browser records, no Duration, clusters of
    unknown size each starting with its Timecode (one a second)."""
    header = _ebml(0x1A45DFA3, _ebml(0x4286, b"\x01") + _ebml(0x4282, doctype))
    info = _ebml(0x2AD7B1, (1_000_000).to_bytes(3, "big"))
    if not recorded:
        info += _ebml(0x4489, struct.pack(">d", seconds * 1000))
        return header + _ebml(0x18538067, _ebml(0x1549A966, info) + _ebml(0x1F43B675, bytes(40)))
    clusters = b"".join(
        _ebml(0x1F43B675, _ebml(0xE7, struct.pack(">I", ms)) + bytes(30), unknown=True)
        for ms in range(0, int(seconds * 1000) + 1, 1000)
    )
    return header + _ebml(0x18538067, _ebml(0x1549A966, info) + clusters, unknown=True)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header claims width × height pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(bytes(1000)))
        + _png_chunk(b"IEND", b"")
    )


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
    return out.getvalue()


def _refusal(data: bytes, error: type[GisiocError] = InvalidInput, name: str = "") -> str:
    with pytest.raises(error) as caught:
        media_check(data, declared_name=name)
    return f"{caught.value.vi} | {caught.value.en}"


# Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def media_dir(settings: Any, tmp_path: Path) -> Path:
    settings.GISIOC_MEDIA_DIR = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def report(db: None, media_dir: Path) -> Report:
    return services.report_receive(
        category="chieu_sang",
        description="Đèn đường hỏng, gọi 0905123456",
        channel="web",
        point=Point(108.25, 15.83, srid=4326),
    )


@pytest.fixture
def staff(db: None) -> Any:
    user = get_user_model().objects.create_user("mod", password="x-pass-123")
    UserAccess.objects.create(user=user, role=Role.FIELD_STAFF)
    return user


def _public(report: Report, staff: Any) -> Report:
    return services.report_verify(report=report, actor=staff)


def _get(client: Client, rel: str) -> Any:
    return client.get(media_url(rel), HTTP_ACCEPT_ENCODING="gzip, br")


# Sniffing and refusals ------------------------------------------------------------------------


def test_photos_and_videos_are_known_by_their_content_not_their_name() -> None:
    assert media_check(_photo(), declared_name="x.png").content_type == "image/jpeg"
    assert media_check(_photo("PNG"), declared_name="x.jpg").content_type == "image/png"
    assert media_check(_photo("WEBP")).content_type == "image/webp"
    assert media_check(_photo("WEBP", lossless=True)).content_type == "image/webp"
    alpha = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 0, 0, 128)).save(alpha, "WEBP")  # a VP8X header
    assert alpha.getvalue()[12:16] == b"VP8X"
    assert (media_check(alpha.getvalue()).width, media_check(alpha.getvalue()).height) == (300, 200)
    mp4 = media_check(_mp4(seconds=12.5))
    assert (mp4.kind, mp4.content_type, mp4.ext, mp4.seconds) == ("video", "video/mp4", "mp4", 12.5)
    assert (mp4.width, mp4.height) == (1280, 720)
    mov = media_check(_mp4(brand=b"qt  "))
    assert (mov.content_type, mov.ext) == ("video/quicktime", "mov")
    webm = media_check(_webm(seconds=7))
    assert (webm.content_type, webm.seconds) == ("video/webm", 7.0)


def test_html_named_jpg_is_refused_naming_what_it_holds() -> None:
    text = _refusal(b"<!DOCTYPE html><HTML><body>hi</body></HTML>", name="anh.jpg")
    assert "«anh.jpg» chứa mã HTML/script (<!doctype)" in text
    assert "contains HTML or script code (<!doctype); it is refused" in text
    upload = SimpleUploadedFile("trang.jpg", b"<p>x</p><IFRAME src=//evil>", "image/jpeg")
    with pytest.raises(InvalidInput, match=r"The file «trang.jpg» contains HTML .* \(<iframe\)"):
        media_check(upload)


def test_other_types_are_refused_saying_what_is_accepted() -> None:
    text = _refusal(_photo("GIF"), UnsupportedMediaType)
    assert "Chỉ nhận ảnh JPEG, PNG, WebP hoặc video MP4, MOV, WebM" in text
    assert "Only JPEG, PNG or WebP photos and MP4, MOV or WebM videos are accepted" in text
    heic = _box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic") + _box(b"meta", bytes(20))
    text = _refusal(heic, UnsupportedMediaType)
    assert "HEIC/HEIF/AVIF" in text and "hãy gửi ảnh JPEG hoặc PNG" in text
    assert "send a JPEG or PNG" in text
    assert "Matroska/MKV" in _refusal(_webm(doctype=b"matroska"), UnsupportedMediaType)
    assert "is empty" in _refusal(b"")


def test_a_fake_mp4_is_refused() -> None:
    fake = _box(b"ftyp", b"isom\x00\x00\x00\x00isom") + b"this is not a box structure at all"
    text = _refusal(fake)
    assert "không phải video MP4/MOV (hộp ftyp/moov) hợp lệ" in text
    assert "is not a valid MP4/MOV video (ftyp/moov boxes)" in text
    no_moov = _box(b"ftyp", b"isom\x00\x00\x00\x00isom") + _box(b"mdat", bytes(64))
    assert "ftyp/moov" in _refusal(no_moov)
    assert "ftyp 'abcd'" in _refusal(_box(b"ftyp", b"abcd\x00\x00\x00\x00"), UnsupportedMediaType)


def test_limits_of_size_duration_and_pixels_are_named() -> None:
    # A valid JPEG made heavy by padding segments: over 10 MB as a photo.
    pad = b"".join(b"\xff\xe5\xff\xff" + bytes(65533) for _ in range(165))
    heavy = _photo()[:2] + pad + _photo()[2:]
    assert len(heavy) > media.PHOTO_MAX_BYTES
    text = _refusal(heavy, TooLarge)
    assert "quá giới hạn 10 MB" in text and "over the 10 MB limit" in text
    text = _refusal(bytes(media.VIDEO_MAX_BYTES + 1), TooLarge)
    assert "quá giới hạn 50 MB cho video" in text and "over the limit of 50 MB" in text
    text = _refusal(_mp4(seconds=61))
    assert "dài 61 giây, quá giới hạn 60 giây" in text and "over the 60-second limit" in text
    assert "61 seconds" in _refusal(_webm(seconds=61))
    assert "lasts 75 seconds" in _refusal(_webm(seconds=75, recorded=True))
    assert media_check(_webm(seconds=42, recorded=True)).seconds == 42
    # A fragmented MP4 (as Safari records): no duration in mvhd, the whole one in mvex › mehd.
    head = bytes(4) + struct.pack(">IIII", 0, 0, 1000, 0) + bytes(80)
    mvex = _box(b"mvex", _box(b"mehd", bytes(4) + struct.pack(">I", 90_000)))
    ftyp = _box(b"ftyp", b"iso5\x00\x00\x02\x00iso5iso6mp41")
    fragmented = ftyp + _box(b"moov", _box(b"mvhd", head) + mvex) + _box(b"moof", bytes(8))
    assert "lasts 90 seconds" in _refusal(fragmented)
    text = _refusal(_photo(size=(15, 40)))
    assert "15×40" in text and "each side must be 16 or more" in text


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = _png_claiming(30000, 30000)
    assert len(bomb) < 500
    text = _refusal(bomb)
    assert "30000×30000 điểm ảnh, quá giới hạn 40 megapixel" in text
    assert "over the 40 megapixel limit (it may be a decompression bomb)" in text
    assert "7000×7000" in _refusal(_png_claiming(7000, 7000))  # 49 MP: past ours, below 2× Pillow's
    assert Image.MAX_IMAGE_PIXELS == media.PIXELS_MAX
    # Pillow's guard behind ours raises (not warns) even where a runner reset the filters.
    claimed = media.Sniffed("photo", "image/png", "jpg", 100, 100)  # as if the header lied
    with pytest.raises(InvalidInput, match=r"more than 40 megapixels .*decompression bomb"):
        media._decode(_png_claiming(7000, 7000), claimed, "")


def test_polyglots_are_refused() -> None:
    text = _refusal(_photo() + b"<script>alert(document.cookie)</script>")
    assert "(<script)" in text
    assert "(<?php)" in _refusal(_photo() + b"<?php system($_GET['c']); ?>")
    assert "(javascript:)" in _refusal(_photo("PNG") + b"JavaScript:alert(1)")
    assert "(<svg)" in _refusal(b"<?xml version='1.0'?><SVG onload='x'/>")
    text = _refusal(_photo() + _zip())
    assert "gắn kèm một tệp nén ZIP/JAR" in text and "ZIP/JAR archive attached" in text
    archive = _zip()[:60]  # a ZIP's first entry hidden in a JPEG comment: the JPEG stays valid
    in_comment = _photo()[:2] + b"\xff\xfe" + struct.pack(">H", len(archive) + 2) + archive
    assert "ZIP/JAR" in _refusal(in_comment + _photo()[2:])
    for data in (
        _photo() + b"\x01trailing payload",
        _photo("PNG") + b"tail",
        _photo("WEBP") + b"xx",
    ):
        text = _refusal(data)
        assert "dữ liệu lạ sau phần cuối của ảnh" in text and "after the end of the image" in text
    assert media_check(_photo() + _photo()).kind == "photo"  # MPF: a second whole JPEG
    assert "ftyp/moov" in _refusal(_mp4() + b"appended junk!!")


def _samsung_trailer() -> bytes:
    block = b"\x00\x00\x01\x0a\x0e\x00\x00\x00Image_UTC_Data1733389200000"
    directory = b"SEFH" + struct.pack("<III", 106, 1, 0x0A01) + struct.pack("<II", 48, 41)
    return block + directory + struct.pack("<I", len(directory)) + b"SEFT"


def test_what_phones_append_to_photos_is_accepted_and_not_kept(report: Report) -> None:
    for sent in (_photo() + _samsung_trailer(), _photo() + _mp4(), _photo() + bytes(64)):
        assert media_check(sent).content_type == "image/jpeg"
        stored = media_path(media_store(report=report, data=sent).file).read_bytes()
        assert b"Image_UTC_Data" not in stored and b"ftyp" not in stored
        assert Image.open(io.BytesIO(stored)).size == (64, 48)
    assert "after the end" in _refusal(_photo() + b"SEFH" + _samsung_trailer()[-8:-4] + b"SEFT")
    assert "after the end" in _refusal(_photo() + _box(b"ftyp", b"isom") + b"garbage")


def test_a_jpeg_with_thousands_of_scans_is_refused() -> None:
    progressive = _photo(progressive=True)
    sos = progressive.index(b"\xff\xda")
    end = progressive.index(b"\xff", sos + 2 + int.from_bytes(progressive[sos + 2 : sos + 4]))
    scan = progressive[sos:end]  # one scan: its header and entropy-coded data
    bomb = progressive[:sos] + scan * 200 + progressive[sos:]
    text = _refusal(bomb)
    assert "hơn 100 lượt quét" in text and "more than 100 scans, which no camera writes" in text
    assert media_check(progressive).content_type == "image/jpeg"


def test_a_cut_photo_is_refused_as_damaged() -> None:
    text = _refusal(_photo()[:-40])
    assert "không phải ảnh JPEG hợp lệ" in text and "not a valid JPEG photo" in text


# Storing ----------------------------------------------------------------------------------------


def test_a_photo_is_stored_rotated_without_any_metadata(report: Report, media_dir: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show
    exif[0x010F] = "SecretPhoneMaker"
    exif[0x8825] = {1: "N", 2: (15.0, 49.0, 58.0), 3: "E", 4: (108.0, 15.0, 0.0)}
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description GPSLatitude="15,49N"/></x:xmpmeta>'
    sent = _photo(size=(80, 40), exif=exif, icc_profile=icc, comment=b"secret comment", xmp=xmp)
    for kept in (b"Exif", b"SecretPhoneMaker", b"ICC_PROFILE", b"ns.adobe.com/xap", b"15,49N"):
        assert kept in sent  # the test file carries all of it
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(0x8825)
    item = media_store(report=report, data=sent)
    stored = media_path(item.file).read_bytes()
    leaks = (b"Exif", b"GPS", b"SecretPhoneMaker", b"ICC_PROFILE", b"secret comment", b"xmp")
    for leak in (*leaks, b"15,49N", b"ns.adobe.com"):
        assert leak not in stored
    img = Image.open(io.BytesIO(stored))
    assert len(img.getexif()) == 0 and "icc_profile" not in img.info
    assert (item.width, item.height, img.size) == (40, 80, (40, 80))  # rotated
    shown = ImageOps.exif_transpose(Image.open(io.BytesIO(sent))).convert("RGB")
    for xy in ((20, 5), (20, 75)):
        got, want = img.convert("RGB").getpixel(xy), shown.getpixel(xy)
        assert all(abs(a - b) < 40 for a, b in zip(got, want, strict=True)), (xy, got, want)
    assert (item.kind, item.content_type, item.size) == ("photo", "image/jpeg", len(stored))
    assert item.sha256 == hashlib.sha256(stored).hexdigest()
    thumb = Image.open(media_path(item.thumb))
    assert thumb.format == "JPEG" and max(thumb.size) <= media.THUMB_SIDE
    for rel in (item.file, item.thumb):
        assert stat.S_IMODE(os.stat(media_path(rel)).st_mode) == 0o640
        assert media_path(rel).parent == media_dir / "feedback"
    assert not list((media_dir / "feedback").glob(".*.tmp"))


def test_big_photos_are_resized_and_png_becomes_jpeg(report: Report) -> None:
    item = media_store(report=report, data=_photo("PNG", size=(3000, 1000)))
    assert (item.width, item.height) == (2560, 853) and item.file.endswith(".jpg")
    assert Image.open(media_path(item.file)).format == "JPEG"


def test_a_video_is_stored_as_sent_from_an_upload(report: Report) -> None:
    sent = _mp4()
    item = media_store(report=report, data=SimpleUploadedFile("clip.mp4", sent, "image/png"))
    assert (item.kind, item.content_type, item.thumb) == ("video", "video/mp4", "")
    assert (item.width, item.height, item.size) == (1280, 720, len(sent))
    assert item.file.endswith(".mp4") and media_path(item.file).read_bytes() == sent


def test_five_photos_and_one_video_per_report_and_stage(report: Report) -> None:
    for _ in range(media.PHOTOS_MAX):
        media_store(report=report, data=_photo())
    with pytest.raises(InvalidInput) as caught:
        media_store(report=report, data=_photo())
    assert "tối đa 5 ảnh (khi phản ánh); đã có 5" in caught.value.vi
    assert "at most 5 photos (with the report); it has 5" in caught.value.en
    media_store(report=report, data=_photo(), stage="result")  # another stage, another count
    media_store(report=report, data=_mp4())
    with pytest.raises(InvalidInput, match="at most 1 videos"):
        media_store(report=report, data=_webm())
    assert report.media.count() == 7
    assert (
        len(list(Path(media_path(report.media.first().file)).parent.iterdir())) == 13
    )  # + thumbnails


def test_a_refused_upload_leaves_no_file(report: Report, media_dir: Path) -> None:
    with pytest.raises(InvalidInput):
        media_store(report=report, data=_photo() + b"<script>")
    with pytest.raises(InvalidInput):
        media_store(report=report, data=_photo(), stage="later")
    assert not (media_dir / "feedback").exists() or not list((media_dir / "feedback").iterdir())
    assert not report.media.exists()


def test_orphans_are_deleted_and_named_files_kept(report: Report, media_dir: Path) -> None:
    item = media_store(report=report, data=_photo())
    orphan = media_dir / "feedback" / "AAAAAAAAAAAAAAAAAAAAAAAA.jpg"
    orphan.write_bytes(b"x")
    assert media_orphans_delete(older_than=dt.timedelta(0)) == 1
    assert not orphan.exists() and media_path(item.file).exists()


def test_a_deleted_reports_files_go_when_the_delete_commits(
    report: Report, media_dir: Path, django_capture_on_commit_callbacks: Any
) -> None:
    item = media_store(report=report, data=_photo())
    paths = [media_path(item.file), media_path(item.thumb)]
    assert all(p.exists() for p in paths)
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert not any(p.exists() for p in paths)


# Moderation and serving -------------------------------------------------------------------------


def test_photo_is_served_inline_and_inert_to_the_public(report: Report, staff: Any) -> None:
    item = media_store(report=report, data=_photo())
    client = Client()
    assert _get(client, item.file).status_code == 404  # received: not public yet
    _public(report, staff)
    for rel in (item.file, item.thumb):
        answer = _get(client, rel)
        assert answer.status_code == 200
        assert answer["Content-Type"] == "image/jpeg"
        assert answer["Content-Disposition"] == "inline"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert answer["Cache-Control"] == "public, max-age=300"
        assert "Content-Encoding" not in answer  # JPEG is compressed already
        assert answer["Content-Length"] == str(media_path(rel).stat().st_size)
        assert b"".join(answer.streaming_content) == media_path(rel).read_bytes()


def test_video_is_served_as_an_attachment(report: Report, staff: Any) -> None:
    item = media_store(report=report, data=_mp4())
    _public(report, staff)
    answer = _get(Client(), item.file)
    assert answer.status_code == 200 and answer["Content-Type"] == "video/mp4"
    assert answer["Content-Disposition"] == f'attachment; filename="{report.ticket}-{item.pk}.mp4"'
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert b"".join(answer.streaming_content) == _mp4()
    assert Client().head(media_url(item.file)).status_code == 200
    media_moderate(media=item, action="hide", actor=staff)
    assert _get(Client(), item.file).status_code == 404
    signed_in = Client()
    signed_in.force_login(staff)
    answer = _get(signed_in, item.file)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-cache"
    assert answer["Content-Disposition"].startswith("attachment;")
    assert Client().post(media_url(item.file)).json()["error"] == "method_not_allowed"


def test_hidden_and_blurred_items_for_public_and_staff(
    report: Report, staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hidden, blurred = (media_store(report=report, data=_photo(size=(200, 100))) for _ in "ab")
    _public(report, staff)
    media_moderate(media=hidden, action="hide", actor=staff, note="biển số xe")
    media_moderate(media=blurred, action="blur", actor=staff)
    blurred.refresh_from_db()
    assert blurred.public_file and not blurred.hidden
    public, signed_in = Client(), Client()
    signed_in.force_login(staff)
    assert _get(public, hidden.file).status_code == 404
    assert _get(public, hidden.thumb).status_code == 404
    answer = _get(signed_in, hidden.file)
    assert answer.status_code == 200 and answer["Cache-Control"] == "private, no-cache"
    assert _get(public, blurred.file).status_code == 404  # the original stays for staff
    copy = media_path(blurred.public_file).read_bytes()
    for rel in (blurred.thumb, blurred.public_file):
        assert b"".join(_get(public, rel).streaming_content) == copy
    original = b"".join(_get(signed_in, blurred.file).streaming_content)
    assert original == media_path(blurred.file).read_bytes() != copy
    # The blurred copy has lost the sharp red/blue edge of the original.
    img = Image.open(io.BytesIO(copy)).convert("RGB")
    w, h = img.size

    def step(img: Image.Image) -> int:
        left, right = img.getpixel((w // 2 - 3, h // 2)), img.getpixel((w // 2 + 3, h // 2))
        return sum(abs(a - b) for a, b in zip(left, right, strict=True))

    sharp = step(Image.open(io.BytesIO(original)).convert("RGB"))
    assert sharp > 300 and step(img) < sharp / 4
    notes = list(
        ReportEvent.objects.filter(report=report, action=ReportEvent.Action.MODERATE)
        .order_by("id")
        .values_list("note", "actor", "public")
    )
    assert notes == [
        (f"Ẩn ảnh #{hidden.pk} khỏi công chúng / Photo #{hidden.pk} hidden from the public: "
         "biển số xe", staff.pk, False),
        (f"Làm mờ ảnh #{blurred.pk} cho công chúng / Photo #{blurred.pk} blurred for the public",
         staff.pk, False),
    ]  # fmt: skip
    copy_path = media_path(blurred.public_file)
    with django_capture_on_commit_callbacks(execute=True):
        media_moderate(media=blurred, action="show", actor=staff)
    assert not copy_path.exists() and _get(public, blurred.file).status_code == 200
    media_moderate(media=hidden, action="show", actor=staff)
    assert _get(public, hidden.file).status_code == 200


def test_agency_members_see_originals_other_accounts_what_the_public_sees(
    report: Report, staff: Any
) -> None:
    item = media_store(report=report, data=_photo())
    _public(report, staff)
    media_moderate(media=item, action="hide", actor=staff)
    accounts = get_user_model().objects
    agency = Facility.objects.create(kind=Facility.Kind.AGENCY, code="FB-MEDIA", name="Điện")
    member, citizen = accounts.create_user("dien"), accounts.create_user("dan")
    AgencyMember.objects.create(user=member, agency=agency)
    seen = {}
    for user in (member, citizen):
        client = Client()
        client.force_login(user)
        seen[user.username] = _get(client, item.file).status_code
    assert seen == {"dien": 200, "dan": 404}


def test_moderation_refusals(report: Report, staff: Any) -> None:
    video = media_store(report=report, data=_mp4())
    with pytest.raises(InvalidInput, match="Only photos can be blurred; hide a video"):
        media_moderate(media=video, action="blur", actor=staff)
    with pytest.raises(InvalidInput, match="choose hide, blur or show"):
        media_moderate(media=video, action="delete", actor=staff)
    with pytest.raises(InvalidInput, match="needs an actor"):
        media_moderate(media=video, action="hide", actor=None)
    photo = media_store(report=report, data=_photo())
    media_path(photo.file).unlink()
    with pytest.raises(NotFound, match="The photo's file is missing; cannot blur"):
        media_moderate(media=photo, action="blur", actor=staff)
    photo.refresh_from_db()
    assert not photo.public_file and not report.events.filter(action="moderate").exists()


def test_result_photos_are_public_once_published(report: Report, staff: Any) -> None:
    item = media_store(report=report, data=_photo(), stage="result", actor=staff)
    _public(report, staff)
    assert _get(Client(), item.file).status_code == 404
    signed_in = Client()
    signed_in.force_login(staff)
    assert _get(signed_in, item.file).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "AAAAAAAAAAAAAAAAAAAAAAAA.jpg",  # the right shape, no such file
        "..%2F..%2Fgisioc%2Fsettings.py",
        "AAAAAAAAAAAAAAAAAAAAAAAA.html",
        "%2Fetc%2Fpasswd",
        "x.jpg",
    ],
)
def test_unknown_or_malformed_names_are_404(db: None, name: str) -> None:
    answer = Client().get(f"/api/feedback/media/{name}")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
