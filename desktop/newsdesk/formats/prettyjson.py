"""Indented JSON text, byte for byte what `json.dumps(value, ensure_ascii=False, indent=2)` writes.

With `indent` set, the standard library gives up its C encoder for a pure-Python one that
yields every bracket, comma and key as a separate piece: for a ninjs document that costs
more than the rest of turning it into text. `dumps` builds the same text from the C
string encoder and one join per container. It takes what to_ninjs and its like produce:
dicts with text keys, lists and tuples, text, int, float (as json writes them, NaN and
Infinity included), bool and None. Anything else, and a key that is not text (json would
convert it), raises TypeError; a value that contains itself raises RecursionError.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring

_INDENT = "  "


def dumps(value: object, level: int = 0) -> str:
    """The value as `json.dumps(value, ensure_ascii=False, indent=2)` writes it; at `level`
    it stands that many levels deep in a bigger document (its lines indented to match)."""
    return _encode(value, "\n" + _INDENT * level)


def _encode(value: object, newline: str) -> str:
    # `newline` is a line break and the indent of the line the value starts on.
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = newline + _INDENT
        items = []
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"keys must be text, not {type(key).__name__}")
            # Most values are text: encoded here, without a call to _encode.
            text = encode_basestring(item) if type(item) is str else _encode(item, inner)
            items.append(f"{encode_basestring(key)}: {text}")
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = newline + _INDENT
        return "[" + inner + ("," + inner).join([_encode(item, inner) for item in value]) \
            + newline + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        # json's own leaf text (int.__repr__, float.__repr__, NaN, Infinity) from its C encoder.
        return json.dumps(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
