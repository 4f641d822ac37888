"""Pixel work for renditions: turn, size, colour mode and colour profile.

Orientation: the EXIF Orientation tag (1-8) is applied to the pixels, since the tag
itself is stripped with the rest of EXIF. Size: the long edge is fitted to a limit,
never enlarged. Mode: JPEG out is RGB or greyscale (transparency flattened on white),
PNG keeps its alpha and greyscale, WebP is RGB(A); 16-bit greyscale is scaled to 8 bits,
not clipped. Colour: an embedded ICC profile is kept when littleCMS parses it and it
matches the output's colour space (so wide-gamut photos keep their colours); a CMYK
photo is converted to sRGB through its own profile and leaves untagged, which browsers
read as sRGB. Decisions are pure functions, tested by tables.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms

from newsdesk.media.limits import MAX_ICC_BYTES

T = Image.Transpose
# The transposes that show a picture upright, by EXIF Orientation value (as
# ImageOps.exif_transpose does; kept here so the tag can be read without Pillow's copy).
ORIENTATION_STEPS: dict[int, tuple[Image.Transpose, ...]] = {
    1: (),
    2: (T.FLIP_LEFT_RIGHT,),
    3: (T.ROTATE_180,),
    4: (T.FLIP_TOP_BOTTOM,),
    5: (T.TRANSPOSE,),
    6: (T.ROTATE_270,),
    7: (T.TRANSVERSE,),
    8: (T.ROTATE_90,),
}
ALPHA_MODES = frozenset({"RGBA", "RGBa", "LA", "La", "PA"})
GREY_MODES = frozenset({"1", "L", "LA", "La", "I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
WIDE_GREY_MODES = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})
ICC_SPACES = {"RGB": "RGB ", "RGBA": "RGB ", "L": "GRAY", "LA": "GRAY"}


def fit(size: tuple[int, int], long_edge: int | None) -> tuple[int, int]:
    """`size` scaled so its long edge is at most `long_edge` (never enlarged)."""
    width, height = size
    if long_edge is None or max(width, height) <= long_edge:
        return width, height
    scale = long_edge / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def output_mode(mode: str, has_alpha: bool, fmt: str) -> str:
    """The mode a rendition is encoded in, from the decoded mode and the output format."""
    grey = mode in GREY_MODES
    if fmt == "JPEG":
        return "L" if grey else "RGB"
    if fmt == "PNG" and grey:
        return "LA" if has_alpha else "L"
    return "RGBA" if has_alpha else "RGB"


def has_alpha(image: Image.Image) -> bool:
    """True when the picture has transparency (an alpha band or a transparent colour)."""
    return image.mode in ALPHA_MODES or "transparency" in image.info


def usable_icc(icc: object) -> tuple[bytes | None, str]:
    """(profile bytes, colour space such as "RGB ") if littleCMS accepts it, else (None, "")."""
    if not isinstance(icc, bytes) or not icc or len(icc) > MAX_ICC_BYTES:
        return None, ""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return icc, profile.profile.xcolor_space
    except Exception:  # an unparsable profile from an untrusted file: drop it
        return None, ""


def keeps_icc(space: str, mode: str) -> bool:
    """True when a profile of colour `space` describes pixels of `mode`."""
    return bool(space) and ICC_SPACES.get(mode) == space


def _to_grey8(image: Image.Image) -> Image.Image:
    """16-bit (or wider) greyscale scaled to 8 bits, not clipped at 255."""
    wide = image.convert("I") if image.mode != "I" else image
    peak = 65535 if image.mode.startswith("I;16") or wide.getextrema()[1] > 255 else 255
    return wide.point(lambda v: v * (255 / peak) + 0.5).convert("L")


def _flatten(image: Image.Image, target: str) -> Image.Image:
    """Transparent pixels composited on white (JPEG has no alpha)."""
    rgba = image.convert("LA" if target == "L" else "RGBA")
    background = Image.new(target, rgba.size, 255 if target == "L" else (255, 255, 255))
    background.paste(rgba.convert(target), mask=rgba.getchannel("A"))
    return background


def to_mode(image: Image.Image, target: str, icc: bytes | None, space: str) -> Image.Image:
    """`image` in mode `target`, a CMYK image converted to sRGB through its profile."""
    if image.mode in WIDE_GREY_MODES:
        image = _to_grey8(image)
    if image.mode == "CMYK" and space == "CMYK" and icc:
        srgb = ImageCms.createProfile("sRGB")
        cmyk = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        image = ImageCms.profileToProfile(image, cmyk, srgb, outputMode="RGB")
    if has_alpha(image) and target in ("RGB", "L"):
        return _flatten(image, target)
    return image if image.mode == target else image.convert(target)


def upright(image: Image.Image, orientation: int) -> Image.Image:
    """`image` turned as its EXIF Orientation says it is shown."""
    for step in ORIENTATION_STEPS.get(orientation, ()):
        image = image.transpose(step)
    return image
