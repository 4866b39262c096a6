"""Telling a reference manager's file from others, by extension and content."""

from __future__ import annotations

import json
from pathlib import Path

from curator.formats.references.bibtex import looks_like_bibtex
from curator.formats.references.csljson import is_csl_items
from curator.formats.references.encoding import read_text
from curator.formats.references.medline import looks_like_medline
from curator.formats.references.ris import looks_like_ris
from curator.formats.references.wos import looks_like_wos
from curator.formats.sniff import curator_format

__all__ = ["FORMATS", "detect_format", "is_reference_file"]

#: Format names and the extensions that name them outright.
FORMATS = {"ris": (".ris",), "medline": (".nbib",), "bibtex": (".bib",), "csl-json": (), "wos": (".ciw",)}
#: Extensions whose files are looked into: text exports and JSON.
_SNIFFED = frozenset({".txt", ".json", ".medline", ".enw", ""})


def detect_format(path: Path, text: str) -> str | None:
    """``"ris"``, ``"medline"``, ``"bibtex"``, ``"csl-json"`` or ``"wos"``; None for anything else.

    A Web of Science tagged file is known by its first line (``FN ... Web of Science``), whatever
    its extension.
    The extension decides for .ris, .nbib and .bib; JSON is CSL-JSON by its
    shape: a list, ``{"items": [...]}`` or one CSL item (a ``curator/1``
    file is an object with a ``format`` key, so it is not); other text is
    recognised by its first tags.
    """
    suffix = path.suffix.lower()
    if looks_like_wos(text):  # its own first line says so, whatever the name (rispy's example is a .ris)
        return "wos"
    for name, suffixes in FORMATS.items():
        if suffix in suffixes:
            return name
    head = text.lstrip()[:1]
    if head in ("[", "{") or suffix == ".json":
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            # A broken .json list: the CSL-JSON reader says where the JSON breaks. A text file that
            # merely starts with "[" ("[1] Doe J. ...") is not JSON at all.
            return "csl-json" if head == "[" and suffix == ".json" else None
        # A JSON list is CSL-JSON's shape (a curator/1 file is an object): the CSL-JSON reader reads
        # every item and names any that cannot be a reference.
        return "csl-json" if is_csl_items(data) else None
    if looks_like_medline(text):
        return "medline"
    if looks_like_ris(text):
        return "ris"
    if looks_like_bibtex(text):
        return "bibtex"
    return None


def is_reference_file(path: str | Path) -> bool:
    """True when ``path`` is a reference manager's file Curator can import.

    For ``curator import`` to route a file: .ris, .nbib and .bib files by
    their extension; .json, .txt and extension-less files by their content
    (a CSL-JSON list, PubMed tags, RIS tags, BibTeX entries). Anything else
    (a curator/1 file, a workbook) is not.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if any(suffix in s for s in FORMATS.values()):
        return True
    if suffix not in _SNIFFED or not p.is_file():
        return False
    if _starts_as_curator_1(p):
        return False  # a curator/1 file (an 84 MB one is not read twice, nor parsed as JSON to tell so)
    try:
        text, _encoding = read_text(p)
    except Exception:
        return False
    return detect_format(p, text) is not None


def _starts_as_curator_1(path: Path) -> bool:
    """True when the file's first bytes are a JSON object whose first key says ``curator/...``."""
    try:
        with path.open("rb") as handle:
            return curator_format(handle.read(256)) is not None
    except OSError:
        return False
