"""Reading CSL-JSON (.json, as Zotero, Mendeley and Pandoc write it).

A CSL-JSON file is a list of items, each with a ``type`` and usually a
``title`` and ``author`` (some tools write ``{"items": [...]}`` or one item
alone: read too). Every item is read; one that describes no work is a
problem naming it. Mapping: ``author`` (``family, given`` with any
particle, or ``literal``); ``title`` (CSL's rich-text tags dropped, see
:func:`plain_title`); ``container-title`` journal;
``issued`` year (``date-parts``, ``raw`` or ``literal``); ``volume``;
``issue``; ``page``; ``PMID``; ``PMCID``; ``DOI``; ``URL``. ``note`` is the
note; every other field (and a type other than a journal article) is
appended to it as ``field: value`` (an editor's or other creator's names
as authors' are). ``citation-key`` (else ``id``) is the
record's own citation key. Records are numbered from 1 in problems.
"""

from __future__ import annotations

import json
import re
from typing import Any

from curator.errors import InputError
from curator.formats.references.fields import clean, note_from, parse_year, strip_doi
from curator.formats.references.model import Parsed, Problem
from curator.formats.references.scripts import raised
from curator.review import Reference

__all__ = ["read_csljson", "is_csl_items"]

_ARTICLE_TYPES = frozenset({"article-journal", "article"})
#: Python's JSON reader stops at about 1,000 levels of brackets; no CSL item needs more than 4.
_TOO_DEEP = "not a CSL-JSON file: its brackets are nested too deeply (more than about 1,000 levels)"
#: CSL's name variables: an item with any of them names who made the work.
_CREATORS = (
    "author", "editor", "collection-editor", "container-author", "composer", "director", "editorial-director",
    "illustrator", "interviewer", "original-author", "recipient", "reviewed-author", "translator", "chair",
    "compiler", "contributor", "curator", "executive-producer", "guest", "host", "narrator", "organizer",
    "performer", "producer", "script-writer", "series-creator",
)  # fmt: skip
#: What makes an item a reference: a title, a creator, where it appeared, or an identifier. An item
#: with none of them (only an id and a type, say) describes nothing and is refused.
_DESCRIBING = (
    "title", "container-title", "collection-title", "DOI", "PMID", "PMCID", "URL", "ISBN", "ISSN",
    "publisher", "original-title", "title-short",
)  # fmt: skip
#: CSL's rich-text markup in titles (the CSL-JSON schema's "HTML-like" tags): dropped, their text kept.
_MARKUP = re.compile(r"</?(?:i|b|sc|sup|sub|span)(?:\s[^<>]*)?>", re.IGNORECASE)
_SCRIPT = re.compile(r"<(sup|sub)(?:\s[^<>]*)?>([^<>]*)</\1>", re.IGNORECASE)


def is_csl_items(data: Any) -> bool:
    """True for what a CSL-JSON file holds: a list (of items; the reader says what is wrong with an
    item that is no reference), ``{"items": [...]}``, or one item alone (an object with a ``type``).

    A ``curator/1`` exchange file is an object with a ``format`` key, so it is never taken for CSL-JSON.
    """
    if isinstance(data, list):
        return True
    if not isinstance(data, dict) or "format" in data:
        return False
    if isinstance(data.get("items"), list):
        return True
    return isinstance(data.get("type"), str) and any(name in data for name in (*_DESCRIBING, *_CREATORS))


def plain_title(text: str | None) -> str | None:
    """A CSL title's text without its markup: ``<i>``, ``<b>``, ``<sc>``, ``<span class="nocase">``
    dropped (their text kept); ``<sup>``/``<sub>`` text in Unicode super- or subscript characters when
    every character has one, as a BibTeX title's (:func:`~curator.formats.references.scripts.raised`:
    "g<sub>1</sub>" is "g₁", "20<sup>th</sup>" is "20ᵗʰ"), else as plain text ("<sup>q</sup>" is "q")."""
    if text is None or "<" not in text:
        return text

    def script(m: re.Match[str]) -> str:
        inner = m.group(2)
        shifted = raised("^" if m.group(1).lower() == "sup" else "_", inner)
        return shifted if shifted else inner

    return clean(_MARKUP.sub("", _SCRIPT.sub(script, text)))


