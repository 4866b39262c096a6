"""Turning a reference manager's file into text, whatever its encoding.

Reference managers write UTF-8 (with or without a byte-order mark), and
older Windows tools Latin-1 or its Windows superset cp1252; Windows tools
and JabRef may write UTF-16, with or without a byte-order mark. Line endings
may be CRLF (EndNote on Windows), LF, or even bare CR (old Mac exports).
"""

from __future__ import annotations

import codecs
from pathlib import Path

from curator.errors import InputError

__all__ = ["decode", "read_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16's, which begins the same
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` with ``\\n`` line endings, and the encoding used.

    A byte-order mark decides; otherwise UTF-16 (or UTF-32) without one when
    the zero bytes say so (:func:`_wide`), UTF-8 when the bytes are valid
    UTF-8, else cp1252 (Windows Latin-1, which also gives typographic
    quotes their meaning), else Latin-1, which decodes any bytes. Text with
    zero bytes in no such pattern is refused, saying so: it is no text file.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _newlines(text), encoding + (" with BOM" if encoding == "utf-8" else "")
    if b"\0" in data[:4096]:
        wide = _wide(data)
        if wide is None:
            raise InputError(
                "the file holds zero bytes in no UTF-16 or UTF-32 pattern: it seems to be a binary file, "
                "not text (if it is text, save it as UTF-8)"
            )
        return _newlines(data.decode(wide, errors="replace")), f"{wide} without BOM"
    for encoding in ("utf-8", "cp1252", "latin-1"):
        try:
            return _newlines(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _wide(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (little- or big-endian) when text's zero bytes fall where they say.

    Text in Latin script written as UTF-16 has a zero byte beside each character:
    after it (little-endian) or before it (big-endian); in UTF-32, three. The
    first 4 KB decide: at least 3 in 4 of the characters must look so.
    """
    head = data[:4096]
    for encoding, width, zero_at in (
        ("utf-32-le", 4, (1, 2, 3)),
        ("utf-32-be", 4, (0, 1, 2)),
        ("utf-16-le", 2, (1,)),
        ("utf-16-be", 2, (0,)),
    ):
        units = [head[i : i + width] for i in range(0, len(head) - width + 1, width)]
        if not units:
            continue
        fits = sum(
            1 for u in units if all(u[k] == 0 for k in zero_at) and any(u[k] for k in range(width) if k not in zero_at)
        )
        if fits * 4 >= len(units) * 3:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return encoding
    return None


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
    try:
        return decode(data)
    except InputError as exc:
        raise InputError(exc.detail, file=str(path)) from None
