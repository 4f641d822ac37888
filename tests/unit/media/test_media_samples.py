"""Picture samples built by the tests (IPTC, XMP, EXIF with GPS), and checks that they are.

The media tests import these builders; the tests here prove each builder writes what it
claims, read back by other means than the code under test (raw segment walking).
"""

from __future__ import annotations

import functools
import io
import struct
import zlib

import numpy as np
from PIL import Image, ImageCms, ImageDraw

from newsdesk.media.exif import (
    ARTIST,
    COPYRIGHT,
    DATE_TIME_ORIGINAL,
    EXIF_IFD,
    GPS_IFD,
    IMAGE_DESCRIPTION,
    MAKE,
    MODEL,
    OFFSET_TIME_ORIGINAL,
    ORIENTATION,
)

MAKER_NOTE = 0x927C
BODY_SERIAL = 0xA431
CAMERA_MAKE = "FujiCam"
CAMERA_MODEL = "X-Pro Secret 9"
SERIAL = "SN-0042-PRIVATE"
IPTC_CAPTION = "Firefighters at the Pudong warehouse fire, Shanghai, 6 November 2023."
IPTC_BYLINE = "Li Wei"
IPTC_CREDIT = "SHINE / Li Wei"
IPTC_COPYRIGHT = "© 2023 Shanghai Daily"
XMP_ALT = "Three firefighters spray water on a burning warehouse at dusk."
GPS = {1: "N", 2: (31.0, 14.0, 5.5), 3: "E", 4: (121.0, 28.0, 12.25)}


def iim(datasets: list[tuple[int, int, bytes]]) -> bytes:
    """IPTC IIM datasets: 0x1C, record, dataset, 2-byte length, value."""
    return b"".join(
        struct.pack(">BBBH", 0x1C, rec, num, len(value)) + value for rec, num, value in datasets
    )


def app13(iim_data: bytes) -> bytes:
    """A Photoshop 3.0 APP13 segment holding one 8BIM IPTC-NAA (0x0404) resource."""
    padded = iim_data + (b"\x00" if len(iim_data) % 2 else b"")
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00"
    resource += struct.pack(">I", len(iim_data)) + padded
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def insert_after_soi(jpeg: bytes, segment: bytes) -> bytes:
    """`jpeg` with `segment` placed right after its start-of-image marker."""
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def xmp_packet(
    description: str = "",
    creator: str = "",
    rights: str = "",
    credit: str = "",
    alt: str = "",
    gps: bool = False,
    extra: str = "",
) -> bytes:
    """An XMP packet with the given dc/photoshop/Iptc4xmpCore properties."""
    props = []
    if description:
        props.append(
            "<dc:description><rdf:Alt><rdf:li xml:lang='x-default'>"
            f"{description}</rdf:li></rdf:Alt></dc:description>"
        )
    if creator:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>")
    if rights:
        props.append(
            f"<dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>{rights}</rdf:li></rdf:Alt>"
            "</dc:rights>"
        )
    if alt:
        props.append(
            "<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang='x-default'>"
            f"{alt}</rdf:li></rdf:Alt></Iptc4xmpCore:AltTextAccessibility>"
        )
    attrs = f" photoshop:Credit='{credit}'" if credit else ""
    if gps:
        attrs += " exif:GPSLatitude='31,14.09N' exif:GPSLongitude='121,28.2E'"
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
        "<rdf:Description rdf:about=''"
        " xmlns:dc='http://purl.org/dc/elements/1.1/'"
        " xmlns:photoshop='http://ns.adobe.com/photoshop/1.0/'"
        " xmlns:exif='http://ns.adobe.com/exif/1.0/'"
        " xmlns:Iptc4xmpCore='http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/'"
        f"{attrs}>{''.join(props)}{extra}</rdf:Description>"
        "</rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def camera_exif(
    *,
    description: str = "",
    artist: str = "",
    copyright: str = "",
    orientation: int = 1,
    gps: bool = True,
    taken: str = "2023:11:06 18:42:10",
) -> Image.Exif:
    """EXIF as a camera writes it: make, model, serial, maker note, date, GPS."""
    exif = Image.Exif()
    exif[MAKE] = CAMERA_MAKE
    exif[MODEL] = CAMERA_MODEL
    exif[ORIENTATION] = orientation
    # Text as cameras and ExifTool write it: UTF-8 bytes in the ASCII tags.
    if description:
        exif[IMAGE_DESCRIPTION] = description.encode()
    if artist:
        exif[ARTIST] = artist.encode()
    if copyright:
        exif[COPYRIGHT] = copyright.encode()
    sub = exif.get_ifd(EXIF_IFD)
    sub[DATE_TIME_ORIGINAL] = taken
    sub[OFFSET_TIME_ORIGINAL] = "+08:00"
    sub[BODY_SERIAL] = SERIAL
    sub[MAKER_NOTE] = b"SECRET-MAKER-NOTE" * 4
    if gps:
        exif.get_ifd(GPS_IFD).update(GPS)
    return exif


