"""Guarded reading of story files: size limit, binary detection, text decoding."""

from __future__ import annotations

import codecs
from pathlib import Path

from newsdesk.formats.errors import FormatError

MAX_FILE_BYTES = 5 * 1024 * 1024


def read_bytes(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or FormatError if it cannot be read or is larger than `limit`."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise FormatError(f"cannot read the file ({exc.strerror or exc})", path) from None
    if len(data) > limit:
        raise FormatError(
            f"larger than {limit // (1024 * 1024)} MB; too big to be a story", path
        )
    return data


def decode(data: bytes, path: str | Path = "", *, windows_fallback: bool = False
           ) -> tuple[str, list[str]]:
    """Text from bytes: UTF-8 (BOM optional) or UTF-16 with a BOM; binary is refused.

    With `windows_fallback`, bytes that are not UTF-8 are read as Windows-1252 when every
    byte is defined there, and a note says so. Returns (text without BOM, notes).
    """
    notes: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FormatError("starts like UTF-16 text but is not valid UTF-16", path) from None
    else:
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise FormatError("a binary file, not text (it contains NUL bytes)", path, line)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            if not windows_fallback:
                raise FormatError(
                    f"not UTF-8 text (byte 0x{data[exc.start]:02X} cannot be decoded)", path, line
                ) from None
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise FormatError(
                    f"not UTF-8 text (byte 0x{data[exc.start]:02X}) nor Windows-1252 text",
                    path, line,
                ) from None
            notes.append(f"not UTF-8 (line {line}); read as Windows-1252")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormatError("a binary file, not text (it contains NUL characters)", path, line)
    return text.removeprefix("\ufeff"), notes

