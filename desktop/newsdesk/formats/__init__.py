"""Pure conversions between a Story and text: wire copy, Markdown, ninjs, HTML.

wire.py imports plain-text wire copy; markdown.py reads and writes the interchange
Markdown (its YAML through frontmatter.py); textfile.py guards the reading of files;
errors.py holds FormatError, raised for any text that is not a story.
"""

from newsdesk.formats.errors import FormatError

__all__ = ["FormatError"]
