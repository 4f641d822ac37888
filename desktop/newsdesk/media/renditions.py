"""Renditions of a picture (thumbnail, web size, export original), re-encoded clean.

Every rendition, the export original included, is decoded and encoded again by Pillow
from pixels alone: nothing of the source file's metadata is copied, so no EXIF (GPS
position, camera make and model, serial numbers, maker notes, embedded thumbnail), no
XMP, no IPTC, no comment and no trailing bytes leave the desk. What is kept: the pixels
turned upright by the EXIF orientation, and the ICC colour profile (see pixels). A house
rule (MetadataPolicy) may keep the creator and the copyright notice, written back as
EXIF Artist and Copyright (UTF-8, as ExifTool writes them) and nothing else.

Output types: JPEG, and HEIC, become JPEG; PNG stays PNG (lossless, with its alpha);
WebP stays WebP. Sizes: thumbnail 320 px and web 1600 px on the long edge, never
enlarged; the original keeps its size. The same input, spec and policy give the same
bytes (fixed encoder settings, no time stamps), so a rendition may be cached under
`rendition_key`, which also names the Pillow version that encoded it.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import PIL
from PIL import Image

from newsdesk.media.decode import open_picture, quietly, untrusted
from newsdesk.media.exif import ARTIST, COPYRIGHT, orientation_of
from newsdesk.media.limits import TEXT_LIMITS
from newsdesk.media.picture import is_picture_id
from newsdesk.media.pixels import (
    fit,
    has_alpha,
    keeps_icc,
    output_mode,
    to_mode,
    upright,
    usable_icc,
)
from newsdesk.media.text import clean

# Bump when a change here changes the bytes a rendition is encoded to.
RENDITION_VERSION = 1
OUTPUT = {
    "jpeg": ("JPEG", "image/jpeg", "jpg"),
    "heic": ("JPEG", "image/jpeg", "jpg"),
    "png": ("PNG", "image/png", "png"),
    "webp": ("WEBP", "image/webp", "webp"),
}


@dataclass(frozen=True)
class RenditionSpec:
    """One kind of rendition: its name, long-edge limit (None: full size) and quality."""

    name: str
    long_edge: int | None
    quality: int

    @property
    def key(self) -> str:
        """The spec as part of a cache key."""
        return f"{self.name}-{self.long_edge or 'full'}-q{self.quality}"


THUMBNAIL = RenditionSpec("thumb", 320, 80)
WEB = RenditionSpec("web", 1600, 85)
ORIGINAL = RenditionSpec("original", None, 92)
SPECS = (THUMBNAIL, WEB, ORIGINAL)


@dataclass(frozen=True)
class MetadataPolicy:
    """The house rule on what metadata a rendition carries: by default, none."""

    keep_creator: bool = False
    keep_copyright: bool = False

    def tags(self, creator: str = "", copyright: str = "") -> dict[int, str]:
        """The EXIF tags this rule writes for these values (cleaned, empty ones left out)."""
        wanted = {ARTIST: (self.keep_creator, creator),
                  COPYRIGHT: (self.keep_copyright, copyright)}
        tags = {}
        for tag, (keep, value) in wanted.items():
            text = clean(value, TEXT_LIMITS["creator"])[0] if keep else ""
            if text:
                tags[tag] = text
        return tags


STRIP_ALL = MetadataPolicy()
KEEP_CREDITS = MetadataPolicy(keep_creator=True, keep_copyright=True)


@dataclass(frozen=True)
class Rendition:
    """Encoded rendition bytes and what they are."""

    data: bytes
    media_type: str
    extension: str
    width: int
    height: int
    spec: str


def exif_bytes(tags: dict[int, str]) -> bytes:
    """An EXIF block holding only these text tags (b"" for none)."""
    if not tags:
        return b""
    exif = Image.Exif()
    for tag, text in sorted(tags.items()):
        exif[tag] = text.encode("utf-8")
    return exif.tobytes()


def rendition_key(
    picture_id: str,
    spec: RenditionSpec,
    policy: MetadataPolicy = STRIP_ALL,
    *,
    creator: str = "",
    copyright: str = "",
) -> str:
    """A cache key naming everything the rendition's bytes depend on."""
    if not is_picture_id(picture_id):
        raise ValueError(f"not a picture id: {picture_id[:80]!r}")
    tags = policy.tags(creator, copyright)
    meta = "strip"
    if tags:
        text = "\n".join(f"{tag}={value}" for tag, value in sorted(tags.items()))
        meta = "tags-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    engine = f"v{RENDITION_VERSION}-pil{PIL.__version__}"
    return f"{picture_id.removeprefix('sha256:')}-{spec.key}-{meta}-{engine}"


def _encode(image: Image.Image, fmt: str, quality: int, icc: bytes | None,
            exif: bytes) -> bytes:
    """Pixels to bytes with fixed settings; only the profile and `exif` ride along."""
    # Pillow copies a source's comment, XMP, dpi and more through `info` into what it
    # saves; an empty info means only what is passed here is written.
    image.info = {}
    options: dict[str, object] = {}
    if icc:
        options["icc_profile"] = icc
    if exif:
        options["exif"] = exif
    if fmt == "JPEG":
        options.update(quality=quality, optimize=True, progressive=True)
    elif fmt == "WEBP":
        options.update(quality=quality, method=4)
    else:
        options.update(compress_level=6)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def make_rendition(
    data: bytes,
    spec: RenditionSpec,
    policy: MetadataPolicy = STRIP_ALL,
    *,
    creator: str = "",
    copyright: str = "",
    name: str = "picture",
) -> Rendition:
    """A clean rendition of the picture `data` for `spec` (its type, size and shape
    checked again as on inspect, a damaged file refused while decoding)."""
    image, kind = open_picture(data, name)
    fmt, media_type, extension = OUTPUT[kind]
    with untrusted(name):
        target_size = fit(image.size, spec.long_edge)
        if kind == "jpeg" and spec.long_edge is not None:
            # Decode at a reduced scale straight from the DCT: a 24-MP photo's
            # thumbnail never needs its 72 MB of full-size pixels.
            image.draft(None, target_size)
        image.load()
        icc, space = usable_icc(image.info.get("icc_profile"))
        with quietly():
            orientation = orientation_of(image)
        mode = output_mode(image.mode, has_alpha(image), fmt)
        pixels = to_mode(image, mode, icc, space)
        if pixels.size != target_size:
            pixels = pixels.resize(target_size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        pixels = upright(pixels, orientation)
        encoded = _encode(
            pixels, fmt, spec.quality, icc if keeps_icc(space, pixels.mode) else None,
            exif_bytes(policy.tags(creator, copyright)),
        )
    return Rendition(encoded, media_type, extension, pixels.width, pixels.height, spec.name)
