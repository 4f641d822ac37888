"""FormatError: a file or text that cannot be read as a story, with where it went wrong."""

from __future__ import annotations

from pathlib import Path

from newsdesk.domain.model import NewsdeskError


class FormatError(NewsdeskError):
    """Text that is not a story in the expected format.

    `path` is the file (or source name) as given, "" when unknown; `line` is 1-based, None
    when the problem is not at one line; `reason` is the message without the location.
    str() gives "wire-x.txt, line 3: expected a date line such as 'date 2023-11-06'".
    """

    def __init__(self, reason: str, path: str | Path = "", line: int | None = None):
        self.reason = reason
        self.path = str(path)
        self.line = line
        where = ", ".join(
            part for part in (self.path, f"line {line}" if line is not None else "") if part
        )
        super().__init__(f"{where}: {reason}" if where else reason)
