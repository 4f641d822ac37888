"""What a picture's EXIF says: description, artist, copyright, date, camera, GPS, turn.

Only the fields Newsdesk uses are read; the rest (maker notes, serial numbers, lens,
GPS coordinates) is noted as present where it matters and never copied anywhere: every
rendition is re-encoded without it (see renditions). Camera firmware fills
ImageDescription with its own name ("OLYMPUS DIGITAL CAMERA"); that is not a caption.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image

from newsdesk.media.dates import exif_date
from newsdesk.media.limits import MAX_METADATA_BYTES
from newsdesk.media.text import decode_bytes, repair_latin1

IMAGE_DESCRIPTION = 0x010E
MAKE = 0x010F
MODEL = 0x0110
ORIENTATION = 0x0112
ARTIST = 0x013B
COPYRIGHT = 0x8298
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
DATE_TIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011

# Text camera firmware and phone software write into ImageDescription by default.
CAMERA_BOILERPLATE = frozenset(
    {
        "", "camera", "dcim", "default", "digital camera", "dsc", "exif_jpeg_picture",
        "hdrpl", "image", "konica minolta digital camera", "kodak digital still camera",
        "minolta digital camera", "olympus digital camera", "picture",
        "samsung digital camera", "sony dsc", "untitled",
    }
)


@dataclass(frozen=True)
class ExifFacts:
    """The EXIF fields Newsdesk reads, as text; orientation 1-8 (1 when absent)."""

    fields: dict[str, str] = field(default_factory=dict)
    camera: str = ""
    has_location: bool = False
    orientation: int = 1


def as_text(value: object) -> str:
    """EXIF text as Python text; numbers, tuples and other types are not text here."""
    if isinstance(value, str):
        return repair_latin1(value)
    if isinstance(value, bytes):
        return decode_bytes(value)
    return ""


def is_boilerplate(description: str, *camera_names: str) -> bool:
    """True for an ImageDescription that a camera wrote (its make or model), not a person."""
    folded = " ".join(description.split()).casefold()
    names = {" ".join(name.split()).casefold() for name in camera_names}
    return folded in CAMERA_BOILERPLATE or folded in names


def joined_copyright(text: str) -> str:
    """EXIF Copyright holds "photographer NUL editor"; both are the notice."""
    return "; ".join(part.strip() for part in text.split("\x00") if part.strip())


def _orientation(value: object) -> int:
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def checked_exif(image: Image.Image) -> Image.Exif:
    """The picture's EXIF, parsed only when its block is within the house limit."""
    raw = image.info.get("exif")
    if isinstance(raw, bytes | str) and len(raw) > MAX_METADATA_BYTES:
        raise ValueError(f"EXIF block of {len(raw)} bytes")
    return image.getexif()


def orientation_of(image: Image.Image) -> int:
    """The EXIF Orientation (1-8) of an opened picture; 1 when absent or unreadable."""
    try:
        return _orientation(checked_exif(image).get(ORIENTATION))
    except Exception:  # damaged EXIF from an untrusted file: show it as stored
        return 1


def read_exif(image: Image.Image) -> ExifFacts:
    """The EXIF facts of an opened picture (a damaged block raises; the caller decides)."""
    exif = checked_exif(image)
    make, model = as_text(exif.get(MAKE)).strip(), as_text(exif.get(MODEL)).strip()
    camera = model if make and model.startswith(make) else " ".join(p for p in (make, model) if p)
    sub = exif.get_ifd(EXIF_IFD)
    description = as_text(exif.get(IMAGE_DESCRIPTION))
    fields = {
        "caption": "" if is_boilerplate(description, make, model, camera) else description,
        "creator": as_text(exif.get(ARTIST)).replace("\x00", " "),
        "copyright": joined_copyright(as_text(exif.get(COPYRIGHT))),
        "date_taken": exif_date(
            as_text(sub.get(DATE_TIME_ORIGINAL)), as_text(sub.get(OFFSET_TIME_ORIGINAL))
        ),
    }
    return ExifFacts(
        fields={k: v for k, v in fields.items() if v.strip()},
        camera=camera,
        has_location=bool(exif.get_ifd(GPS_IFD)),
        orientation=_orientation(exif.get(ORIENTATION)),
    )
