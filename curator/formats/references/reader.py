"""Reading any reference manager's file: find its format, then read it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from curator.errors import InputError
from curator.formats.references.bibtex import read_bibtex
from curator.formats.references.csljson import read_csljson
from curator.formats.references.detect import detect_format
from curator.formats.references.encoding import read_text
from curator.formats.references.medline import read_medline
from curator.formats.references.model import Parsed, ReferenceFile
from curator.formats.references.ris import read_ris
from curator.formats.references.wos import read_wos

__all__ = ["read_reference_file", "READERS", "NAMES", "not_references"]

READERS: dict[str, Callable[[str, str], Parsed]] = {
    "ris": read_ris,
    "medline": read_medline,
    "bibtex": read_bibtex,
    "csl-json": read_csljson,
    "wos": read_wos,
}
#: Each format's name in messages.
NAMES = {"ris": "RIS", "medline": "PubMed", "bibtex": "BibTeX", "csl-json": "CSL-JSON", "wos": "Web of Science"}


def not_references(path: Path) -> str:
    """Why the file at ``path`` is refused as a reference file: the formats read, and what it seems to be."""
    from curator.formats.sniff import seems_to_be

    what = seems_to_be(path)
    return "not a reference manager's file (RIS, PubMed/MEDLINE, BibTeX, CSL-JSON or Web of Science)" + (
        f": it seems to be {what}" if what else ""
    )


def read_reference_file(path: str | Path, *, format: str | None = None) -> ReferenceFile:
    """The references of a RIS, MEDLINE, BibTeX or CSL-JSON file, and its problems.

    Records that cannot be read are left out and listed in ``problems`` (file,
    line or record number, message), so that the caller can ask whether to
    import the others or nothing. Raises :class:`InputError` when the file
    cannot be read at all: missing, of no known format, not valid JSON, or
    with no record at all that could be read.
    """
    p = Path(path)
    name = str(path)
    text, encoding = read_text(p)
    fmt = format or detect_format(p, text)
    if fmt is None:
        raise InputError(not_references(p), file=name)
    if fmt not in READERS:
        raise InputError(f"unknown reference format {fmt!r}", file=name)
    parsed = READERS[fmt](text, name)
    if not parsed.references and not parsed.problems and text.strip():
        from curator.formats.sniff import seems_to_be

        skipped = "".join(f"; {note}" for note in parsed.notes)  # what was passed over (a biblatex @set)
        what = None if skipped else seems_to_be(p)
        seems = f": it seems to be {what}" if what else ""
        raise InputError(
            f"no {NAMES.get(fmt, fmt)} record found in the file{skipped}{seems}",
            file=name,
            where="line 1",
        )
    if not parsed.references and parsed.problems:
        first = parsed.problems[0]
        raise InputError(f"no record could be read: {first.message}", file=name, where=first.where)
    return ReferenceFile(
        path=name,
        format=fmt,
        encoding=encoding,
        references=parsed.references,
        where=parsed.where,
        problems=parsed.problems,
        notes=parsed.notes,
    )
