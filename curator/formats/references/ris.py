"""Reading RIS files (Zotero, EndNote, Mendeley, PubMed, journals' sites).

The file is cut into records here, so that each keeps its line number and a
malformed one (no ``TY`` before its tags, no ``ER`` at its end) can be
reported and left out; each record's lines are then read by rispy's parser.

Mapping: ``AU``/``A1`` authors; ``TI``/``T1`` title; ``T2`` journal (``JO``,
``JF``, ``JA``, ``J2`` when there is no ``T2``); ``PY``/``Y1``/``DA`` year;
``VL`` volume; ``IS`` issue; ``SP``-``EP`` pages; ``DO`` DOI (or a doi.org
``UR``, or a DOI alone in ``M3``/``M1``); the first ``UR`` (or ``L2``) URL; ``AN`` PMID when it is 1 to 8
digits, else Scopus's ``C2`` or Embase's ``C5`` when it is, else a ``C1``-``C8`` saying
"PMID: 123" or "PubMed ID: 123"; a ``PMC…`` value of ``C1``-``C8`` PMCID; ``PMID:``/``PMCID:`` lines
of ``N1`` too. Text between records (after an ``ER``, before the next ``TY``: Ovid's
``NL`` line, its full-text link and record number) is not a record and is passed over.
``N1`` is the note; every other field is appended to it as
``Label: value``. ``ID`` (else ``LB``) is the record's own citation key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import rispy

from curator.formats.references.fields import clean, join_pages, note_from, parse_year, strip_doi
from curator.formats.references.model import Parsed, Problem
from curator.review import Reference

__all__ = ["read_ris", "looks_like_ris"]

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
_PARSER = rispy.RisParser(enforce_list_tags=False)
_PMID = re.compile(r"^\d{1,8}$")
_PMCID = re.compile(r"^PMC\d+$", re.IGNORECASE)
#: Scopus writes the PubMed id in ``C2`` and Embase in ``C5``, as bare digits; any ``C1``-``C8`` value
#: that says what it is ("PMID: 123", "PubMed ID: 123") is one too.
_PMID_CUSTOMS = frozenset({2, 5})
_CUSTOM_PMID = re.compile(r"^\s*(?:PMID|PubMed(?:\s*ID)?)\s*:?\s*(\d{1,8})\s*$", re.IGNORECASE)
_NOTE_ID = re.compile(r"^\s*(PMID|PMCID)\s*:\s*(PMC\d+|\d{1,8})\s*$", re.IGNORECASE)

_JOURNAL = ("secondary_title", "journal_name", "alternate_title3", "alternate_title2", "alternate_title1")
_LABELS = {
    "alternate_title1": "Journal abbreviation",
    "alternate_title2": "Journal abbreviation",
    "alternate_title3": "Journal",
    "journal_name": "Journal",
    "secondary_title": "Secondary title",
    "type_of_reference": "Type",
    "note": "M1",
    "notes_abstract": "Abstract",
    "label": "Label",
}


def looks_like_ris(text: str) -> bool:
    """True when a line of the text's beginning is an RIS ``TY`` line."""
    return any(line.startswith("TY  -") for line in text[:4096].split("\n"))


def read_ris(text: str, file: str) -> Parsed:
    """References and per-record problems of an RIS text (``\\n`` line endings)."""
    out = Parsed()
    start = 0  # line number of the open record's TY, 0 when outside a record
    lines: list[str] = []
    orphan = 0  # first line of tags outside any record

    def problem(line: int, message: str) -> None:
        out.problems.append(Problem(file, f"line {line}", message))

    for number, line in enumerate(text.split("\n"), 1):
        m = _TAG.match(line)
        if m is None:
            if start and line.strip():
                lines.append(line)  # a continuation line
            continue
        tag = m.group(1)
        if not start:
            # Tags outside a record are a record without its TY only when an ER closes them; a run the
            # next TY (or the file's end) interrupts is text between records, as Ovid writes
            # ("NL  - ...", a link, the record's number): ignored, as Zotero and EndNote do.
            if tag == "TY":
                start, lines, orphan = number, [line], 0
            elif tag == "ER":
                if orphan:
                    problem(orphan, "the record has no TY line at its start")
                    orphan = 0
            elif not orphan:
                orphan = number
            continue
        if tag == "TY":
            problem(start, f"the record has no ER line before the next record (line {number})")
            start, lines = number, [line]
            continue
        lines.append(line)
        if tag == "ER":
            _record(out, lines, start, file)
            start, lines = 0, []
    if start:
        problem(start, "the record has no ER line: the file ends inside it")
    return out


def _record(out: Parsed, lines: list[str], start: int, file: str) -> None:
    add_record(out, lines, start, file, _PARSER, _map)


