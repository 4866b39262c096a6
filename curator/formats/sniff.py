"""What a file seems to be, from its first bytes: for messages refusing a file of the wrong kind.

"not a reference manager's file" helps nobody who dropped a PDF or an EndNote XML export; "it
seems to be a PDF document" does. Only what can be told for certain from the file's beginning is
said; None otherwise. Light on purpose (no third-party import): the refusals of every face use it.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

__all__ = ["seems_to_be", "curator_format"]

_HEAD = 8192
_MAGIC = (
    (b"%PDF", "a PDF document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Microsoft Office file (.xls or .doc)"),
    (b"\x89PNG", "an image (PNG)"),
    (b"\xff\xd8\xff", "an image (JPEG)"),
    (b"GIF8", "an image (GIF)"),
    (b"{\\rtf", "a Rich Text (RTF) document"),
)
_ZIP_PARTS = (
    ("xl/", "an Excel workbook"),
    ("word/", "a Word document"),
    ("ppt/", "a PowerPoint presentation"),
    ("content.xml", "an OpenDocument file"),
)


def seems_to_be(path: str | Path) -> str | None:
    """What the file at ``path`` seems to be, in a few words ("a PDF document", "a web page (HTML)",
    "UTF-16 text without a byte-order mark", ...), or None when its beginning does not say."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            head = f.read(_HEAD)
    except OSError:
        return None
    if not head:
        return "an empty file"
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith(b"PK\x03\x04"):
        return _zip(p)
    if _utf16_without_bom(head):
        return "UTF-16 text without a byte-order mark (save it as UTF-8, or UTF-16 with a byte-order mark)"
    review = curator_format(head)
    if review:
        return f"a Curator review file ({review})"
    return _text(head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n"))


def _zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()[:200]
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a zip archive"
    for part, what in _ZIP_PARTS:
        if any(n.startswith(part) for n in names):
            return what
    return "a zip archive"


def _utf16_without_bom(head: bytes) -> bool:
    """Text in UTF-16 without its byte-order mark: nearly every other byte is NUL."""
    sample = head[:512]
    if len(sample) < 8 or sample[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    evens, odds = sample[0::2], sample[1::2]
    return max(evens.count(0) / len(evens), odds.count(0) / len(odds)) > 0.7


def _text(text: str) -> str | None:
    low = text[:2048].lower()
    if low.startswith("<!doctype html") or low.startswith("<html") or re.search(r"<html[\s>]", low):
        return "a web page (HTML), not an export: save the export itself from the database's export or download button"
    if low.startswith("<?xml") or low.startswith("<xml"):
        if "<records>" in low and "<record>" in low:
            return "an EndNote XML file (export RIS from EndNote instead: File > Export, RefMan (RIS) Export)"
        return "an XML file"
    if re.match(r"^PT [A-Z]\r?\n[A-Z][A-Z0-9] ", text):
        return "a Web of Science tagged file without its first lines (FN ..., VR 1.0): export it again whole"
    if re.match(r"^PT\tAU\t", text):
        return "a Web of Science tab-delimited file (export it as 'Plain text file' or as RIS instead)"
    if re.match(r"^%0 \S", text):
        return "an EndNote tagged (.enw) file (export RIS from EndNote instead)"
    return None


#: How a curator/1 file starts as Curator writes it: its ``format`` first.
_CURATOR_START = re.compile(rb'^(?:\xef\xbb\xbf)?\s*\{\s*"format"\s*:\s*"(curator/[^"\\]{0,20})"')


def curator_format(head: bytes) -> str | None:
    """``curator/1`` (or 1.1) when a file's first bytes are a JSON object whose first key says so."""
    found = _CURATOR_START.match(head)
    return found[1].decode("utf-8", errors="replace") if found else None
