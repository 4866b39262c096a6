"""Reading Web of Science tagged files (its "Plain text file" export, .txt, and .ciw).

Web of Science's own export starts ``FN Clarivate Analytics Web of Science`` (``FN Thomson
Reuters Web of Science`` in older files) and ``VR 1.0``; each record runs from ``PT`` to ``ER``,
a tag in two columns and its value after a space, a value going on over lines indented by three
spaces; ``EF`` ends the file. The file is cut into records here (so that each keeps its line
number), and each record's lines are read by rispy's :class:`~rispy.WokParser`.

Mapping: ``AF`` authors in full ("Li, Wei"; ``AU``, "Li, W", when there is no ``AF``), then
``CA`` group authors; ``TI`` title; ``SO`` journal; ``PY`` year (``PD`` when there is none);
``VL`` volume; ``IS`` issue; ``BP``-``EP`` pages (``AR`` article number when there are none);
``DI`` DOI; ``PM`` PMID. ``UT`` (the Web of Science accession number), ``DT`` and ``J9``/``JI`` go to
the note; cited references, addresses, counts and other bookkeeping are left out.
"""

from __future__ import annotations

import re
from typing import Any

import rispy

from curator.formats.references.fields import clean, join_pages, note_from, parse_year, strip_doi
from curator.formats.references.model import Parsed, Problem
from curator.formats.references.ris import add_record
from curator.review import Reference

__all__ = ["read_wos", "looks_like_wos"]

_TAG = re.compile(r"^([A-Z][A-Z0-9])(?: (.*))?$")
_PARSER = rispy.WokParser(skip_unknown_tags=True)  # newer tags (WE, Z8, ...) are bookkeeping
_PMID = re.compile(r"^\d{1,8}$")
#: What goes to the note, with its label; everything else (cited references, addresses, counts) is left out.
_NOTED = {
    "document_type": "Document type",
    "iso_source_abbreviation": "Journal abbreviation",
    "accession_number": "Web of Science id",
    "language": "Language",
    "author_keywords": "Keywords",
    "abstract": "Abstract",
}


def looks_like_wos(text: str) -> bool:
    """True when the text begins as a Web of Science tagged file: ``FN ... Web of Science``, or ``FN`` then ``VR``."""
    lines = text.lstrip("\ufeff \n")[:4096].split("\n")[:2]
    if not lines or not lines[0].startswith("FN "):
        return False
    return "web of science" in lines[0].lower() or (len(lines) > 1 and lines[1].startswith("VR "))


def read_wos(text: str, file: str) -> Parsed:
    """References and per-record problems of a Web of Science tagged text (``\\n`` line endings)."""
    out = Parsed()
    start = 0
    lines: list[str] = []
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        m = _TAG.match(line)
        tag = m.group(1) if m else None
        if tag == "PT":
            if start:
                out.problems.append(
                    Problem(file, f"line {start}", f"the record has no ER line before the next record (line {number})")
                )
            start, lines = number, [line]
        elif start:
            if line.strip():
                lines.append(line)
            if tag == "ER":
                _record(out, lines, start, file)
                start, lines = 0, []
    if start:
        out.problems.append(Problem(file, f"line {start}", "the record has no ER line: the file ends inside it"))
    return out


def _record(out: Parsed, lines: list[str], start: int, file: str) -> None:
    add_record(out, lines, start, file, _PARSER, _map)


def _one(raw: dict[str, Any], name: str) -> str | None:
    value = raw.get(name)
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return clean(value)


def _names(raw: dict[str, Any], name: str) -> list[str]:
    value = raw.get(name) or []
    return [n for n in (clean(v) for v in (value if isinstance(value, list) else [value])) if n]


def _map(raw: dict[str, Any]) -> Reference | None:
    authors = _names(raw, "author_full_name") or _names(raw, "authors")
    authors += _names(raw, "group_authors")
    pmid = _one(raw, "pubmed_id")
    pages = join_pages(_one(raw, "beginning_page"), _one(raw, "ending_page")) or _one(raw, "article_number")
    ref = Reference(
        key="",
        title=_one(raw, "document_title"),
        authors=authors,
        journal=_one(raw, "publication_name"),
        volume=_one(raw, "volume"),
        issue=_one(raw, "issue"),
        pages=pages,
        year=parse_year(_one(raw, "publication_year") or _one(raw, "publication_date")),
        pmid=pmid if pmid and _PMID.match(pmid) else None,
        doi=strip_doi(_one(raw, "doi")),
    )
    extra = [(label, _one(raw, name) or "") for name, label in _NOTED.items()]
    if pmid and ref.pmid is None:
        extra.append(("PubMed id", pmid))
    ref.note = note_from([], extra)
    if not (ref.title or ref.authors or ref.doi or ref.pmid or ref.journal):
        return None
    return ref
