"""The one error the picture core raises for bad input: a one-line reason, nothing stored."""

from __future__ import annotations

from newsdesk.domain.model import NewsdeskError


class MediaError(NewsdeskError):
    """A picture that cannot be accepted or rendered; the message is one line for a person."""
