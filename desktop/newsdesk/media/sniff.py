"""What kind of file a picture is, from its first bytes (never its name): pure functions.

The name a person gave a file proves nothing, so the type is read from the bytes and the
name only helps explain a refusal (a gzip file named .svgz is a compressed SVG).
"""

from __future__ import annotations

ACCEPTED = ("jpeg", "png", "webp", "heic")
MEDIA_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
}
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
}
ACCEPTED_LABEL = "JPEG, PNG or WebP"

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}

# Recognised but refused, each named so that a person knows what they have.
_REFUSED_MAGIC = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF (or camera raw)"),
    (b"MM\x00*", "TIFF (or camera raw)"),
    (b"BM", "BMP"),
    (b"%PDF", "PDF"),
    (b"8BPS", "Photoshop"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"\xff\x0a", "JPEG XL"),
    (b"\x00\x00\x00\x0cJXL ", "JPEG XL"),
)


def _iso_brands(head: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO media file (HEIF, AVIF, MP4)."""
    if len(head) < 12 or head[4:8] != b"ftyp":
        return set()
    size = int.from_bytes(head[:4], "big")
    end = min(max(size, 12), len(head), 256)
    brands = {head[8:12]}
    brands.update(head[i : i + 4] for i in range(16, end - 3, 4))
    return brands


def _text_refusal(head: bytes, name: str) -> str | None:
    """Why a text file is refused: SVG by name, markup or content, else plain text."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(b"<"):
        if b"<svg" in start[:4096] or name.lower().endswith(".svg"):
            return "SVG pictures are refused (they can carry scripts): export it as PNG or JPEG"
        return f"not a picture (it looks like HTML or XML; {ACCEPTED_LABEL} expected)"
    if head.startswith(b"\x1f\x8b"):
        if name.lower().endswith(".svgz"):
            return "SVG pictures are refused (they can carry scripts): export it as PNG or JPEG"
        return f"not a picture (a compressed file; {ACCEPTED_LABEL} expected)"
    return None


def sniff(head: bytes, name: str = "") -> tuple[str | None, str]:
    """(kind, "") for an accepted kind, else (None, the one-line reason it is refused)."""
    if not head:
        return None, "empty file"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg", ""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png", ""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp", ""
    brands = _iso_brands(head)
    if brands & _AVIF_BRANDS:
        return None, f"AVIF pictures are not accepted: use {ACCEPTED_LABEL}"
    if brands & _HEIF_BRANDS:
        return "heic", ""
    for magic, label in _REFUSED_MAGIC:
        if head.startswith(magic):
            return None, f"{label} pictures are not accepted: use {ACCEPTED_LABEL}"
    reason = _text_refusal(head, name)
    return None, reason or f"not a picture ({ACCEPTED_LABEL} expected)"
