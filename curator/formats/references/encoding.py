"""Turning a reference manager's file into text, whatever its encoding.

Reference managers write UTF-8 (with or without a byte-order mark), and
older Windows tools Latin-1 or its Windows superset cp1252. Line endings
may be CRLF (EndNote on Windows), LF, or even bare CR (old Mac exports).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from curator.errors import InputError

__all__ = ["decode", "read_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` with ``\\n`` line endings, and the encoding used.

    A byte-order mark decides; otherwise UTF-8 when the bytes are valid
    UTF-8, else cp1252 (Windows Latin-1, which also gives typographic
    quotes their meaning), else Latin-1, which decodes any bytes.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _newlines(text), encoding + (" with BOM" if encoding == "utf-8" else "")
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return _newlines(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_text(path: Path) -> tuple[str, str]:
    """The text of the file at ``path`` (see :func:`decode`) and its encoding."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=str(path)) from exc
    return decode(data)
