"""Hostile bytes: random or mutated pictures never raise anything but MediaError."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import PngImagePlugin

from newsdesk.media import THUMBNAIL, MediaError, inspect, make_rendition
from tests.unit.media.test_media_samples import (
    app13,
    camera_exif,
    encode,
    iim,
    insert_after_soi,
    news_photo,
    scene,
    xmp_packet,
)

FUZZ = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@functools.cache
def seeds() -> tuple[bytes, ...]:
    """Small valid pictures of each accepted type, with every metadata block there is."""
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", xmp_packet(description="PNG").decode())
    return (
        news_photo((48, 32), xmp=xmp_packet(description="c", creator="a", gps=True)),
        encode(scene((48, 32)), "JPEG", progressive=True, icc_profile=b"\x00" * 200),
        encode(scene((48, 32)).convert("CMYK"), "JPEG"),
        encode(scene((48, 32)), "PNG", pnginfo=info, exif=camera_exif().tobytes()),
        encode(scene((48, 32)).convert("P"), "PNG", transparency=0),
        encode(scene((48, 32)), "WEBP", exif=camera_exif().tobytes(),
               xmp=xmp_packet(description="w")),
        encode(scene((48, 32)), "WEBP", lossless=True),
    )


def survives(data: bytes) -> None:
    """inspect() and a rendition either succeed or raise MediaError with one line."""
    for call in (lambda: inspect(data, "fuzz.jpg"), lambda: make_rendition(data, THUMBNAIL)):
        try:
            call()
        except MediaError as error:
            assert "\n" not in str(error) and str(error).strip()


@FUZZ
@given(st.binary(max_size=4096))
@example(b"\xff\xd8\xff")
@example(b"\x89PNG\r\n\x1a\n")
@example(b"RIFF\x00\x00\x00\x00WEBPVP8L")
@example(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")
def test_random_bytes_raise_only_media_error(data):
    survives(data)


@FUZZ
@given(
    st.integers(min_value=0, max_value=6),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)),
             min_size=1, max_size=12),
    st.one_of(st.none(), st.integers(min_value=0)),
)
def test_mutated_pictures_raise_only_media_error(seed, flips, cut):
    data = bytearray(seeds()[seed])
    for position, value in flips:
        data[position % len(data)] = value
    if cut is not None:
        data = data[: cut % len(data)]
    survives(bytes(data))


@FUZZ
@given(st.binary(max_size=600), st.binary(max_size=200))
def test_hostile_iptc_blocks_raise_only_media_error(block, value):
    photo = encode(scene((48, 32)), "JPEG")
    for segment in (app13(block), app13(iim([(2, 120, value), (1, 90, value[:3])]))):
        survives(insert_after_soi(photo, segment))


@FUZZ
@given(st.text(max_size=300))
def test_hostile_xmp_raises_only_media_error(text):
    packet = xmp_packet(extra=text).replace(b"&", b"&amp;")
    survives(encode(scene((48, 32)), "JPEG", xmp=packet))
    survives(encode(scene((48, 32)), "JPEG", xmp=text.encode("utf-8", "surrogatepass")))


def test_the_seeds_are_accepted():
    for data in seeds():
        picture, _ = inspect(data, "seed")
        assert (picture.width, picture.height) == (48, 32)


@pytest.mark.parametrize("index", range(7))
def test_every_truncation_of_a_small_picture_raises_only_media_error(index):
    data = seeds()[index]
    for end in range(0, len(data), max(1, len(data) // 97)):
        survives(data[:end])
