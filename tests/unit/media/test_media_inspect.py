"""inspect() reads what a picture file says and refuses what is not a safe picture."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from newsdesk.media import MediaError, inspect, read_picture_file
from newsdesk.media.limits import MAX_FILE_BYTES
from tests.unit.media.test_media_samples import (
    CAMERA_MAKE,
    CAMERA_MODEL,
    IPTC_BYLINE,
    IPTC_CAPTION,
    IPTC_COPYRIGHT,
    IPTC_CREDIT,
    XMP_ALT,
    app13,
    big_photo,
    camera_exif,
    encode,
    iim,
    insert_after_soi,
    news_photo,
    png_claiming,
    scene,
    xmp_packet,
)


def refusal(data: bytes, name: str = "upload.jpg") -> str:
    """The one-line message inspect() refuses `data` with."""
    with pytest.raises(MediaError) as error:
        inspect(data, name)
    message = str(error.value)
    assert "\n" not in message and "\r" not in message and "\x1b" not in message
    return message


# --- what is read ----------------------------------------------------------------------


def test_a_24_megapixel_agency_jpeg_is_read_field_by_field():
    data = big_photo()
    picture, found = inspect(data, "DSC_0042.JPG")
    assert picture.id == "sha256:" + hashlib.sha256(data).hexdigest()
    assert (picture.file_name, picture.media_type) == ("DSC_0042.JPG", "image/jpeg")
    assert (picture.width, picture.height) == (6000, 4000)
    assert picture.caption == IPTC_CAPTION
    assert picture.credit == IPTC_CREDIT
    assert picture.creator == IPTC_BYLINE
    assert picture.copyright == IPTC_COPYRIGHT
    assert picture.alt == XMP_ALT
    assert picture.date_taken == "2023-11-06T18:42:10+08:00"
    assert picture.role == "gallery"
    assert dict(found.sources) == {"caption": "IPTC", "credit": "IPTC", "creator": "IPTC",
                                   "copyright": "IPTC", "date_taken": "IPTC", "alt": "XMP"}
    assert found.has_location
    assert found.camera == f"{CAMERA_MAKE} {CAMERA_MODEL}"


def test_xmp_wins_over_iptc_and_iptc_over_exif():
    exif = camera_exif(description="EXIF caption", artist="EXIF artist", copyright="EXIF ©")
    xmp = xmp_packet(description="XMP caption", rights="XMP ©")
    picture, found = inspect(news_photo(exif=exif, xmp=xmp), "a.jpg")
    assert (picture.caption, picture.copyright) == ("XMP caption", "XMP ©")
    assert picture.creator == IPTC_BYLINE
    assert (found.sources["caption"], found.sources["creator"]) == ("XMP", "IPTC")


def test_exif_alone_fills_caption_creator_copyright_and_the_credit_from_the_creator():
    exif = camera_exif(description="Crowds on the Bund", artist="Zhang Min",
                       copyright="Zhang Min\x00SHINE", gps=False)
    picture, found = inspect(news_photo(iptc=False, exif=exif), "a.jpg")
    assert (picture.caption, picture.creator, picture.copyright, picture.credit) == (
        "Crowds on the Bund", "Zhang Min", "Zhang Min; SHINE", "Zhang Min")
    assert picture.date_taken == "2023-11-06T18:42:10+08:00"
    assert not found.has_location
    assert "credit: none in the file, the creator is used" in found.notes


def test_exif_text_written_as_utf8_reads_as_utf8():
    exif = camera_exif(artist="Søren Ødegård")
    picture, _ = inspect(news_photo(iptc=False, exif=exif), "a.jpg")
    assert picture.creator == "Søren Ødegård"


def test_camera_boilerplate_is_not_taken_for_a_caption():
    exif = camera_exif(description="OLYMPUS DIGITAL CAMERA")
    picture, _ = inspect(news_photo(iptc=False, exif=exif), "a.jpg")
    assert picture.caption == ""


@pytest.mark.parametrize(("orientation", "size"), [(1, (64, 48)), (3, (64, 48)),
                                                    (6, (48, 64)), (8, (48, 64))])
def test_width_and_height_are_as_the_picture_is_shown(orientation, size):
    picture, found = inspect(news_photo((64, 48), orientation=orientation), "a.jpg")
    assert (picture.width, picture.height) == size
    assert found.orientation == orientation


def test_png_metadata_is_read_from_its_xmp_and_exif_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(description="PNG caption",
                                                    credit="Graphics desk").decode())
    data = encode(scene((80, 60)), "PNG", pnginfo=info,
                  exif=camera_exif(artist="Chart maker").tobytes())
    picture, found = inspect(data, "chart.png")
    assert (picture.media_type, picture.caption, picture.credit, picture.creator) == (
        "image/png", "PNG caption", "Graphics desk", "Chart maker")
    assert found.has_location


def test_webp_metadata_is_read_from_its_xmp_and_exif_chunks():
    data = encode(scene((80, 60)), "WEBP", xmp=xmp_packet(description="WebP caption"),
                  exif=camera_exif(copyright="© Web").tobytes())
    picture, _ = inspect(data, "a.webp")
    assert (picture.media_type, picture.caption, picture.copyright) == (
        "image/webp", "WebP caption", "© Web")


def test_a_heic_photo_is_read_when_pillow_heif_is_installed():
    pytest.importorskip("pillow_heif").register_heif_opener()  # the test extra installs it
    from newsdesk.media.decode import heif_available

    assert heif_available()
    data = encode(scene((96, 64)), "HEIF", exif=camera_exif(artist="Phone user").tobytes())
    picture, found = inspect(data, "IMG_0001.HEIC")
    assert (picture.media_type, picture.width, picture.height) == ("image/heic", 96, 64)
    assert picture.creator == "Phone user" and found.has_location


def test_a_multi_picture_jpeg_from_a_phone_is_a_jpeg():
    out = io.BytesIO()
    scene((64, 48)).save(out, "MPO", save_all=True, append_images=[scene((32, 24))])
    picture, _ = inspect(out.getvalue(), "IMG.jpg")
    assert (picture.media_type, picture.width, picture.height) == ("image/jpeg", 64, 48)


def test_metadata_holding_html_and_control_characters_is_read_as_plain_text():
    # XML cannot hold control characters, so those come in the IPTC block.
    xmp = xmp_packet(
        description="&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Fire&lt;/b&gt; in Pudong",
        credit="SHINE\u202e / Li",
    )
    iptc = app13(iim([(2, 80, b"Li\x1b[2J\x07 Wei\x00"), (2, 116, b"<i>\xc2\xa9</i> SHINE")]))
    data = insert_after_soi(news_photo(iptc=False, xmp=xmp), iptc)
    picture, found = inspect(data, "a.jpg")
    assert (picture.caption, picture.credit) == ("Fire in Pudong", "SHINE / Li")
    assert (picture.creator, picture.copyright) == ("Li[2J Wei", "© SHINE")
    assert set(found.notes) == {
        "caption (XMP): HTML removed",
        "credit (XMP): control characters removed",
        "creator (IPTC): control characters removed",
        "copyright (IPTC): HTML removed",
    }


def test_a_person_s_file_name_is_kept_as_its_base_name_without_controls():
    picture, _ = inspect(news_photo((64, 48)), "C:\\Photos\\../fire\x1b[2J\u202e.jpg")
    assert picture.file_name == "fire[2J.jpg"


def test_unparsable_xmp_is_ignored_with_a_note():
    data = encode(scene((64, 48)), "JPEG", xmp=b"<x:xmpmeta><unclosed")
    picture, found = inspect(data, "a.jpg")
    assert picture.caption == ""
    assert "XMP metadata unreadable, ignored" in found.notes


def test_metadata_blocks_over_a_megabyte_are_not_parsed():
    padding = "<!-- " + "x" * 2_000_000 + " -->"
    xmp = xmp_packet(description="Huge", extra=padding)
    exif = camera_exif(description="Huge " + "y" * 2_000_000).tobytes()
    picture, found = inspect(encode(scene((64, 48)), "WEBP", xmp=xmp, exif=exif), "big.webp")
    assert picture.caption == ""
    assert set(found.notes) == {"XMP metadata unreadable, ignored",
                                "EXIF metadata unreadable, ignored"}
    small, _ = inspect(encode(scene((64, 48)), "WEBP", xmp=xmp_packet(description="Fine")), "s")
    assert small.caption == "Fine"


def test_damaged_exif_is_ignored_quietly():
    app1 = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff" + b"\x00" * 10
    segment = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    data = encode(scene((64, 48)))
    data = data[:2] + segment + data[2:]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent("""
            import sys
            from newsdesk.media import inspect
            picture, found = inspect(sys.stdin.buffer.read(), "a.jpg")
            print(picture.width, picture.height)
        """)],
        input=data, capture_output=True, check=True,
    )
    assert result.stdout == b"64 48\n"
    assert result.stderr == b"", "Pillow's warnings must not reach a person's terminal"


# --- what is refused -------------------------------------------------------------------


def test_xmp_declaring_xml_entities_is_refused():
    bomb = xmp_packet(description="&lol;").replace(
        b"<?xpacket begin", b"<!DOCTYPE x [<!ENTITY lol 'lol'>]><?xpacket begin"
    )
    data = encode(scene((64, 48)), "JPEG", xmp=bomb)
    assert refusal(data, "bomb.jpg") == (
        "bomb.jpg: its XMP metadata declares XML entities (refused as unsafe)"
    )


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.jpg", "empty.jpg: empty file"),
        (b"Just some notes about the fire.\n", "notes.jpg",
         "notes.jpg: not a picture (JPEG, PNG or WebP expected)"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.svg",
         "logo.svg: SVG pictures are refused (they can carry scripts): export it as PNG or JPEG"),
        (b"GIF89a" + b"\x00" * 20, "anim.gif",
         "anim.gif: GIF pictures are not accepted: use JPEG, PNG or WebP"),
        (b"\x1b[2J<svg/>", "\x1b[2Jx.svg", "[2Jx.svg: not a picture (JPEG, PNG or WebP expected)"),
    ],
)
def test_what_is_not_an_accepted_picture_is_refused_by_name(data, name, message):
    assert refusal(data, name) == message


def test_a_real_gif_is_refused_even_named_jpg():
    assert refusal(encode(scene((64, 48)), "GIF"), "photo.jpg") == (
        "photo.jpg: GIF pictures are not accepted: use JPEG, PNG or WebP"
    )


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("keep", [0.05, 0.3, 0.6, 0.9, 0.99])
def test_a_truncated_picture_is_refused(fmt, keep):
    data = encode(scene((160, 120), grain=True), fmt)
    message = refusal(data[: int(len(data) * keep)], "cut")
    assert message.startswith("cut: damaged")


def test_a_jpeg_missing_only_its_end_marker_is_refused():
    assert refusal(encode(scene((160, 120), grain=True))[:-2], "cut").startswith("cut: damaged")


@pytest.mark.parametrize(("marker", "offset", "garbage"), [
    (b"\xff\xc4", 5, b"\xff" * 16),  # Huffman table code counts impossible
    (b"\xff\xda", 4, b"\x07"),  # scan naming seven components of a three-component picture
    (b"\xff\xc0", 5, b"\x00\x00\x00\x00"),  # frame of no pixels
])
def test_a_jpeg_with_corrupt_tables_is_refused(marker, offset, garbage):
    data = bytearray(encode(scene((160, 120), grain=True)))
    at = data.index(marker) + offset
    data[at : at + len(garbage)] = garbage
    assert refusal(bytes(data), "bad").startswith("bad: damaged")


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (20000, 20000, "refused as a possible decompression bomb (more than 120 megapixels)"),
        (11000, 11000, "refused as a possible decompression bomb (more than 120 megapixels)"),
        (40001, 2000, "too wide or tall (40001x2000; at most 40000 pixels a side)"),
        (8, 8, "too small (8x8; at least 16 pixels a side)"),
        (16, 1000, "an implausible shape (16x1000; at most 25:1)"),
        (0, 0, "damaged picture (its header cannot be read)"),
    ],
)
def test_absurd_dimensions_are_refused_before_any_pixel_is_decoded(width, height, message):
    assert refusal(png_claiming(width, height), "b.png") == f"b.png: {message}"


def test_a_real_decompression_bomb_is_refused():
    # 11,000 x 11,000 black pixels (121 megapixels) deflate to about 120 KB.
    data = encode(Image.new("1", (11000, 11000)), "PNG")
    assert len(data) < 1_000_000
    assert refusal(data, "bomb.png") == (
        "bomb.png: refused as a possible decompression bomb (more than 120 megapixels)"
    )


def test_limits_follow_the_house_limit_not_pillow_s_default():
    assert Image.MAX_IMAGE_PIXELS == 120_000_000
    assert refusal(png_claiming(10000, 12000), "ok.png") == (
        "ok.png: damaged or truncated picture (image file is truncated (0 bytes not processed))"
    ), "exactly the limit passes the size checks (then fails on its fake pixels)"


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_pictures_are_refused(fmt):
    frames = [scene((64, 48)), scene((64, 48)).rotate(180)]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=100)
    assert refusal(out.getvalue(), "a") == "a: animated pictures are not accepted (use a still)"


def test_bytes_over_the_size_limit_are_refused():
    data = b"\xff\xd8\xff\xe0" + bytes(MAX_FILE_BYTES)
    assert refusal(data, "huge.jpg") == "huge.jpg: too large (100 MB; the limit is 100 MB)"


def test_a_200_mb_file_is_refused_from_its_size(tmp_path):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as handle:
        handle.write(news_photo((64, 48)))
        handle.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written to disk
    with pytest.raises(MediaError) as error:
        read_picture_file(path)
    assert str(error.value) == "huge.jpg: too large (200 MB; the limit is 100 MB)"


def test_a_picture_file_is_read_whole(tmp_path):
    path = tmp_path / "a.jpg"
    path.write_bytes(news_photo((64, 48)))
    assert read_picture_file(path) == path.read_bytes()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.jpg"
    os.mkfifo(fifo)
    script = "from pathlib import Path; import sys; from newsdesk.media import *\n" \
             "try: read_picture_file(Path(sys.argv[1]))\n" \
             "except MediaError as e: print(e)"
    result = subprocess.run([sys.executable, "-c", script, str(fifo)], capture_output=True,
                            text=True, timeout=20, check=True)
    assert result.stdout == "pipe.jpg: not a regular file\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "not a regular file"),
        (lambda p: None, "cannot read it (No such file or directory)"),
    ],
)
def test_folders_and_missing_files_are_refused(tmp_path, make, message):
    path = tmp_path / "where.jpg"
    make(path)
    with pytest.raises(MediaError) as error:
        read_picture_file(path)
    assert str(error.value) == f"where.jpg: {message}"


def test_heic_without_pillow_heif_is_refused_with_what_to_install(tmp_path):
    pytest.importorskip("pillow_heif").register_heif_opener()  # the test extra installs it
    path = tmp_path / "IMG_0001.HEIC"
    path.write_bytes(encode(scene((64, 48)), "HEIF"))
    # A real process where pillow-heif cannot be imported: an install without the extra.
    script = textwrap.dedent("""
        import sys
        sys.modules["pillow_heif"] = None
        from pathlib import Path
        from newsdesk.media import MediaError, inspect, read_picture_file
        path = Path(sys.argv[1])
        try:
            inspect(read_picture_file(path), path.name)
        except MediaError as error:
            print(error)
    """)
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout == (
        "IMG_0001.HEIC: HEIC pictures need the optional pillow-heif package "
        "(pip install 'newsdesk[heic]'); or export it as JPEG, PNG or WebP\n"
    )


def test_inspect_is_a_pure_reading_of_the_bytes(tmp_path):
    data = news_photo((64, 48))
    assert inspect(data, "a.jpg") == inspect(bytes(data), "a.jpg")
    assert Path(tmp_path).exists() and not any(tmp_path.iterdir())
