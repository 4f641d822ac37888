"""Renditions carry the pixels, upright and in colour, and nothing else of the file."""

from __future__ import annotations

import functools
import hashlib
import io
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageCms, ImageOps, IptcImagePlugin

from newsdesk.media import (
    KEEP_CREDITS,
    ORIGINAL,
    STRIP_ALL,
    THUMBNAIL,
    WEB,
    MediaError,
    MetadataPolicy,
    inspect,
    make_rendition,
    rendition_key,
)
from newsdesk.media.exif import ARTIST, COPYRIGHT, GPS_IFD
from newsdesk.media.pixels import (
    ORIENTATION_STEPS,
    fit,
    keeps_icc,
    output_mode,
    to_mode,
    usable_icc,
)
from newsdesk.media.renditions import RenditionSpec
from newsdesk.media.text import repair_latin1
from tests.unit.media.test_media_samples import (
    CAMERA_MAKE,
    CAMERA_MODEL,
    IPTC_BYLINE,
    IPTC_CAPTION,
    SERIAL,
    XMP_ALT,
    big_photo,
    camera_exif,
    cmyk_profile,
    encode,
    jpeg_segments,
    news_photo,
    png_claiming,
    scene,
    xmp_packet,
)

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
# What must never appear in a rendition's bytes: camera, serial, GPS, IPTC, XMP, comment.
LEAKS = [CAMERA_MAKE, CAMERA_MODEL, SERIAL, IPTC_CAPTION, XMP_ALT, "SECRET-MAKER-NOTE",
         "Photoshop 3.0", "8BIM", "http://ns.adobe.com/xap", "Pudong desk", "GPS"]
CLEAN_JPEG_MARKERS = {0xE0, 0xE2, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}