def scene(size: tuple[int, int], mode: str = "RGB", grain: bool = False) -> Image.Image:
    """A deterministic picture with structure (gradients and shapes), fast at any size;
    with `grain`, seeded sensor-like noise, so that it encodes like a real photo."""
    gradient = Image.linear_gradient("L").resize(size)
    turned = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge("RGB", (gradient, turned, Image.new("L", size, 96)))
    if grain:
        noise = np.random.default_rng(20).integers(0, 48, (size[1], size[0], 3), np.uint8)
        image = Image.fromarray(
            np.asarray(image, np.uint8) // 4 * 3 + noise, "RGB"
        )
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w // 4, h // 4, w // 2, h // 2), fill=(230, 40, 30))
    draw.rectangle((w // 2, h // 2, w * 7 // 8, h * 7 // 8), fill=(20, 60, 200))
    return image.convert(mode) if mode != "RGB" else image


def encode(image: Image.Image, fmt: str = "JPEG", **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def news_photo(
    size: tuple[int, int] = (640, 480),
    *,
    orientation: int = 1,
    iptc: bool = True,
    xmp: bytes | None = None,
    exif: Image.Exif | None = None,
    icc: bytes | None = None,
    grain: bool = False,
) -> bytes:
    """A JPEG as an agency sends it: IPTC caption/by-line/credit/copyright, EXIF with
    camera, serial, maker note and GPS, optionally XMP and an ICC profile, a comment."""
    options: dict[str, object] = {
        "exif": (exif or camera_exif(orientation=orientation)).tobytes(),
        "quality": 90,
        "comment": b"Shot for the Pudong desk by Li Wei",
    }
    if xmp:
        options["xmp"] = xmp
    if icc:
        options["icc_profile"] = icc
    data = encode(scene(size, grain=grain), "JPEG", **options)
    if iptc:
        data = insert_after_soi(data, app13(iim([
            (1, 90, b"\x1b%G"),
            (2, 120, IPTC_CAPTION.encode("utf-8")),
            (2, 80, IPTC_BYLINE.encode("utf-8")),
            (2, 110, IPTC_CREDIT.encode("utf-8")),
            (2, 116, IPTC_COPYRIGHT.encode("utf-8")),
            (2, 55, b"20231106"),
            (2, 60, b"184210+0800"),
        ])))
    return data


@functools.cache
def big_photo() -> bytes:
    """The 24-megapixel (6000x4000) agency JPEG of the issue, built once per session."""
    return news_photo((6000, 4000), xmp=xmp_packet(alt=XMP_ALT, gps=True), grain=True)


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def cmyk_profile() -> bytes:
    """A small but real ICC v2 CMYK printer profile (lut8 A2B0 to Lab): no CMYK profile
    ships with Pillow, and the conversion through a photo's own profile needs one."""
    corners = {(0, 0, 0): (100, 0, 0), (1, 0, 0): (55, -37, -50), (0, 1, 0): (48, 74, -3),
               (0, 0, 1): (89, -5, 93), (1, 1, 0): (24, 22, -46), (1, 0, 1): (50, -65, 27),
               (0, 1, 1): (47, 68, 48), (1, 1, 1): (12, 0, 0)}
    clut = b""
    for c in (0, 1):  # the first input channel varies slowest
        for m in (0, 1):
            for y in (0, 1):
                for k in (0, 1):
                    lightness, a, b = (0, 0, 0) if k else corners[(c, m, y)]
                    clut += bytes([round(lightness * 255 / 100), a + 128, b + 128])
    ramp = bytes(range(256))
    identity = b"".join(_s15(v) for v in (1, 0, 0, 0, 1, 0, 0, 0, 1))
    lut = b"mft1\0\0\0\0" + bytes([4, 3, 2, 0]) + identity + ramp * 4 + clut + ramp * 3
    name = b"Test CMYK\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", len(name)) + name + b"\0" * 78
    d50 = _s15(0.9642) + _s15(1.0) + _s15(0.8249)
    tags = [(b"desc", desc), (b"wtpt", b"XYZ \0\0\0\0" + d50),
            (b"cprt", b"text\0\0\0\0none\0\0\0\0"), (b"A2B0", lut)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    header = (struct.pack(">II", offset + len(body), 0) + struct.pack(">I", 0x02100000)
              + b"prtrCMYKLab " + b"\0" * 12 + b"acsp" + b"\0" * 28 + d50 + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width x height: the classic decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header)
            + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b""))


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, payload) of each JPEG segment up to the start of scan, walked by hand."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    segments, pos = [], 2
    while pos + 4 <= len(data):
        assert data[pos] == 0xFF, f"no marker at {pos}"
        marker = data[pos + 1]
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        segments.append((marker, data[pos + 4 : pos + 2 + length]))
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        pos += 2 + length
    return segments


def test_news_photo_carries_iptc_exif_gps_comment_and_xmp_segments():
    data = news_photo(xmp=xmp_packet(description="x", gps=True))
    segments = jpeg_segments(data)
    markers = [m for m, _ in segments]
    assert 0xED in markers  # APP13 Photoshop/IPTC
    assert 0xFE in markers  # COM
    app1 = [p for m, p in segments if m == 0xE1]
    assert any(p.startswith(b"Exif\x00\x00") for p in app1)
    assert any(p.startswith(b"http://ns.adobe.com/xap/1.0/\x00") for p in app1)
    iptc = next(p for m, p in segments if m == 0xED)
    assert IPTC_CAPTION.encode() in iptc and b"8BIM\x04\x04" in iptc
    exif = next(p for p in app1 if p.startswith(b"Exif"))
    assert CAMERA_MODEL.encode() in exif and SERIAL.encode() in exif


def test_gps_and_device_tags_read_back_with_pillow():
    with Image.open(io.BytesIO(news_photo())) as image:
        exif = image.getexif()
        assert exif.get_ifd(GPS_IFD)[1] == "N"
        assert exif[MODEL] == CAMERA_MODEL
        assert exif.get_ifd(EXIF_IFD)[BODY_SERIAL] == SERIAL


def test_the_cmyk_profile_is_one_littlecms_reads():
    profile = ImageCms.ImageCmsProfile(io.BytesIO(cmyk_profile()))
    assert profile.profile.xcolor_space == "CMYK"
    assert profile.profile.profile_description == "Test CMYK"
