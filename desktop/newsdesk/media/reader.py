"""Reading a picture a person attaches: the file, its checks, its metadata, its Picture.

`read_picture_file` refuses what is not a regular file or is over the size limit from
the file's size, before reading its bytes (a FIFO or a device never blocks or floods
it). `inspect` checks and fully decodes the bytes (newsdesk.media.decode), reads XMP,
IPTC and EXIF, and returns the Picture prefilled from the file with that metadata. A
damaged metadata block is ignored with a note (the pixels are what matter); XMP that
declares XML entities is refused, as a file built to attack whatever reads it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from defusedxml import DefusedXmlException
from PIL import Image

from newsdesk.media.decode import decode_fully, display_name, quietly
from newsdesk.media.errors import MediaError
from newsdesk.media.exif import ExifFacts, read_exif
from newsdesk.media.iptc import read_iptc
from newsdesk.media.limits import MAX_FILE_BYTES, MAX_FILE_NAME, size_label
from newsdesk.media.metadata import FileMetadata, combine
from newsdesk.media.picture import Picture, merge_metadata, picture_id
from newsdesk.media.sniff import EXTENSIONS, MEDIA_TYPES
from newsdesk.media.text import clean
from newsdesk.media.xmp import read_xmp

T = TypeVar("T")
TURNED = frozenset({5, 6, 7, 8})


def read_picture_file(path: Path) -> bytes:
    """The bytes of the picture file at `path`, refused early when it cannot be one."""
    name = display_name(path.name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise MediaError(f"{name}: cannot read it ({exc.strerror or exc})") from exc
    try:
        data = _read_regular(fd, name)
    finally:
        os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise MediaError(f"{name}: too large (it grew past {size_label(MAX_FILE_BYTES)})")
    return data


def _read_regular(fd: int, name: str) -> bytes:
    """At most the size limit and one byte from an open regular file, else a MediaError."""
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        raise MediaError(f"{name}: not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise MediaError(
            f"{name}: too large ({size_label(info.st_size)}; "
            f"the limit is {size_label(MAX_FILE_BYTES)})"
        )
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise MediaError(f"{name}: cannot read it ({exc.strerror or exc})") from exc


def clean_file_name(name: str, media_type: str) -> str:
    """The base name a person gave the file, made safe to show and store."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    text, _ = clean(base, MAX_FILE_NAME)
    return text or f"picture.{EXTENSIONS[media_type]}"


def _guarded(label: str, read: Callable[[Image.Image], T], image: Image.Image,
             empty: T, notes: list[str]) -> T:
    """`read(image)`, or `empty` with a note when that metadata block is damaged."""
    try:
        return read(image)
    except DefusedXmlException as exc:
        raise MediaError(f"its {label} metadata declares XML entities (refused as unsafe)") from exc
    except Exception:  # a damaged block from an untrusted file: ignore it, say so
        notes.append(f"{label} metadata unreadable, ignored")
        return empty


def read_metadata(image: Image.Image) -> FileMetadata:
    """The combined XMP, IPTC and EXIF metadata of an opened picture."""
    notes: list[str] = []
    with quietly(notes):
        xmp, xmp_gps = _guarded("XMP", read_xmp, image, ({}, False), notes)
        iptc = _guarded("IPTC", read_iptc, image, {}, notes)
        exif = _guarded("EXIF", read_exif, image, ExifFacts(), notes)
    return combine(
        [("XMP", xmp), ("IPTC", iptc), ("EXIF", exif.fields)],
        has_location=exif.has_location or xmp_gps,
        camera=exif.camera,
        orientation=exif.orientation,
        notes=notes,
    )


def inspect(data: bytes, name: str) -> tuple[Picture, FileMetadata]:
    """Check and read a picture: its Picture (prefilled from the file) and its metadata."""
    image, kind = decode_fully(data, name)
    width, height = image.size
    try:
        metadata = _metadata_or_refusal(image, name)
    finally:
        image.close()
    if metadata.orientation in TURNED:
        width, height = height, width
    media_type = MEDIA_TYPES[kind]
    picture = Picture(
        id=picture_id(data),
        file_name=clean_file_name(name, media_type),
        media_type=media_type,
        width=width,
        height=height,
    )
    return merge_metadata(picture, metadata), metadata


def _metadata_or_refusal(image: Image.Image, name: str) -> FileMetadata:
    try:
        return read_metadata(image)
    except MediaError as exc:
        raise MediaError(f"{display_name(name)}: {exc}") from exc