def png_chunks(data: bytes) -> list[bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    kinds, pos = [], 8
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kinds.append(data[pos + 4 : pos + 8])
        pos += 12 + length
    return kinds


def riff_chunks(data: bytes) -> list[bytes]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    kinds, pos = [], 12
    while pos + 8 <= len(data):
        kinds.append(data[pos : pos + 4])
        size = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        pos += 8 + size + (size & 1)
    return kinds


def assert_no_metadata(data: bytes) -> None:
    """Opened with Pillow and walked by hand: no EXIF, XMP, IPTC or comment is left."""
    for leak in LEAKS:
        assert leak.encode() not in data, f"{leak!r} leaked into the rendition"
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), dict(image.getexif())
        assert not image.getexif().get_ifd(GPS_IFD)
        assert "xmp" not in image.info and "comment" not in image.info
        if image.format == "JPEG":
            assert IptcImagePlugin.getiptcinfo(image) is None
            assert "photoshop" not in image.info
    if data[:2] == b"\xff\xd8":
        markers = {marker for marker, _ in jpeg_segments(data)}
        assert markers <= CLEAN_JPEG_MARKERS, sorted(hex(m) for m in markers)
    elif data[:4] == b"RIFF":
        assert not {b"EXIF", b"XMP "} & set(riff_chunks(data))
    else:
        assert not {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"} & set(png_chunks(data))


@pytest.fixture(scope="module")
def big_renditions():
    data = big_photo()
    return {spec.name: make_rendition(data, spec) for spec in (THUMBNAIL, WEB, ORIGINAL)}


@pytest.mark.parametrize(("spec", "size"), [("thumb", (320, 213)), ("web", (1600, 1067)),
                                            ("original", (6000, 4000))])
def test_24_megapixel_renditions_carry_no_gps_camera_xmp_or_iptc(big_renditions, spec, size):
    rendition = big_renditions[spec]
    assert (rendition.media_type, rendition.extension) == ("image/jpeg", "jpg")
    assert (rendition.width, rendition.height) == size
    assert_no_metadata(rendition.data)
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.size == size and image.mode == "RGB"


def test_the_house_rule_keeps_creator_and_copyright_as_exif_artist_and_copyright_only():
    data = news_photo((640, 480), xmp=xmp_packet(alt=XMP_ALT, gps=True))
    picture, _ = inspect(data, "a.jpg")
    rendition = make_rendition(data, WEB, KEEP_CREDITS, creator=picture.creator,
                               copyright=picture.copyright)
    with Image.open(io.BytesIO(rendition.data)) as image:
        exif = image.getexif()
        assert set(exif) == {ARTIST, COPYRIGHT}
        assert repair_latin1(exif[ARTIST]) == IPTC_BYLINE
        assert repair_latin1(exif[COPYRIGHT]) == picture.copyright
        assert not exif.get_ifd(GPS_IFD) and "xmp" not in image.info
    for leak in LEAKS:
        assert leak.encode() not in rendition.data


@pytest.mark.parametrize(
    ("policy", "tags"),
    [
        (STRIP_ALL, {}),
        (MetadataPolicy(keep_creator=True), {ARTIST: "Li Wei[0m"}),
        (MetadataPolicy(keep_copyright=True), {COPYRIGHT: "© SHINE"}),
        (KEEP_CREDITS, {ARTIST: "Li Wei[0m", COPYRIGHT: "© SHINE"}),
    ],
)
def test_policy_tags_table(policy, tags):
    assert policy.tags("Li Wei\x1b[0m", "© SHINE\n") == tags
    assert policy.tags("", "  ") == {}


@functools.cache
def grainy(fmt: str) -> bytes:
    """A picture a little larger than the web size, with camera EXIF."""
    return encode(scene((1700, 1200), grain=True), fmt, exif=camera_exif().tobytes())


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("spec", [THUMBNAIL, WEB, ORIGINAL], ids=lambda s: s.name)
def test_the_same_input_gives_the_same_bytes(fmt, spec):
    data = grainy(fmt)
    first = make_rendition(data, spec, KEEP_CREDITS, creator="A", copyright="B")
    again = make_rendition(bytes(data), spec, KEEP_CREDITS, creator="A", copyright="B")
    assert first == again


@pytest.mark.parametrize(
    ("fmt", "media_type", "chunks"),
    [("PNG", "image/png", png_chunks), ("WEBP", "image/webp", riff_chunks)],
)
def test_png_and_webp_stay_in_their_type_without_metadata(fmt, media_type, chunks):
    data = encode(scene((800, 600)), fmt, exif=camera_exif().tobytes(),
                  **({"xmp": xmp_packet(description="x", gps=True)} if fmt == "WEBP" else {}))
    assert {b"eXIf", b"EXIF"} & set(chunks(data))
    for spec in (THUMBNAIL, ORIGINAL):
        rendition = make_rendition(data, spec)
        assert rendition.media_type == media_type
        assert_no_metadata(rendition.data)


def test_a_heic_photo_renders_as_a_jpeg_without_its_gps():
    pytest.importorskip("pillow_heif").register_heif_opener()  # the test extra installs it
    data = encode(scene((400, 300)), "HEIF", exif=camera_exif().tobytes())
    rendition = make_rendition(data, WEB)
    assert (rendition.media_type, rendition.width, rendition.height) == ("image/jpeg", 400, 300)
    assert_no_metadata(rendition.data)


def test_a_phone_s_multi_picture_jpeg_renders_its_first_picture_alone():
    out = io.BytesIO()
    scene((640, 480)).save(out, "MPO", save_all=True, append_images=[scene((320, 240))])
    rendition = make_rendition(out.getvalue(), ORIGINAL)
    assert (rendition.width, rendition.height) == (640, 480)
    assert b"MPF\x00" not in rendition.data
    assert_no_metadata(rendition.data)


def displayed() -> Image.Image:
    """64x48, red top-left quarter, blue bottom-right: any turn or flip shows."""
    image = Image.new("RGB", (64, 48), (255, 255, 255))
    image.paste((255, 0, 0), (0, 0, 32, 24))
    image.paste((0, 0, 255), (32, 24, 64, 48))
    return image


@pytest.mark.parametrize("orientation", range(1, 9))
def test_renditions_are_turned_upright_by_the_exif_orientation(orientation):
    stored = displayed()
    # Undo what the orientation asks for, so the stored pixels need it to look right.
    for step in reversed(ORIENTATION_STEPS[orientation]):
        inverse = {Image.Transpose.ROTATE_90: Image.Transpose.ROTATE_270,
                   Image.Transpose.ROTATE_270: Image.Transpose.ROTATE_90}.get(step, step)
        stored = stored.transpose(inverse)
    data = encode(stored, "JPEG", quality=95, exif=camera_exif(orientation=orientation).tobytes())
    picture, _ = inspect(data, "turned.jpg")
    rendition = make_rendition(data, ORIGINAL)
    assert (picture.width, picture.height) == (rendition.width, rendition.height) == (64, 48)
    with Image.open(io.BytesIO(rendition.data)) as image:
        red, blue = image.getpixel((4, 4)), image.getpixel((60, 44))
        assert red[0] > 200 and red[2] < 60, red
        assert blue[2] > 200 and blue[0] < 60, blue


@pytest.mark.parametrize("orientation", range(1, 9))
def test_orientation_steps_agree_with_pillow_s_exif_transpose(orientation):
    data = encode(scene((40, 30)), "PNG", exif=camera_exif(orientation=orientation).tobytes())
    with Image.open(io.BytesIO(data)) as image:
        expected = ImageOps.exif_transpose(image).tobytes()
    rendition = make_rendition(data, ORIGINAL)
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.tobytes() == expected


def test_the_colour_profile_is_kept_and_a_broken_one_dropped():
    kept = make_rendition(news_photo((200, 150), icc=SRGB), WEB)
    with Image.open(io.BytesIO(kept.data)) as image:
        assert image.info.get("icc_profile") == SRGB
    broken = make_rendition(news_photo((200, 150), icc=b"\x00not a profile" * 20), WEB)
    with Image.open(io.BytesIO(broken.data)) as image:
        assert "icc_profile" not in image.info


def test_a_cmyk_jpeg_renders_in_rgb():
    data = encode(displayed().convert("CMYK"), "JPEG", quality=95)
    rendition = make_rendition(data, ORIGINAL)
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.mode == "RGB"
        red = image.getpixel((4, 4))
        assert red[0] > 200 and red[1] < 60 and red[2] < 60, red


def test_a_cmyk_jpeg_with_its_profile_renders_through_it_to_untagged_srgb():
    cmyk = Image.new("CMYK", (64, 48), (0, 0, 0, 0))
    cmyk.paste((255, 0, 0, 0), (0, 0, 32, 48))  # cyan ink
    data = encode(cmyk, "JPEG", quality=95, icc_profile=cmyk_profile())
    rendition = make_rendition(data, ORIGINAL)
    with Image.open(io.BytesIO(rendition.data)) as image:
        assert image.mode == "RGB" and "icc_profile" not in image.info
        r, g, b = image.getpixel((10, 10))
        # Through the profile cyan ink is about (0, 151, 218); read naively (0, 255, 255).
        assert r < 30 and 130 < g < 175 and 195 < b < 240, (r, g, b)
        assert min(image.getpixel((50, 10))) > 245


def test_png_transparency_and_16_bit_grey_survive_properly():
    rgba = Image.new("RGBA", (64, 48), (255, 0, 0, 0))
    rgba.paste((0, 0, 255, 255), (0, 0, 32, 48))
    out = make_rendition(encode(rgba, "PNG"), ORIGINAL)
    with Image.open(io.BytesIO(out.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((60, 10))[3] == 0
    palette = rgba.convert("P")
    palette.info["transparency"] = palette.getpixel((60, 10))
    out = make_rendition(encode(palette, "PNG", transparency=palette.info["transparency"]), WEB)
    with Image.open(io.BytesIO(out.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((60, 10))[3] == 0
    grey16 = Image.new("I;16", (64, 48), 32768)
    grey16.paste(65535, (0, 0, 32, 48))
    out = make_rendition(encode(grey16, "PNG"), ORIGINAL)
    with Image.open(io.BytesIO(out.data)) as image:
        assert image.mode == "L"
        assert (image.getpixel((10, 10)), image.getpixel((60, 10))) == (255, 128)


@pytest.mark.parametrize(
    ("mode", "background", "expected"),
    [("RGB", (255, 0, 0, 0), (255, 255, 255)), ("L", (0, 0, 0, 0), 255)],
)
def test_transparency_is_flattened_on_white_for_jpeg(mode, background, expected):
    image = Image.new("RGBA", (20, 20), background)
    image.paste((0, 0, 0, 255), (0, 0, 10, 20))
    flat = to_mode(image, mode, None, "")
    assert flat.mode == mode
    assert flat.getpixel((15, 5)) == expected
    assert flat.getpixel((5, 5)) in ((0, 0, 0), 0)


def test_a_small_picture_is_never_enlarged():
    rendition = make_rendition(news_photo((200, 100)), WEB)
    assert (rendition.width, rendition.height) == (200, 100)


def test_rendition_of_a_refused_file_is_refused():
    with pytest.raises(MediaError, match=r"^x\.svg: SVG pictures are refused"):
        make_rendition(b"<svg/>", THUMBNAIL, name="x.svg")


@pytest.mark.parametrize(
    ("size", "edge", "fitted"),
    [((6000, 4000), 1600, (1600, 1067)), ((4000, 6000), 1600, (1067, 1600)),
     ((6000, 4000), 320, (320, 213)), ((1000, 1000), 320, (320, 320)),
     ((200, 100), 1600, (200, 100)), ((1600, 900), 1600, (1600, 900)),
     ((40000, 1600), 320, (320, 13)), ((6000, 4000), None, (6000, 4000))],
)
def test_fit_table(size, edge, fitted):
    assert fit(size, edge) == fitted


@pytest.mark.parametrize(
    ("mode", "alpha", "fmt", "out"),
    [("RGB", False, "JPEG", "RGB"), ("CMYK", False, "JPEG", "RGB"), ("L", False, "JPEG", "L"),
     ("I;16", False, "JPEG", "L"), ("RGBA", True, "JPEG", "RGB"), ("LA", True, "JPEG", "L"),
     ("P", True, "PNG", "RGBA"), ("P", False, "PNG", "RGB"), ("L", False, "PNG", "L"),
     ("LA", True, "PNG", "LA"), ("I;16", False, "PNG", "L"), ("1", False, "PNG", "L"),
     ("RGBA", True, "WEBP", "RGBA"), ("L", False, "WEBP", "RGB"), ("LA", True, "WEBP", "RGBA")],
)
def test_output_mode_table(mode, alpha, fmt, out):
    assert output_mode(mode, alpha, fmt) == out


@pytest.mark.parametrize(
    ("space", "mode", "keep"),
    [("RGB ", "RGB", True), ("RGB ", "RGBA", True), ("GRAY", "L", True), ("GRAY", "LA", True),
     ("GRAY", "RGB", False), ("RGB ", "L", False), ("CMYK", "RGB", False), ("", "RGB", False)],
)
def test_keeps_icc_table(space, mode, keep):
    assert keeps_icc(space, mode) is keep


@pytest.mark.parametrize(
    ("icc", "result"),
    [(SRGB, (SRGB, "RGB ")), (b"garbage" * 40, (None, "")), (b"", (None, "")),
     ("text", (None, "")), (None, (None, "")), (SRGB + bytes(2 * 1024 * 1024), (None, ""))],
)
def test_usable_icc_table(icc, result):
    assert usable_icc(icc) == result


ID = "sha256:" + "ab" * 32


def test_rendition_key_names_everything_the_bytes_depend_on():
    key = rendition_key(ID, THUMBNAIL)
    assert key.startswith("ab" * 32 + "-thumb-320-q80-strip-v1-pil")
    assert rendition_key(ID, ORIGINAL).split("-")[1:4] == ["original", "full", "q92"]
    assert rendition_key(ID, WEB, creator="A") == rendition_key(ID, WEB, creator="B")
    kept = {rendition_key(ID, WEB, KEEP_CREDITS, creator=c, copyright="©") for c in "AB"}
    assert len(kept) == 2 and all("-tags-" in k for k in kept)
    assert rendition_key(ID, WEB, KEEP_CREDITS) == rendition_key(ID, WEB)
    assert rendition_key(ID, RenditionSpec("web", 1600, 70)) != rendition_key(ID, WEB)
    with pytest.raises(ValueError):
        rendition_key("sha256:../../x", WEB)


def test_another_process_encodes_the_same_bytes(tmp_path):
    """Renditions are cached by key across runs: a fresh interpreter must agree."""
    data = grainy("JPEG")
    source = tmp_path / "photo.jpg"
    source.write_bytes(data)
    script = (
        "import hashlib, sys; from pathlib import Path\n"
        "from newsdesk.media import WEB, make_rendition\n"
        "print(hashlib.sha256(make_rendition(Path(sys.argv[1]).read_bytes(), WEB).data)"
        ".hexdigest())"
    )
    result = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True,
                            text=True, timeout=60, check=True)
    assert result.stdout.strip() == hashlib.sha256(make_rendition(data, WEB).data).hexdigest()


def test_renditions_made_in_parallel_threads_match_those_made_one_by_one():
    """Background jobs render in threads; Pillow's shared settings must not mix them up."""
    inputs = [news_photo((400 + 40 * i, 300), orientation=1 + i % 8) for i in range(8)]
    alone = [make_rendition(data, THUMBNAIL) for data in inputs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda data: make_rendition(data, THUMBNAIL), inputs * 3))
        bombs = list(pool.map(lambda _: _refusal_in_thread(), range(4)))
    assert together == alone * 3
    assert all("decompression bomb" in message for message in bombs)


def _refusal_in_thread() -> str:
    try:
        make_rendition(png_claiming(11000, 11000), THUMBNAIL)
    except MediaError as error:
        return str(error)
    return "accepted"
