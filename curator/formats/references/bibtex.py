"""Reading BibTeX and biblatex files (.bib) with bibtexparser v2.

Field names are read in any case (``Author``, ``TITLE``: bibtexparser's
``NormalizeFieldKeys``). Names are split by bibtexparser as BibTeX does
(``First von Last``, ``von Last, First``, ``von Last, Jr, First``; a braced
``{World Health Organization}`` is one name) and stored family-first like every
other reader's: ``von Neumann, John``, ``Doe, John, Jr``.

LaTeX in values is decoded to Unicode by :mod:`.latex` (``M{\\"u}ller`` is
Müller, ``--`` an en dash, ``$\\mu$`` μ, ``mm$^2$`` mm²; an unknown macro stays as
written), except in fields that are verbatim by nature (DOI, URL, eprint, PMID):
``%`` in a URL is not a comment.

Mapping: ``author``; ``title`` (with biblatex's ``subtitle`` after a colon; the
``booktitle`` when there is no title, as in a ``@collection``); ``journal`` (or
``journaltitle``); ``year`` (or ``date``); ``volume``; ``number`` (or ``issue``)
issue; ``pages`` (an en dash becomes ``-``); ``pmid`` (or an ``eprint`` whose
``eprinttype`` is pubmed); ``pmcid``; ``doi`` (the DOI of a DOI URL, or of the
``url`` when there is no ``doi`` field); ``url``. ``note`` is the note; every other
field (and an entry type other than ``article``) is appended to it as ``field:
value``. An entry with a ``crossref`` takes the fields it lacks from the entry it
names (its title as the ``booktitle``), as BibTeX does.

The entry key is the record's own citation key; an entry without one (EndNote
writes ``@article{ title = ...``) is read with none. An entry whose key repeats an
earlier one is read anyway (its key is changed when keys are given); a repeated
field keeps its last value. biblatex ``@set`` entries (which group other entries)
and empty entries are not references: they are skipped with a note.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bibtexparser import parse_string  # type: ignore[attr-defined]
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    NormalizeFieldKeys,
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
    SeparateCoAuthors,
)
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, Field, String

from curator.errors import InputError
from curator.formats.references.fields import clean, doi_from_url, note_from, parse_year, strip_doi
from curator.formats.references.latex import latex_to_text
from curator.formats.references.model import Parsed, Problem, too_long
from curator.review import Reference

__all__ = ["read_bibtex", "looks_like_bibtex", "family_first"]

_VERBATIM = frozenset({"doi", "url", "eprint", "pmid", "pmcid", "file", "urldate"})
#: Fields holding people's names, split on ``and`` and stored family-first.
_NAMES = ("author", "editor", "translator")
#: BibTeX field names that are not Curator's, for the message about a field too long.
_FIELD_NAMES = {"author": "authors", "number": "issue", "journaltitle": "journal", "date": "year"}
#: An entry with no key (``@article{ title = ...``, as EndNote writes): the opening is given
#: an empty key, on the same line, so that bibtexparser reads it and line numbers stay true.
_KEYLESS = re.compile(
    r"(@[ \t]*(?!(?:string|preamble|comment)\b)[A-Za-z]+[ \t]*[{(])(?=\s*[A-Za-z][\w.:+-]*\s*=)",
    re.IGNORECASE,
)
#: Fields an entry does not take from the one its ``crossref`` names.
_NOT_INHERITED = frozenset({"crossref", "ids", "entryset", "xdata", "key", "sortkey", "label", "shorthand"})


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


def family_first(name: str) -> str | None:
    """One BibTeX name, decoded and family-first: ``Radim {\\v R}eh{\\r u}{\\v r}ek`` is
    ``Řehůřek, Radim``; ``von Neumann, John`` stays; ``Doe, Jr., John`` is ``Doe, John, Jr.``;
    ``{World Health Organization}`` (braced: one name) is kept whole."""
    if name.strip().lower() == "others":  # BibTeX's "and others": more authors than listed
        return "et al."
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:  # bibtexparser's splitter gave up: the name as written, decoded
        return clean(_decode(name))
    family = clean(_decode(" ".join(parts.von + parts.last)))
    given = clean(_decode(" ".join(parts.first)))
    jr = clean(_decode(" ".join(parts.jr)))
    if family is None:
        return given
    return ", ".join(p for p in (family, given, jr) if p)


def _decode(value: str) -> str:
    try:
        return latex_to_text(value)
    except Exception:  # pylatexenc gave up: the text as written, visibly
        return value


def read_bibtex(text: str, file: str) -> Parsed:
    """References and per-entry problems of a BibTeX text."""
    out = Parsed()
    try:
        with _quiet():
            raw = parse_string(_KEYLESS.sub(r"\1,", text), parse_stack=[])
    except Exception as exc:  # bibtexparser gives up on the whole file
        raise InputError(f"not a readable BibTeX file ({exc})", file=file) from exc
    # The entries, with those bibtexparser set aside for a repeated key or field (read anyway).
    blocks: list[tuple[int, Entry | None, str]] = []
    for block in raw.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, Entry):
            blocks.append((line, block, ""))
        elif isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) and isinstance(
            block.ignore_error_block, Entry
        ):
            blocks.append((line, block.ignore_error_block, ""))
        elif isinstance(block, DuplicateBlockKeyBlock) and isinstance(block.ignore_error_block, String):
            out.notes.append(f"@string {block.key!r} (line {line}) is defined again; the first definition is used")
        elif block in raw.failed_blocks:
            cause = getattr(block, "error", None)
            reason = getattr(cause, "abort_reason", None) or str(cause or "")
            error = " ".join(reason.split()) or "the entry cannot be read"
            blocks.append((line, None, error))
    entries = [entry for _, entry, _ in blocks if entry is not None]
    _prepare(entries, raw)
    sets: list[str] = []
    empty: list[str] = []
    for line, entry, error in blocks:
        if entry is None:
            out.problems.append(Problem(file, f"line {line}", error))
            continue
        if entry.entry_type.lower() == "set":
            sets.append(entry.key)
            continue
        if not entry.fields:
            empty.append(f"{entry.key or '(no key)'} (line {line})")
            continue
        why = _too_long(entry)
        if why:
            out.problems.append(Problem(file, f"line {line}", why))
            continue
        ref = _map(entry)
        if ref is None:
            out.problems.append(
                Problem(file, f"line {line}", f"entry {entry.key!r} has no title, author or identifier")
            )
        else:
            out.add(ref, f"line {line}", file=file)
    if sets:
        out.notes.append(
            f"skipped {len(sets)} biblatex @set {'entry' if len(sets) == 1 else 'entries'} "
            f"({', '.join(sets)}): a set only groups other entries"
        )
    if empty:
        out.notes.append(f"skipped {len(empty)} empty {'entry' if len(empty) == 1 else 'entries'}: {', '.join(empty)}")
    return out


def _prepare(entries: list[Entry], raw: Library) -> None:
    """bibtexparser's own steps on every entry (those it set aside too): ``@string``
    abbreviations resolved, enclosing braces removed, field names in lower case; then
    the ``crossref`` fields taken in."""
    strings = {string.key.lower(): str(string.value) for string in raw.strings}
    for entry in entries:
        for f in entry.fields:
            if isinstance(f.value, str) and "#" in f.value:
                f.value = _concatenate(f.value, strings)
    keys = [entry.key for entry in entries]
    for i, entry in enumerate(entries):  # unique keys, so that a repeated key is no failed block
        entry.key = f"curator-{i}"
    work = Library(blocks=[*raw.strings, *entries], fail_on_duplicate_key=False)
    with _quiet():
        work = ResolveStringReferencesMiddleware(True).transform(work)
        work = RemoveEnclosingMiddleware(True).transform(work)
        for entry in entries:
            NormalizeFieldKeys(True).transform_entry(entry, work)
    for entry, key in zip(entries, keys, strict=True):
        entry.key = key
    _crossref(entries)


def _concatenate(value: str, strings: dict[str, str], depth: int = 0) -> str:
    """A value joined with ``#`` (``MCDERMOTT # { and Gerald J. Sussman}``), as one braced
    value: each part's text, an ``@string`` name its value (bibtexparser v2 resolves only a
    value that is one name). A name no ``@string`` defines stays, visibly."""
    parts: list[str] = []
    level, quoted, start = 0, False, 0
    for i, char in enumerate(value + "#"):
        if char == "{":
            level += 1
        elif char == "}":
            level -= 1
        elif char == '"' and level == 0:
            quoted = not quoted
        elif char == "#" and level == 0 and not quoted:
            parts.append(value[start:i].strip())
            start = i + 1
    if len(parts) < 2 or level != 0 or quoted:
        return value
    out = []
    for part in parts:
        if len(part) >= 2 and part[0] + part[-1] in ("{}", '""'):
            out.append(part[1:-1])
        elif part.lower() in strings and depth < 10:
            defined = strings[part.lower()]
            defined = _concatenate(defined, strings, depth + 1) if "#" in defined else defined
            out.append(defined[1:-1] if len(defined) >= 2 and defined[0] + defined[-1] in ("{}", '""') else defined)
        else:
            out.append(part)
    return "{" + "".join(out) + "}"


def _crossref(entries: list[Entry]) -> None:
    """Fields an entry lacks, taken from the entry its ``crossref`` names (and on up)."""
    by_key: dict[str, Entry] = {}
    for entry in entries:
        by_key.setdefault(entry.key.lower(), entry)
    for entry in entries:
        seen = {entry.key.lower()}
        parent = _parent(entry, by_key)
        while parent is not None and parent.key.lower() not in seen:
            seen.add(parent.key.lower())
            have = {f.key for f in entry.fields}
            for f in parent.fields:
                key = f.key
                if key in ("title", "subtitle") and "title" in have and f"book{key}" not in have:
                    key = f"book{key}"  # an article in a proceedings: the proceedings' title
                if key in _NOT_INHERITED or key in have:
                    continue
                entry.fields.append(Field(key, f.value, f.start_line))
                have.add(key)
            parent = _parent(parent, by_key)
        if len(seen) > 1:
            entry.fields = [f for f in entry.fields if f.key != "crossref"]


def _parent(entry: Entry, by_key: dict[str, Entry]) -> Entry | None:
    for f in entry.fields:
        if f.key == "crossref" and isinstance(f.value, str):
            return by_key.get(f.value.strip().lower())
    return None


def _too_long(entry: Entry) -> str | None:
    """Why an entry is not read (pylatexenc takes about 20 µs a character: 26 s for a 1 MB title)."""
    for f in entry.fields:
        why = too_long(_FIELD_NAMES.get(f.key, f.key), len(str(f.value)))
        if why:
            return why
    return None


def _map(entry: Entry) -> Reference | None:
    SeparateCoAuthors(True, name_fields=_NAMES).transform_entry(entry, Library())
    fields: dict[str, Any] = {}
    for f in entry.fields:
        if f.key in _NAMES and isinstance(f.value, list):
            fields[f.key] = [n for n in (family_first(str(v)) for v in f.value) if n]
        elif f.key in _VERBATIM or not isinstance(f.value, str):
            fields[f.key] = f.value
        else:
            fields[f.key] = _decode(f.value)

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
    title, subtitle = take("title"), take("subtitle")
    if title is None:
        title = take("booktitle")  # a @collection or @proceedings named only by its booktitle
    if title and subtitle:
        title = f"{title}{'' if title[-1] in ':?!.' else ':'} {subtitle}"
    url = take("url")
    doi = strip_doi(take("doi")) or doi_from_url(url)
    ref = Reference(
        key=entry.key,
        title=title or subtitle,
        authors=[a for a in (clean(x) for x in authors) if a],
        journal=take("journal", "journaltitle"),
        volume=take("volume"),
        issue=take("number", "issue"),
        pages=pages.replace("–", "-").replace("--", "-") if pages else None,
        year=parse_year(year_text),
        pmid=pmid,
        pmcid=take("pmcid"),
        doi=doi,
        url=url,
    )
    own = fields.pop("note", None)
    extra = [] if entry.entry_type.lower() == "article" else [("type", entry.entry_type.lower())]
    extra += [(name, _text(value, "; ") or "") for name, value in fields.items()]
    ref.note = note_from([own if isinstance(own, str) else None], extra)
    if not (ref.title or ref.authors or ref.doi or ref.pmid or ref.url):
        return None
    return ref


def _text(value: Any, joiner: str = " and ") -> str | None:
    if isinstance(value, list):
        value = joiner.join(str(v) for v in value)
    return clean(value)
