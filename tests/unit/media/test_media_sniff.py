"""A picture's type comes from its bytes; refused types are named: a table."""

from __future__ import annotations

import gzip

import pytest

from newsdesk.media.sniff import sniff

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
AVIF_REFUSED = "AVIF pictures are not accepted: use JPEG, PNG or WebP"
SVG_REFUSED = "SVG pictures are refused (they can carry scripts): export it as PNG or JPEG"


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (len(body) + 4).to_bytes(4, "big") + body + b"\x00" * 32


SNIFF_TABLE = [
    # (head, name, kind, reason)
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a.jpg", "jpeg", ""),
    (b"\xff\xd8\xff\xe1", "photo.png", "jpeg", ""),  # the bytes win over the name
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a.png", "png", ""),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "a.webp", "webp", ""),
    (ftyp(b"heic", b"mif1", b"heic"), "IMG_1.HEIC", "heic", ""),
    (ftyp(b"mif1", b"heic"), "IMG_1.heif", "heic", ""),
    (ftyp(b"avif", b"mif1"), "a.avif", None, AVIF_REFUSED),
    (ftyp(b"mif1", b"avif"), "a.heif", None, AVIF_REFUSED),
    (ftyp(b"isom", b"mp41"), "clip.mp4", None, "not a picture (JPEG, PNG or WebP expected)"),
    (b"GIF89a\x01\x00", "a.gif", None, "GIF pictures are not accepted: use JPEG, PNG or WebP"),
    (b"II*\x00\x08\x00", "a.tif", None,
     "TIFF (or camera raw) pictures are not accepted: use JPEG, PNG or WebP"),
    (b"MM\x00*\x00", "a.nef", None,
     "TIFF (or camera raw) pictures are not accepted: use JPEG, PNG or WebP"),
    (b"BM\x00\x00", "a.bmp", None, "BMP pictures are not accepted: use JPEG, PNG or WebP"),
    (b"%PDF-1.7", "a.pdf", None, "PDF pictures are not accepted: use JPEG, PNG or WebP"),
    (b"8BPS\x00\x01", "a.psd", None, "Photoshop pictures are not accepted: use JPEG, PNG or WebP"),
    (SVG, "logo.svg", None, SVG_REFUSED),
    (SVG, "logo.jpg", None, SVG_REFUSED),
    (b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- x -->\n' + SVG, "a", None, SVG_REFUSED),
    (b"  \n<SVG width='1'/>", "a.png", None, SVG_REFUSED),
    (b'<?xml version="1.0"?><svg/>', "a", None, SVG_REFUSED),
    (b'<?xml version="1.0"?><doc/>', "a.svg", None, SVG_REFUSED),
    (gzip.compress(SVG, mtime=0), "logo.svgz", None, SVG_REFUSED),
    (gzip.compress(b"x", mtime=0), "a.gz", None,
     "not a picture (a compressed file; JPEG, PNG or WebP expected)"),
    (b"<!doctype html><img src=x>", "a.jpg", None,
     "not a picture (it looks like HTML or XML; JPEG, PNG or WebP expected)"),
    (b"hello", "a.jpg", None, "not a picture (JPEG, PNG or WebP expected)"),
    (b"\xff\xd8", "a.jpg", None, "not a picture (JPEG, PNG or WebP expected)"),
    (b"", "a.jpg", None, "empty file"),
]


@pytest.mark.parametrize(("head", "name", "kind", "reason"), SNIFF_TABLE)
def test_sniff_table(head, name, kind, reason):
    assert sniff(head, name) == (kind, reason)
