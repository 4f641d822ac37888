"""Opening untrusted picture bytes with Pillow inside the house limits (see limits).

Every path from bytes to pixels goes through here: the type is sniffed from the bytes
and Pillow is allowed only the matching decoder (no other plugin ever sees the file);
the size, pixel count and shape are checked from the header before any pixel is
decoded; Pillow's decompression-bomb guard is set to the house limit and its warning is
made an error; anything Pillow raises on a damaged file becomes a one-line MediaError.

Image.MAX_IMAGE_PIXELS is process-wide: importing this module sets it to MAX_PIXELS
(Pillow's documented way). The warning filter is process-wide too and not thread-safe,
so it is changed only under a lock (`quietly`), around the short steps where Pillow
checks sizes or parses metadata: there its warnings ("Corrupt EXIF data") become notes
for the caller instead of lines on a person's terminal. Decoding pixels, the long step,
runs outside the lock.
"""

from __future__ import annotations

import functools
import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image, UnidentifiedImageError

from newsdesk.media.errors import MediaError
from newsdesk.media.limits import (
    MAX_ASPECT,
    MAX_FILE_BYTES,
    MAX_PIXELS,
    MAX_SIDE,
    MIN_SIDE,
    size_label,
)
from newsdesk.media.sniff import ACCEPTED_LABEL, sniff
from newsdesk.media.text import clean

Image.MAX_IMAGE_PIXELS = MAX_PIXELS

PILLOW_FORMATS = {"jpeg": ("JPEG",), "png": ("PNG",), "webp": ("WEBP",), "heic": ("HEIF",)}
SNIFF_BYTES = 4096
_PILLOW_STATE = threading.RLock()


@functools.cache
def heif_available() -> bool:
    """True when the optional pillow-heif package is installed (its opener registered)."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


def shape_problem(width: int, height: int) -> str:
    """Why a picture of this size is refused ("" when it is fine): pure."""
    if width < 1 or height < 1:
        return "the picture has no pixels"
    if width * height > MAX_PIXELS:
        megapixels = width * height / 1_000_000
        return (
            f"too many pixels ({width}x{height}, {megapixels:.0f} megapixels; the limit is "
            f"{MAX_PIXELS // 1_000_000}): refused as a possible decompression bomb"
        )
    if max(width, height) > MAX_SIDE:
        return f"too wide or tall ({width}x{height}; at most {MAX_SIDE} pixels a side)"
    if min(width, height) < MIN_SIDE:
        return f"too small ({width}x{height}; at least {MIN_SIDE} pixels a side)"
    if max(width, height) > MAX_ASPECT * min(width, height):
        return f"an implausible shape ({width}x{height}; at most {MAX_ASPECT}:1)"
    return ""


def display_name(name: str) -> str:
    """A file name fit for a one-line message (it came from outside)."""
    return clean(name, 120)[0] or "picture"


@contextmanager
def quietly(notes: list[str] | None = None) -> Iterator[None]:
    """Pillow's warnings caught (a bomb warning raised as an error), kept as notes."""
    with _PILLOW_STATE, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield
    if notes is not None:
        notes.extend(clean(str(warning.message), 100)[0] for warning in caught)


@contextmanager
def untrusted(name: str) -> Iterator[None]:
    """Turn whatever Pillow raises on hostile or damaged bytes into a MediaError."""
    try:
        yield
    except MediaError:
        raise
    except UnidentifiedImageError as exc:
        raise MediaError(
            f"{display_name(name)}: damaged picture (its header cannot be read)"
        ) from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise MediaError(
            f"{display_name(name)}: refused as a possible decompression bomb "
            f"(more than {MAX_PIXELS // 1_000_000} megapixels)"
        ) from exc
    except MemoryError as exc:
        raise MediaError(f"{display_name(name)}: too large to decode") from exc
    except Exception as exc:  # Pillow's decoders raise many kinds on bad bytes
        detail = clean(str(exc), 100)[0]
        reason = f"damaged or truncated picture ({detail})" if detail else "damaged picture"
        raise MediaError(f"{display_name(name)}: {reason}") from exc


def kind_of(data: bytes, name: str) -> str:
    """The accepted kind of `data` ("jpeg", "png", "webp", "heic") or a MediaError."""
    if len(data) > MAX_FILE_BYTES:
        raise MediaError(
            f"{display_name(name)}: too large ({size_label(len(data))}; "
            f"the limit is {size_label(MAX_FILE_BYTES)})"
        )
    kind, reason = sniff(data[:SNIFF_BYTES], name)
    if kind is None:
        raise MediaError(f"{display_name(name)}: {reason}")
    if kind == "heic" and not heif_available():
        raise MediaError(
            f"{display_name(name)}: HEIC pictures need the optional pillow-heif package "
            f"(pip install 'newsdesk[heic]'); or export it as {ACCEPTED_LABEL}"
        )
    return kind


def open_picture(data: bytes, name: str) -> tuple[Image.Image, str]:
    """(opened, not yet decoded image, kind) after every check the header allows."""
    kind = kind_of(data, name)
    with untrusted(name):
        with quietly():
            image = Image.open(io.BytesIO(data), formats=PILLOW_FORMATS[kind])
        problem = shape_problem(*image.size)
        if problem:
            raise MediaError(f"{display_name(name)}: {problem}")
        if kind in ("png", "webp") and getattr(image, "n_frames", 1) > 1:
            raise MediaError(
                f"{display_name(name)}: animated pictures are not accepted (use a still)"
            )
    return image, kind


def decode_fully(data: bytes, name: str) -> tuple[Image.Image, str]:
    """(fully decoded image, kind): Pillow's verify() and then a full decode must pass."""
    image, _kind = open_picture(data, name)
    with untrusted(name):
        image.verify()
    image, kind = open_picture(data, name)
    with untrusted(name):
        image.load()
    return image, kind