def add_record(
    out: Parsed,
    lines: list[str],
    start: int,
    file: str,
    parser: Any,
    to_reference: Callable[[dict[str, Any]], Reference | None],
) -> None:
    """One record's ``lines`` (from line ``start``) read by a rispy ``parser`` and added to ``out``, or
    a problem naming its line (RIS and Web of Science tagged files alike)."""
    try:
        (raw,) = parser.parse_lines(iter(lines))
        ref = to_reference(raw)
    except Exception as exc:  # rispy fails on odd mixes of repeated and continued tags
        out.problems.append(Problem(file, f"line {start}", f"the record cannot be read ({exc})"))
        return
    if ref is None:
        out.problems.append(Problem(file, f"line {start}", "the record is empty"))
        return
    out.add(ref, f"line {start}", file=file)


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if v is not None and str(v).strip()]


class _Record:
    """A rispy record from which mapped fields are taken; what remains goes to the note."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = {k: v for k, v in raw.items() if k != "unknown_tag"}
        self.unknown: dict[str, list[str]] = dict(raw.get("unknown_tag") or {})
        self.taken: set[str] = set()

    def take(self, *names: str) -> str | None:
        """The first value of the first of ``names`` present (the others stay for the note)."""
        for name in names:
            values = self.pop_all(name)
            if values:
                if len(values) > 1:
                    self.raw[name] = values[1:]
                return values[0]
        return None

    def pop_all(self, name: str) -> list[str]:
        return _values(self.raw.pop(name, None))

    def rest(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name, value in self.raw.items():
            label = _LABELS.get(name, name.replace("_", " ").capitalize())
            kept = [v for v in _values(value) if clean(v) not in self.taken]
            if kept:
                out.append((label, "; ".join(kept)))
        for tag, values in self.unknown.items():
            if _values(values):
                out.append((tag, "; ".join(_values(values))))
        return out


def _map(raw: dict[str, Any]) -> Reference | None:
    rec = _Record(raw)
    kind = rec.take("type_of_reference")
    if kind and kind.upper() != "JOUR":
        rec.raw["type_of_reference"] = kind
    authors = rec.pop_all("authors") + rec.pop_all("first_authors")
    title = clean(rec.take("title", "primary_title"))
    journal = clean(rec.take(*_JOURNAL))
    year_text = rec.take("year", "publication_year", "date")
    urls = rec.pop_all("urls")
    doi = strip_doi(rec.take("doi"))
    for name in ("type_of_work", "note"):  # older EndNote exports put the DOI in M3 or M1
        values = _values(rec.raw.get(name))
        if doi is None and len(values) == 1 and re.match(r"^(doi:\s*)?10\.\d{4,9}/\S+$", values[0], re.I):
            doi = strip_doi(rec.raw.pop(name)[0] if isinstance(rec.raw[name], list) else rec.raw.pop(name))
    if doi is None:
        for u in urls:
            if re.match(r"^https?://(dx\.)?doi\.org/", u, re.IGNORECASE):
                doi = strip_doi(u)
                break
    url = urls[0] if urls else clean(rec.take("file_attachments2"))
    if len(urls) > 1:
        rec.raw["urls"] = urls[1:]
    pmid = pmcid = None
    accession = rec.pop_all("accession_number")
    for a in accession:
        if pmid is None and _PMID.match(a):
            pmid = a
        else:
            rec.raw.setdefault("accession_number", []).append(a)
    for n in range(1, 9):
        name = f"custom{n}"
        values = rec.pop_all(name)
        for v in values:
            said = _CUSTOM_PMID.match(v)
            if pmcid is None and _PMCID.match(v):
                pmcid = v.upper()
            elif pmid is None and (said or (n in _PMID_CUSTOMS and _PMID.match(v))):
                pmid = said.group(1) if said else v
            else:
                rec.raw.setdefault(name, []).append(v)
    notes: list[str] = []
    for line in rec.pop_all("notes"):
        m = _NOTE_ID.match(line)
        label, value = (m.group(1).upper(), m.group(2).upper()) if m else ("", "")
        if label == "PMID" and value.isdigit() and pmid in (None, value):
            pmid = value
        elif label == "PMCID" and value.startswith("PMC") and pmcid in (None, value):
            pmcid = value
        else:
            notes.append(line)
    key = rec.take("id") or ""
    if not key:
        key = rec.take("label") or ""
    ref = Reference(
        key=clean(key) or "",
        title=title,
        authors=[a for a in (clean(x) for x in authors) if a],
        journal=journal,
        volume=clean(rec.take("volume")),
        issue=clean(rec.take("number")),
        pages=join_pages(rec.take("start_page"), rec.take("end_page")),
        year=parse_year(year_text),
        pmid=pmid,
        pmcid=pmcid,
        doi=doi,
        url=url,
    )
    rec.taken = {v for v in (title, journal, ref.volume, ref.issue, ref.doi, url, clean(year_text)) if v}
    ref.note = note_from(["\n".join(notes)], rec.rest())
    if not (ref.title or ref.authors or ref.doi or ref.pmid or ref.journal or ref.note or ref.url):
        return None
    return ref
