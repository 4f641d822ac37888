"""House limits for pictures: what is accepted, how large, how much metadata text.

Decisions (the reasons are the point; change a number here and nowhere else):
- Accepted: JPEG (including multi-picture MPO files from phones, whose first picture is
  the photo), PNG and WebP, recognised by their bytes, never by the file name. HEIC only
  when the optional `pillow-heif` package is installed (its wheels bundle a GPL encoder,
  so the app bundle does not ship it). SVG is refused outright: it is a document that
  can carry scripts and links, and passing it through would publish them. GIF, TIFF, BMP,
  PDF and anything else are refused with their name, so a person knows what to export.
- Size: at most MAX_FILE_BYTES (100 MiB) on disk, checked from the file's size before
  its bytes are read. A 24-megapixel camera JPEG is 8-25 MB.
- Pixels: at most MAX_PIXELS (120 megapixels), enough for the 102-MP medium-format
  cameras and stitched panoramas; a full decode then needs at most ~480 MB (CMYK).
  Pillow's own bomb guard is set to the same figure and its warning is a refusal.
- Shape: each side MIN_SIDE (16 px) to MAX_SIDE (40,000 px), long side at most
  MAX_ASPECT (25) times the short one: narrower is a strip or a bomb, not a photo.
- Animated PNG and WebP are refused: renditions are stills and would silently drop the
  animation.
- Metadata text is cleaned (control characters and HTML removed, Unicode NFC) and cut to
  TEXT_LIMITS characters; single-line fields have their line breaks folded to spaces.
- An EXIF or XMP block larger than MAX_METADATA_BYTES (1 MiB) is not parsed: a JPEG
  segment holds at most 64 KB, and PNG and WebP chunks are bounded only by the file.
- Embedded colour profiles (ICC) larger than MAX_ICC_BYTES are dropped (real ones are a
  few KB); smaller ones are kept only if littleCMS parses them.
"""

from __future__ import annotations

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 120_000_000
MAX_SIDE = 40_000
MIN_SIDE = 16
MAX_ASPECT = 25
MAX_ICC_BYTES = 1024 * 1024
MAX_METADATA_BYTES = 1024 * 1024
MAX_FILE_NAME = 200

TEXT_LIMITS = {
    "caption": 2000,
    "alt": 1000,
    "credit": 250,
    "creator": 250,
    "copyright": 250,
    "date_taken": 40,
}
MULTILINE_FIELDS = frozenset({"caption", "alt"})


def size_label(n_bytes: int) -> str:
    """A byte count as a person reads it in a message (MB are 2**20 bytes here)."""
    return f"{n_bytes / (1024 * 1024):.0f} MB" if n_bytes >= 1024 * 1024 else f"{n_bytes} bytes"
