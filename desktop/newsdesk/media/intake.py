"""Whether a picture file's metadata may be taken in as it is: a pure decision.

The core cleans metadata text (newsdesk.media.text) and notes what it changed. A file
whose caption, credit or other field held HTML or control characters is refused when
adding it (issue 20, bad input): such text was written by a tool gone wrong or by
someone probing what reads it, and a cleaned guess at what it meant is not something
to publish unseen. A field the person typed themselves is not taken from the file, so
what the file held there does not matter.
"""

from __future__ import annotations

from collections.abc import Mapping

from newsdesk.media.metadata import FIELDS, FileMetadata

REFUSED_NOTES = ("HTML removed", "control characters removed")


def metadata_refusal(found: FileMetadata, typed: Mapping[str, str | None], name: str) -> str:
    """Why this file's metadata is refused ("" when it is not), given what was typed."""
    for note in found.notes:
        field, _, rest = note.partition(" (")
        if field not in FIELDS or typed.get(field) is not None:
            continue
        source, _, what = rest.partition("): ")
        if what in REFUSED_NOTES:
            return (
                f"{name}: its {source} {field.replace('_', ' ')} metadata holds "
                f"{'HTML' if what.startswith('HTML') else 'control characters'}; "
                f"refused (fix the file, or type the {field.replace('_', ' ')} yourself)"
            )
    return ""