def read_csljson(text: str, file: str) -> Parsed:
    """References and per-record problems of a CSL-JSON text.

    Every item of the list is read; an item that cannot be a reference (not an object, or with
    no title, creator, container or identifier) is a problem naming it: its place from 1 and its
    ``id``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", file=file, where=f"line {exc.lineno}") from exc
    except RecursionError:
        raise InputError(_TOO_DEEP, file=file) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    elif isinstance(data, dict) and is_csl_items(data):
        data = [data]
    if not isinstance(data, list):
        raise InputError("a CSL-JSON file is a list of items", file=file)
    out = Parsed()
    for number, item in enumerate(data, 1):
        where = f"record {number}"
        named = where
        if isinstance(item, dict) and isinstance(item.get("id"), str | int) and str(item["id"]).strip():
            named = f"{where} (id {str(item['id']).strip()[:60]!r})"
        try:
            ref = _map(item)
        except _Bad as exc:
            out.problems.append(Problem(file, named, str(exc)))
            continue
        except RecursionError:  # a value nested almost as deep as JSON allows, met while showing it
            out.problems.append(Problem(file, named, _TOO_DEEP))
            continue
        out.add(ref, where, file=file)
    return out


class _Bad(Exception):
    pass


def _str(item: dict[str, Any], name: str) -> str | None:
    value = item.pop(name, None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Bad(f"{name!r} should be text, not {json.dumps(value)[:40]}")
    return clean(value)


def _author(person: Any) -> str | None:
    if isinstance(person, str):
        return clean(person)
    if not isinstance(person, dict):
        raise _Bad(f"an author should be an object, not {json.dumps(person)[:40]}")
    if person.get("literal"):
        return clean(person["literal"])
    family = " ".join(str(p) for p in (person.get("non-dropping-particle"), person.get("family")) if p)
    given = " ".join(str(p) for p in (person.get("given"), person.get("dropping-particle")) if p)
    if person.get("suffix"):
        given = f"{given}, {person['suffix']}" if given else str(person["suffix"])
    if family and given:
        return clean(f"{family}, {given}")
    return clean(family or given)


def _year(issued: Any) -> int | None:
    if issued is None:
        return None
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parse_year(str(parts[0][0]))
        return parse_year(issued.get("raw") or issued.get("literal"))
    return parse_year(issued)


def _map(raw: Any) -> Reference:
    if not isinstance(raw, dict):
        raise _Bad(f"an item should be an object (a reference), not {json.dumps(raw)[:40]}")
    item = dict(raw)
    authors = item.pop("author", [])
    if not isinstance(authors, list):
        raise _Bad("'author' should be a list of names")
    key = _str(item, "citation-key") or _str(item, "id") or ""
    item.pop("id", None)
    kind = _str(item, "type")
    issued = item.pop("issued", None)
    ref = Reference(
        key=key,
        title=plain_title(_str(item, "title")),
        authors=[a for a in (_author(p) for p in authors) if a],
        journal=plain_title(_str(item, "container-title")),
        volume=_str(item, "volume"),
        issue=_str(item, "issue"),
        pages=_str(item, "page"),
        year=_year(issued),
        pmid=_str(item, "PMID"),
        pmcid=_str(item, "PMCID"),
        doi=strip_doi(_str(item, "DOI")),
        url=_str(item, "URL"),
    )
    own = _str(item, "note")
    extra: list[tuple[str, str]] = []
    if kind and kind not in _ARTICLE_TYPES:
        extra.append(("type", kind))
    if ref.year is None and issued is not None:
        extra.append(("issued", json.dumps(issued, ensure_ascii=False)))
    for name, value in item.items():
        if name in ("container-title-short", "journalAbbreviation") and clean(value) == ref.journal:
            continue
        if name in _CREATORS and isinstance(value, list):  # an editor, a translator: their names, as authors'
            try:
                text = "; ".join(n for n in (_author(p) for p in value) if n)
            except _Bad:
                text = json.dumps(value, ensure_ascii=False)
        else:
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        extra.append((name, text.strip()))
    ref.note = note_from([own], extra)
    if not (ref.title or ref.authors or any(raw.get(name) for name in (*_DESCRIBING, *_CREATORS))):
        raise _Bad("the item has no title, author, editor, journal or identifier: it describes no work")
    return ref
