"""Pictures, the core: read, check and render untrusted picture files safely (no Qt, no SQL).

Use:
    data = read_picture_file(path)              # size-checked before reading
    picture, found = inspect(data, path.name)   # MediaError on anything bad; the
                                                # fields prefilled from the file
    picture = replace(picture, caption=typed)   # what a person types replaces them
    again = merge_metadata(stored, found)       # a stored picture: blanks filled only
    thumb = make_rendition(data, THUMBNAIL)     # clean bytes, cache by rendition_key

Modules: limits (the house limits and why), sniff (type from bytes), decode (Pillow
inside the limits), exif/iptc/xmp (reading each block), dates, text (cleaning),
metadata (combining the blocks), picture (the value and the merge), reader (inspect),
pixels and renditions (re-encoding without metadata).
"""

from newsdesk.media.errors import MediaError
from newsdesk.media.metadata import FileMetadata
from newsdesk.media.picture import (
    ROLES,
    Picture,
    file_name_for,
    is_picture_id,
    merge_metadata,
    picture_id,
)
from newsdesk.media.reader import inspect, read_picture_file
from newsdesk.media.renditions import (
    KEEP_CREDITS,
    ORIGINAL,
    SPECS,
    STRIP_ALL,
    THUMBNAIL,
    WEB,
    MetadataPolicy,
    Rendition,
    RenditionSpec,
    make_rendition,
    rendition_key,
)

__all__ = [
    "KEEP_CREDITS",
    "ORIGINAL",
    "ROLES",
    "SPECS",
    "STRIP_ALL",
    "THUMBNAIL",
    "WEB",
    "FileMetadata",
    "MediaError",
    "MetadataPolicy",
    "Picture",
    "Rendition",
    "RenditionSpec",
    "file_name_for",
    "inspect",
    "is_picture_id",
    "make_rendition",
    "merge_metadata",
    "picture_id",
    "read_picture_file",
    "rendition_key",
]
