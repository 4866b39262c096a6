"""Writing the reference list as RIS and BibTeX, readable again by the importers.

RIS: ``TY JOUR``, ``ID`` the key, ``AU`` each author, ``TI``, ``T2``
journal, ``PY``, ``VL``, ``IS``, ``SP``/``EP``, ``DO``, ``UR``, ``AN`` the
PMID, ``C2`` the PMCID (EndNote's place for it), ``N1`` each line of the
note. BibTeX: one ``@article`` per reference, keyed by its key (characters
BibTeX does not allow in keys become ``_``), with LaTeX's special
characters escaped; a name without a comma is braced so BibTeX keeps it as
printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import rispy
from bibtexparser import write_string  # type: ignore[attr-defined]
from bibtexparser.library import Library
from bibtexparser.model import Block, Entry, Field

from curator.review import Reference

__all__ = ["to_ris", "to_bibtex"]


class _RisWriter(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its "1." line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def _one_line(value: Any) -> str:
    return " ".join(str(value).split())


def _split_pages(pages: str) -> tuple[str, str | None]:
    start, sep, end = pages.partition("-")
    if sep and start.strip() and end.strip():
        return start.strip(), end.strip()
    return pages.strip(), None


def _ris_record(ref: Reference) -> dict[str, Any]:
    rec: dict[str, Any] = {"type_of_reference": "JOUR", "id": _one_line(ref.key)}
    if ref.authors:
        rec["authors"] = [_one_line(a) for a in ref.authors]
    simple = {
        "title": ref.title,
        "secondary_title": ref.journal,
        "year": ref.year,
        "volume": ref.volume,
        "number": ref.issue,
        "doi": ref.doi,
        "accession_number": ref.pmid,
        "custom2": ref.pmcid,
    }
    for name, value in simple.items():
        if value is not None and str(value).strip():
            rec[name] = _one_line(value)
    if ref.pages and ref.pages.strip():
        start, end = _split_pages(ref.pages)
        rec["start_page"] = start
        if end:
            rec["end_page"] = end
    if ref.url and ref.url.strip():
        rec["urls"] = [ref.url.strip()]
    if ref.note and ref.note.strip():
        rec["notes"] = [line.strip() for line in ref.note.split("\n") if line.strip()]
    return rec


def to_ris(refs: Iterable[Reference]) -> str:
    """The references as an RIS text (``\\n`` line endings)."""
    records = [_ris_record(r) for r in refs]
    if not records:
        return ""
    return str(rispy.dumps(records, implementation=_RisWriter)).lstrip("\n")


_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_KEY_BAD = re.compile(r"[\s,{}()\"'#%~=\\]")


def _latex(text: str) -> str:
    """Text with LaTeX's special characters escaped; "--" kept from becoming a dash."""
    out = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)
    return out.replace("--", "-{}-")


def _verbatim(text: str) -> str:
    """A DOI or URL: only braces would break the value."""
    return text.replace("{", "%7B").replace("}", "%7D")


def _name(author: str) -> str:
    """A stored name as BibTeX reads it back: ``Family, Given, Jr`` is written ``Family, Jr,
    Given`` (BibTeX's order); "et al." is ``others``; a name without a comma is braced whole."""
    a = _latex(_one_line(author))
    if a == "et al.":
        return "others"
    if a.count(",") == 2:
        family, given, suffix = (p.strip() for p in a.split(","))
        return f"{family}, {suffix}, {given}"
    return a if "," in author else "{" + a + "}"  # kept whole, as printed


def _bib_entry(ref: Reference) -> Entry:
    fields: list[Field] = []

    def add(name: str, value: str | None, *, verbatim: bool = False) -> None:
        if value is not None and value.strip():
            fields.append(Field(name, _verbatim(value.strip()) if verbatim else value))

    if ref.authors:
        add("author", " and ".join(_name(a) for a in ref.authors))
    for name, value in (("title", ref.title), ("journal", ref.journal)):
        add(name, _latex(_one_line(value)) if value else None)
    add("year", str(ref.year) if ref.year is not None else None)
    add("volume", _latex(_one_line(ref.volume)) if ref.volume else None)
    add("number", _latex(_one_line(ref.issue)) if ref.issue else None)
    add("pages", _latex(_one_line(ref.pages)).replace("-{}-", "-").replace("-", "--") if ref.pages else None)
    add("doi", ref.doi, verbatim=True)
    add("url", ref.url, verbatim=True)
    add("pmid", ref.pmid, verbatim=True)
    add("pmcid", ref.pmcid, verbatim=True)
    if ref.note and ref.note.strip():
        add("note", "\n".join(_latex(line) for line in ref.note.strip().split("\n")))
    key = _KEY_BAD.sub("_", ref.key) or "ref"
    return Entry("article", key, fields)


def to_bibtex(refs: Iterable[Reference]) -> str:
    """The references as a BibTeX text (UTF-8 characters kept as they are)."""
    entries: list[Block] = [_bib_entry(r) for r in refs]
    if not entries:
        return ""
    return str(write_string(Library(entries)))
