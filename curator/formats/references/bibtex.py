"""Reading BibTeX files (.bib) with bibtexparser v2.

LaTeX in values is decoded (``M{\\"u}ller`` is Müller, ``--`` an en dash),
except in fields that are verbatim by nature (DOI, URL, eprint, PMID):
``%`` in a URL is not a comment.

Mapping: ``author`` (split on ``and``); ``title``; ``journal`` (or
``journaltitle``); ``year`` (or ``date``); ``volume``; ``number`` (or
``issue``) issue; ``pages`` (an en dash becomes ``-``); ``pmid`` (or an
``eprint`` whose ``eprinttype`` is pubmed); ``pmcid``; ``doi``; ``url``.
``note`` is the note; every other field (and an entry type other than
``article``) is appended to it as ``field: value``. The entry key is the
record's own citation key. An entry whose key repeats an earlier one is
read anyway (its key is changed when keys are given).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bibtexparser import parse_string  # type: ignore[attr-defined]
from bibtexparser.library import Library
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from bibtexparser.model import DuplicateBlockKeyBlock, Entry

from curator.errors import InputError
from curator.formats.references.fields import clean, note_from, parse_year, strip_doi
from curator.formats.references.model import Parsed, Problem, too_long
from curator.review import Reference

__all__ = ["read_bibtex", "looks_like_bibtex"]

_VERBATIM = frozenset({"doi", "url", "eprint", "pmid", "pmcid", "file", "urldate"})
#: BibTeX field names that are not Curator's, for the message about a field too long.
_FIELD_NAMES = {"author": "authors", "number": "issue", "journaltitle": "journal", "date": "year"}


class _Decode(LatexDecodingMiddleware):
    """LaTeX decoding of every field but the verbatim ones.

    An entry with a field longer than :data:`MAX_FIELD` is not decoded (pylatexenc takes
    about 20 µs a character: 26 s for a 1 MB title) but noted in ``too_long``, to be
    reported as a problem.
    """

    def __init__(self) -> None:
        super().__init__()
        self.too_long: dict[int | None, str] = {}  # the entry's first line -> why

    def transform_entry(self, entry: Entry, library: Library) -> Any:
        for f in entry.fields:
            why = too_long(_FIELD_NAMES.get(f.key.lower(), f.key.lower()), len(str(f.value)))
            if why:
                self.too_long[entry.start_line] = why
                return entry
        verbatim = [f for f in entry.fields if f.key.lower() in _VERBATIM]
        entry.fields = [f for f in entry.fields if f.key.lower() not in _VERBATIM]
        out = super().transform_entry(entry, library)
        entry.fields = entry.fields + verbatim
        return out


@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each bad entry; Curator reports them as problems instead."""
    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(level)


def looks_like_bibtex(text: str) -> bool:
    """True when the text's beginning has an ``@type{`` entry."""
    return re.search(r"^\s*@\s*[A-Za-z]+\s*[{(]", text[:8192], re.MULTILINE) is not None


def read_bibtex(text: str, file: str) -> Parsed:
    """References and per-entry problems of a BibTeX text."""
    out = Parsed()
    decode = _Decode()
    try:
        with _quiet():
            library = parse_string(text, append_middleware=[decode, SeparateCoAuthors()])
    except Exception as exc:  # bibtexparser gives up on the whole file
        raise InputError(f"not a readable BibTeX file ({exc})", file=file) from exc
    blocks: list[tuple[int, Entry | None, str]] = []
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, Entry):
            blocks.append((line, block, ""))
        elif isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, Entry):
            blocks.append((line, block.ignore_error_block, ""))
        elif block in library.failed_blocks:
            cause = getattr(block, "error", None)
            reason = getattr(cause, "abort_reason", None) or str(cause or "")
            error = " ".join(reason.split()) or "the entry cannot be read"
            blocks.append((line, None, error))
    for line, entry, error in blocks:
        if entry is None:
            out.problems.append(Problem(file, f"line {line}", error))
            continue
        if entry.start_line in decode.too_long:
            out.problems.append(Problem(file, f"line {line}", decode.too_long[entry.start_line]))
            continue
        ref = _map(entry)
        if ref is None:
            out.problems.append(
                Problem(file, f"line {line}", f"entry {entry.key!r} has no title, author or identifier")
            )
        else:
            out.add(ref, f"line {line}", file=file)
    return out


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = " and ".join(str(v) for v in value)
    return clean(value)


def _map(entry: Entry) -> Reference | None:
    fields: dict[str, Any] = {}
    for f in entry.fields:
        fields.setdefault(f.key.lower(), f.value)

    def take(*names: str) -> str | None:
        for name in names:
            if name in fields:
                value = _text(fields.pop(name))
                if value:
                    return value
        return None

    raw_authors = fields.pop("author", [])
    authors = raw_authors if isinstance(raw_authors, list) else [raw_authors]
    pmid = take("pmid")
    if pmid is None and str(fields.get("eprinttype", "")).lower() == "pubmed":
        fields.pop("eprinttype")
        pmid = take("eprint")
    pages = take("pages")
    year_text = take("year", "date")
    ref = Reference(
        key=entry.key,
        title=take("title"),
        authors=[a for a in (clean(x) for x in authors) if a],
        journal=take("journal", "journaltitle"),
        volume=take("volume"),
        issue=take("number", "issue"),
        pages=pages.replace("–", "-").replace("--", "-") if pages else None,
        year=parse_year(year_text),
        pmid=pmid,
        pmcid=take("pmcid"),
        doi=strip_doi(take("doi")),
        url=take("url"),
    )
    own = fields.pop("note", None)
    extra = [] if entry.entry_type.lower() == "article" else [("type", entry.entry_type.lower())]
    extra += [(name, str(value).strip()) for name, value in fields.items() if str(value).strip()]
    ref.note = note_from([own if isinstance(own, str) else None], extra)
    if not (ref.title or ref.authors or ref.doi or ref.pmid or ref.url):
        return None
    return ref
