"""Reading PubMed/MEDLINE files (PubMed's "Save > PubMed format": .nbib, .txt).

A record is a run of lines ``TAG - value`` (the tag padded to four columns),
a value going on over lines indented by six spaces, records separated by a
blank line. The ``nbib`` package is unmaintained and misses DOIs on ``LID``
lines, so this small reader is Curator's own.

Mapping: ``PMID``; ``TI`` (``BTI`` for a book) title; ``FAU`` authors
("Family, Given"; ``AU`` when there is no ``FAU``), then ``CN`` group
authors; ``JT`` journal (``TA`` when there is no ``JT``); ``DP`` year;
``VI`` volume; ``IP`` issue; ``PG`` pages; ``LID``/``AID`` ``[doi]`` DOI;
``PMC`` PMCID. Other tags go to the note as ``Label: value``, except
PubMed's bookkeeping (record owner, status, processing dates, ``SO``) and
``AU`` when ``FAU`` gave the authors.
"""

from __future__ import annotations

import re

from curator.formats.references.fields import clean, note_from, parse_year, strip_doi
from curator.formats.references.model import Parsed, Problem
from curator.review import Reference

__all__ = ["read_medline", "looks_like_medline"]

_LINE = re.compile(r"^([A-Z][A-Z0-9]{1,3}) *- ?(.*)$")
_ID = re.compile(r"^(.*?)\s*\[(doi|pii|pmc|pmcid|pmid)\]\s*$", re.IGNORECASE)
_BOOKKEEPING = frozenset(
    {"OWN", "STAT", "DCOM", "LR", "EDAT", "MHDA", "CRDT", "PHST", "PST", "SO", "DEP", "CTDT", "PL", "JID", "SB"}
)
_LABELS = {
    "AB": "Abstract",
    "AD": "Affiliation",
    "MH": "MeSH terms",
    "OT": "Keywords",
    "PT": "Publication type",
    "LA": "Language",
    "IS": "ISSN",
    "GR": "Grant",
    "CI": "Copyright",
    "TA": "Journal abbreviation",
    "AUID": "Author id",
    "CIN": "Comment in",
    "CON": "Comment on",
    "EIN": "Erratum in",
    "RN": "Registry number",
    "TT": "Transliterated title",
    "VTI": "Vernacular title",
    "FIR": "Investigator",
    "IR": "Investigator",
    "LID": "Location id",
    "AID": "Article id",
    "OTO": "Keyword owner",
    "COIS": "Conflict of interest",
}


def looks_like_medline(text: str) -> bool:
    """True when a line of the text's beginning is a MEDLINE ``PMID-`` line."""
    return any(re.match(r"^PMID ?- ?\d", line) for line in text[:4096].split("\n"))


def read_medline(text: str, file: str) -> Parsed:
    """References and per-record problems of a MEDLINE text (``\\n`` line endings)."""
    out = Parsed()
    fields: list[tuple[str, str]] = []
    parts: list[list[str]] = []  # each field's continuation lines
    start = 0
    bad: tuple[int, str] | None = None

    def finish() -> None:
        nonlocal fields, parts, start, bad
        if start:
            if bad is not None:
                out.problems.append(Problem(file, f"line {bad[0]}", bad[1]))
            else:
                whole = [
                    (tag, " ".join([value, *more])) if more else (tag, value)
                    for (tag, value), more in zip(fields, parts, strict=True)
                ]
                ref = _map(whole)
                if ref is None:
                    out.problems.append(Problem(file, f"line {start}", "the record has no title, author or PMID"))
                else:
                    out.add(ref, f"line {start}", file=file)
        fields, parts, start, bad = [], [], 0, None

    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            finish()
            continue
        if line.startswith("      ") or (line.startswith(" ") and fields and not _LINE.match(line)):
            if fields:
                parts[-1].append(line.strip())  # joined once at the record's end: linear in its length
            elif bad is None:
                start = start or number
                bad = (number, "a continuation line with no tag before it")
            continue
        m = _LINE.match(line)
        if m is None:
            start = start or number
            if bad is None:
                bad = (number, f"the line is not of the form 'TAG - value': {line.strip()[:40]!r}")
            continue
        start = start or number
        fields.append((m.group(1), m.group(2).strip()))
        parts.append([])
    finish()
    return out


def _map(fields: list[tuple[str, str]]) -> Reference | None:
    by: dict[str, list[str]] = {}
    for tag, value in fields:
        if value:
            by.setdefault(tag, []).append(value)

    def first(*tags: str) -> str | None:
        for tag in tags:
            values = by.pop(tag, [])
            if len(values) > 1:
                by[tag] = values[1:]
            if values:
                return clean(values[0])
        return None

    pmid = first("PMID")
    title = first("TI", "BTI")
    if title and title.endswith(".") and not title.endswith(".."):
        title = title[:-1]  # MEDLINE ends every title with a full stop
    full, short = by.pop("FAU", []), by.pop("AU", [])
    if full and short and len(short) != len(full):
        by["AU"] = short  # the lists disagree: keep the short forms in the note
    authors = [a for a in (clean(x) for x in (full or short) + by.pop("CN", [])) if a]
    journal = first("JT", "TA")
    if journal and [clean(v) for v in by.get("TA", [])] == [journal]:
        del by["TA"]
    year_text = first("DP")
    doi, pmcid = _identifiers(by)
    ref = Reference(
        key="",
        title=title,
        authors=authors,
        journal=journal,
        volume=first("VI"),
        issue=first("IP"),
        pages=first("PG"),
        year=parse_year(year_text),
        pmid=pmid,
        pmcid=pmcid,
        doi=doi,
    )
    if not (ref.title or ref.authors or ref.pmid):
        return None
    for tag in _BOOKKEEPING:
        by.pop(tag, None)
    ref.note = note_from([], [(_LABELS.get(tag, tag), "; ".join(values)) for tag, values in by.items()])
    return ref


def _identifiers(by: dict[str, list[str]]) -> tuple[str | None, str | None]:
    """The DOI (``LID``/``AID`` ``[doi]``) and PMCID (``PMC``, ``AID [pmc]``); others stay."""
    doi: str | None = None
    pmcid: str | None = None
    kept: dict[str, list[str]] = {}
    for tag in ("PMC", "LID", "AID"):
        for value in by.pop(tag, []):
            m = _ID.match(value)
            kind = m.group(2).lower() if m else ("pmc" if tag == "PMC" else "")
            bare = clean(m.group(1) if m else value) or ""
            if kind == "doi" and doi in (None, strip_doi(bare)):
                doi = strip_doi(bare)
            elif kind in ("pmc", "pmcid") and bare.upper().startswith("PMC") and pmcid in (None, bare.upper()):
                pmcid = bare.upper()
            elif value not in kept.get("LID", []) + kept.get("AID", []):
                kept.setdefault(tag, []).append(value)
    by.update(kept)
    return doi, pmcid
